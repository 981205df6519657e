package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.aio4j.http.RequestOption.proxy;
import static dev.aio4j.http.RequestOption.proxyAuth;
import static dev.aio4j.http.RequestOption.proxyHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests through a forward proxy ({@link ForwardProxy}, started by each test on loopback) to the
 * JDK's HttpServer and HttpsServer: mirrors the proxy cases of aiohttp's
 * tests/test_proxy_functional.py (http through a proxy, https through a CONNECT tunnel, proxy
 * authentication, the environment's proxies and {@code NO_PROXY}, reuse of pooled connections).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientProxyTest {
    private static final ClientTimeout SHORT = new ClientTimeout(10, 5, 5);
    /** {@code Basic} of {@code user:pass}. */
    private static final String USER_PASS = "Basic dXNlcjpwYXNz";

    @BeforeAll
    static void keystore() throws Exception {
        ClientSslTest.makeKeystore();
    }

    /** An origin whose handler records the Proxy-Authorization it received (there must be none). */
    private static TestServers.Jdk origin(TestServers.Jdk srv, List<String> proxyAuthSeen) {
        return srv.handle("/", ex -> {
            proxyAuthSeen.add(String.valueOf(ex.getRequestHeaders().getFirst("Proxy-Authorization")));
            TestServers.send(ex, 200, "hello " + ex.getRequestURI());
        });
    }

    @Test
    void proxyHttp() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk srv = origin(new TestServers.Jdk(), seen);
             ForwardProxy px = new ForwardProxy().requireAuth(USER_PASS)) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).build();
                     ClientResponse r = s.get(srv.url("/a?b=1"), proxy(px.url()), proxyAuth(new BasicAuth("user", "pass")))) {
                    assertEquals(200, r.status());
                    assertEquals("hello /a?b=1", r.text());
                }
                return null;
            });
            String head = px.heads.get(0);
            assertTrue(head.startsWith("GET http://127.0.0.1:" + srv.port() + "/a?b=1 HTTP/1.1\r\n"), head);
            assertTrue(head.contains("\r\nProxy-Authorization: " + USER_PASS + "\r\n"), head);
            assertTrue(head.contains("\r\nHost: 127.0.0.1:" + srv.port() + "\r\n"), head);
            assertEquals(List.of("null"), seen); // the origin never sees the proxy's credentials
            assertEquals(List.of(), px.errors);
        }
    }

    @Test
    void proxyHttpCredentialsFromTheUrl() throws Exception { // aiohttp: proxy URL user-info becomes proxy_auth
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk srv = origin(new TestServers.Jdk(), seen);
             ForwardProxy px = new ForwardProxy().requireAuth(USER_PASS)) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT)
                        .proxy("http://user:pass@127.0.0.1:" + px.port())
                        .proxyHeaders(Headers.of("X-Proxy-Note", "hi")).build();
                     ClientResponse r = s.get(srv.url("/u"))) {
                    assertEquals("hello /u", r.text());
                }
                return null;
            });
            assertTrue(px.heads.get(0).contains("\r\nProxy-Authorization: " + USER_PASS + "\r\n"), px.heads.get(0));
            assertTrue(px.heads.get(0).contains("\r\nX-Proxy-Note: hi\r\n"), px.heads.get(0));
        }
    }

    // aiohttp's connector sends the CONNECT with a ClientRequest made without traces, so
    // on_request_headers_sent fires for the request inside the tunnel only
    @Test
    void theConnectOfATunnelAnnouncesNoHead() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> heads = new CopyOnWriteArrayList<>();
        TraceConfig tc = new TraceConfig();
        tc.onRequestHeadersSent().add((session, ctx, p) -> heads.add(p.method() + " " + p.url().getScheme() + " "
                + p.url().getPath() + " " + p.headers().contains("Proxy-Authorization")));
        try (TestServers.Jdk srv = origin(TestServers.Jdk.https(ClientSslTest.serverCtx), seen);
             ForwardProxy px = new ForwardProxy().requireAuth(USER_PASS)) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).sslContext(ClientSslTest.clientCtx).traceConfig(tc)
                        .build();
                     ClientResponse r = s.get(srv.url("/secret"), proxy(px.url()), proxyAuth(new BasicAuth("user", "pass")))) {
                    assertEquals("hello /secret", r.text());
                }
                return null;
            });
            assertTrue(px.heads.get(0).startsWith("CONNECT "), px.heads.get(0));
        }
        assertEquals(List.of("GET https /secret false"), heads);
    }

    @Test
    void proxyHttpsConnect() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk srv = origin(TestServers.Jdk.https(ClientSslTest.serverCtx), seen);
             ForwardProxy px = new ForwardProxy().requireAuth(USER_PASS)) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).sslContext(ClientSslTest.clientCtx).build();
                     ClientResponse r = s.get(srv.url("/secret"), proxy(px.url()), proxyAuth(new BasicAuth("user", "pass")),
                             proxyHeaders(Headers.of("X-Proxy-Note", "hi")))) {
                    assertEquals("hello /secret", r.text());
                }
                return null;
            });
            assertEquals(1, px.heads.size(), px.headsText()); // only the CONNECT; the rest is encrypted
            String head = px.heads.get(0);
            String authority = "127.0.0.1:" + srv.port();
            assertTrue(head.startsWith("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n"), head);
            assertTrue(head.contains("\r\nProxy-Authorization: " + USER_PASS + "\r\n"), head);
            assertTrue(head.contains("\r\nX-Proxy-Note: hi\r\n"), head);
            assertEquals(List.of(0x16), px.tunnelFirstBytes); // a TLS handshake record
            assertEquals(List.of("GET /secret"), srv.requests);
            assertEquals(List.of("null"), seen);
        }
    }

    @Test
    void proxyAuthorizationHeaderGoesToTheProxyOnly() throws Exception { // aiohttp moves it to the CONNECT
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk srv = origin(TestServers.Jdk.https(ClientSslTest.serverCtx), seen);
             ForwardProxy px = new ForwardProxy().requireAuth(USER_PASS)) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).sslContext(ClientSslTest.clientCtx).build();
                     ClientResponse r = s.get(srv.url("/h"), proxy(px.url()), RequestOption.header("Proxy-Authorization", USER_PASS))) {
                    assertEquals("hello /h", r.text());
                }
                return null;
            });
            assertTrue(px.heads.get(0).contains("\r\nProxy-Authorization: " + USER_PASS + "\r\n"), px.heads.get(0));
            assertEquals(List.of("null"), seen);
        }
    }

    @Test
    void proxyHttpsConnectRefused407() throws Exception {
        try (TestServers.Jdk srv = origin(TestServers.Jdk.https(ClientSslTest.serverCtx), new CopyOnWriteArrayList<>());
             ForwardProxy px = new ForwardProxy().requireAuth(USER_PASS)) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).sslContext(ClientSslTest.clientCtx)
                        .proxy(px.url()).build()) {
                    ClientHttpProxyError none = assertThrows(ClientHttpProxyError.class, () -> s.get(srv.url("/x")));
                    assertEquals(407, none.status());
                    assertEquals("Proxy Authentication Required", none.message());
                    assertEquals("Basic realm=\"test\"", none.headers().get("Proxy-Authenticate"));
                    assertEquals("407, message='Proxy Authentication Required', url=" + srv.url("/x") + ", proxy=" + px.url(),
                            none.getMessage());
                    ClientHttpProxyError wrong = assertThrows(ClientHttpProxyError.class,
                            () -> s.get(srv.url("/x"), proxyAuth(new BasicAuth("user", "nope"))));
                    assertEquals(407, wrong.status());
                    assertTrue(wrong instanceof ClientResponseError);
                    assertEquals(0, s.openConnections()); // closed, never pooled
                    try (ClientResponse r = s.get(srv.url("/x"), proxyAuth(new BasicAuth("user", "pass")))) {
                        assertEquals("hello /x", r.text());
                    }
                }
                return null;
            });
            assertEquals(3, px.accepted.get());
            assertEquals(List.of("GET /x"), srv.requests);
        }
    }

    /**
     * aiohttp's {@code _create_proxy_connection} raises {@code ClientHttpProxyError(
     * proxy_resp.request_info, resp.history, status=resp.status, message=resp.reason,
     * headers=resp.headers)}: the request info is the {@code CONNECT}'s (its method, and the
     * fields sent to the proxy), the status and headers the proxy's.
     */
    @Test
    void httpsConnectHttpProxyError() throws Exception { // aiohttp: test_https_connect_http_proxy_error (test_proxy.py), test_proxy_https_bad_response (test_proxy_functional.py)
        try (TestServers.Scripted px = new TestServers.Scripted((sock, in, out) -> {
            TestServers.readHead(in);
            TestServers.write(out, "HTTP/1.1 400 bad request\r\nProxy-Agent: TestProxy\r\nContent-Length: 0\r\n\r\n");
        })) {
            String target = "https://127.0.0.1:1/path#frag";
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).sslContext(ClientSslTest.clientCtx)
                        .proxy(px.url("")).build()) {
                    ClientHttpProxyError e = assertThrows(ClientHttpProxyError.class,
                            () -> s.get(target, proxyAuth(new BasicAuth("user", "pass")), proxyHeaders(Headers.of("X-Via", "t1"))));
                    assertTrue(e.getMessage().startsWith("400, message='bad request'"), e.getMessage());
                    assertEquals(400, e.status());
                    assertEquals("TestProxy", e.headers().get("Proxy-Agent"));
                    RequestInfo info = e.requestInfo();
                    assertNotNull(info, "aiohttp: proxy_resp.request_info");
                    assertEquals("CONNECT", info.method());
                    assertEquals(URI.create("https://127.0.0.1:1/path"), info.url());
                    assertEquals(URI.create(target), info.realUrl());
                    assertEquals(URI.create(target), e.url());
                    assertEquals("127.0.0.1:1", info.headers().get("Host"));
                    assertEquals(USER_PASS, info.headers().get("Proxy-Authorization"));
                    assertEquals("t1", info.headers().get("X-Via"));
                    assertEquals(List.of(), e.history());
                }
                return null;
            });
            assertEquals(List.of(), px.errors);
        }
    }

    /**
     * The {@code wss://} form of {@link #httpsConnectHttpProxyError()}: aiohttp's
     * {@code _create_proxy_connection} sets {@code proxy_req.url = req.url}, and the request of
     * {@code ws_connect} keeps the {@code wss://} URL it was given, so the {@code CONNECT}'s request
     * info names it (aio4j-only test; aiohttp has no wss:// case).
     */
    @Test
    void wssConnectHttpProxyErrorNamesTheWssUrl() throws Exception {
        try (TestServers.Scripted px = new TestServers.Scripted((sock, in, out) -> {
            TestServers.readHead(in);
            TestServers.write(out, "HTTP/1.1 400 bad request\r\nContent-Length: 0\r\n\r\n");
        })) {
            String target = "wss://127.0.0.1:1/path#frag";
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).sslContext(ClientSslTest.clientCtx)
                        .proxy(px.url("")).build()) {
                    ClientHttpProxyError e = assertThrows(ClientHttpProxyError.class, () -> s.wsConnect(target));
                    RequestInfo info = e.requestInfo();
                    assertEquals("CONNECT", info.method());
                    assertEquals(URI.create("wss://127.0.0.1:1/path"), info.url());
                    assertEquals(URI.create(target), info.realUrl());
                    assertEquals(URI.create(target), e.url());
                }
                return null;
            });
            assertEquals(List.of(), px.errors);
        }
    }

    /**
     * aiohttp's {@code ClientRequest.send} names the target of a request through a proxy that is
     * not TLS in absolute form as {@code str(self.url)} ({@code elif self.proxy and not
     * self.is_ssl(): path = str(self.url)}), and {@code _ws_connect}'s request keeps the
     * {@code ws://} URL it was given: the proxy reads {@code GET ws://host:port/path}. An
     * {@code http://} URL given to {@code ws_connect} stays {@code http://} (aio4j-only test;
     * aiohttp's tests have no ws:// proxy case).
     */
    @Test
    void wsConnectThroughAnHttpProxyNamesTheWsUrl() throws Exception {
        try (TestServers.Jdk srv = origin(new TestServers.Jdk(), new CopyOnWriteArrayList<>());
             ForwardProxy px = new ForwardProxy()) {
            String ws = "ws://127.0.0.1:" + srv.port();
            Aio.run(() -> {
                // the origin answers 200: the handshakes fail, after their requests went through the proxy
                try (ClientSession s = ClientSession.builder().timeout(SHORT).proxy(px.url()).build()) {
                    assertEquals(200, assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(ws + "/w?q=1#f")).status());
                    assertEquals(200, assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(srv.url("/h"))).status());
                }
                return null;
            });
            assertEquals(2, px.heads.size(), px.headsText());
            assertTrue(px.heads.get(0).startsWith("GET " + ws + "/w?q=1 HTTP/1.1\r\n"), px.heads.get(0));
            assertTrue(px.heads.get(1).startsWith("GET " + srv.url("/h") + " HTTP/1.1\r\n"), px.heads.get(1));
            assertEquals(List.of("GET /w?q=1", "GET /h"), srv.requests);
        }
    }

    /**
     * Each hop of a {@code ws://} handshake through a plain http proxy names its own URL in
     * absolute form: aiohttp's redirect loop makes a new request for {@code url.join(location)},
     * which keeps {@code ws://} for a relative {@code Location}, while an absolute one to http names
     * http (aio4j-only test).
     */
    @Test
    void wsConnectRedirectHopsThroughAnHttpProxyNameEachHopsUrl() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk();
             ForwardProxy px = new ForwardProxy()) {
            srv.handle("/", ex -> {
                String p = ex.getRequestURI().getPath();
                String location = p.equals("/rel") ? "/next?x=1" : p.equals("/abs") ? srv.url("/plain") : null;
                if (location != null) {
                    ex.getResponseHeaders().add("Location", location);
                }
                TestServers.send(ex, location == null ? 200 : p.equals("/rel") ? 302 : 307, "");
            });
            String ws = "ws://127.0.0.1:" + srv.port();
            Aio.run(() -> {
                // the origin answers 200 at the end of each chain: the handshakes fail after their hops
                try (ClientSession s = ClientSession.builder().timeout(SHORT).proxy(px.url()).build()) {
                    assertEquals(URI.create(ws + "/next?x=1"),
                            assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(ws + "/rel")).requestInfo().url());
                    assertEquals(URI.create(srv.url("/plain")),
                            assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(ws + "/abs")).requestInfo().url());
                }
                return null;
            });
            List<String> lines = new ArrayList<>();
            for (String head : px.heads) {
                lines.add(head.substring(0, head.indexOf("\r\n")));
            }
            assertEquals(List.of("GET " + ws + "/rel HTTP/1.1", "GET " + ws + "/next?x=1 HTTP/1.1",
                    "GET " + ws + "/abs HTTP/1.1", "GET " + srv.url("/plain") + " HTTP/1.1"), lines);
            assertEquals(List.of("GET /rel", "GET /next?x=1", "GET /abs", "GET /plain"), srv.requests);
        }
    }

    /**
     * aiohttp's {@code _create_proxy_connection} opens the tunnel for a 200 only
     * ({@code if resp.status != 200: raise ClientHttpProxyError(...)}): another 2xx, which RFC 9110
     * section 9.3.6 would take as a tunnel too, is the proxy's refusal, and no TLS is tried.
     */
    @Test
    void httpsConnectNon200SuccessIsAProxyError() throws Exception { // aio4j-only (aiohttp has no test of it)
        int[] statuses = {201, 204, 299};
        List<TestServers.Scripted.Script> scripts = new java.util.ArrayList<>();
        for (int status : statuses) {
            scripts.add((sock, in, out) -> {
                TestServers.readHead(in);
                TestServers.write(out, "HTTP/1.1 " + status + " Tunnel Maybe\r\nProxy-Agent: TestProxy\r\n\r\n");
                in.readAllBytes();
            });
        }
        try (TestServers.Scripted px = new TestServers.Scripted(scripts.toArray(new TestServers.Scripted.Script[0]))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).sslContext(ClientSslTest.clientCtx)
                        .proxy(px.url("")).build()) {
                    for (int status : statuses) {
                        ClientHttpProxyError e = assertThrows(ClientHttpProxyError.class, () -> s.get("https://127.0.0.1:1/x"));
                        assertEquals(status, e.status());
                        assertTrue(e.getMessage().startsWith(status + ", message='Tunnel Maybe'"), e.getMessage());
                        assertEquals("TestProxy", e.headers().get("Proxy-Agent"));
                        assertEquals("CONNECT", e.requestInfo().method());
                    }
                    assertEquals(0, s.openConnections());
                }
                return null;
            });
            assertEquals(List.of(), px.errors);
            assertEquals(statuses.length, px.accepted, "one CONNECT each, none retried");
        }
    }

    /**
     * The proxy credentials never appear in {@code toString()} or messages (docs/http-client.md):
     * the {@code CONNECT}'s request info, which a {@link ClientHttpProxyError} carries, still
     * gives the field to whoever asks for it (as aiohttp's), but its {@code toString()} hides the
     * value, as does that of an http request's info through the proxy.
     */
    @Test
    void proxyCredentialsNotInRequestInfoToString() throws Exception { // aio4j-only (aiohttp's repr shows them)
        String encoded = USER_PASS.substring("Basic ".length());
        try (TestServers.Scripted px = new TestServers.Scripted((sock, in, out) -> {
            TestServers.readHead(in);
            TestServers.write(out, "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
        });
             TestServers.Jdk srv = origin(new TestServers.Jdk(), new CopyOnWriteArrayList<>());
             ForwardProxy fwd = new ForwardProxy().requireAuth(USER_PASS)) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).sslContext(ClientSslTest.clientCtx)
                        .proxy("http://user:pass@127.0.0.1:" + px.port()).build()) {
                    ClientHttpProxyError e = assertThrows(ClientHttpProxyError.class,
                            () -> s.get("https://127.0.0.1:1/", RequestOption.auth(new BasicAuth("ada", "secret"))));
                    assertEquals(USER_PASS, e.requestInfo().headers().get("Proxy-Authorization"), "aiohttp: the field is there");
                    String shown = e.requestInfo().toString();
                    assertFalse(shown.contains(encoded), shown);
                    assertTrue(shown.contains("Proxy-Authorization: Basic ***"), shown);
                    assertFalse(e.toString().contains(encoded), e.toString());
                }
                try (ClientSession s = ClientSession.builder().timeout(SHORT).build();
                     ClientResponse r = s.get(srv.url("/a"), proxy("http://user:pass@127.0.0.1:" + fwd.port()),
                             RequestOption.auth(new BasicAuth("ada", "secret")))) {
                    assertEquals(200, r.status());
                    assertEquals(USER_PASS, r.requestInfo().headers().get("Proxy-Authorization"));
                    String shown = r.requestInfo().toString();
                    assertFalse(shown.contains(encoded), shown);
                    String origin = new BasicAuth("ada", "secret").encode();
                    assertEquals(origin, r.requestInfo().headers().get("Authorization"));
                    assertFalse(shown.contains(origin.substring("Basic ".length())), shown);
                    assertTrue(shown.contains("Authorization: Basic ***"), shown);
                    assertTrue(shown.contains("url=" + srv.url("/a")), shown);
                }
                return null;
            });
            assertEquals(List.of(), px.errors);
        }
    }

    @Test
    void proxyHttpRefused407IsAResponse() throws Exception { // aiohttp returns it too: no CONNECT for http
        try (TestServers.Jdk srv = origin(new TestServers.Jdk(), new CopyOnWriteArrayList<>());
             ForwardProxy px = new ForwardProxy().requireAuth(USER_PASS)) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).proxy(px.url()).build();
                     ClientResponse r = s.get(srv.url("/x"))) {
                    assertEquals(407, r.status());
                    assertEquals("Basic realm=\"test\"", r.headers().get("Proxy-Authenticate"));
                }
                return null;
            });
            assertEquals(List.of(), srv.requests);
        }
    }

    @Test
    void proxyPooledReuse() throws Exception { // aio4j-only: one connection per (proxy, scheme) for http, per origin for https
        try (TestServers.Jdk a = origin(new TestServers.Jdk(), new CopyOnWriteArrayList<>());
             TestServers.Jdk b = origin(new TestServers.Jdk(), new CopyOnWriteArrayList<>());
             TestServers.Jdk tls = origin(TestServers.Jdk.https(ClientSslTest.serverCtx), new CopyOnWriteArrayList<>());
             ForwardProxy px = new ForwardProxy()) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).sslContext(ClientSslTest.clientCtx)
                        .proxy(px.url()).build()) {
                    for (int i = 0; i < 3; i++) {
                        for (TestServers.Jdk srv : List.of(a, b)) {
                            try (ClientResponse r = s.get(srv.url("/" + i))) {
                                assertEquals("hello /" + i, r.text());
                            }
                        }
                    }
                    assertEquals(1, s.openConnections()); // both http origins over one proxy connection
                    for (int i = 0; i < 3; i++) {
                        try (ClientResponse r = s.get(tls.url("/t" + i))) {
                            assertEquals("hello /t" + i, r.text());
                        }
                    }
                    assertEquals(2, s.openConnections()); // plus one tunnel
                    assertEquals(2, s.idleConnections());
                }
                return null;
            });
            assertEquals(2, px.accepted.get());
            assertEquals(1, tls.clientPorts.size()); // three requests in one tunnel
            assertEquals(3, tls.requests.size());
        }
    }

    @Test
    void trustEnvReadsTheEnvironment() throws Exception {
        try (TestServers.Jdk srv = origin(new TestServers.Jdk(), new CopyOnWriteArrayList<>());
             TestServers.Jdk tls = origin(TestServers.Jdk.https(ClientSslTest.serverCtx), new CopyOnWriteArrayList<>());
             ForwardProxy px = new ForwardProxy().requireAuth(USER_PASS)) {
            String withAuth = "http://user:pass@127.0.0.1:" + px.port();
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).sslContext(ClientSslTest.clientCtx).trustEnv(true)
                        .environment(Map.of("HTTP_PROXY", withAuth, "https_proxy", withAuth)).build()) {
                    try (ClientResponse r = s.get(srv.url("/e"))) {
                        assertEquals("hello /e", r.text());
                    }
                    try (ClientResponse r = s.get(tls.url("/f"))) {
                        assertEquals("hello /f", r.text());
                    }
                }
                try (ClientSession s = ClientSession.builder().timeout(SHORT)
                        .environment(Map.of("HTTP_PROXY", withAuth)).build(); // trustEnv off: direct
                     ClientResponse r = s.get(srv.url("/g"))) {
                    assertEquals("hello /g", r.text());
                }
                return null;
            });
            assertEquals(2, px.heads.size(), px.headsText());
            assertTrue(px.heads.get(0).startsWith("GET http://127.0.0.1:" + srv.port() + "/e "), px.heads.get(0));
            assertTrue(px.heads.get(1).startsWith("CONNECT 127.0.0.1:" + tls.port() + " "), px.heads.get(1));
            assertEquals(List.of("GET /e", "GET /g"), srv.requests);
        }
    }

    // aiohttp: with trust_env, _request asks get_env_proxy_for_url(url) for the URL it requests,
    // which for ws_connect is the ws:// or wss:// URL itself: proxies_from_env() keeps the http,
    // https, ws and wss entries of urllib's getproxies() and the URL's scheme picks one, so
    // ws_proxy serves ws://, wss_proxy wss://, and http_proxy neither; an http:// URL given to
    // ws_connect takes http_proxy; no_proxy (proxy_bypass) applies to them all
    @Test
    void trustEnvWebSocketUrlsTakeWsProxyAndWssProxy() throws Exception {
        try (TestServers.Jdk srv = origin(new TestServers.Jdk(), new CopyOnWriteArrayList<>());
             TestServers.Jdk tls = origin(TestServers.Jdk.https(ClientSslTest.serverCtx), new CopyOnWriteArrayList<>());
             ForwardProxy httpPx = new ForwardProxy();
             ForwardProxy wsPx = new ForwardProxy();
             ForwardProxy wssPx = new ForwardProxy()) {
            String ws = "ws://127.0.0.1:" + srv.port();
            String wss = "wss://127.0.0.1:" + tls.port();
            Aio.run(() -> {
                // the origins answer 200: every handshake fails, after its request went where the proxies say
                Map<String, String> all = Map.of("HTTP_PROXY", httpPx.url(), "https_proxy", httpPx.url(),
                        "WS_PROXY", wsPx.url(), "wss_proxy", wssPx.url());
                try (ClientSession s = ClientSession.builder().timeout(SHORT).sslContext(ClientSslTest.clientCtx).trustEnv(true)
                        .environment(all).build()) {
                    assertEquals(200, assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(ws + "/w")).status());
                    assertEquals(200, assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(wss + "/s")).status());
                    assertEquals(200, assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(srv.url("/h"))).status());
                }
                Map<String, String> httpOnly = Map.of("HTTP_PROXY", httpPx.url(), "HTTPS_PROXY", httpPx.url());
                try (ClientSession s = ClientSession.builder().timeout(SHORT).sslContext(ClientSslTest.clientCtx).trustEnv(true)
                        .environment(httpOnly).build()) {
                    assertEquals(200, assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(ws + "/d")).status());
                    assertEquals(200, assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(wss + "/t")).status());
                }
                try (ClientSession s = ClientSession.builder().timeout(SHORT).trustEnv(true)
                        .environment(Map.of("ws_proxy", wsPx.url(), "NO_PROXY", "127.0.0.1")).build()) {
                    assertEquals(200, assertThrows(WSServerHandshakeError.class, () -> s.wsConnect(ws + "/n")).status());
                }
                return null;
            });
            assertEquals(1, wsPx.heads.size(), wsPx.headsText());
            assertTrue(wsPx.heads.get(0).startsWith("GET ws://127.0.0.1:" + srv.port() + "/w "), wsPx.heads.get(0));
            assertEquals(1, wssPx.heads.size(), wssPx.headsText());
            assertTrue(wssPx.heads.get(0).startsWith("CONNECT 127.0.0.1:" + tls.port() + " "), wssPx.heads.get(0));
            assertEquals(1, httpPx.heads.size(), httpPx.headsText());
            assertTrue(httpPx.heads.get(0).startsWith("GET http://127.0.0.1:" + srv.port() + "/h "), httpPx.heads.get(0));
            assertEquals(List.of("GET /w", "GET /h", "GET /d", "GET /n"), srv.requests);
            assertEquals(List.of("GET /s", "GET /t"), tls.requests);
        }
    }

    @Test
    void trustEnvNoProxyBypass() throws Exception {
        try (TestServers.Jdk srv = origin(new TestServers.Jdk(), new CopyOnWriteArrayList<>());
             ForwardProxy px = new ForwardProxy()) {
            for (String noProxy : List.of("127.0.0.1", "*", "localhost, 127.0.0.0/8", "127.0.0.1:" + srv.port())) {
                Aio.run(() -> {
                    try (ClientSession s = ClientSession.builder().timeout(SHORT).trustEnv(true)
                            .environment(Map.of("http_proxy", px.url(), "NO_PROXY", noProxy)).build();
                         ClientResponse r = s.get(srv.url("/n"))) {
                        assertEquals("hello /n", r.text());
                    }
                    return null;
                });
            }
            assertEquals(0, px.accepted.get(), px.headsText());
            Aio.run(() -> { // another port is not exempt
                try (ClientSession s = ClientSession.builder().timeout(SHORT).trustEnv(true)
                        .environment(Map.of("http_proxy", px.url(), "no_proxy", "127.0.0.1:1")).build();
                     ClientResponse r = s.get(srv.url("/p"))) {
                    assertEquals("hello /p", r.text());
                }
                return null;
            });
            assertEquals(1, px.accepted.get());
        }
    }

    @Test
    void proxyRedirectLeavesTheProxysScope() throws Exception {
        try (TestServers.Jdk direct = origin(new TestServers.Jdk(), new CopyOnWriteArrayList<>());
             ForwardProxy px = new ForwardProxy()) {
            TestServers.Jdk proxied = new TestServers.Jdk().handle("/", ex -> {
                ex.getResponseHeaders().add("Location", "http://localhost:" + direct.port() + "/landed");
                TestServers.send(ex, 302, "");
            });
            try (proxied) {
                Aio.run(() -> {
                    try (ClientSession s = ClientSession.builder().timeout(SHORT).trustEnv(true)
                            .environment(Map.of("http_proxy", px.url(), "no_proxy", "localhost")).build();
                         ClientResponse r = s.get(proxied.url("/start"))) {
                        assertEquals(200, r.status());
                        assertEquals("hello /landed", r.text());
                        assertEquals(1, r.history().size());
                    }
                    return null;
                });
                assertEquals(1, px.heads.size(), px.headsText());
                assertTrue(px.heads.get(0).startsWith("GET http://127.0.0.1:" + proxied.port() + "/start "), px.heads.get(0));
                assertEquals(List.of("GET /landed"), direct.requests);
                assertFalse(direct.clientPorts.isEmpty());
            }
        }
    }

    /** An origin that records "path Authorization Proxy-Authorization" and redirects /start to {@code next}. */
    private static TestServers.Jdk redirecting(TestServers.Jdk srv, List<String> seen, String next) {
        return srv.handle("/", ex -> {
            seen.add(ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("Authorization") + " "
                    + ex.getRequestHeaders().getFirst("Proxy-Authorization"));
            if (ex.getRequestURI().getPath().equals("/start")) {
                ex.getResponseHeaders().add("Location", next);
                TestServers.send(ex, 302, "");
            } else {
                TestServers.send(ex, 200, "hello " + ex.getRequestURI().getPath());
            }
        });
    }

    /**
     * aio4j-only (aiohttp keeps proxy_auth across redirects and drops the origin's Authorization
     * at another origin, test_drop_auth_on_redirect_to_other_host): through a proxy, a redirect
     * to another origin keeps the proxy's credentials, given as proxyAuth or as a
     * Proxy-Authorization header (they are the proxy's, not the origin's), and drops the
     * origin's Authorization.
     */
    @Test
    void proxyAuthKeptAcrossARedirectToAnotherOrigin() throws Exception {
        for (String how : List.of("proxyAuth", "header")) {
            List<String> seenA = new CopyOnWriteArrayList<>();
            List<String> seenB = new CopyOnWriteArrayList<>();
            try (TestServers.Jdk b = redirecting(new TestServers.Jdk(), seenB, "/none");
                 TestServers.Jdk a = redirecting(new TestServers.Jdk(), seenA, b.url("/landed"));
                 ForwardProxy px = new ForwardProxy().requireAuth(USER_PASS)) {
                Aio.run(() -> {
                    RequestOption credentials = how.equals("proxyAuth") ? proxyAuth(new BasicAuth("user", "pass"))
                            : RequestOption.header("Proxy-Authorization", USER_PASS);
                    try (ClientSession s = ClientSession.builder().timeout(SHORT).build();
                         ClientResponse r = s.get(a.url("/start"), proxy(px.url()), credentials,
                                 RequestOption.auth(new BasicAuth("ada", "origin-secret")))) {
                        assertEquals(200, r.status(), how + ": " + px.headsText());
                        assertEquals("hello /landed", r.text());
                    }
                    return null;
                });
                assertEquals(2, px.heads.size(), px.headsText());
                for (String head : px.heads) {
                    assertTrue(head.contains("\r\nProxy-Authorization: " + USER_PASS + "\r\n"), how + ": " + head);
                }
                assertTrue(px.heads.get(0).contains("\r\nAuthorization: Basic "), px.heads.get(0));
                assertFalse(px.heads.get(1).contains("\r\nAuthorization:"), "the origin's credentials stay at their origin: "
                        + px.heads.get(1));
                assertEquals(List.of("/landed null null"), seenB);
            }
        }
    }

    /** As {@link #proxyAuthKeptAcrossARedirectToAnotherOrigin}, for https: each CONNECT carries the proxy's credentials. */
    @Test
    void proxyAuthKeptAcrossAnHttpsRedirectToAnotherOrigin() throws Exception {
        for (String how : List.of("proxyAuth", "header")) {
            List<String> seenA = new CopyOnWriteArrayList<>();
            List<String> seenB = new CopyOnWriteArrayList<>();
            try (TestServers.Jdk b = redirecting(TestServers.Jdk.https(ClientSslTest.serverCtx), seenB, "/none");
                 TestServers.Jdk a = redirecting(TestServers.Jdk.https(ClientSslTest.serverCtx), seenA, b.url("/landed"));
                 ForwardProxy px = new ForwardProxy().requireAuth(USER_PASS)) {
                Aio.run(() -> {
                    RequestOption credentials = how.equals("proxyAuth") ? proxyAuth(new BasicAuth("user", "pass"))
                            : RequestOption.header("Proxy-Authorization", USER_PASS);
                    try (ClientSession s = ClientSession.builder().timeout(SHORT).sslContext(ClientSslTest.clientCtx).build();
                         ClientResponse r = s.get(a.url("/start"), proxy(px.url()), credentials,
                                 RequestOption.auth(new BasicAuth("ada", "origin-secret")))) {
                        assertEquals(200, r.status(), how + ": " + px.headsText());
                        assertEquals("hello /landed", r.text());
                    }
                    return null;
                });
                assertEquals(2, px.heads.size(), px.headsText());
                assertTrue(px.heads.get(1).startsWith("CONNECT 127.0.0.1:" + b.port() + " "), px.heads.get(1));
                for (String head : px.heads) {
                    assertTrue(head.contains("\r\nProxy-Authorization: " + USER_PASS + "\r\n"), how + ": " + head);
                }
                assertTrue(seenA.get(0).startsWith("/start Basic "), seenA.toString());
                assertTrue(seenA.get(0).endsWith(" null"), "no Proxy-Authorization inside the tunnel: " + seenA);
                assertEquals(List.of("/landed null null"), seenB);
            }
        }
    }

    /**
     * aio4j-only (aiohttp drops a stale environment proxy's auth when a redirect switches
     * proxies): credentials given for the proxy never go to a host reached directly after a
     * redirect, nor to another proxy.
     */
    @Test
    void proxyAuthorizationHeaderDoesNotFollowARedirectOutOfTheProxy() throws Exception {
        List<String> seenDirect = new CopyOnWriteArrayList<>();
        List<String> seenProxied = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk direct = redirecting(new TestServers.Jdk(), seenDirect, "/none");
             TestServers.Jdk proxied = redirecting(new TestServers.Jdk(), seenProxied,
                     "http://localhost:" + direct.port() + "/landed");
             ForwardProxy px = new ForwardProxy().requireAuth(USER_PASS)) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).trustEnv(true)
                        .environment(Map.of("http_proxy", px.url(), "no_proxy", "localhost")).build();
                     ClientResponse r = s.get(proxied.url("/start"), RequestOption.header("Proxy-Authorization", USER_PASS))) {
                    assertEquals("hello /landed", r.text());
                }
                return null;
            });
            assertEquals(1, px.heads.size(), px.headsText());
            assertEquals(List.of("/landed null null"), seenDirect);
        }
    }

    @Test
    void proxyConnectionRefused() throws Exception { // aiohttp raises ClientProxyConnectionError, a ClientConnectorError
        int closedPort;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, TestServers.LOOPBACK)) {
            closedPort = ss.getLocalPort();
        }
        Aio.run(() -> {
            try (ClientSession s = ClientSession.builder().timeout(SHORT).proxy("http://127.0.0.1:" + closedPort).build()) {
                for (String url : List.of("http://127.0.0.1:1/x", "https://127.0.0.1:1/x")) {
                    ClientConnectorError e = assertThrows(ClientConnectorError.class, () -> s.get(url));
                    assertEquals("127.0.0.1", e.host());
                    assertEquals(closedPort, e.port());
                    assertTrue(e.getCause().getMessage().startsWith("cannot connect to the proxy http://127.0.0.1:" + closedPort), e.getCause().getMessage());
                }
                assertEquals(0, s.openConnections());
            }
            return null;
        });
    }

    @Test
    void proxyConnectBrokenAnswers() throws Exception { // aio4j-only: a proxy that closes, or breaks HTTP, during CONNECT
        try (TestServers.Scripted px = new TestServers.Scripted(
                (sock, in, out) -> TestServers.readHead(in), // closes without answering
                (sock, in, out) -> TestServers.readHead(in), // and again, to the GET's one retry
                (sock, in, out) -> {
                    TestServers.readHead(in);
                    TestServers.write(out, "HTTP/1.1 200 OK\nbroken\r\n\r\n");
                },
                (sock, in, out) -> { // a tunnel that ends before the TLS handshake
                    TestServers.readHead(in);
                    TestServers.write(out, "HTTP/1.1 200 Connection established\r\n\r\n");
                })) {
            String target = "https://127.0.0.1:1/x";
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).sslContext(ClientSslTest.clientCtx)
                        .proxy(px.url("")).build()) {
                    ClientOSError closed = assertThrows(ClientOSError.class, () -> s.get(target));
                    assertTrue(closed.getMessage().startsWith("the proxy http://127.0.0.1:" + px.port()
                            + " closed the connection before answering CONNECT"), closed.getMessage());
                    assertEquals(2, px.accepted, "the GET was sent once more (proxyDroppingTheConnectionDuringConnectIsRetried)");
                    ClientResponseError bad = assertThrows(ClientResponseError.class, () -> s.get(target));
                    assertEquals(400, bad.status());
                    assertTrue(bad.getMessage().contains("the proxy's answer to CONNECT is not valid HTTP/1.1"), bad.getMessage());
                    assertNotNull(bad.requestInfo(), "aiohttp: proxy_resp.start raises with proxy_resp.request_info");
                    assertEquals("CONNECT", bad.requestInfo().method());
                    assertEquals("127.0.0.1:1", bad.requestInfo().headers().get("Host"));
                    ClientConnectorError tls = assertThrows(ClientConnectorError.class, () -> s.get(target));
                    assertTrue(tls.ssl());
                    assertEquals(1, tls.port()); // the origin's: the handshake with it failed
                    assertEquals(0, s.openConnections());
                }
                return null;
            });
            assertEquals(List.of(), px.errors);
        }
    }

    /**
     * aiohttp (3.12 and later): {@code connector.connect} runs in {@code _connect_and_send_request},
     * inside the try of {@code ClientSession._request} that retries an idempotent request once on
     * {@code ServerDisconnectedError} or a {@code ClientOSError} that is not a
     * {@code ClientConnectorError}; so a proxy that drops the connection before answering
     * {@code CONNECT} gets the request once more, a POST never.
     */
    @Test
    void proxyDroppingTheConnectionDuringConnectIsRetried() throws Exception {
        try (TestServers.Scripted px = new TestServers.Scripted(
                (sock, in, out) -> TestServers.readHead(in), // closes without answering
                (sock, in, out) -> {                         // the retry gets an answer
                    TestServers.readHead(in);
                    TestServers.write(out, "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
                },
                (sock, in, out) -> TestServers.readHead(in))) { // the POST: closes without answering
            String target = "https://127.0.0.1:1/x";
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).sslContext(ClientSslTest.clientCtx)
                        .proxy(px.url("")).build()) {
                    ClientHttpProxyError refused = assertThrows(ClientHttpProxyError.class, () -> s.get(target));
                    assertEquals(407, refused.status());
                    assertEquals(2, px.accepted);
                    ClientOSError closed = assertThrows(ClientOSError.class, () -> s.post(target, RequestOption.body("x")));
                    assertTrue(closed.getMessage().contains("closed the connection before answering CONNECT"), closed.getMessage());
                    assertEquals(3, px.accepted, "a POST is not retried");
                    assertEquals(0, s.openConnections());
                }
                return null;
            });
            assertEquals(List.of(), px.errors);
        }
    }

    @Test
    void proxyUrlMustBeHttp() {
        InvalidURL e = assertThrows(InvalidURL.class, () -> ClientSession.builder().proxy("https://127.0.0.1:3128"));
        assertTrue(e.getMessage().contains("only http:// proxies are supported"), e.getMessage());
        InvalidURL noHost = assertThrows(InvalidURL.class, () -> ClientSession.builder().proxy("http:///x"));
        assertTrue(noHost.getMessage().contains("a proxy URL must be absolute with a host"), noHost.getMessage());
    }

    @Test
    void proxyUrlCredentialsLatin1CannotEncode() { // aio4j-only: aiohttp would fail later, in BasicAuth.encode()
        InvalidURL e = assertThrows(InvalidURL.class, () -> ClientSession.builder().proxy("http://ada:%E2%82%AC@127.0.0.1:3128"));
        assertTrue(e.getMessage().contains("give them with proxyAuth(new BasicAuth(login, password, StandardCharsets.UTF_8))"),
                e.getMessage());
        assertTrue(e.getMessage().contains("U+20AC EURO SIGN"), e.getMessage());
        assertFalse(e.getMessage().contains("%E2%82%AC"), "the password is not shown: " + e.getMessage());
    }
}
