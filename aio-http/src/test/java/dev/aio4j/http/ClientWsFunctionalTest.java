package dev.aio4j.http;

import dev.aio4j.http.internal.ws.Handshake;
import dev.aio4j.http.web.Application;
import dev.aio4j.http.web.Handler;
import dev.aio4j.http.web.Request;
import dev.aio4j.http.web.Response;
import dev.aio4j.http.web.WebSocketResponse;
import dev.aio4j.http.web.WsHarness;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.TimeoutError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.aio4j.http.TestServers.readHead;
import static dev.aio4j.http.TestServers.write;
import static dev.aio4j.http.web.WsHarness.eventually;
import static dev.aio4j.http.web.WsHarness.run;
import static dev.aio4j.http.web.WsHarness.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's WebSockets end to end over loopback, against the aio4j server and raw scripted
 * servers: mirrors aiohttp's tests/test_client_ws_functional.py (names camelCased; tests aiohttp
 * lacks are marked).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientWsFunctionalTest {

    private static String ws(String base) {
        return base.replace("http://", "ws://") + "/";
    }

    private static void route(Application app, Handler h) {
        app.router().addGet("/", h);
    }

    private static WebSocketResponse open(Request r) throws java.io.IOException {
        WebSocketResponse ws = new WebSocketResponse();
        ws.prepare(r);
        return ws;
    }

    /** The server side of tests that need only a peer: reads one message, then waits for the close. */
    private static Handler receiveOne() {
        return r -> {
            WebSocketResponse ws = open(r);
            ws.receive();
            return ws;
        };
    }

    /** Reads one message, then closes (code 1000). */
    private static Handler receiveOneThenClose() {
        return r -> {
            WebSocketResponse ws = open(r);
            ws.receive();
            ws.close();
            return ws;
        };
    }

    /** Answers one text message with it plus "/answer", then closes. */
    private static Handler answerText() {
        return r -> {
            WebSocketResponse ws = open(r);
            ws.sendStr(ws.receiveStr() + "/answer");
            ws.close();
            return ws;
        };
    }

    /** A raw server's 101 for the key of the request head it read. */
    private static String accept101(String head, String extra) {
        String key = head.lines().filter(l -> l.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18))
                .map(l -> l.substring(18).strip()).findFirst().orElseThrow();
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                + Handshake.accept(key) + "\r\n" + extra + "\r\n";
    }

    @Test
    void sendRecvText() throws Exception {
        run(app -> route(app, answerText()), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            resp.sendStr("ask");
            assertEquals("ask/answer", resp.receiveStr());
            resp.close();
        });
    }

    // aiohttp's ClientSession(base_url=...) takes any absolute URL (3.11+: with a trailing '/') and
    // _build_url joins a relative one to it, so with base_url="ws://h/app/" ws_connect("chat") opens
    // ws://h/app/chat and get("x") requests ws://h/app/x (sent as http, shown as ws); the session's
    // auth goes where the base URL's origin is ws://h, not to http://h (aio4j-only test: aiohttp has
    // none; the ws base URL was an InvalidURL)
    @Test
    void aWebSocketBaseUrlJoinsRelativeUrls() throws Exception {
        run(app -> {
            app.router().addGet("/app/chat", answerText());
            app.router().addGet("/app/x", r -> new Response(200).text("x auth=" + r.headers().contains("Authorization")));
        }, (base, plain) -> {
            try (ClientSession s = ClientSession.builder().baseUrl(ws(base) + "app/").auth(new BasicAuth("ada", "pw")).build()) {
                assertEquals("ClientSession[base=" + ws(base) + "app/", s.toString().substring(0, s.toString().indexOf(',')));
                ClientWebSocketResponse resp = s.wsConnect("chat");
                assertEquals(URI.create(ws(base) + "app/chat"), resp.url());
                resp.sendStr("ask");
                assertEquals("ask/answer", resp.receiveStr());
                resp.close();
                try (ClientResponse r = s.get("x?q=1")) {
                    assertEquals("x auth=true", r.text());
                    assertEquals(URI.create(ws(base) + "app/x?q=1"), r.url());
                }
                try (ClientResponse r = s.get(base + "/app/x")) {
                    assertEquals("x auth=false", r.text(), "http://h is not the ws://h base URL's origin");
                }
            }
            try (ClientSession s = ClientSession.builder().baseUrl(base.replace("http://", "wss://") + "/app/").build()) {
                assertTrue(s.toString().startsWith("ClientSession[base=wss://"), s.toString());
            }
            InvalidURL e = assertThrows(InvalidURL.class, () -> ClientSession.builder().baseUrl("ftp://h/"));
            assertEquals("ftp://h/", e.invalidUrl());
            e = assertThrows(InvalidURL.class, () -> ClientSession.builder().baseUrl("ws:///nohost/"));
            assertEquals("ws:///nohost/", e.invalidUrl());
        });
    }

    // aiohttp _request, each hop: `if url.origin() != redirect_origin: auth = None;
    // headers.pop(AUTHORIZATION)`, and the session's auth only where `self._base_url_origin ==
    // url.origin()`: with base_url="ws://h/" a relative URL is ws://h/..., a redirect from it to
    // http://h/... changes the origin (ws://h to http://h), so that hop gets no credentials, for
    // ws_connect and request alike; a relative redirect stays ws://h and keeps them (aio4j-only
    // test: the session's auth was checked against the base URL's http form and sent again)
    @Test
    void aWebSocketBaseUrlsAuthIsNotSentAfterARedirectToHttp() throws Exception {
        List<String> seen = new ArrayList<>();
        BasicAuth auth = new BasicAuth("ada", "pw");
        run(app -> {
            app.router().addGet("/abs", r -> new Response(307, null, Headers.of("Location", "http://" + r.host() + "/")));
            app.router().addGet("/rel", r -> new Response(307, null, Headers.of("Location", "/")));
            app.router().addGet("/absget", r -> new Response(307, null, Headers.of("Location", "http://" + r.host() + "/plain")));
            app.router().addGet("/plain", r -> {
                seen.add("plain " + r.headers().get("Authorization"));
                return new Response(200).text("plain");
            });
            route(app, r -> {
                seen.add("ws " + r.headers().get("Authorization"));
                return answerText().handle(r);
            });
        }, (base, plain) -> {
            try (ClientSession s = ClientSession.builder().baseUrl(ws(base)).auth(auth).build()) {
                for (String path : List.of("rel", "abs")) {
                    ClientWebSocketResponse resp = s.wsConnect(path);
                    resp.sendStr("ask");
                    assertEquals("ask/answer", resp.receiveStr());
                    resp.close();
                }
                try (ClientResponse r = s.get("absget")) {
                    assertEquals("plain", r.text());
                    assertEquals(URI.create(base + "/plain"), r.url());
                }
            }
            assertEquals(List.of("ws " + auth.encode(), "ws null", "plain null"), seen);
        });
    }

    @Test
    void sendRecvBytesBadType() throws Exception {
        run(app -> route(app, answerText()), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            resp.sendStr("ask");
            IllegalStateException e = assertThrows(IllegalStateException.class, resp::receiveBytes);
            assertTrue(e.getMessage().contains("is not WSMsgType.BINARY"), e.getMessage());
            resp.close();
        });
    }

    @Test
    void recvBytesAfterClose() throws Exception {
        run(app -> route(app, receiveOneThenClose()), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            resp.sendStr("ask");
            IllegalStateException e = assertThrows(IllegalStateException.class, resp::receiveBytes);
            assertTrue(e.getMessage().contains("WSMessage[CLOSE, 1000"), e.getMessage());
            resp.close();
        });
    }

    @Test
    void sendRecvBytes() throws Exception {
        run(app -> route(app, r -> {
            WebSocketResponse ws = open(r);
            byte[] msg = ws.receiveBytes();
            byte[] out = java.util.Arrays.copyOf(msg, msg.length + 7);
            System.arraycopy(utf8("/answer"), 0, out, msg.length, 7);
            ws.sendBytes(out);
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            resp.sendBytes(utf8("ask"));
            assertArrayEquals(utf8("ask/answer"), resp.receiveBytes());
            resp.close();
        });
    }

    @Test
    void sendRecvTextBadType() throws Exception {
        run(app -> route(app, r -> {
            WebSocketResponse ws = open(r);
            ws.sendBytes(ws.receiveBytes());
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            resp.sendBytes(utf8("ask"));
            IllegalStateException e = assertThrows(IllegalStateException.class, resp::receiveStr);
            assertTrue(e.getMessage().contains("is not WSMsgType.TEXT"), e.getMessage());
            resp.close();
        });
    }

    @Test
    void recvTextAfterClose() throws Exception {
        run(app -> route(app, receiveOneThenClose()), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            resp.sendStr("ask");
            assertThrows(IllegalStateException.class, resp::receiveStr);
            resp.close();
        });
    }

    @Test
    void sendRecvJson() throws Exception {
        run(app -> route(app, r -> {
            WebSocketResponse ws = open(r);
            ws.sendJson(ws.receiveJson());
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            resp.sendJson(42);
            assertEquals(42, resp.receiveJson());
            resp.close();
        });
    }

    @Test
    void sendRecvFrame() throws Exception {
        run(app -> route(app, r -> {
            WebSocketResponse ws = open(r);
            WSMessage m = ws.receive();
            ws.sendFrame(m.bytes(), WSMsgType.BINARY);
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            resp.sendFrame(utf8("test"), WSMsgType.BINARY);
            WSMessage m = resp.receive();
            assertEquals(WSMsgType.BINARY, m.type());
            assertArrayEquals(utf8("test"), m.bytes());
            assertEquals(WSMsgType.CLOSE, resp.receive().type());
        });
    }

    @Test
    void pingPong() throws Exception {
        run(app -> route(app, r -> {
            WebSocketResponse ws = open(r);
            ws.ping();
            ws.sendBytes(ws.receiveBytes()); // the client's autoping answered meanwhile
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            resp.ping();
            resp.sendBytes(utf8("ask"));
            assertArrayEquals(utf8("ask"), resp.receiveBytes(), "pings and pongs never reach receive() with autoping");
            assertEquals(WSMsgType.CLOSE, resp.receive().type());
            assertTrue(resp.closed());
        });
    }

    @Test
    void pingPongManual() throws Exception {
        run(app -> route(app, r -> {
            WebSocketResponse ws = new WebSocketResponse().autoping(false);
            ws.prepare(r);
            ws.ping(utf8("from server"));
            WSMessage pong = ws.receive();
            ws.sendStr(pong.type() + ":" + new String(pong.bytes()));
            WSMessage ping = ws.receive();
            ws.pong(ping.bytes());
            ws.receive();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base), WSConnectOption.autoping(false));
            WSMessage ping = resp.receive();
            assertEquals(WSMsgType.PING, ping.type());
            resp.pong(ping.bytes());
            assertEquals("PONG:from server", resp.receiveStr());
            resp.ping(utf8("from client"));
            WSMessage pong = resp.receive();
            assertEquals(WSMsgType.PONG, pong.type());
            assertArrayEquals(utf8("from client"), pong.bytes());
            resp.close();
        });
    }

    @Test
    void close() throws Exception {
        run(app -> route(app, r -> {
            WebSocketResponse ws = open(r);
            ws.receive();
            ws.receive();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            resp.sendBytes(utf8("ask"));
            assertTrue(resp.close());
            assertTrue(resp.closed());
            assertEquals(1000, resp.closeCode().getAsInt());
            assertEquals(WSMsgType.CLOSED, resp.receive().type());
            assertFalse(resp.close(), "a second close does nothing");
        });
    }

    @Test
    void concurrentTaskClose() throws Exception {
        run(app -> route(app, receiveOne()), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            Task<WSMessage> reader = Aio.createTask(() -> resp.receive());
            Aio.sleep(0.01);
            assertTrue(resp.close());
            assertEquals(WSMsgType.CLOSING, reader.await().type(), "aiohttp's close() feeds CLOSING to the waiting receive()");
            assertTrue(resp.closed());
            assertEquals(1000, resp.closeCode().getAsInt());
            assertEquals(WSMsgType.CLOSED, resp.receive().type());
        });
    }

    @Test
    void aReaderCancelledAfterCloseWokeItLeavesNoClosingBehind() throws Exception { // aio4j-only, an edge of concurrentTaskClose
        // close() wakes a receive() waiting in another task with CLOSING; if that task is
        // cancelled before it runs, nobody is waiting for the CLOSING any more: the next receive()
        // answers CLOSED, as aiohttp's does (it checks closed before reading its queue)
        run(app -> route(app, receiveOne()), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            Task<WSMessage> reader = Aio.createTask(() -> resp.receive());
            Aio.sleep(0.01);
            Task<Boolean> closer = Aio.createTask(() -> resp.close());
            Aio.sleep(0); // the closer runs: it wakes the reader and waits for the server's close frame
            reader.cancel(); // before the reader got to run
            assertTrue(closer.await());
            assertThrows(CancelledError.class, reader::await);
            assertEquals(WSMsgType.CLOSED, resp.receive().type());
        });
    }

    @Test
    void concurrentClose() throws Exception {
        run(app -> route(app, receiveOneThenClose()), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base), WSConnectOption.autoclose(false));
            resp.sendBytes(utf8("ask"));
            WSMessage msg = resp.receive();
            assertEquals(WSMsgType.CLOSE, msg.type());
            assertEquals(WSMsgType.CLOSING, resp.receive().type(), "autoclose off: CLOSING until close()");
            assertTrue(resp.close());
            assertEquals(WSMsgType.CLOSED, resp.receive().type());
        });
    }

    @Test
    void concurrentCloseMultipleTasks() throws Exception {
        run(app -> route(app, receiveOne()), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            Task<Boolean> a = Aio.createTask(() -> resp.close());
            Task<Boolean> b = Aio.createTask(() -> resp.close());
            List<Boolean> results = new ArrayList<>(List.of(a.await(), b.await()));
            results.sort(null);
            assertEquals(List.of(false, true), results);
            assertEquals(1000, resp.closeCode().getAsInt());
        });
    }

    @Test
    void closeFromServer() throws Exception {
        run(app -> route(app, receiveOneThenClose()), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            resp.sendBytes(utf8("ask"));
            WSMessage msg = resp.receive();
            assertEquals(WSMsgType.CLOSE, msg.type());
            assertTrue(resp.closed());
            assertEquals(WSMsgType.CLOSED, resp.receive().type());
        });
    }

    @Test
    void closeManual() throws Exception {
        run(app -> route(app, receiveOneThenClose()), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base), WSConnectOption.autoclose(false));
            resp.sendBytes(utf8("ask"));
            assertEquals(WSMsgType.CLOSE, resp.receive().type());
            assertNotNullCode(resp);
            assertFalse(resp.closed());
            assertTrue(resp.close());
            assertTrue(resp.closed());
            assertEquals(1000, resp.closeCode().getAsInt());
        });
    }

    private static void assertNotNullCode(ClientWebSocketResponse resp) {
        assertTrue(resp.closeCode().isPresent());
    }

    @Test
    void closeTimeoutSockCloseRead() throws Exception {
        // a server that answers the handshake and then never answers the close frame
        try (TestServers.Scripted srv = new TestServers.Scripted((sock, in, out) -> {
            write(out, accept101(readHead(in), ""));
            in.readAllBytes();
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    ClientWebSocketResponse resp = s.wsConnect(srv.url("/"), WSConnectOption.closeTimeout(0.1));
                    assertTrue(resp.close());
                    assertEquals(1006, resp.closeCode().getAsInt());
                    assertInstanceOf(TimeoutError.class, resp.exception());
                    assertEquals(0, s.openConnections(), "the connection went back (closed) to the pool's books");
                }
                return null;
            });
        }
    }

    @Test
    void closeCancel() throws Exception {
        run(app -> route(app, r -> {
            WebSocketResponse ws = new WebSocketResponse().autoclose(false);
            ws.prepare(r);
            ws.receive(); // the close frame, not answered
            Aio.sleep(5);
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            Task<Boolean> closing = Aio.createTask(() -> resp.close());
            Aio.sleep(0.05);
            closing.cancel();
            assertThrows(CancelledError.class, closing::await);
            assertEquals(1006, resp.closeCode().getAsInt());
        });
    }

    @Test
    void overrideDefaultHeaders() throws Exception {
        List<String> seen = new ArrayList<>();
        run(app -> route(app, r -> {
            seen.add(r.headers().get("Sec-WebSocket-Version"));
            return new Response().text("no");
        }), (base, s) -> {
            WSServerHandshakeError e = assertThrows(WSServerHandshakeError.class,
                    () -> s.wsConnect(ws(base), WSConnectOption.header("Sec-WebSocket-Version", "8")));
            assertEquals(200, e.status());
            assertEquals("Invalid response status", e.message());
            assertEquals(List.of("8"), seen);
        });
    }

    @Test
    void additionalHeaders() throws Exception {
        List<String> seen = new ArrayList<>();
        run(app -> route(app, r -> {
            seen.add(r.headers().get("x-hdr"));
            seen.add(r.headers().get("Origin"));
            WebSocketResponse ws = open(r);
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base), WSConnectOption.header("x-hdr", "xtra"),
                    WSConnectOption.origin("http://example.com"));
            assertEquals(WSMsgType.CLOSE, resp.receive().type());
            assertEquals(List.of("xtra", "http://example.com"), seen);
        });
    }

    // aio4j-only (aiohttp's _ws_connect sends the handshake with self.request(...), so the session's
    // middlewares run for it): a middleware adds the token the server checks
    @Test
    void sessionMiddlewaresRunForTheHandshake() throws Exception {
        List<String> seen = new ArrayList<>();
        ClientMiddleware auth = (request, handler) -> {
            seen.add(request.method() + " " + request.headers().get("Upgrade"));
            request.headers().set("Authorization", "Bearer t0k");
            ClientResponse r = handler.send(request);
            seen.add("got " + r.status());
            return r;
        };
        run(app -> route(app, r -> {
            if (!"Bearer t0k".equals(r.headers().get("Authorization"))) {
                return new Response(401);
            }
            return answerText().handle(r);
        }), (base, plain) -> {
            try (ClientSession s = ClientSession.builder().middlewares(auth).build()) {
                ClientWebSocketResponse resp = s.wsConnect(ws(base));
                resp.sendStr("ask");
                assertEquals("ask/answer", resp.receiveStr());
                resp.close();
            }
            assertEquals(List.of("GET websocket", "got 101"), seen);
            // a request's own middlewares replace the session's; none turns them off
            try (ClientSession s = ClientSession.builder().build()) {
                ClientWebSocketResponse resp = s.wsConnect(ws(base), WSConnectOption.request(RequestOption.middlewares(auth)));
                resp.sendStr("again");
                assertEquals("again/answer", resp.receiveStr());
                resp.close();
            }
            try (ClientSession s = ClientSession.builder().middlewares(auth).build()) {
                WSServerHandshakeError e = assertThrows(WSServerHandshakeError.class,
                        () -> s.wsConnect(ws(base), WSConnectOption.request(RequestOption.middlewares())));
                assertEquals(401, e.status());
                assertEquals(0, s.poolStats().open() - s.poolStats().idle(), "no connection stays taken");
            }
        });
    }

    // aiohttp's _ws_connect sends the handshake with self.request(url, ...), and _request makes its
    // ClientRequest with that URL as given (req = self._request_class(method, url, ...)): a client
    // middleware's request.url is the ws:// URL, also after a relative redirect (url.join keeps the
    // scheme), and the http:// one after an absolute redirect to http (aio4j-only test)
    @Test
    void middlewaresSeeTheWsUrl() throws Exception {
        List<String> seen = new ArrayList<>();
        ClientMiddleware mw = (request, handler) -> {
            seen.add(request.url() + " " + request);
            return handler.send(request);
        };
        String[] wsBase = new String[2];
        run(app -> {
            app.router().addGet("/old", r -> new Response(302, null, Headers.of("Location", "/")));
            app.router().addGet("/abs", r -> new Response(307, null, Headers.of("Location", "http://" + r.host() + "/")));
            route(app, answerText());
        }, (base, plain) -> {
            wsBase[0] = ws(base);
            wsBase[1] = base + "/";
            try (ClientSession s = ClientSession.builder().middlewares(mw).build()) {
                s.wsConnect(ws(base) + "old").close();
                s.wsConnect(ws(base) + "abs").close();
            }
        });
        String w = wsBase[0];
        String h = wsBase[1];
        assertEquals(List.of(
                w + "old ClientRequest[GET " + w + "old, body=None]", w + " ClientRequest[GET " + w + ", body=None]",
                w + "abs ClientRequest[GET " + w + "abs, body=None]", h + " ClientRequest[GET " + h + ", body=None]"), seen);
    }

    // a middleware that makes a request of its own to the URL it sees (here, a token fetched from
    // the handshake's URL with ?token): for the handshake that URL is the ws:// one, which aiohttp's
    // request() takes (TCPConnector.allowed_protocol_schema_set holds ws and wss) and sends as
    // http; aio4j refused it with InvalidURL (aio4j-only test)
    @Test
    void aMiddlewareCanRequestTheWsUrlItSees() throws Exception {
        List<String> seen = new ArrayList<>();
        ClientMiddleware token = (request, handler) -> {
            if (request.headers().contains("Upgrade")) {
                URI tokenUrl = URI.create(request.url() + "?token");
                try (ClientResponse t = request.session().get(tokenUrl.toString(), RequestOption.middlewares())) {
                    seen.add(t.url() + " " + t.status() + " " + t.text());
                    request.headers().set("X-Token", t.text());
                }
            }
            return handler.send(request);
        };
        String[] wsUrl = new String[1];
        run(app -> route(app, r -> {
            if (r.url().getRawQuery() != null) {
                return new Response().text("t0k");
            }
            if (!"t0k".equals(r.headers().get("X-Token"))) {
                return new Response(401);
            }
            return answerText().handle(r);
        }), (base, plain) -> {
            wsUrl[0] = ws(base);
            try (ClientSession s = ClientSession.builder().middlewares(token).build()) {
                ClientWebSocketResponse resp = s.wsConnect(ws(base));
                resp.sendStr("ask");
                assertEquals("ask/answer", resp.receiveStr());
                resp.close();
            }
        });
        assertEquals(List.of(wsUrl[0] + "?token 200 t0k"), seen);
    }

    // aio4j's client errors carry the request's URL (aiohttp's ClientConnectorError names only the
    // host and port): a handshake that cannot connect names the ws:// URL given, as aiohttp's
    // request keeps it (aio4j-only test)
    @Test
    void aConnectionErrorNamesTheWsUrl() throws Exception {
        int dead;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0)) {
            dead = ss.getLocalPort();
        }
        String x = "ws://127.0.0.1:" + dead + "/x?q=1";
        run(app -> route(app, answerText()), (base, s) -> {
            ClientConnectorError e = assertThrows(ClientConnectorError.class, () -> s.wsConnect(x));
            assertEquals(URI.create(x), e.url());
            assertTrue(e.getMessage().contains(x), e.getMessage());
        });
    }

    // the same for the errors of a connection that was made: a server that closes without an
    // answer, and one whose answer is not HTTP (the malformed head's request info, as aiohttp's
    // request_info of the ws:// request) (aio4j-only test)
    @Test
    void errorsBeforeAResponseNameTheWsUrl() throws Exception {
        try (TestServers.Scripted closes = new TestServers.Scripted((sock, in, out) -> readHead(in), (sock, in, out) -> readHead(in));
             TestServers.Scripted garbage = new TestServers.Scripted((sock, in, out) -> {
                 readHead(in);
                 write(out, "HTTP/1.1 abc\r\n\r\n");
             })) {
            String gone = closes.url("/gone").replace("http://", "ws://");
            String bad = garbage.url("/bad").replace("http://", "ws://");
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    ServerDisconnectedError d = assertThrows(ServerDisconnectedError.class, () -> s.wsConnect(gone));
                    assertEquals(URI.create(gone), d.url());
                    ClientResponseError e = assertThrows(ClientResponseError.class, () -> s.wsConnect(bad));
                    assertEquals(400, e.status());
                    assertEquals(URI.create(bad), e.requestInfo().url());
                    assertEquals(0, s.openConnections());
                }
                return null;
            });
        }
    }

    // aio4j-only: a handshake response the middleware dropped is closed, its connection with it
    @Test
    void handshakeResponseAMiddlewareDropsIsClosed() throws Exception {
        int[] handshakes = {0};
        ClientMiddleware twice = (request, handler) -> {
            handler.send(request).close();
            return handler.send(request);
        };
        run(app -> route(app, r -> {
            handshakes[0]++;
            WebSocketResponse ws = open(r);
            WSMessage m = ws.receive();
            if (m.type() == WSMsgType.TEXT) {
                ws.sendStr(m.str() + "/answer");
            }
            ws.close();
            return ws;
        }), (base, plain) -> {
            try (ClientSession s = ClientSession.builder().middlewares(twice).build()) {
                ClientWebSocketResponse resp = s.wsConnect(ws(base));
                resp.sendStr("ask");
                assertEquals("ask/answer", resp.receiveStr());
                resp.close();
                assertEquals(2, handshakes[0]);
                eventually(() -> s.poolStats().open() == 0, "both connections closed");
            }
        });
    }

    @Test
    void recvProtocolError() throws Exception {
        byte[][] closeFrame = new byte[1][];
        try (TestServers.Scripted srv = new TestServers.Scripted((sock, in, out) -> {
            write(out, accept101(readHead(in), ""));
            out.write(new byte[] {(byte) 0x83, 0x00}); // reserved opcode 3
            out.flush();
            closeFrame[0] = WsHarness.readServerFrame(in);
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    ClientWebSocketResponse resp = s.wsConnect(srv.url("/"));
                    WSMessage msg = resp.receive();
                    assertEquals(WSMsgType.ERROR, msg.type());
                    WebSocketError e = assertInstanceOf(WebSocketError.class, msg.data());
                    assertEquals(1002, e.code());
                    assertTrue(e.getMessage().contains("reserved opcode 0x3"), e.getMessage());
                    assertEquals(e, resp.exception());
                    assertEquals(1002, resp.closeCode().getAsInt());
                    assertTrue(resp.closed());
                }
                return null;
            });
            srv.thread.join(5000);
            eventuallyThread(() -> closeFrame[0] != null);
            assertEquals(0x8, closeFrame[0][0], "the client sent a close frame");
            assertEquals(1002, ((closeFrame[0][1] & 0xFF) << 8) | (closeFrame[0][2] & 0xFF));
        }
    }

    private static void eventuallyThread(java.util.function.BooleanSupplier c) throws InterruptedException {
        for (int i = 0; i < 500 && !c.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(c.getAsBoolean());
    }

    @Test
    void recvTimeout() throws Exception { // aiohttp: test_recv_timeout
        run(app -> route(app, receiveOne()), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            assertThrows(TimeoutError.class, () -> resp.receive(0.05));
            // aiohttp's client receive(): `except (CancelledError, TimeoutError): self._close_code =
            // ABNORMAL_CLOSURE` (aiohttp's test does not assert it); the connection stays open
            assertEquals(1006, resp.closeCode().getAsInt());
            assertEquals(false, resp.closed());
            resp.close();
        });
    }

    @Test
    void customReceiveTimeout() throws Exception {
        run(app -> route(app, receiveOne()), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base), WSConnectOption.receiveTimeout(0.05));
            assertThrows(TimeoutError.class, resp::receive);
            resp.close();
        });
    }

    @Test
    void heartbeat() throws Exception {
        List<WSMessage> serverSaw = new ArrayList<>();
        run(app -> route(app, r -> {
            WebSocketResponse ws = new WebSocketResponse().autoping(false);
            ws.prepare(r);
            serverSaw.add(ws.receive());
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base), WSConnectOption.heartbeat(0.05));
            assertEquals(WSMsgType.CLOSE, resp.receive().type());
            assertEquals(WSMsgType.PING, serverSaw.get(0).type());
        });
    }

    @Test
    void heartbeatNoPong() throws Exception {
        try (TestServers.Scripted srv = new TestServers.Scripted((sock, in, out) -> {
            write(out, accept101(readHead(in), ""));
            in.readAllBytes(); // reads the pings, answers nothing
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    ClientWebSocketResponse resp = s.wsConnect(srv.url("/"), WSConnectOption.heartbeat(0.05));
                    WSMessage msg = resp.receive();
                    assertEquals(WSMsgType.ERROR, msg.type());
                    ServerTimeoutError e = assertInstanceOf(ServerTimeoutError.class, msg.data());
                    // aiohttp: "No PONG received after {self._pong_heartbeat} seconds", heartbeat / 2
                    assertEquals(0.025, e.timeoutSeconds());
                    assertEquals(URI.create(srv.url("/")), e.url());
                    assertEquals(1006, resp.closeCode().getAsInt());
                    assertTrue(resp.closed());
                    assertEquals(WSMsgType.CLOSED, resp.receive().type());
                }
                return null;
            });
        }
    }

    @Test
    void heartbeatNoPongConcurrentReceive() throws Exception { // the heartbeat ends a receive() already waiting
        run(app -> route(app, r -> {
            WebSocketResponse ws = new WebSocketResponse().autoping(false);
            ws.prepare(r);
            Aio.sleep(5); // reads nothing: its pings go unanswered... and so do the client's
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base), WSConnectOption.heartbeat(0.05));
            WSMessage msg = resp.receive();
            assertEquals(WSMsgType.ERROR, msg.type(), "the server's pong never came");
            assertEquals(1006, resp.closeCode().getAsInt());
        });
    }

    @Test
    void sendRecvCompress() throws Exception {
        List<Boolean> serverCompressed = new ArrayList<>();
        run(app -> route(app, r -> {
            WebSocketResponse ws = open(r);
            serverCompressed.add(ws.compressed());
            ws.sendStr(ws.receiveStr() + "/answer");
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base), WSConnectOption.compress(true));
            assertTrue(resp.compressed());
            assertEquals("permessage-deflate", resp.headers().get("Sec-WebSocket-Extensions"));
            String big = "ask ".repeat(1000);
            resp.sendStr(big);
            assertEquals(big + "/answer", resp.receiveStr());
            resp.close();
            assertEquals(List.of(true), serverCompressed);
        });
    }

    @Test
    void sendRecvCompressWbits() throws Exception { // aiohttp's test_send_recv_compress_wbits: compress=N asks for the server's window
        for (int bits : new int[] {8, 9, 12}) {
            run(app -> route(app, r -> {
                WebSocketResponse ws = open(r);
                for (int i = 0; i < 3; i++) {
                    ws.sendStr(ws.receiveStr() + "/answer");
                }
                ws.close();
                return ws;
            }), (base, s) -> {
                ClientWebSocketResponse resp = s.wsConnect(ws(base), WSConnectOption.compress(bits));
                assertTrue(resp.compressed());
                assertEquals("permessage-deflate; server_max_window_bits=" + bits, resp.headers().get("Sec-WebSocket-Extensions"));
                for (int i = 0; i < 3; i++) {
                    String big = ("ask " + i + " ").repeat(3000);
                    resp.sendStr(big);
                    assertEquals(big + "/answer", resp.receiveStr());
                }
                resp.close();
            });
        }
        assertThrows(IllegalArgumentException.class, () -> WSConnectOption.compress(7));
        assertThrows(IllegalArgumentException.class, () -> WSConnectOption.compress(16));
    }

    @Test
    void sendRecvCompressServerOff() throws Exception { // aio4j-only: the server declines the offer
        run(app -> route(app, r -> {
            WebSocketResponse ws = new WebSocketResponse().compress(false);
            ws.prepare(r);
            ws.sendStr(ws.receiveStr());
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base), WSConnectOption.compress(true));
            assertFalse(resp.compressed());
            resp.sendStr("plain");
            assertEquals("plain", resp.receiveStr());
            resp.close();
        });
    }

    @Test
    void wsClientAsyncFor() throws Exception {
        List<String> items = List.of("q1", "q2", "q3");
        run(app -> route(app, r -> {
            WebSocketResponse ws = open(r);
            for (String i : items) {
                ws.sendStr(i);
            }
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            List<String> got = new ArrayList<>();
            for (WSMessage msg : resp) {
                got.add(msg.str());
            }
            assertEquals(items, got);
            assertTrue(resp.closed());
        });
    }

    @Test
    void closedAsyncFor() throws Exception {
        run(app -> route(app, r -> {
            WebSocketResponse ws = open(r);
            ws.sendBytes(utf8("started"));
            ws.receive();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            List<WSMessage> got = new ArrayList<>();
            for (WSMessage msg : resp) {
                got.add(msg);
                resp.close();
            }
            assertEquals(1, got.size());
            assertArrayEquals(utf8("started"), got.get(0).bytes());
            assertTrue(resp.closed());
        });
    }

    @Test
    void peerConnectionLost() throws Exception {
        try (TestServers.Scripted srv = new TestServers.Scripted((sock, in, out) -> {
            write(out, accept101(readHead(in), ""));
            WsHarness.readServerFrame(in);
            sock.close(); // no close frame
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    ClientWebSocketResponse resp = s.wsConnect(srv.url("/"));
                    resp.sendStr("ask");
                    WSMessage msg = resp.receive();
                    assertTrue(msg.type() == WSMsgType.CLOSED || msg.type() == WSMsgType.ERROR, msg.toString());
                    assertEquals(1006, resp.closeCode().getAsInt());
                    assertTrue(resp.closed());
                }
                return null;
            });
        }
    }

    // aio4j-only (aiohttp has no test of it): aiohttp's _ws_connect sends the handshake with
    // self.request(...), whose allow_redirects defaults to True, so a redirect is followed and the
    // handshake checks apply to the last response; a relative Location keeps the ws:// scheme
    // (yarl's url.join), as aiohttp's response URL shows
    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void wsConnectFollowsRedirect(int status) throws Exception {
        run(app -> {
            app.router().addGet("/old", r -> new Response(status, null, Headers.of("Location", "/")));
            route(app, answerText());
        }, (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base) + "old");
            assertEquals(URI.create(ws(base)), resp.url(), "the URL the handshake ended at");
            resp.sendStr("ask");
            assertEquals("ask/answer", resp.receiveStr());
            resp.close();
        });
    }

    // aio4j-only: an absolute Location replaces the scheme (aiohttp follows only http and https
    // targets, and reports the URL it was sent to); from ws://h to http://h the origin changed for
    // aiohttp, which drops Authorization there, while a relative Location keeps it
    @Test
    void wsConnectFollowsRedirectToAnAbsoluteHttpUrl() throws Exception {
        List<String> seen = new ArrayList<>();
        run(app -> {
            app.router().addGet("/old", r -> new Response(307, null, Headers.of("Location", "http://" + r.host() + "/")));
            app.router().addGet("/rel", r -> new Response(307, null, Headers.of("Location", "/")));
            route(app, r -> {
                seen.add(String.valueOf(r.headers().get("Authorization")));
                return answerText().handle(r);
            });
        }, (base, s) -> {
            for (String path : List.of("old", "rel")) {
                ClientWebSocketResponse resp = s.wsConnect(ws(base) + path, WSConnectOption.header("Authorization", "Bearer t0k"));
                assertEquals(URI.create((path.equals("old") ? base + "/" : ws(base))), resp.url());
                resp.sendStr("ask");
                assertEquals("ask/answer", resp.receiveStr());
                resp.close();
            }
            assertEquals(List.of("null", "Bearer t0k"), seen);
        });
    }

    // aio4j-only: the handshake error of a redirected handshake is the last response's, with the
    // redirects as its history (aiohttp: WSServerHandshakeError(resp.request_info, resp.history, ...))
    @Test
    void wsConnectRedirectedToAFailure() throws Exception {
        run(app -> {
            app.router().addGet("/old", r -> new Response(302, null, Headers.of("Location", "/missing")));
            app.router().addGet("/missing", r -> new Response(404));
        }, (base, s) -> {
            WSServerHandshakeError e = assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(ws(base) + "old"));
            assertEquals(404, e.status());
            assertEquals("Invalid response status", e.message());
            assertEquals(URI.create(ws(base) + "missing"), e.requestInfo().url());
            assertEquals(URI.create(ws(base) + "missing"), e.url());
            assertEquals(List.of(URI.create(ws(base) + "old")), e.history());
            assertEquals(s.idleConnections(), s.openConnections(), "no connection is left in use by the failed handshake");
        });
    }

    // aio4j-only: aiohttp refuses a redirect to a ws:// or wss:// URL
    // (NonHttpUrlRedirectClientError: redirects go to http and https only), and so does aio4j
    @Test
    void wsConnectRedirectToAWebSocketUrlIsRefused() throws Exception {
        run(app -> {
            app.router().addGet("/old", r -> new Response(302, null, Headers.of("Location", "ws://" + r.host() + "/")));
            route(app, answerText());
        }, (base, s) -> {
            InvalidURL e = assertThrows(InvalidURL.class, () -> s.wsConnect(ws(base) + "old"));
            assertTrue(e.getMessage().contains("non-HTTP"), e.getMessage());
            assertEquals(s.idleConnections(), s.openConnections(), "no connection is left in use");
        });
    }

    // aio4j-only: aiohttp's ws_connect has no allow_redirects; aio4j's request options reach the
    // handshake, so allowRedirects(false) gets the 3xx as the handshake's answer
    @Test
    void wsConnectWithoutRedirects() throws Exception {
        run(app -> {
            app.router().addGet("/old", r -> new Response(302, null, Headers.of("Location", "/")));
            route(app, answerText());
        }, (base, s) -> {
            WSServerHandshakeError e = assertThrows(WSServerHandshakeError.class,
                    () -> s.wsConnect(ws(base) + "old", WSConnectOption.request(RequestOption.allowRedirects(false))));
            assertEquals(302, e.status());
            assertEquals(List.of(), e.history());
        });
    }

    // aiohttp _request: a redirect to another origin pops Authorization, Cookie and
    // Proxy-Authorization from the request's headers for the rest of the chain; from ws://h to
    // http://h the origin changed for aiohttp, so a later hop on http://h must not bring them back
    @Test
    void wsConnectCredentialsDroppedAtTheSchemeChangeStayDropped() throws Exception {
        List<String> seen = new ArrayList<>();
        run(app -> {
            app.router().addGet("/old", r -> new Response(307, null, Headers.of("Location", "http://" + r.host() + "/mid")));
            app.router().addGet("/mid", r -> {
                seen.add("/mid " + r.headers().get("Authorization") + " " + r.headers().get("Cookie"));
                return new Response(307, null, Headers.of("Location", "/"));
            });
            route(app, r -> {
                seen.add("/ " + r.headers().get("Authorization") + " " + r.headers().get("Cookie"));
                return answerText().handle(r);
            });
        }, (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base) + "old", WSConnectOption.header("Authorization", "Bearer t0k"),
                    WSConnectOption.header("Cookie", "sid=s3cret"));
            assertEquals(URI.create(base + "/"), resp.url());
            resp.sendStr("ask");
            assertEquals("ask/answer", resp.receiveStr());
            resp.close();
            assertEquals(List.of("/mid null null", "/ null null"), seen);
        });
    }

    // aiohttp _request: the session's auth goes to a URL when the session has no base URL or the
    // URL's origin is the base URL's (`not self._base_url or self._base_url_origin ==
    // url.origin()`); _ws_connect requests the ws:// URL itself, whose origin is never an http base
    // URL's, so the credentials are not sent (nor do they clash with a caller's Authorization); a
    // path relative to the base URL is an http:// URL of its origin and gets them, and so does a
    // ws:// URL when the session has no base URL
    @Test
    void wsConnectSessionAuthWithABaseUrlComparesTheWsOrigin() throws Exception {
        List<String> seen = new ArrayList<>();
        BasicAuth auth = new BasicAuth("user", "pass");
        run(app -> route(app, r -> {
            seen.add(String.valueOf(r.headers().get("Authorization")));
            return answerText().handle(r);
        }), (base, s) -> {
            try (ClientSession withBase = ClientSession.builder().baseUrl(base + "/").auth(auth).build();
                 ClientSession noBase = ClientSession.builder().auth(auth).build()) {
                List<Task<ClientWebSocketResponse>> opened = List.of(
                        Aio.createTask(() -> withBase.wsConnect(ws(base))),
                        Aio.createTask(() -> withBase.wsConnect(ws(base), WSConnectOption.header("Authorization", "Bearer t0k"))),
                        Aio.createTask(() -> withBase.wsConnect("/")),
                        Aio.createTask(() -> noBase.wsConnect(ws(base))));
                for (Task<ClientWebSocketResponse> t : opened) {
                    ClientWebSocketResponse resp = t.await();
                    resp.sendStr("ask");
                    assertEquals("ask/answer", resp.receiveStr());
                    resp.close();
                }
            }
            assertEquals(List.of("null", "Bearer t0k", auth.encode(), auth.encode()), seen);
        });
    }

    // aiohttp _request picks the session's auth again at every hop: after a relative redirect the
    // hop is still ws:// and gets none; after one to http:// on the base URL's origin (where the
    // origin changed, from ws to http) the hop is that origin's and gets them
    @Test
    void wsConnectSessionAuthWithABaseUrlAfterRedirects() throws Exception {
        List<String> seen = new ArrayList<>();
        BasicAuth auth = new BasicAuth("user", "pass");
        run(app -> {
            app.router().addGet("/abs", r -> new Response(307, null, Headers.of("Location", "http://" + r.host() + "/")));
            app.router().addGet("/rel", r -> new Response(307, null, Headers.of("Location", "/")));
            route(app, r -> {
                seen.add(String.valueOf(r.headers().get("Authorization")));
                return answerText().handle(r);
            });
        }, (base, s) -> {
            try (ClientSession withBase = ClientSession.builder().baseUrl(base + "/").auth(auth).build()) {
                for (String path : List.of("rel", "abs")) {
                    ClientWebSocketResponse resp = withBase.wsConnect(ws(base) + path);
                    resp.sendStr("ask");
                    assertEquals("ask/answer", resp.receiveStr());
                    resp.close();
                }
            }
            assertEquals(List.of("null", auth.encode()), seen);
        });
    }

    // aiohttp's _ws_connect sends the handshake with self.request(...), so the session's trace
    // configs see it as any request (tests/test_client_session.py test_request_tracing_url_params,
    // with a handshake): on_request_start with the ws:// URL, on_request_redirect for a redirect,
    // the connection events, on_request_end with the response _request returned, also one the
    // handshake checks then refuse (its WSServerHandshakeError is raised after _request returned,
    // so no on_request_exception), and on_request_exception for a connection that failed; as for
    // any request, on_request_end names the URL the request ended at, ws:// after a relative redirect
    @Test
    void wsConnectHandshakeIsTraced() throws Exception {
        List<String> events = new ArrayList<>();
        TraceConfig tc = new TraceConfig();
        tc.onRequestStart().add((s, ctx, p) -> {
            ctx.put("started", p.url());
            events.add("start " + p.method() + " " + p.url() + " " + p.headers().get("Upgrade"));
        });
        tc.onConnectionCreateStart().add((s, ctx, p) -> events.add("create " + p.url()));
        tc.onConnectionReuseconn().add((s, ctx, p) -> events.add("reuse " + p.url()));
        tc.onRequestRedirect().add((s, ctx, p) -> events.add("redirect " + p.url() + " " + p.response().status()));
        tc.onRequestEnd().add((s, ctx, p) -> events.add("end " + p.url() + " " + p.response().status() + " ctx=" + ctx.get("started")));
        tc.onRequestException().add((s, ctx, p) -> events.add("exception " + p.url() + " " + p.exception().getClass().getSimpleName()));
        int dead;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0)) {
            dead = ss.getLocalPort();
        }
        String[] wsBase = new String[1];
        run(app -> {
            app.router().addGet("/old", r -> new Response(302, null, Headers.of("Location", "/")));
            app.router().addGet("/missing", r -> new Response(404));
            route(app, answerText());
        }, (base, s) -> {
            wsBase[0] = ws(base);
            try (ClientSession traced = ClientSession.builder().traceConfig(tc).build()) {
                ClientWebSocketResponse resp = traced.wsConnect(ws(base) + "old");
                resp.sendStr("ask");
                assertEquals("ask/answer", resp.receiveStr());
                resp.close();
                assertEquals(404, assertThrows(WSServerHandshakeError.class, () -> traced.wsConnect(ws(base) + "missing")).status());
                assertThrows(ClientConnectorError.class, () -> traced.wsConnect("ws://127.0.0.1:" + dead + "/x"));
            }
        });
        String w = wsBase[0];
        String x = "ws://127.0.0.1:" + dead + "/x";
        assertEquals(List.of(
                "start GET " + w + "old websocket", "create " + w + "old", "redirect " + w + "old 302", "reuse " + w,
                "end " + w + " 101 ctx=" + w + "old",
                "start GET " + w + "missing websocket", "create " + w + "missing", "end " + w + "missing 404 ctx=" + w + "missing",
                "start GET " + x + " websocket", "create " + x, "exception " + x + " ClientConnectorError"), events);
    }

    // aiohttp: on_request_end is sent inside _request's try, so a callback that raises there is
    // followed by on_request_exception, and ws_connect fails with it (the connection closed)
    @Test
    void wsConnectRequestEndCallbackThatThrowsIsTracedAsAnException() throws Exception {
        List<String> events = new ArrayList<>();
        RuntimeException boom = new IllegalStateException("boom in on_request_end");
        TraceConfig tc = new TraceConfig();
        tc.onRequestEnd().add((s, ctx, p) -> {
            events.add("end " + p.response().status());
            throw boom;
        });
        tc.onRequestException().add((s, ctx, p) -> events.add("exception " + p.exception().getMessage()));
        run(app -> route(app, answerText()), (base, s) -> {
            try (ClientSession traced = ClientSession.builder().traceConfig(tc).build()) {
                assertSame(boom, assertThrows(IllegalStateException.class, () -> traced.wsConnect(ws(base))));
                assertEquals(0, traced.openConnections(), "the upgraded connection was closed");
            }
        });
        assertEquals(List.of("end 101", "exception boom in on_request_end"), events);
    }

    // aiohttp's _ws_connect calls self.request(...) without raise_for_status, so _request applies the
    // session's: raise_for_status=True refuses a handshake answered 400 or more with the response's
    // ClientResponseError (its reason as message) before the handshake checks, and a callable sees
    // every last response, the 101 too, and refuses by raising; either way on_request_exception fires
    // and on_request_end does not (_request checks the status before send_request_end)
    @Test
    void wsConnectAppliesTheSessionsRaiseForStatus() throws Exception {
        List<String> events = new ArrayList<>();
        TraceConfig tc = new TraceConfig();
        tc.onRequestEnd().add((s, ctx, p) -> events.add("end " + p.response().status()));
        tc.onRequestException().add((s, ctx, p) -> events.add("exception " + p.exception().getClass().getSimpleName()));
        run(app -> {
            app.router().addGet("/missing", r -> new Response(404));
            route(app, answerText());
        }, (base, s) -> {
            try (ClientSession raising = ClientSession.builder().raiseForStatus(true).traceConfig(tc).build()) {
                ClientResponseError e = assertThrows(ClientResponseError.class, () -> raising.wsConnect(ws(base) + "missing"));
                assertFalse(e instanceof WSServerHandshakeError, e.toString());
                assertEquals(404, e.status());
                assertEquals("Not Found", e.message());
                assertEquals(URI.create(ws(base) + "missing"), e.requestInfo().url());
                ClientWebSocketResponse resp = raising.wsConnect(ws(base)); // 101 is not an error status
                resp.sendStr("ask");
                assertEquals("ask/answer", resp.receiveStr());
                resp.close();
                assertEquals(raising.idleConnections(), raising.openConnections(), "no connection is left in use");
            }
            List<Integer> checked = new ArrayList<>();
            try (ClientSession checking = ClientSession.builder().raiseForStatus(r -> {
                checked.add(r.status());
                if (r.url().getPath().equals("/")) {
                    throw new IllegalStateException("refused " + r.status());
                }
            }).traceConfig(tc).build()) {
                assertEquals(404, assertThrows(WSServerHandshakeError.class, () -> checking.wsConnect(ws(base) + "missing")).status());
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> checking.wsConnect(ws(base)));
                assertEquals("refused 101", e.getMessage());
                assertEquals(checking.idleConnections(), checking.openConnections(), "the refused 101's connection is closed");
            }
            assertEquals(List.of(404, 101), checked);
        });
        assertEquals(List.of("exception ClientResponseError", "end 101", "end 404", "exception IllegalStateException"), events);
    }

    // aiohttp's callable raise_for_status may read the response (await resp.text()); a refused
    // handshake's body read to its end gave its connection back to the pool, and wsConnect must not
    // close and release it a second time (that left the pool counting an idle connection it had
    // forgotten, and its close() threw), whether the callable refuses or the handshake checks do
    @Test
    void wsConnectRaiseForStatusCallableThatReadsTheBodyKeepsThePoolConsistent() throws Exception {
        run(app -> {
            app.router().addGet("/missing", r -> new Response(404));
            route(app, answerText());
        }, (base, s) -> {
            for (boolean refuse : new boolean[] {true, false}) {
                try (ClientSession session = ClientSession.builder().raiseForStatus(r -> {
                    if (r.status() == 404) {
                        r.text();
                        if (refuse) {
                            throw new IllegalStateException("refused");
                        }
                    }
                }).build()) {
                    for (int i = 0; i < 3; i++) {
                        RuntimeException e = assertThrows(RuntimeException.class, () -> session.wsConnect(ws(base) + "missing"));
                        assertTrue(refuse ? e instanceof IllegalStateException : e instanceof WSServerHandshakeError, e.toString());
                        assertEquals(session.idleConnections(), session.openConnections(), "after " + i + ": " + session);
                    }
                    ClientWebSocketResponse resp = session.wsConnect(ws(base));
                    resp.sendStr("ask");
                    assertEquals("ask/answer", resp.receiveStr());
                    resp.close();
                    assertEquals(session.idleConnections(), session.openConnections(), session.toString());
                }
            }
        });
    }

    // aiohttp's _ws_connect gives one set of headers to self.request, and _request carries them
    // through every redirect: at another origin the key, Origin, the subprotocols and the
    // extension offer arrive unchanged (the credentials do not), and the accept is checked
    // against the key that was sent
    @Test
    void wsConnectRedirectToAnotherOriginKeepsTheHandshakeFields() throws Exception {
        List<String> seen = new ArrayList<>();
        run(app -> route(app, r -> {
            for (String name : List.of("Origin", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "Authorization")) {
                seen.add(name + ": " + r.headers().get(name));
            }
            WebSocketResponse ws = new WebSocketResponse().protocols("chat");
            ws.prepare(r);
            ws.sendStr(ws.receiveStr() + "/answer");
            ws.close();
            return ws;
        }), (base, s) -> {
            Application other = new Application();
            other.router().addGet("/old", r -> new Response(302, null, Headers.of("Location", base + "/")));
            dev.aio4j.http.web.AppRunner runner = new dev.aio4j.http.web.AppRunner(other);
            runner.setup();
            dev.aio4j.http.web.TCPSite site = new dev.aio4j.http.web.TCPSite(runner, "127.0.0.1", 0);
            site.start();
            try {
                String from = "ws://127.0.0.1:" + site.port() + "/old";
                ClientWebSocketResponse resp = s.wsConnect(from, WSConnectOption.protocols("chat", "other"),
                        WSConnectOption.origin("http://app.example"), WSConnectOption.compress(true),
                        WSConnectOption.header("Authorization", "Bearer t0k"));
                assertEquals("chat", resp.protocol());
                assertEquals(URI.create(base + "/"), resp.url());
                resp.sendStr("ask");
                assertEquals("ask/answer", resp.receiveStr());
                resp.close();
                assertEquals(List.of("Origin: http://app.example", "Sec-WebSocket-Protocol: chat,other",
                        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits", "Authorization: null"), seen);
            } finally {
                runner.cleanup();
            }
        });
    }

    // test_client_functional.py test_HTTP_302_max_redirects, for the handshake (aiohttp's
    // ws_connect follows through self.request, max_redirects=10), and aio4j's loop check: a
    // TooManyRedirects whose request info keeps the ws:// URL given; every 3xx's connection is
    // given back (a session of one connection still makes the next request)
    @Test
    void wsConnectTooManyRedirects() throws Exception {
        run(app -> {
            app.router().addGet("/loop", r -> new Response(302, null, Headers.of("Location", "/loop")));
            app.router().addGet("/r/{n}", r -> new Response(302, null,
                    Headers.of("Location", "/r/" + (Integer.parseInt(r.matchInfo().get("n")) + 1))));
            route(app, answerText());
        }, (base, unused) -> {
            try (ClientSession s = ClientSession.builder().limit(1).timeout(ClientTimeout.ofTotal(10)).build()) {
                TooManyRedirects loop = assertThrows(TooManyRedirects.class, () -> s.wsConnect(ws(base) + "loop"));
                assertEquals(URI.create(ws(base) + "loop"), loop.requestInfo().url());
                assertEquals(302, loop.status());
                // aiohttp: TooManyRedirects(history[0].request_info, tuple(history)), whose responses keep ws://
                assertEquals(List.of(URI.create(ws(base) + "loop"), URI.create(ws(base) + "loop")), loop.history());
                assertEquals(URI.create(ws(base) + "loop"), loop.url());
                TooManyRedirects far = assertThrows(TooManyRedirects.class, () -> s.wsConnect(ws(base) + "r/0"));
                assertEquals(URI.create(ws(base) + "r/0"), far.requestInfo().url());
                assertEquals(10, far.history().size(), far.history().toString());
                assertEquals(URI.create(ws(base) + "r/9"), far.history().get(9));
                assertEquals(URI.create(ws(base) + "r/9"), far.url());
                assertEquals(s.idleConnections(), s.openConnections(), "no connection is left in use");
                ClientWebSocketResponse resp = s.wsConnect(ws(base));
                resp.sendStr("ask");
                assertEquals("ask/answer", resp.receiveStr());
                resp.close();
            }
        });
    }

    // aiohttp _request: the jar takes a response's Set-Cookie before the redirect is followed, so
    // the next hop sends it; a server that sets a cookie and sends the handshake back to the same
    // URL gets it there (aio4j's loop check lets a redirect to the same URL through once)
    @Test
    void wsConnectRedirectSetsACookieForTheNextHop() throws Exception {
        List<String> seen = new ArrayList<>();
        run(app -> route(app, r -> {
            String sid = r.cookies().get("sid");
            seen.add(String.valueOf(sid));
            if (sid == null) {
                return new Response(302, null, Headers.of("Location", "/", "Set-Cookie", "sid=s1; Path=/"));
            }
            return answerText().handle(r);
        }), (base, unused) -> {
            try (ClientSession s = ClientSession.builder().cookieJar(new CookieJar(true)).build()) { // unsafe: an IP address
                ClientWebSocketResponse resp = s.wsConnect(ws(base));
                assertEquals(URI.create(ws(base)), resp.url());
                resp.sendStr("ask");
                assertEquals("ask/answer", resp.receiveStr());
                resp.close();
                assertEquals(List.of("null", "s1"), seen);
            }
        });
    }

    // aiohttp releases a followed redirect at once (resp.release()): a small body that has all
    // arrived is read, and the handshake's next hop goes out on the same connection
    @Test
    void wsConnectRedirectWithABodyReusesItsConnection() throws Exception {
        try (TestServers.Scripted srv = new TestServers.Scripted((sock, in, out) -> {
            readHead(in);
            write(out, "HTTP/1.1 302 Found\r\nLocation: /ws\r\nContent-Length: 5\r\n\r\nmoved");
            String head = readHead(in);
            assertTrue(head.startsWith("GET /ws HTTP/1.1\r\n"), head);
            write(out, accept101(head, ""));
            in.readAllBytes();
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    ClientWebSocketResponse resp = s.wsConnect(srv.url("/old").replace("http://", "ws://"));
                    assertEquals(URI.create(srv.url("/ws").replace("http://", "ws://")), resp.url());
                    assertEquals(1, s.openConnections());
                }
                return null;
            });
            assertEquals(List.of(), srv.errors);
            assertEquals(1, srv.accepted);
        }
    }

    // aiohttp releases a redirect at once, never waiting for its body: one that has not all
    // arrived closes its connection, whether the redirect is followed (the next hop gets a new
    // one) or refused (a ws:// Location); no connection stays taken by a 3xx nobody holds
    @Test
    void wsConnectRedirectWithAnUnfinishedBodyClosesItsConnection() throws Exception {
        TestServers.Scripted.Script unfinished302 = (sock, in, out) -> {
            String head = readHead(in);
            String to = head.startsWith("GET /old ") ? "/ws" : "ws://127.0.0.1:1/ws";
            write(out, "HTTP/1.1 302 Found\r\nLocation: " + to + "\r\nContent-Length: 100\r\n\r\nmov");
            try {
                in.readAllBytes();
            } catch (java.io.IOException closedByTheClient) {
                // expected: the client drops the connection
            }
        };
        try (TestServers.Scripted srv = new TestServers.Scripted(unfinished302, (sock, in, out) -> {
            write(out, accept101(readHead(in), ""));
            in.readAllBytes();
        }, unfinished302)) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    ClientWebSocketResponse resp = s.wsConnect(srv.url("/old").replace("http://", "ws://"));
                    assertEquals(URI.create(srv.url("/ws").replace("http://", "ws://")), resp.url());
                    assertEquals(1, s.openConnections(), "the redirect's connection was closed, the WebSocket's is open");
                    InvalidURL e = assertThrows(InvalidURL.class, () -> s.wsConnect(srv.url("/refused").replace("http://", "ws://")));
                    assertTrue(e.getMessage().contains("non-HTTP"), e.getMessage());
                    assertEquals(1, s.openConnections(), "the refused redirect's connection was closed");
                    assertFalse(resp.closed());
                }
                return null;
            });
            assertEquals(List.of(), srv.errors);
            assertEquals(3, srv.accepted);
        }
    }

    // aio4j-only: a wss:// handshake redirected by a relative Location stays on https (yarl's
    // url.join keeps the wss scheme) and is reported as wss://
    @Test
    void wssConnectFollowsARelativeRedirect() throws Exception {
        if (ClientSslTest.serverCtx == null) {
            ClientSslTest.makeKeystore();
        }
        Aio.run(() -> {
            Application app = new Application();
            app.router().addGet("/old", r -> new Response(308, null, Headers.of("Location", "/new")));
            app.router().addGet("/new", answerText());
            dev.aio4j.http.web.AppRunner runner = new dev.aio4j.http.web.AppRunner(app);
            runner.setup();
            dev.aio4j.http.web.TCPSite site = new dev.aio4j.http.web.TCPSite(runner, "127.0.0.1", 0, ClientSslTest.serverCtx, 128, false);
            site.start();
            try (ClientSession s = ClientSession.builder().sslContext(ClientSslTest.clientCtx).build()) {
                String wss = "wss://127.0.0.1:" + site.port();
                ClientWebSocketResponse resp = s.wsConnect(wss + "/old");
                assertEquals(URI.create(wss + "/new"), resp.url());
                resp.sendStr("ask");
                assertEquals("ask/answer", resp.receiveStr());
                resp.close();
                WSServerHandshakeError e = assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(wss + "/old",
                        WSConnectOption.request(RequestOption.allowRedirects(false))));
                assertEquals(URI.create(wss + "/old"), e.requestInfo().url());
            } finally {
                runner.cleanup();
            }
            return null;
        });
    }

    @Test
    void wsConnectNot101() throws Exception { // aio4j-only
        run(app -> app.router().addGet("/", r -> new Response().setStatus(404)), (base, s) -> {
            WSServerHandshakeError e = assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(ws(base)));
            assertEquals(404, e.status());
            assertInstanceOf(ClientResponseError.class, e);
            assertEquals(s.idleConnections(), s.openConnections(), "no connection is left in use by the failed handshake");
        });
    }

    // aio4j-only: a refused answer whose body was not read yet (4 MiB: more than arrives with the
    // head, so the exchange is not done): its connection is closed, not left in use (aiohttp's
    // _ws_connect closes the response)
    @Test
    void wsConnectNot101WithAnUnreadBodyClosesItsConnection() throws Exception {
        String body = "x".repeat(4 << 20);
        run(app -> app.router().addGet("/", r -> new Response().text(body).setStatus(404)), (base, s) -> {
            WSServerHandshakeError e = assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(ws(base)));
            assertEquals(404, e.status());
            assertEquals(0, s.openConnections() - s.idleConnections(), "no connection is left in use by the failed handshake");
        });
    }

    @Test
    void invalidChallengeResponse() throws Exception { // aio4j-only
        try (TestServers.Scripted srv = new TestServers.Scripted((sock, in, out) -> {
            readHead(in);
            write(out, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: d3Jvbmc=\r\n\r\n");
            in.readAllBytes();
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    WSServerHandshakeError e = assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(srv.url("/")));
                    assertEquals(101, e.status());
                    assertEquals("Invalid challenge response", e.message());
                    assertEquals(0, s.openConnections());
                }
                return null;
            });
        }
    }

    @Test
    void invalidUpgradeHeader() throws Exception { // aio4j-only
        try (TestServers.Scripted srv = new TestServers.Scripted((sock, in, out) -> {
            String head = readHead(in);
            write(out, accept101(head, "").replace("Upgrade: websocket", "Upgrade: h2c"));
            in.readAllBytes();
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    WSServerHandshakeError e = assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(srv.url("/")));
                    assertEquals("Invalid upgrade header", e.message());
                }
                return null;
            });
        }
    }

    @Test
    void protocolNotOffered() throws Exception { // aio4j-only: RFC 6455 section 4.1 (aiohttp ignores the header)
        for (WSConnectOption[] offer : new WSConnectOption[][] {{}, {WSConnectOption.protocols("chat", "v2")}}) {
            try (TestServers.Scripted srv = new TestServers.Scripted((sock, in, out) -> {
                write(out, accept101(readHead(in), "Sec-WebSocket-Protocol: superchat\r\n"));
                in.readAllBytes();
            })) {
                Aio.run(() -> {
                    try (ClientSession s = ClientSession.create()) {
                        WSServerHandshakeError e = assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(srv.url("/"), offer));
                        assertTrue(e.message().startsWith("Invalid protocol response"), e.message());
                        assertEquals(0, s.openConnections());
                    }
                    return null;
                });
            }
        }
    }

    @Test
    void extensionNotOffered() throws Exception { // aio4j-only
        try (TestServers.Scripted srv = new TestServers.Scripted((sock, in, out) -> {
            write(out, accept101(readHead(in), "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
            in.readAllBytes();
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    WSServerHandshakeError e = assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(srv.url("/")));
                    assertTrue(e.message().contains("no extension was offered"), e.message());
                }
                return null;
            });
        }
    }

    @Test
    void clientRejectsCompressedFrameWithoutNegotiation() throws Exception {
        byte[][] closeFrame = new byte[1][];
        try (TestServers.Scripted srv = new TestServers.Scripted((sock, in, out) -> {
            // the 101 and an RSV1 frame in one write: the client must refuse the frame (no deflate agreed)
            byte[] head = accept101(readHead(in), "").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            byte[] frame = {(byte) 0xC1, 0x01, 0x61};
            byte[] all = java.util.Arrays.copyOf(head, head.length + frame.length);
            System.arraycopy(frame, 0, all, head.length, frame.length);
            out.write(all);
            out.flush();
            closeFrame[0] = WsHarness.readServerFrame(in);
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    ClientWebSocketResponse resp = s.wsConnect(srv.url("/"));
                    WSMessage msg = resp.receive();
                    assertEquals(WSMsgType.ERROR, msg.type());
                    assertEquals(1002, resp.closeCode().getAsInt());
                }
                return null;
            });
            eventuallyThread(() -> closeFrame[0] != null);
            assertEquals(0x8, closeFrame[0][0]);
        }
    }

    @Test
    void framesAreMasked() throws Exception { // aio4j-only: RFC 6455 section 5.3
        boolean[] masked = new boolean[1];
        try (TestServers.Scripted srv = new TestServers.Scripted((sock, in, out) -> {
            write(out, accept101(readHead(in), ""));
            int b0 = in.read();
            int b1 = in.read();
            masked[0] = (b1 & 0x80) != 0 && b0 == 0x81;
            in.readNBytes(4 + (b1 & 0x7F));
            out.write(new byte[] {(byte) 0x88, 0x02, 0x03, (byte) 0xE8});
            out.flush();
            in.readAllBytes();
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    ClientWebSocketResponse resp = s.wsConnect(srv.url("/"));
                    resp.sendStr("hi");
                    assertEquals(WSMsgType.CLOSE, resp.receive().type());
                }
                return null;
            });
            assertTrue(masked[0]);
        }
    }

    @Test
    void connectionLeavesThePoolAndCountsUntilClosed() throws Exception { // aio4j-only
        run(app -> route(app, receiveOne()), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            assertEquals(1, s.openConnections());
            assertEquals(0, s.idleConnections(), "a WebSocket's connection is never idle in the pool");
            resp.close();
            eventually(() -> s.openConnections() == 0, "released when the WebSocket closed");
            assertNull(resp.exception());
        });
    }

    @Test
    void toStringShowsState() throws Exception { // aio4j-only: STYLE.md section 10
        run(app -> route(app, receiveOne()), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            assertEquals("ClientWebSocketResponse[" + ws(base) + ", WebSocket[client, open, 0 queued]]", resp.toString());
            resp.close();
            assertEquals("ClientWebSocketResponse[" + ws(base) + ", WebSocket[client, closed 1000, 0 queued]]", resp.toString());
        });
        assertEquals("WSMessage[TEXT, \"hi\"]", new WSMessage(WSMsgType.TEXT, "hi", null).toString());
        assertEquals("WSMessage[BINARY, 3 bytes]", new WSMessage(WSMsgType.BINARY, new byte[3], null).toString());
        assertEquals("WSMessage[CLOSE, 1000, bye]", new WSMessage(WSMsgType.CLOSE, 1000, "bye").toString());
        assertEquals("WSMessage[CLOSED]", WSMessage.CLOSED.toString());
    }

    @Test
    void wssOverTls() throws Exception { // aio4j-only: the WebSocket installed on a TLS transport
        if (ClientSslTest.serverCtx == null) {
            ClientSslTest.makeKeystore();
        }
        Aio.run(() -> {
            dev.aio4j.http.web.Application app = new dev.aio4j.http.web.Application();
            app.router().addGet("/", r -> {
                WebSocketResponse ws = open(r);
                for (WSMessage m : ws) {
                    ws.sendStr("tls: " + m.str());
                }
                return ws;
            });
            dev.aio4j.http.web.AppRunner runner = new dev.aio4j.http.web.AppRunner(app);
            runner.setup();
            dev.aio4j.http.web.TCPSite site = new dev.aio4j.http.web.TCPSite(runner, "127.0.0.1", 0, ClientSslTest.serverCtx, 128, false);
            site.start();
            try (ClientSession s = ClientSession.builder().sslContext(ClientSslTest.clientCtx).build()) {
                ClientWebSocketResponse resp = s.wsConnect("wss://127.0.0.1:" + site.port() + "/", WSConnectOption.compress(true));
                String big = "x".repeat(200_000);
                resp.sendStr("hello");
                assertEquals("tls: hello", resp.receiveStr());
                resp.sendStr(big);
                assertEquals("tls: " + big, resp.receiveStr());
                assertTrue(resp.close());
                assertEquals(1000, resp.closeCode().getAsInt());
            } finally {
                runner.cleanup();
            }
            return null;
        });
    }

    /**
     * aio4j-only (stop 30): both ends of a wss connection are lent their reads by TLS (the loop's
     * plaintext buffer, not a copy per read), the server's through its RequestHandler after the
     * upgrade. Many messages, small and spanning many TLS records and reads, arrive whole and in
     * order both ways; while the handler does not receive, its queue fills, the server stops
     * reading (the client's sends then wait), and reading resumes as it receives again.
     */
    @Test
    void wssEchoAndServerPauseResumeOverTheLentReadPath() throws Exception {
        if (ClientSslTest.serverCtx == null) {
            ClientSslTest.makeKeystore();
        }
        dev.aio4j.loop.Event go = new dev.aio4j.loop.Event();
        boolean[] serverReading = {true};
        List<dev.aio4j.streams.Transport> serverTransport = new ArrayList<>();
        Aio.run(() -> {
            dev.aio4j.http.web.Application app = new dev.aio4j.http.web.Application();
            app.router().addGet("/", r -> {
                WebSocketResponse ws = new WebSocketResponse().compress(false);
                ws.prepare(r);
                // what the kernel holds for a peer that does not read is then small on any machine
                dev.aio4j.streams.test.SmallSocketBuffers.shrink(r.transport());
                serverTransport.add(r.transport());
                go.await(); // the client sends meanwhile: the queue fills and reading pauses
                serverReading[0] = r.transport().isReading();
                for (WSMessage m : ws) {
                    switch (m.type()) {
                        case TEXT -> ws.sendStr(m.str());
                        case BINARY -> ws.sendBytes(m.bytes());
                        default -> { }
                    }
                }
                return ws;
            });
            dev.aio4j.http.web.AppRunner runner = new dev.aio4j.http.web.AppRunner(app);
            runner.setup();
            dev.aio4j.http.web.TCPSite site = new dev.aio4j.http.web.TCPSite(runner, "127.0.0.1", 0, ClientSslTest.serverCtx, 128, false);
            site.start();
            try (ClientSession s = ClientSession.builder().sslContext(ClientSslTest.clientCtx).build()) {
                ClientWebSocketResponse resp = s.wsConnect("wss://127.0.0.1:" + site.port() + "/", WSConnectOption.compress(false));
                int[] sent = new int[1];
                java.util.Random random = new java.util.Random(30);
                List<byte[]> messages = new ArrayList<>();
                for (int i = 0; i < 300; i++) { // about 14 MB: more than the sockets' buffers hold
                    byte[] m = new byte[i % 4 != 3 ? 40_000 + random.nextInt(40_000) : 1 + random.nextInt(200)];
                    random.nextBytes(m);
                    messages.add(m);
                }
                Task<Void> sender = Aio.createTask(() -> {
                    for (byte[] m : messages) {
                        resp.sendBytes(m);
                        sent[0]++;
                    }
                    return null;
                });
                try {
                    // the handler receives nothing meanwhile: its queue fills and its transport
                    // stops reading, long before 14 MB were sent
                    for (int i = 0; i < 2000 && (serverTransport.isEmpty() || serverTransport.get(0).isReading()); i++) {
                        Aio.sleep(0.005);
                    }
                    assertFalse(serverTransport.isEmpty() || serverTransport.get(0).isReading(), "the server stopped reading");
                    assertTrue(sent[0] < messages.size(), "the client's sends wait while the server does not read (sent "
                            + sent[0] + " of " + messages.size() + ")");
                } finally {
                    go.set();
                }
                for (byte[] m : messages) {
                    assertArrayEquals(m, resp.receiveBytes());
                }
                sender.await();
                assertFalse(serverReading[0], "the server's transport was paused while its queue was full");
                for (int i = 0; i < 50; i++) {
                    String text = "tls " + i + " " + "é".repeat(i * 300);
                    resp.sendStr(text);
                    assertEquals(text, resp.receiveStr());
                }
                assertTrue(resp.close());
                assertEquals(1000, resp.closeCode().getAsInt());
            } finally {
                runner.cleanup();
            }
            return null;
        });
    }

    @Test
    void serverSendWaitsWhileTheClientDoesNotReceive() throws Exception { // aio4j-only: reading pauses when the receive queue is full
        int[] sent = new int[1];
        run(app -> route(app, r -> {
            WebSocketResponse ws = new WebSocketResponse().compress(false);
            ws.prepare(r);
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 200; i++) {
                ws.sendBytes(chunk);
                sent[0]++;
            }
            ws.receive();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse resp = s.wsConnect(ws(base));
            Aio.sleep(0.3); // receive() is not called meanwhile
            assertTrue(sent[0] < 200, "the server waits while the client's queue is full (sent " + sent[0] + " of 200)");
            for (int i = 0; i < 200; i++) {
                assertEquals(64 * 1024, resp.receiveBytes().length);
            }
            eventually(() -> sent[0] == 200, "everything sent");
            resp.close();
        });
    }
}
