package dev.aio4j.http.internal;

import dev.aio4j.http.BasicAuth;
import dev.aio4j.http.Headers;
import dev.aio4j.http.InvalidURL;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The environment's proxies and {@code NO_PROXY}: mirrors the {@code proxies_from_env} and
 * {@code get_env_proxy_for_url} tests of aiohttp's tests/test_helpers.py and CPython's
 * {@code test_proxy_bypass_environment*} (Lib/test/test_urllib2.py); the port, IP and CIDR cases
 * follow requests' {@code should_bypass_proxies} (aio4j-only beyond urllib).
 */
class ProxyEnvironmentTest {
    private static final URI HTTP = URI.create("http://aiohttp.io/path");
    private static final URI HTTPS = URI.create("https://aiohttp.io/path");

    @Test
    void proxiesFromEnvHttp() {
        ProxyEnvironment env = ProxyEnvironment.of(Map.of("http_proxy", "http://aiohttp.io/path"));
        ProxySpec p = env.forUrl(HTTP);
        assertEquals(new ProxySpec("aiohttp.io", 80, null, null), p);
        assertNull(env.forUrl(HTTPS));
    }

    @Test
    void proxiesFromEnvHttpsProxySkipped() { // aiohttp ignores https:// proxies from the environment
        ProxyEnvironment env = ProxyEnvironment.of(Map.of("https_proxy", "https://aiohttp.io/path"));
        assertNull(env.forUrl(HTTPS));
    }

    @Test
    void proxiesFromEnvHttpWithAuth() {
        ProxyEnvironment env = ProxyEnvironment.of(Map.of("HTTP_PROXY", "http://us%65r:p%40ss@aiohttp.io:3128"));
        ProxySpec p = env.forUrl(HTTP);
        assertEquals("aiohttp.io", p.host());
        assertEquals(3128, p.port());
        assertEquals(new BasicAuth("user", "p@ss"), p.auth());
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("user:p@ss".getBytes()),
                p.proxyFields().get("Proxy-Authorization"));
        assertEquals("http://aiohttp.io:3128 (with proxy auth)", p.toString()); // never the credentials
    }

    @Test
    void proxiesFromEnvWsAndWss() { // aiohttp: test_proxies_from_env, ids ws and wss
        // proxies_from_env keeps getproxies()'s http, https, ws and wss entries, and
        // get_env_proxy_for_url looks the URL's own scheme up: ws_proxy serves ws:// URLs only
        URI ws = URI.create("ws://aiohttp.io/path");
        URI wss = URI.create("wss://aiohttp.io/path");
        ProxyEnvironment env = ProxyEnvironment.of(Map.of("ws_proxy", "http://aiohttp.io/path"));
        assertEquals(new ProxySpec("aiohttp.io", 80, null, null), env.forUrl(ws));
        assertNull(env.forUrl(wss));
        assertNull(env.forUrl(HTTP));
        env = ProxyEnvironment.of(Map.of("WSS_PROXY", "http://aiohttp.io:3128"));
        assertEquals(new ProxySpec("aiohttp.io", 3128, null, null), env.forUrl(wss));
        assertNull(env.forUrl(ws));
        assertNull(env.forUrl(HTTPS));
    }

    @Test
    void httpProxiesDoNotServeWebSocketUrls() { // aiohttp: get_env_proxy_for_url raises LookupError, no proxy
        ProxyEnvironment env = ProxyEnvironment.of(Map.of("HTTP_PROXY", "http://p", "https_proxy", "http://p"));
        assertNull(env.forUrl(URI.create("ws://aiohttp.io/path")));
        assertNull(env.forUrl(URI.create("wss://aiohttp.io/path")));
    }

    @Test
    void proxiesFromEnvWssProxySkipped() { // aiohttp: test_proxies_from_env_skipped, id wss
        assertNull(ProxyEnvironment.of(Map.of("wss_proxy", "wss://aiohttp.io/path")).forUrl(URI.create("wss://aiohttp.io/path")));
    }

    @Test
    void noProxyAppliesToWebSocketUrls() { // aiohttp: proxy_bypass(url.host) comes first, for every scheme
        ProxyEnvironment env = ProxyEnvironment.of(Map.of("ws_proxy", "http://p:1", "wss_proxy", "http://p:2", "no_proxy", "aiohttp.io"));
        assertNull(env.forUrl(URI.create("ws://aiohttp.io/path")));
        assertNull(env.forUrl(URI.create("wss://www.aiohttp.io/path")));
        assertEquals(1, env.forUrl(URI.create("ws://other.io/")).port());
        assertEquals(2, env.forUrl(URI.create("wss://other.io/")).port());
    }

    @Test
    void noProxyPortEntryUsesTheWebSocketDefaultPort() { // aio4j-only: an entry's port against wss's default 443
        ProxyEnvironment env = ProxyEnvironment.of(Map.of("ws_proxy", "http://p:1", "wss_proxy", "http://p:2",
                "no_proxy", "secure.io:443,plain.io:80"));
        assertNull(env.forUrl(URI.create("wss://secure.io/path")));
        assertEquals(2, env.forUrl(URI.create("wss://plain.io/path")).port());
        assertNull(env.forUrl(URI.create("ws://plain.io/path")));
        assertEquals(1, env.forUrl(URI.create("ws://secure.io/path")).port());
    }

    @Test
    void lowerCaseWinsForWsProxyToo() { // urllib's getproxies_environment: any <scheme>_proxy, lower case first
        assertEquals("lower", ProxyEnvironment.of(Map.of("ws_proxy", "http://lower", "WS_PROXY", "http://upper"))
                .forUrl(URI.create("ws://h/")).host());
        assertNull(ProxyEnvironment.of(Map.of("wss_proxy", "", "WSS_PROXY", "http://upper")).forUrl(URI.create("wss://h/")));
        // REQUEST_METHOD drops only the upper-case HTTP_PROXY (CVE-2016-1000110), not WS_PROXY
        assertEquals("upper", ProxyEnvironment.of(Map.of("WS_PROXY", "http://upper", "REQUEST_METHOD", "GET"))
                .forUrl(URI.create("ws://h/")).host());
    }

    @Test
    void lowerCaseWinsAndEmptyLowerCaseCancels() { // aio4j-only name; urllib's getproxies_environment rule
        assertEquals("lower", ProxyEnvironment.of(Map.of("http_proxy", "http://lower", "HTTP_PROXY", "http://upper"))
                .forUrl(HTTP).host());
        assertNull(ProxyEnvironment.of(Map.of("http_proxy", "", "HTTP_PROXY", "http://upper")).forUrl(HTTP));
        assertEquals("upper", ProxyEnvironment.of(Map.of("HTTPS_PROXY", "http://upper")).forUrl(HTTPS).host());
    }

    @Test
    void cgiIgnoresUpperCaseHttpProxy() { // CVE-2016-1000110, as urllib
        assertNull(ProxyEnvironment.of(Map.of("HTTP_PROXY", "http://upper", "REQUEST_METHOD", "GET")).forUrl(HTTP));
        assertEquals("lower", ProxyEnvironment.of(Map.of("http_proxy", "http://lower", "REQUEST_METHOD", "GET"))
                .forUrl(HTTP).host());
    }

    @Test
    void getEnvProxyForUrlNoProxy() {
        ProxyEnvironment env = ProxyEnvironment.of(Map.of("http_proxy", "http://proxy:3128", "no_proxy", "aiohttp.io"));
        assertNull(env.forUrl(HTTP));
        assertEquals("proxy", env.forUrl(URI.create("http://other.io/")).host());
    }

    @Test
    void proxyBypassEnvironment() {
        assertTrue(ProxyEnvironment.bypass("*", "anything", 80));
        assertTrue(ProxyEnvironment.bypass(" * ", "anything", 80));
        assertFalse(ProxyEnvironment.bypass("*.example.com", "www.example.com", 80)); // not a glob, as urllib
        String list = "localhost, anotherdomain.com, newdomain.com:1234, .d.o.t";
        assertTrue(ProxyEnvironment.bypass(list, "localhost", 80));
        assertTrue(ProxyEnvironment.bypass(list, "LocalHost", 80));
        assertTrue(ProxyEnvironment.bypass(list, "anotherdomain.com", 8888));
        assertTrue(ProxyEnvironment.bypass(list, "www.anotherdomain.com", 80));
        assertTrue(ProxyEnvironment.bypass(list, "newdomain.com", 1234));
        assertTrue(ProxyEnvironment.bypass(list, "foo.d.o.t", 80));
        assertTrue(ProxyEnvironment.bypass(list, "d.o.t", 80));
        assertFalse(ProxyEnvironment.bypass(list, "prelocalhost", 80));
        assertFalse(ProxyEnvironment.bypass(list, "newdomain.com", 80)); // the entry names port 1234
        assertFalse(ProxyEnvironment.bypass(list, "notanotherdomain.com", 80));
        assertFalse(ProxyEnvironment.bypass(list, "anotherdomain.com.evil", 80));
        assertFalse(ProxyEnvironment.bypass(", ,", "localhost", 80));
    }

    @Test
    void proxyBypassIpLiteralsAndCidr() { // requests' should_bypass_proxies, IPv6 too
        assertTrue(ProxyEnvironment.bypass("192.168.1.1", "192.168.1.1", 80));
        assertFalse(ProxyEnvironment.bypass("192.168.1.1", "192.168.1.2", 80));
        assertTrue(ProxyEnvironment.bypass("192.168.0.0/16", "192.168.77.1", 80));
        assertFalse(ProxyEnvironment.bypass("192.168.0.0/16", "192.169.0.1", 80));
        assertTrue(ProxyEnvironment.bypass("10.0.0.0/8,127.0.0.1:5000", "127.0.0.1", 5000));
        assertFalse(ProxyEnvironment.bypass("127.0.0.1:5000", "127.0.0.1", 5001));
        assertFalse(ProxyEnvironment.bypass("1.1.1.1", "1.1.1.1.example.com", 80)); // a name, not the address
        assertFalse(ProxyEnvironment.bypass("0.0.0.0/99", "1.2.3.4", 80));
        assertTrue(ProxyEnvironment.bypass("::1", "[::1]", 80));
        assertTrue(ProxyEnvironment.bypass("[::1]", "::1", 80));
        assertTrue(ProxyEnvironment.bypass("[::1]:8080", "[::1]", 8080));
        assertFalse(ProxyEnvironment.bypass("[::1]:8080", "[::1]", 8081));
        assertTrue(ProxyEnvironment.bypass("fd00::/8", "[fd12::5]", 80));
        assertFalse(ProxyEnvironment.bypass("fd00::/8", "[fe80::1]", 80));
        assertFalse(ProxyEnvironment.bypass("127.0.0.0/8", "[::1]", 80)); // another family
    }

    @Test
    void proxySpecParse() {
        ProxySpec p = ProxySpec.parse("http://u:p@[::1]:3128", new BasicAuth("a", "b"), Headers.of("X-A", "1"));
        assertEquals("::1", p.host());
        assertEquals("[::1]:3128", p.authority());
        assertEquals(new BasicAuth("a", "b"), p.auth()); // explicit credentials win over user-info
        assertEquals("1", p.proxyFields().get("X-A"));
        assertThrows(InvalidURL.class, () -> ProxySpec.parse("socks5://h:1080", null, null));
        assertThrows(InvalidURL.class, () -> ProxySpec.parse("http://", null, null));
        assertEquals(new ProxySpec("proxy", 3128, null, null), ProxySpec.parse("proxy:3128", null, null)); // curl, requests
        assertEquals(new ProxySpec("proxy", 80, null, null), ProxySpec.parse("proxy", null, null));
        assertEquals(p, ProxySpec.parse("http://[::1]:3128", new BasicAuth("a", "b"), Headers.of("X-A", "1")));
    }

    @Test
    void poolKeysThroughAProxy() { // aio4j-only: one pool per proxy for http, per origin and proxy for https
        ProxySpec p = ProxySpec.parse("http://proxy:3128", null, null);
        PoolKey a = PoolKey.of(URI.create("http://a.example/x"), null, p);
        PoolKey b = PoolKey.of(URI.create("http://b.example:8080/y"), null, p);
        assertEquals(a, b);
        assertEquals("proxy", a.connectHost());
        assertFalse(a.tunnel());
        PoolKey direct = PoolKey.of(URI.create("http://a.example/x"), null);
        assertFalse(direct.equals(a));
        javax.net.ssl.SSLContext ctx = null;
        try {
            ctx = javax.net.ssl.SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        PoolKey t = PoolKey.of(URI.create("https://a.example/x"), ctx, p);
        assertTrue(t.tunnel());
        assertEquals("a.example", t.host());
        assertEquals(443, t.port());
        assertEquals("proxy", t.connectHost());
        assertEquals(3128, t.connectPort());
        assertEquals("https://a.example:443 via proxy http://proxy:3128", t.toString());
        assertFalse(t.equals(PoolKey.of(URI.create("https://b.example/x"), ctx, p)));
    }

    @Test
    void connectHead() {
        ProxySpec p = ProxySpec.parse("http://user:pass@proxy:3128", null, Headers.of("X-A", "1"));
        PoolKey t = new PoolKey("https", "::1", 8443, null, p);
        assertEquals("CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\nX-A: 1\r\nProxy-Authorization: Basic dXNlcjpwYXNz\r\n\r\n",
                new String(ProxyTunnel.connectHead(t), java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void absoluteFormRequestLine() {
        byte[] head = RequestSerializer.head("GET", URI.create("http://h.example:8080/a%20b?q=1#frag"), new Headers(),
                new BodyFraming.None(), true);
        String s = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(s.startsWith("GET http://h.example:8080/a%20b?q=1 HTTP/1.1\r\nHost: h.example:8080\r\n"), s);
    }
}
