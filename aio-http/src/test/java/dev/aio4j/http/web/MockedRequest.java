package dev.aio4j.http.web;

import dev.aio4j.http.Headers;
import dev.aio4j.http.internal.RequestHead;
import dev.aio4j.loop.Aio;
import dev.aio4j.streams.StreamReader;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Makes a {@link Request} without a socket, as aiohttp's {@code test_utils.make_mocked_request}
 * does: the head as given, an optional body already in its stream, a {@link RecordingTransport}
 * that keeps what responses write, and the match of the application's router. Call
 * {@link #build()} inside {@code Aio.run}. aio4j test support.
 */
final class MockedRequest {
    private final String method;
    private final String target;
    private final Headers headers = new Headers();
    private int versionMinor = 1;
    private byte[] body;
    private Application app;
    private ServerConfig config = ServerConfig.defaults();
    final RecordingTransport transport = new RecordingTransport();

    private MockedRequest(String method, String target) {
        this.method = method;
        this.target = target;
        transport.extra.put("peername", new InetSocketAddress("127.0.0.1", 43210));
        transport.extra.put("sockname", new InetSocketAddress("127.0.0.1", 8080));
    }

    static MockedRequest of(String method, String target) {
        return new MockedRequest(method, target);
    }

    /** A request built at once, with {@code Host: example.com} unless headers say otherwise. */
    static Request make(String method, String target, String... headerPairs) {
        MockedRequest m = of(method, target);
        for (int i = 0; i < headerPairs.length; i += 2) {
            m.header(headerPairs[i], headerPairs[i + 1]);
        }
        return m.build();
    }

    MockedRequest header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    MockedRequest version(int minor) {
        versionMinor = minor;
        return this;
    }

    MockedRequest body(byte[] bytes) {
        body = bytes;
        if (!headers.contains("Content-Length") && !headers.contains("Transfer-Encoding")) {
            headers.set("Content-Length", Integer.toString(bytes.length));
        }
        return this;
    }

    MockedRequest body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    MockedRequest app(Application a) {
        app = a;
        return this;
    }

    MockedRequest config(ServerConfig c) {
        config = c;
        return this;
    }

    MockedRequest extra(String name, Object value) {
        if (value == null) {
            transport.extra.remove(name);
        } else {
            transport.extra.put(name, value);
        }
        return this;
    }

    Request build() {
        Application application = app != null ? app : new Application();
        if (versionMinor >= 1 && !headers.contains("Host")) {
            headers.set("Host", "example.com");
        }
        RequestHead.Framing framing = RequestHead.Framing.NONE;
        long length = -1;
        String te = headers.get("Transfer-Encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).endsWith("chunked")) {
            framing = RequestHead.Framing.CHUNKED;
        } else if (headers.get("Content-Length") != null) {
            framing = RequestHead.Framing.LENGTH;
            length = Long.parseLong(headers.get("Content-Length").strip());
        }
        String connHeader = headers.getOrDefault("Connection", "").toLowerCase(Locale.ROOT);
        boolean keepAlive = versionMinor >= 1 ? !connHeader.contains("close") : connHeader.contains("keep-alive");
        boolean expect = versionMinor >= 1 && "100-continue".equalsIgnoreCase(headers.getOrDefault("Expect", ""));
        RequestHead head = new RequestHead(method, target, versionMinor, headers.readOnlyCopy(), framing, length, keepAlive, expect);
        WebServer server = new WebServer(application, config, Aio.getRunningLoop());
        RequestHandler connection = server.newConnection();
        connection.connectionMade(transport);
        StreamReader content = new StreamReader(config.readBufferSize());
        if (body != null && body.length > 0) {
            content.feedData(body);
        }
        content.feedEof();
        Request r = new Request(connection, head, content, application.clientMaxSize());
        MatchInfo match = application.router().resolve(r.method(), r.pathSafe(), r.headers().get("Host"), List.of(application));
        r.route(match, match.currentApp());
        return r;
    }
}
