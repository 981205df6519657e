package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Runner;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.VirtualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Basic credentials from {@code .netrc} with {@code trustEnv}: mirrors aiohttp's netrc tests in
 * tests/test_client_session.py and tests/test_client_functional.py ({@code test_netrc_auth_*}),
 * tests/test_client_request.py ({@code test_basicauth_from_netrc_present_untrusted_env},
 * {@code test_basicauth_from_empty_netrc}) and tests/test_proxy_functional.py
 * ({@code test_proxy_from_env_http_*_from_netrc}). The file is always in a temporary directory,
 * named by {@code NETRC} or {@code HOME} in the session's injected environment, never the real
 * {@code ~/.netrc}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientNetrcTest {
    /** Base64 of netrc_user:netrc_pass, as aiohttp's tests spell it out. */
    private static final String NETRC_AUTH = "auth:Basic bmV0cmNfdXNlcjpuZXRyY19wYXNz";

    @TempDir
    Path dir;

    /** aiohttp's auth_server fixture: answers "auth:<Authorization>" or "no_auth". */
    private static TestServers.Jdk authServer() throws IOException {
        return new TestServers.Jdk().handle("/", ex -> {
            String a = ex.getRequestHeaders().getFirst("Authorization");
            TestServers.send(ex, 200, a == null ? "no_auth" : "auth:" + a);
        });
    }

    /** aiohttp's netrc_default_contents fixture: a default entry, NETRC naming the file. */
    private Map<String, String> netrcDefaultContents() throws IOException {
        return netrc("default login netrc_user password netrc_pass\n");
    }

    private Map<String, String> netrc(String contents) throws IOException {
        Path f = dir.resolve(".netrc");
        Files.writeString(f, contents);
        return Map.of("NETRC", f.toString());
    }

    private static String get(Map<String, String> env, boolean trustEnv, String url, RequestOption... options) {
        return Aio.run(() -> {
            try (ClientSession s = ClientSession.builder().trustEnv(trustEnv).environment(env).build();
                 ClientResponse r = s.get(url, options)) {
                return r.text();
            }
        });
    }

    @Test
    void netrcAuthWithTrustEnv() throws Exception { // aiohttp: test_netrc_auth_with_trust_env, test_netrc_auth_from_env
        try (TestServers.Jdk srv = authServer()) {
            assertEquals(NETRC_AUTH, get(netrcDefaultContents(), true, srv.url("/")));
        }
    }

    @Test
    void netrcAuthSkippedWithoutTrustEnv() throws Exception { // aiohttp: test_netrc_auth_skipped_without_trust_env,
        try (TestServers.Jdk srv = authServer()) {           // test_basicauth_from_netrc_present_untrusted_env
            assertEquals("no_auth", get(netrcDefaultContents(), false, srv.url("/")));
        }
    }

    @Test
    void netrcAuthSkippedWithoutNetrcFile() throws Exception { // aiohttp: test_netrc_auth_skipped_without_netrc_file
        try (TestServers.Jdk srv = authServer()) {
            assertEquals("no_auth", get(Map.of(), true, srv.url("/")), "no NETRC, no HOME: nothing is read");
            assertEquals("no_auth", get(Map.of("NETRC", dir.resolve("absent").toString()), true, srv.url("/")));
        }
    }

    @Test
    void netrcAuthFromHomeDirectory() throws Exception { // aiohttp: test_netrc_auth_from_home_directory
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        boolean windows = System.getProperty("os.name", "").startsWith("Windows");
        Files.writeString(home.resolve(windows ? "_netrc" : ".netrc"), "default login netrc_user password netrc_pass\n");
        try (TestServers.Jdk srv = authServer()) {
            assertEquals(NETRC_AUTH, get(Map.of(windows ? "USERPROFILE" : "HOME", home.toString()), true, srv.url("/")));
        }
    }

    @Test
    void netrcAuthOverriddenByExplicitAuth() throws Exception { // aiohttp: test_netrc_auth_overridden_by_explicit_auth
        try (TestServers.Jdk srv = authServer()) {
            assertEquals("auth:Basic ZXhwbGljaXRfdXNlcjpleHBsaWNpdF9wYXNz", get(netrcDefaultContents(), true, srv.url("/"),
                    RequestOption.auth(new BasicAuth("explicit_user", "explicit_pass"))));
        }
    }

    @Test
    void netrcAuthHostNotInNetrc() throws Exception { // aiohttp: test_netrc_auth_host_not_in_netrc
        try (TestServers.Jdk srv = authServer()) {
            assertEquals("no_auth", get(netrc("machine other.example.com login user password pass\n"), true, srv.url("/")));
        }
    }

    @Test
    void basicauthFromEmptyNetrc() throws Exception { // aiohttp: test_basicauth_from_empty_netrc
        try (TestServers.Jdk srv = authServer()) {
            assertEquals("no_auth", get(netrc(""), true, srv.url("/")));
        }
    }

    @Test
    void theMachinesOwnEntryWinsOverTheDefault() throws Exception { // Python's netrc.authenticators
        try (TestServers.Jdk srv = authServer()) {
            assertEquals("auth:" + new BasicAuth("mine", "pw").encode(),
                    get(netrc("default login d password d\nmachine 127.0.0.1 login mine password pw\n"), true, srv.url("/")));
        }
    }

    @Test
    void aMalformedFileIsIgnored() throws Exception { // aiohttp's netrc_from_env logs NetrcParseError and returns None
        try (TestServers.Jdk srv = authServer()) {
            assertEquals("no_auth", get(netrc("default login netrc_user password netrc_pass bogus\n"), true, srv.url("/")));
        }
    }

    // Python's netrc decodes the file as UTF-8, then in the locale's encoding; a file in neither
    // raises UnicodeDecodeError, which aiohttp's netrc_from_env does not catch (only
    // NetrcParseError and OSError): the request fails instead of going out without the credentials
    @Test
    void aFileInNeitherEncodingFailsTheRequest() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.nio.charset.Charset.forName(System.getProperty("native.encoding", "UTF-8")).equals(java.nio.charset.StandardCharsets.UTF_8),
                "a UTF-8 platform, whose encoding cannot read the byte either");
        Path f = dir.resolve("undecodable");
        Files.write(f, "default login u password caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        try (TestServers.Jdk srv = authServer()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> get(Map.of("NETRC", f.toString()), true, srv.url("/")));
            assertFalse(e instanceof dev.aio4j.http.internal.Netrc.ParseError, e.toString());
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("UTF-8"), e.getMessage());
            assertEquals(List.of(), srv.requests, "nothing was sent");
        }
    }

    // aiohttp 3.9+ picks the netrc entry only when neither the request's auth nor the session's applies
    @Test
    void theSessionsAuthWinsOverNetrc() throws Exception {
        Map<String, String> env = netrcDefaultContents();
        try (TestServers.Jdk srv = authServer()) {
            String got = Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().trustEnv(true).environment(env).auth(new BasicAuth("sess", "pw"))
                        .build(); ClientResponse r = s.get(srv.url("/"))) {
                    return r.text();
                }
            });
            assertEquals("auth:" + new BasicAuth("sess", "pw").encode(), got);
        }
    }

    // aio4j's decision, aiohttp 4's rule (its _request consults netrc only when no Authorization
    // header is there); 3.13.1 to 3.13.x refuse the combination, 3.9 to 3.13.0 overwrote the header
    @Test
    void aCallersAuthorizationHeaderWinsOverNetrc() throws Exception {
        try (TestServers.Jdk srv = authServer()) {
            assertEquals("auth:Bearer token", get(netrcDefaultContents(), true, srv.url("/"),
                    RequestOption.header("Authorization", "Bearer token")));
        }
    }

    // aiohttp's _request: a redirect to another origin drops the credentials, and the next URL's
    // auth is chosen again, netrc included: the new host's entry
    @Test
    void aRedirectToAnotherOriginTakesThatHostsEntry() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk target = new TestServers.Jdk();
             TestServers.Jdk first = new TestServers.Jdk()) {
            target.handle("/", ex -> {
                seen.add("target " + ex.getRequestHeaders().getFirst("Authorization"));
                TestServers.send(ex, 200, "ok");
            });
            first.handle("/", ex -> {
                seen.add("first " + ex.getRequestHeaders().getFirst("Authorization"));
                ex.getResponseHeaders().add("Location", "http://localhost:" + target.port() + "/");
                ex.sendResponseHeaders(302, -1);
            });
            Map<String, String> env = netrc("machine 127.0.0.1 login one password 1\nmachine localhost login two password 2\n");
            assertEquals("ok", get(env, true, first.url("/")));
        }
        assertEquals(List.of("first " + new BasicAuth("one", "1").encode(), "target " + new BasicAuth("two", "2").encode()), seen);
    }

    // aiohttp's update_auth runs when the ClientRequest is made, before the middlewares: they see it
    @Test
    void middlewaresSeeTheNetrcCredentials() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Map<String, String> env = netrcDefaultContents();
        try (TestServers.Jdk srv = authServer()) {
            String got = Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().trustEnv(true).environment(env).middlewares((req, next) -> {
                    seen.add(req.headers().get("Authorization"));
                    return next.send(req);
                }).build(); ClientResponse r = s.get(srv.url("/"))) {
                    return r.text();
                }
            });
            assertEquals(NETRC_AUTH, got);
        }
        assertEquals(List.of(NETRC_AUTH.substring("auth:".length())), seen);
    }

    // aiohttp's ws_connect goes through self.request(...), so its handshake gets the netrc entry too
    @Test
    void aWsConnectHandshakeTakesTheNetrcEntry() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Map<String, String> env = netrcDefaultContents();
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/ws", ex -> {
                seen.add(ex.getRequestHeaders().getFirst("Authorization"));
                TestServers.send(ex, 403, "no");
            });
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().trustEnv(true).environment(env).build()) {
                    assertThrows(WSServerHandshakeError.class, () -> s.wsConnect("ws://127.0.0.1:" + srv.port() + "/ws"));
                }
                return null;
            });
        }
        assertEquals(List.of(NETRC_AUTH.substring("auth:".length())), seen);
    }

    // aiohttp 4's _request: a redirect from ws://h to http://h changes the origin, so the caller's
    // Authorization is popped for the rest of the chain; netrc is consulted again for each URL
    // without one, so the http:// hops take h's entry (the caller's header is never sent again)
    @Test
    void afterAWsToHttpRedirectTheHopsTakeTheNetrcEntry() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Map<String, String> env = netrc("machine 127.0.0.1 login one password 1\n");
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/old", ex -> {
                seen.add("/old " + ex.getRequestHeaders().getFirst("Authorization"));
                ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + srv.port() + "/mid");
                ex.sendResponseHeaders(307, -1);
            }).handle("/mid", ex -> {
                seen.add("/mid " + ex.getRequestHeaders().getFirst("Authorization"));
                ex.getResponseHeaders().add("Location", "/end");
                ex.sendResponseHeaders(307, -1);
            }).handle("/end", ex -> {
                seen.add("/end " + ex.getRequestHeaders().getFirst("Authorization"));
                TestServers.send(ex, 403, "no");
            });
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().trustEnv(true).environment(env).build()) {
                    assertThrows(WSServerHandshakeError.class, () -> s.wsConnect("ws://127.0.0.1:" + srv.port() + "/old",
                            WSConnectOption.header("Authorization", "Bearer t0k")));
                }
                return null;
            });
        }
        String entry = new BasicAuth("one", "1").encode();
        assertEquals(List.of("/old Bearer t0k", "/mid " + entry, "/end " + entry), seen);
    }

    // aiohttp's _request: the session's auth goes to its base URL's origin only; a redirect to
    // another origin takes that host's netrc entry, and one back to the base URL's origin the
    // session's auth again (never the other host's entry)
    @Test
    void theSessionsAuthOfItsOriginAndTheNetrcEntryOfAnother() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        BasicAuth sess = new BasicAuth("sess", "pw");
        Map<String, String> env = netrc("machine 127.0.0.1 login one password 1\nmachine localhost login two password 2\n");
        try (TestServers.Jdk a = new TestServers.Jdk(); TestServers.Jdk b = new TestServers.Jdk()) {
            a.handle("/", ex -> {
                seen.add("a/ " + ex.getRequestHeaders().getFirst("Authorization"));
                ex.getResponseHeaders().add("Location", "http://localhost:" + b.port() + "/");
                ex.sendResponseHeaders(302, -1);
            }).handle("/end", ex -> {
                seen.add("a/end " + ex.getRequestHeaders().getFirst("Authorization"));
                TestServers.send(ex, 200, "done");
            });
            b.handle("/", ex -> {
                seen.add("b/ " + ex.getRequestHeaders().getFirst("Authorization"));
                ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + a.port() + "/end");
                ex.sendResponseHeaders(302, -1);
            });
            String got = Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().trustEnv(true).environment(env).baseUrl(a.url("/")).auth(sess)
                        .build(); ClientResponse r = s.get("/")) {
                    return r.text();
                }
            });
            assertEquals("done", got);
        }
        assertEquals(List.of("a/ " + sess.encode(), "b/ " + new BasicAuth("two", "2").encode(), "a/end " + sess.encode()), seen);
    }

    // aio4j's decision (stop 34): the file is read at most once per request, at its first use, and
    // what it held then serves the request's later hops, its retry and its environment proxy (aiohttp
    // 3.13 reads it again for each hop that has no auth yet, and in each proxies_from_env call); a
    // file changed during a request is seen by the next request. The hop after the redirect has no
    // Authorization, so it looks again; it finds the entry of the file as first read: none
    @Test
    void theFileIsReadOncePerRequestAcrossItsRedirects() throws Exception {
        Map<String, String> env = netrc("machine other.example login x password y\n");
        Path file = Path.of(env.get("NETRC"));
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/first", ex -> {
                seen.add("/first " + ex.getRequestHeaders().getFirst("Authorization"));
                Files.writeString(file, "default login netrc_user password netrc_pass\n"); // during the request
                ex.getResponseHeaders().add("Location", "/end");
                ex.sendResponseHeaders(302, -1);
            }).handle("/end", ex -> {
                seen.add("/end " + ex.getRequestHeaders().getFirst("Authorization"));
                TestServers.send(ex, 200, "ok");
            });
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().trustEnv(true).environment(env).build()) {
                    try (ClientResponse r = s.get(srv.url("/first"))) {
                        assertEquals("ok", r.text());
                    }
                    try (ClientResponse r = s.get(srv.url("/end"))) { // the next request reads the file again
                        assertEquals("ok", r.text());
                    }
                }
                return null;
            });
        }
        assertEquals(List.of("/first null", "/end null", "/end " + NETRC_AUTH.substring("auth:".length())), seen);
    }

    // as above, for the one retry of a try that lost its connection: the environment proxy's entry
    // (proxies_from_env) is the one of the file as the request first read it, not re-read for the retry
    @Test
    void theRetryThroughAnEnvironmentProxyUsesTheFileAsFirstRead() throws Exception {
        Map<String, String> netrcEnv = netrc("machine 127.0.0.1 login user password pass\n");
        Path file = Path.of(netrcEnv.get("NETRC"));
        List<String> heads = new CopyOnWriteArrayList<>();
        try (TestServers.Scripted proxy = new TestServers.Scripted(
                (sock, in, out) -> {
                    heads.add(TestServers.readHead(in));
                    Files.writeString(file, "machine 127.0.0.1 login other password changed\n");
                    // closed without an answer: the request's retry sends it again on a new connection
                },
                (sock, in, out) -> {
                    heads.add(TestServers.readHead(in));
                    TestServers.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                })) {
            Map<String, String> env = new HashMap<>(netrcEnv);
            env.put("http_proxy", "http://127.0.0.1:" + proxy.port());
            String got = Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().trustEnv(true).environment(env).build();
                     ClientResponse r = s.get("http://localhost:1/x")) {
                    return r.text();
                }
            });
            assertEquals("ok", got);
            assertEquals(List.of(), proxy.errors);
        }
        assertEquals(2, heads.size(), heads.toString());
        String first = new BasicAuth("user", "pass").encode();
        for (String head : heads) {
            assertTrue(head.contains("\r\nProxy-Authorization: " + first + "\r\n"), head);
        }
    }

    @Test
    void anEntryThatCannotBeBasicCredentialsFailsTheRequest() throws Exception { // aiohttp: BasicAuth raises ValueError
        try (TestServers.Jdk srv = authServer()) {
            Map<String, String> env = netrc("default login a:b password p\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> get(env, true, srv.url("/")));
            assertTrue(e.getMessage().contains(".netrc entry for 127.0.0.1"), e.getMessage());
        }
    }

    /**
     * aiohttp's {@code _request} reads the file inside {@code with timer:}, the request's total
     * timeout: a read that outlasts it fails the request, which never connects. The default
     * executor holds the read until the (manual) clock has passed the deadline.
     */
    @Test
    void theNetrcReadCountsAgainstTheTotalTimeout() throws Exception {
        Map<String, String> env = netrcDefaultContents();
        VirtualClock clock = VirtualClock.manual();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ThreadPoolExecutor held = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
            @Override
            protected void beforeExecute(Thread t, Runnable r) {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (TestServers.Jdk srv = authServer();
             Runner runner = Runner.withLoopFactory(() -> EventLoop.create(clock))) {
            Object outcome = runner.run(() -> {
                Aio.getRunningLoop().setDefaultExecutor(held);
                try (ClientSession s = ClientSession.builder().trustEnv(true).environment(env)
                        .timeout(ClientTimeout.ofTotal(5)).build()) {
                    Task<String> request = Aio.createTask(() -> {
                        try (ClientResponse r = s.get(srv.url("/"))) {
                            return r.text();
                        }
                    });
                    boolean failedAtTheDeadline;
                    try {
                        while (started.getCount() > 0) {
                            Aio.sleep(0); // until the read is on the executor's thread
                        }
                        clock.advance(10);
                        for (int i = 0; i < 100 && !request.done(); i++) {
                            Aio.sleep(0);
                        }
                        failedAtTheDeadline = request.done();
                    } finally {
                        release.countDown(); // before the runner waits for the executor's threads
                    }
                    // at the deadline, not once the read ends (which may be never: a hung mount)
                    assertTrue(failedAtTheDeadline, "the request still waits for the read past its total timeout");
                    try {
                        return (Object) ("answered " + request.await());
                    } catch (RuntimeException e) {
                        return e;
                    }
                }
            });
            ServerTimeoutError e = assertInstanceOf(ServerTimeoutError.class, outcome, String.valueOf(outcome));
            assertTrue(e.getMessage().contains("total timeout"), e.getMessage());
            assertEquals(List.of(), srv.requests, "the request never reached the server");
        } finally {
            release.countDown();
            held.shutdown();
        }
    }

    /**
     * A request cancelled while its {@code .netrc} read runs ends at once with the cancellation
     * (aiohttp's {@code await run_in_executor} is cancelled; the read itself goes on, unused),
     * after {@code onRequestException}; it sends nothing, and the session stays usable.
     */
    @Test
    void aRequestCancelledDuringTheNetrcReadEndsAtOnce() throws Exception {
        Map<String, String> env = netrcDefaultContents();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        TraceConfig tc = new TraceConfig();
        tc.onRequestException().add((x, ctx, p) -> events.add("exception " + p.exception().getClass().getSimpleName()));
        tc.onRequestHeadersSent().add((x, ctx, p) -> events.add("headers " + p.headers().get("Authorization")));
        ThreadPoolExecutor held = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
            @Override
            protected void beforeExecute(Thread t, Runnable r) {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (TestServers.Jdk srv = authServer()) {
            String after = Aio.run(() -> {
                Aio.getRunningLoop().setDefaultExecutor(held);
                try (ClientSession s = ClientSession.builder().trustEnv(true).environment(env).traceConfig(tc).build()) {
                    Task<String> request = Aio.createTask(() -> {
                        try (ClientResponse r = s.get(srv.url("/"))) {
                            return r.text();
                        }
                    });
                    boolean endedBeforeTheRead;
                    try {
                        while (started.getCount() > 0) {
                            Aio.sleep(0); // until the read is on the executor's thread
                        }
                        request.cancel();
                        for (int i = 0; i < 100 && !request.done(); i++) {
                            Aio.sleep(0);
                        }
                        endedBeforeTheRead = request.done();
                    } finally {
                        release.countDown();
                    }
                    assertTrue(endedBeforeTheRead, "the cancelled request still waits for the read");
                    assertThrows(CancelledError.class, request::await);
                    try (ClientResponse r = s.get(srv.url("/"))) {
                        return r.text();
                    }
                }
            });
            assertEquals(NETRC_AUTH, after, "the next request reads the file again");
            assertEquals(List.of("GET /"), srv.requests, "the cancelled one sent nothing");
        } finally {
            release.countDown();
            held.shutdown();
        }
        assertEquals(List.of("exception CancelledError", "headers " + NETRC_AUTH.substring("auth:".length())), events);
    }

    // ------------------------------------------------------------------ proxies (proxies_from_env)

    private static String viaEnvProxy(ForwardProxy px, Map<String, String> netrcEnv, String url) {
        Map<String, String> env = new HashMap<>(netrcEnv);
        env.put("http_proxy", px.url());
        return Aio.run(() -> {
            try (ClientSession s = ClientSession.builder().trustEnv(true).environment(env).build();
                 ClientResponse r = s.get(url)) {
                return r.text();
            }
        });
    }

    @Test
    void proxyFromEnvHttpWithAuthFromNetrc() throws Exception { // aiohttp: test_proxy_from_env_http_with_auth_from_netrc
        try (TestServers.Jdk srv = authServer();
             ForwardProxy px = new ForwardProxy().requireAuth("Basic dXNlcjpwYXNz")) {
            // the origin as localhost, so the proxy's entry (127.0.0.1) is not the origin's
            String got = viaEnvProxy(px, netrc("machine 127.0.0.1 login user password pass\n"), "http://localhost:" + srv.port() + "/");
            assertEquals("no_auth", got);
            assertTrue(px.heads.get(0).contains("\r\nProxy-Authorization: Basic dXNlcjpwYXNz\r\n"), px.heads.get(0));
        }
    }

    @Test
    void proxyFromEnvHttpWithoutAuthFromNetrc() throws Exception { // aiohttp: test_proxy_from_env_http_without_auth_from_netrc
        try (TestServers.Jdk srv = authServer(); ForwardProxy px = new ForwardProxy()) {
            viaEnvProxy(px, netrc("machine 127.0.0.2 login user password pass\n"), "http://localhost:" + srv.port() + "/");
            assertFalse(px.heads.get(0).contains("Proxy-Authorization"), px.heads.get(0));
        }
    }

    @Test
    void proxyFromEnvHttpWithoutAuthFromWrongNetrc() throws Exception { // aiohttp: ..._without_auth_from_wrong_netrc
        try (TestServers.Jdk srv = authServer(); ForwardProxy px = new ForwardProxy()) {
            viaEnvProxy(px, netrc("machine 127.0.0.1 user pass pass\n"), "http://localhost:" + srv.port() + "/");
            assertFalse(px.heads.get(0).contains("Proxy-Authorization"), px.heads.get(0));
        }
    }

    @Test
    void aProxyUrlsOwnCredentialsWinOverNetrc() throws Exception { // aiohttp: `if netrc_obj and auth is None`
        try (TestServers.Jdk srv = authServer(); ForwardProxy px = new ForwardProxy()) {
            Map<String, String> env = new HashMap<>(netrc("machine 127.0.0.1 login user password pass\n"));
            env.put("http_proxy", "http://own:pw@127.0.0.1:" + px.port());
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().trustEnv(true).environment(env).build();
                     ClientResponse r = s.get("http://localhost:" + srv.port() + "/")) {
                    return r.text();
                }
            });
            assertTrue(px.heads.get(0).contains("\r\nProxy-Authorization: " + new BasicAuth("own", "pw").encode() + "\r\n"),
                    px.heads.get(0));
        }
    }
}
