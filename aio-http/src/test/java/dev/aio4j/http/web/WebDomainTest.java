package dev.aio4j.http.web;

import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.RequestOption;
import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Application#addDomain}: mirrors the {@code Domain}, {@code MaskDomain} and
 * {@code add_domain} tests of aiohttp's {@code tests/test_urldispatch.py} (routing without a
 * server, through {@link MockedRequest}) and {@code test_subapp_domain_routing_same_path} of
 * {@code tests/test_web_urldispatcher.py} (served on loopback). Names are aiohttp's in camelCase;
 * tests marked aio4j-only pin what aiohttp does without a test of its own (middlewares, signals,
 * freezing and URLs of a domain's sub-application, which share {@link Application#addSubapp}'s
 * machinery).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebDomainTest {

    private static Handler makeHandler() {
        return request -> new Response().text("handler");
    }

    private static MatchInfo resolve(Application app, String method, String path, String host) {
        return Aio.run(() -> {
            MockedRequest m = MockedRequest.of(method, path).app(app);
            if (host == null) {
                m.version(0);
            } else {
                m.header("Host", host);
            }
            return m.build().matchInfo();
        });
    }

    // ------------------------------------------------------------------ test_urldispatch.py

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''             | Domain cannot be empty",
            "...            | Domain cannot be empty",
            "http://dom     | Scheme not supported",
            "*.example.com  | Domain not valid",
            "example$com    | Domain not valid",
            "-example.com   | Domain not valid",
            "example-.com   | Domain not valid",
            "a..example.com | Domain not valid",
            "example.com:x  | Domain not valid",
            "example.com:65536 | Domain not valid",
            "example.com/path  | Domain not valid",
            "/example.com      | Domain not valid: \"/example.com\": a domain is a host name with an optional :port,",
            "user@example.com  | Domain not valid",
            "[::1]:8080        | Domain not valid"})
    void domainValidationError(String domain, String message) { // test_domain_validation_error ("*" only in a mask)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DomainRule.exact(domain));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void domainValidationErrorNone() { // test_domain_validation_error: None is a TypeError
        assertThrows(NullPointerException.class, () -> DomainRule.exact(null));
    }

    @Test
    void domainValid() { // test_domain_valid
        assertEquals("example.com:81", DomainRule.exact("example.com:81").canonical());
        assertEquals(".*\\.example\\.com", DomainRule.mask("*.example.com").canonical());
        assertEquals("xn--h1ajfq.xn--d1alm", DomainRule.exact("пуни.код").canonical());
        // aio4j: port 80 is the default, trailing dots and case do not count
        assertEquals("example.com", DomainRule.exact("Example.COM..").canonical());
        assertEquals("example.com", DomainRule.exact("Example.COM:80").canonical());
        assertThrows(IllegalArgumentException.class, () -> DomainRule.exact("example.com.:80")); // as aiohttp: rstrip(".") first
        assertEquals("example.com", DomainRule.exact("example.com:").canonical());
        assertEquals("127.0.0.1:8080", DomainRule.exact("127.0.0.1:8080").canonical());
        assertEquals("example.com:65535", DomainRule.exact("example.com:65535").canonical());
        assertEquals("example.com:9", DomainRule.exact("example.com:9").canonical());
    }

    @ParameterizedTest
    @CsvSource({
            "example.com, example.com, true",
            "example.com:81, example.com:81, true",
            "example.com:81, example.com, false",
            "пуникод, xn--d1ahgkhc2a, true",
            "*.example.com, jpg.example.com, true",
            "*.example.com, a.example.com, true",
            "*.example.com, example.com, false",
            // aio4j: the port rules of Domain.match_domain, spelled out
            "example.com, example.com:80, false",
            "example.com:80, example.com, true",
            "example.com, example.com:8080, false",
            "example.com, EXAMPLE.com, true",
            "*.example.com, a.b.example.com, true",
            "*.example.com, a.example.com:81, false",
            "*.example.com:81, a.example.com:81, true",
            "*.example.com, A.Example.Com, true", // aiohttp's mask compares the Host as sent
            "*, anything:1, true",
            "*.example.com, a.example.com.evil.org, false"})
    void matchDomain(String a, String b, boolean result) { // test_match_domain
        DomainRule rule = a.contains("*") ? DomainRule.mask(a) : DomainRule.exact(a);
        assertEquals(result, rule.matchDomain(b));
    }

    @Test
    void maskMatchingIsNotBacktracking() { // aio4j-only: a Host of a few KB against a mask of several '*'
        // as a regex, .*\..*\..*\.example\.com against 8000 dots backtracks for minutes,
        // holding the event loop; the mask is matched as a glob, in a few milliseconds
        DomainRule rule = DomainRule.mask("*.*.*.example.com");
        String hostile = ".".repeat(8000);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            assertEquals(false, rule.matchDomain(hostile));
            assertEquals(false, rule.matchDomain(hostile + "example.co"));
            assertEquals(true, rule.matchDomain(hostile + "example.com"));
        });
    }

    @ParameterizedTest
    @CsvSource({
            "*.*.example.com, a.b.example.com, true",
            "*.*.example.com, a.example.com, false",
            "*.*.example.com, .a.example.com, true",
            "a*b.example.com, ab.example.com, true",
            "a*b.example.com, axxb.example.com, true",
            "a*b.example.com, axxbc.example.com, false",
            "*b*.example.com, abab.example.com, true",
            "*, '', true",
            "**.example.com, x.example.com, true",
            "*.example.com:81, a.example.com:81, true",
            "*.example.com:81, a.example.com:811, false",
            "*example.com, example.com, true"})
    void maskMatchesAsItsRegex(String mask, String host, boolean result) { // aio4j-only: the glob is aiohttp's regex
        DomainRule rule = DomainRule.mask(mask);
        assertEquals(result, rule.matchDomain(host));
        assertEquals(result, java.util.regex.Pattern.compile(rule.canonical()).matcher(host).matches());
    }

    @Test
    void subappRuleResource() { // test_subapp_rule_resource
        Application app = new Application();
        Application subapp = new Application();
        subapp.router().addGet("/", makeHandler());
        Resource resource = app.addDomain("example.com", subapp);
        assertEquals(Resource.Kind.DOMAIN, resource.kind());
        assertEquals("example.com", resource.canonical());
        assertTrue(resource.toString().startsWith("<MatchedSubAppResource"), resource.toString());
        assertThrows(IllegalArgumentException.class, resource::urlFor); // aiohttp: RuntimeError
        assertThrows(IllegalStateException.class, () -> resource.addRoute("GET", makeHandler()));
        assertEquals(List.of(resource), app.router().resources());
    }

    @Test
    void addDomainNotStr() { // test_add_domain_not_str: None here
        Application app = new Application();
        assertThrows(NullPointerException.class, () -> app.addDomain(null, new Application()));
        assertThrows(NullPointerException.class, () -> app.addDomain("example.com", null));
    }

    @Test
    void addDomain() { // test_add_domain
        Application app = new Application();
        Application subapp1 = new Application();
        Handler h1 = makeHandler();
        subapp1.router().addGet("/", h1);
        app.addDomain("example.com", subapp1);
        Application subapp2 = new Application();
        Handler h2 = makeHandler();
        subapp2.router().addGet("/", h2);
        app.addDomain("*.example.com", subapp2);
        Application subapp3 = new Application();
        Handler h3 = makeHandler();
        subapp3.router().addGet("/", h3);
        app.addDomain("*", subapp3);

        assertSame(h1, resolve(app, "GET", "/", "example.com").route().handler());
        assertSame(h2, resolve(app, "GET", "/", "a.example.com").route().handler());
        assertSame(h3, resolve(app, "GET", "/", "example2.com").route().handler());
        MatchInfo post = resolve(app, "POST", "/", "example.com");
        assertInstanceOf(HTTPMethodNotAllowed.class, post.httpException());
        assertEquals(List.of(app, subapp1), post.apps());
    }

    @Test
    void addDomainInvalidIsRefusedBeforeMounting() { // aio4j-only: the sub-application stays free
        Application app = new Application();
        Application sub = new Application();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> app.addDomain("exa mple.com", sub));
        assertTrue(e.getMessage().startsWith("Domain not valid: \"exa mple.com\""), e.getMessage());
        assertEquals(List.of(), app.router().resources());
        app.addDomain("example.com", sub); // not mounted by the failed call
    }

    @Test
    void domainMatchDecidesAndPathsComeAfter() { // aio4j-only: resolution order, as aiohttp's UrlDispatcher.resolve
        Application app = new Application();
        Handler root = makeHandler();
        app.router().addGet("/", root);
        app.router().addGet("/only-root", root);
        Application sub = new Application();
        Handler inSub = makeHandler();
        sub.router().addGet("/", inSub);
        app.addDomain("sub.example.com", sub);

        assertSame(inSub, resolve(app, "GET", "/", "sub.example.com").route().handler());
        assertSame(inSub, resolve(app, "GET", "/", "SUB.example.com").route().handler());
        // a matched domain's 404 is the answer: the parent's paths are not tried
        assertInstanceOf(HTTPNotFound.class, resolve(app, "GET", "/only-root", "sub.example.com").httpException());
        assertSame(root, resolve(app, "GET", "/only-root", "example.com").route().handler());
        // another port, or no Host at all (HTTP/1.0), is not the domain
        assertSame(root, resolve(app, "GET", "/", "sub.example.com:8080").route().handler());
        assertSame(root, resolve(app, "GET", "/", null).route().handler());
    }

    @Test
    void domainInsidePrefixedSubapp() { // aio4j-only: the domain's routes see the path below the prefix, URLs carry it
        Application app = new Application();
        Application mid = new Application();
        Application sub = new Application();
        Handler h = makeHandler();
        sub.router().addGet("/users/{id}", h, "user");
        mid.addDomain("api.example.com", sub);
        app.addSubapp("/v1", mid);

        MatchInfo info = resolve(app, "GET", "/v1/users/7", "api.example.com");
        assertSame(h, info.route().handler());
        assertEquals("7", info.get("id"));
        assertEquals(List.of(app, mid, sub), info.apps());
        assertEquals("/v1/users/7", sub.router().named("user").urlFor("id", "7"));
        assertInstanceOf(HTTPNotFound.class, resolve(app, "GET", "/v1/users/7", "example.com").httpException());
    }

    @Test
    void addDomainMountsOnceAndNotWhenFrozen() { // aio4j-only: the checks of add_subapp (_add_subapp)
        Application app = new Application();
        Application sub = new Application();
        app.addDomain("a.example.com", sub);
        assertThrows(IllegalArgumentException.class, () -> app.addDomain("b.example.com", sub));
        assertThrows(IllegalArgumentException.class, () -> app.addSubapp("/b", sub));
        assertThrows(IllegalArgumentException.class, () -> app.addDomain("c.example.com", app));
        Application frozen = new Application();
        frozen.freeze();
        assertThrows(IllegalStateException.class, () -> app.addDomain("d.example.com", frozen));
        app.freeze();
        assertTrue(sub.frozen()); // frozen with its parent
        assertThrows(IllegalStateException.class, () -> sub.router().addGet("/late", makeHandler()));
        assertThrows(IllegalStateException.class, () -> app.addDomain("e.example.com", new Application()));
    }

    // ------------------------------------------------------------ test_web_urldispatcher.py

    @Test
    void subappDomainRoutingSamePath() throws Exception { // test_subapp_domain_routing_same_path (#11665)
        List<String> reached = new CopyOnWriteArrayList<>();
        Application app = new Application();
        Application subApp = new Application();
        app.router().addGet("/", r -> {
            reached.add("main");
            return new Response().text("MAIN");
        });
        subApp.router().addGet("/", r -> new Response().text("SUBAPP"));
        app.addDomain("different.example.com", subApp);
        Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                try (ClientResponse r = f.get("/", RequestOption.header("Host", "different.example.com"))) {
                    assertEquals(200, r.status());
                    assertEquals("SUBAPP", r.text());
                }
                try (ClientResponse r = f.get("/")) { // Host: 127.0.0.1:port
                    assertEquals("MAIN", r.text());
                }
            }
        });
        assertEquals(List.of("main"), reached);
    }

    @Test
    void domainSubappMiddlewaresSignalsAndCurrentApp() throws Exception { // aio4j-only: as a prefixed sub-application's
        AppKey<String> name = AppKey.of("name", String.class);
        List<String> seen = new CopyOnWriteArrayList<>();
        Application app = new Application();
        app.set(name, "root");
        Application sub = new Application();
        sub.set(name, "sub");
        app.middlewares().add((request, handler) -> {
            seen.add("root mw in " + request.app().get(name));
            return handler.handle(request);
        });
        sub.middlewares().add((request, handler) -> {
            seen.add("sub mw in " + request.app().get(name));
            return handler.handle(request);
        });
        sub.router().addGet("/", r -> new Response().text("handled in " + r.app().get(name)));
        for (Application a : List.of(app, sub)) {
            a.onStartup().add(x -> seen.add("startup " + x.get(name)));
            a.onCleanup().add(x -> seen.add("cleanup " + x.get(name)));
        }
        app.addDomain("*.example.com", sub);
        Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                assertEquals(List.of("startup root", "startup sub"), seen);
                seen.clear();
                try (ClientResponse r = f.get("/", RequestOption.header("Host", "tenant.example.com"))) {
                    assertEquals("handled in sub", r.text());
                }
                assertEquals(List.of("root mw in root", "sub mw in sub"), seen);
                seen.clear();
                try (ClientResponse r = f.get("/")) {
                    assertEquals(404, r.status());
                }
                assertEquals(List.of("root mw in root"), seen);
                seen.clear();
            }
        });
        assertEquals(List.of("cleanup root", "cleanup sub"), seen);
    }

    @Test
    void noHostMatchesNoDomain() throws Exception { // aio4j-only: an HTTP/1.0 request without Host, on the wire
        Application app = new Application();
        app.router().addGet("/", r -> new Response().text("MAIN"));
        Application sub = new Application();
        sub.router().addGet("/", r -> new Response().text("SUB"));
        app.addDomain("*", sub);
        String out = Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                return f.raw("GET / HTTP/1.0\r\n\r\n") + f.raw("GET / HTTP/1.0\r\nHost: x\r\n\r\n");
            }
        });
        int second = out.indexOf("HTTP/1.", 1);
        assertTrue(out.substring(0, second).endsWith("MAIN"), out);
        assertTrue(out.endsWith("SUB"), out);
    }
}
