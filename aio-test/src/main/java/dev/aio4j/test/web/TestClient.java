package dev.aio4j.test.web;

import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.ClientSession;
import dev.aio4j.http.ClientWebSocketResponse;
import dev.aio4j.http.CookieJar;
import dev.aio4j.http.WSConnectOption;
import dev.aio4j.http.RequestOption;
import dev.aio4j.http.internal.SessionAccess;
import dev.aio4j.http.web.Application;
import dev.aio4j.loop.internal.Checks;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ClientSession} bound to a {@link TestServer}: requests take paths relative to the
 * server.
 *
 * <pre>{@code
 * try (TestClient client = new TestClient(new TestServer(app))) {
 *     client.start();
 *     try (ClientResponse r = client.post("/echo", RequestOption.body("hi"))) {
 *         assertEquals(200, r.status());
 *     }
 * }                                                  // closes the session, then the server
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code aiohttp.test_utils.TestClient(server)} (the pytest plugin's
 * {@code aiohttp_client} fixture): {@code await client.start_server()},
 * {@code client.get/post/put/patch/delete/head/options(path, **kw)},
 * {@code client.request(method, path, **kw)}, {@code client.make_url(path)},
 * {@code client.session}, {@code client.server}, {@code client.app}, {@code client.host},
 * {@code client.port}, {@code await client.close()}. As aiohttp's, its session does not send an
 * idempotent request a second time when the connection is lost before the response head (a plain
 * {@link ClientSession} does, once): a test sees the first {@code ServerDisconnectedError} or
 * {@code ClientOSError}. Also as aiohttp's, unless the session's builder was given a cookie jar, the
 * session keeps cookies from IP-address hosts ({@code CookieJar(unsafe=True)}), since the server is
 * on {@code 127.0.0.1}; {@code client.ws_connect(path)} is {@link #wsConnect}, and {@link #close()}
 * closes the WebSockets it opened. <b>Differences:</b> the keyword arguments
 * are {@link RequestOption}s (and {@link WSConnectOption}s); responses are not tracked: close each
 * one (try-with-resources), as with a plain {@link ClientSession}.
 *
 * <p><b>Threading:</b> loop-confined, like the session and the server: create, use and close it
 * in tasks of the server's loop.
 *
 * @since 0.2
 */
public final class TestClient implements AutoCloseable {
    private final TestServer server;
    private final ClientSession session;
    private final List<ClientWebSocketResponse> websockets = new ArrayList<>();
    private boolean closed;

    /**
     * A client of {@code server} with a default {@link ClientSession}.
     *
     * @param server the server (started by {@link #start()} if it is not yet)
     */
    public TestClient(TestServer server) {
        this(server, ClientSession.builder());
    }

    /**
     * A client of {@code server} with a session built from {@code session}:
     * {@code TestClient(server, **session_kwargs)}.
     *
     * @param server the server (started by {@link #start()} if it is not yet)
     * @param session the session's settings (timeouts, headers, cookie jar, ...); do not set a
     *     base URL. Without a cookie jar, the session gets a new {@code CookieJar(true)} of its
     *     own (aiohttp's {@code CookieJar(unsafe=True)}), which keeps the cookies of
     *     {@code 127.0.0.1}; the builder itself is not changed, so it can build other clients
     */
    public TestClient(TestServer server, ClientSession.Builder session) {
        Checks.notNull(server, "server");
        Checks.notNull(session, "session");
        this.server = server;
        // aiohttp's TestClient: cookie_jar = aiohttp.CookieJar(unsafe=True) if none is given, a new
        // one for each client; the caller's builder is not changed (it may build another client)
        this.session = SessionAccess.build(session, new CookieJar(true));
        // aiohttp's TestClient: self._session._retry_connection = False
        SessionAccess.retryConnection(this.session, false);
    }

    /**
     * Starts the server if it is not started: {@code await client.start_server()}.
     *
     * <p><b>Cancellation:</b> as {@link TestServer#start()}.
     *
     * @throws Exception as {@link TestServer#start()}
     * @throws IllegalStateException if the client was closed
     */
    public void start() throws Exception {
        checkOpen("start()");
        server.start();
    }

    /**
     * Returns the server: {@code client.server}.
     *
     * @return the server
     */
    public TestServer server() {
        return server;
    }

    /**
     * Returns the server's application: {@code client.app}.
     *
     * @return the application
     */
    public Application app() {
        return server.app();
    }

    /**
     * Returns the session that sends the requests: {@code client.session}.
     *
     * @return the session
     */
    public ClientSession session() {
        return session;
    }

    /**
     * Returns the absolute URL of a path on the server: {@code client.make_url(path)}.
     *
     * @param path a path with an optional query
     * @return the URL
     * @throws IllegalArgumentException if {@code path} is an absolute URL or starts with {@code //} (see {@link TestServer#url})
     * @throws IllegalStateException before {@link #start()}
     */
    public String url(String path) {
        return server.url(path);
    }

    /**
     * Sends a GET: {@code await client.get(path, **kw)}.
     *
     * <p><b>Cancellation:</b> as {@link ClientSession#request}.
     *
     * @param path the path on the server, with an optional query
     * @param options request options
     * @return the response, once its head arrived (close it)
     */
    public ClientResponse get(String path, RequestOption... options) {
        return request("GET", path, options);
    }

    /**
     * Sends a POST: {@code await client.post(path, **kw)}.
     *
     * <p><b>Cancellation:</b> as {@link ClientSession#request}.
     *
     * @param path the path on the server, with an optional query
     * @param options request options, e.g. {@code RequestOption.body("...")}
     * @return the response, once its head arrived (close it)
     */
    public ClientResponse post(String path, RequestOption... options) {
        return request("POST", path, options);
    }

    /**
     * Sends a PUT: {@code await client.put(path, **kw)}.
     *
     * <p><b>Cancellation:</b> as {@link ClientSession#request}.
     *
     * @param path the path on the server, with an optional query
     * @param options request options
     * @return the response, once its head arrived (close it)
     */
    public ClientResponse put(String path, RequestOption... options) {
        return request("PUT", path, options);
    }

    /**
     * Sends a PATCH: {@code await client.patch(path, **kw)}.
     *
     * <p><b>Cancellation:</b> as {@link ClientSession#request}.
     *
     * @param path the path on the server, with an optional query
     * @param options request options
     * @return the response, once its head arrived (close it)
     */
    public ClientResponse patch(String path, RequestOption... options) {
        return request("PATCH", path, options);
    }

    /**
     * Sends a DELETE: {@code await client.delete(path, **kw)}.
     *
     * <p><b>Cancellation:</b> as {@link ClientSession#request}.
     *
     * @param path the path on the server, with an optional query
     * @param options request options
     * @return the response, once its head arrived (close it)
     */
    public ClientResponse delete(String path, RequestOption... options) {
        return request("DELETE", path, options);
    }

    /**
     * Sends a HEAD: {@code await client.head(path, **kw)}.
     *
     * <p><b>Cancellation:</b> as {@link ClientSession#request}.
     *
     * @param path the path on the server, with an optional query
     * @param options request options
     * @return the response, once its head arrived (close it)
     */
    public ClientResponse head(String path, RequestOption... options) {
        return request("HEAD", path, options);
    }

    /**
     * Sends an OPTIONS: {@code await client.options(path, **kw)}.
     *
     * <p><b>Cancellation:</b> as {@link ClientSession#request}.
     *
     * @param path the path on the server, with an optional query
     * @param options request options
     * @return the response, once its head arrived (close it)
     */
    public ClientResponse options(String path, RequestOption... options) {
        return request("OPTIONS", path, options);
    }

    /**
     * Sends a request: {@code await client.request(method, path, **kw)}.
     *
     * <p><b>Cancellation:</b> as {@link ClientSession#request}: suspends until the response's
     * head arrives; if cancelled meanwhile, the connection is closed.
     *
     * @param method the method, e.g. {@code GET}
     * @param path the path on the server, with an optional query
     * @param options request options
     * @return the response, once its head arrived (close it)
     * @throws IllegalStateException before {@link #start()} or after {@link #close()}
     * @throws IllegalArgumentException if {@code path} is an absolute URL or starts with {@code //} (see {@link TestServer#url})
     */
    public ClientResponse request(String method, String path, RequestOption... options) {
        checkOpen("request()");
        if (!server.started()) {
            throw new IllegalStateException("TestClient.request() called before start(): call client.start() first ("
                    + server + ")");
        }
        return session.request(method, server.url(path), options);
    }

    private void checkOpen(String what) {
        if (closed) {
            throw new IllegalStateException("TestClient." + what + " called after close()");
        }
    }

    /**
     * Closes the session, then the server: {@code await client.close()}. A second call does
     * nothing.
     *
     * <p><b>Cancellation:</b> as {@link TestServer#close()}.
     *
     * @throws Exception what the server's close threw
     */
    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (ClientWebSocketResponse ws : websockets) {
                ws.close(); // aiohttp's TestClient.close: await ws.close() for each
            }
        } finally {
            websockets.clear();
            session.close();
            server.close();
        }
    }

    /**
     * Opens a WebSocket to a path on the server: {@code await client.ws_connect(path, **kw)}.
     * {@link #close()} closes it if the test has not.
     *
     * <p><b>Cancellation:</b> as {@link ClientSession#wsConnect}.
     *
     * @param path the path on the server, with an optional query
     * @param options subprotocols, heartbeat, timeouts, limits, compression, headers
     * @return the open WebSocket
     * @throws IllegalStateException before {@link #start()} or after {@link #close()}
     */
    public ClientWebSocketResponse wsConnect(String path, WSConnectOption... options) {
        checkOpen("wsConnect()");
        ClientWebSocketResponse ws = session.wsConnect(url(path), options);
        websockets.removeIf(ClientWebSocketResponse::closed);
        websockets.add(ws);
        return ws;
    }

    @Override
    public String toString() {
        return "TestClient[" + server + (closed ? ", closed" : "") + "]";
    }
}
