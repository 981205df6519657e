package dev.aio4j.http.internal;

import dev.aio4j.http.MultiDict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code Link} header reader: the cases of aiohttp's tests/test_client_response.py
 * ({@code test_response_links_*}) at the parser, RFC 8288's examples, and hostile input. The
 * {@code @Timeout} guards the linear bound: a backtracking reader would take minutes on the 100 KB
 * fields (a bug fails the test instead of hanging it; nothing here is timed).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinkHeaderTest {
    private static final URI BASE = URI.create("http://def-cl-resp.org/");

    private static MultiDict<MultiDict<String>> links(String... fields) {
        return LinkHeader.links(BASE, List.of(fields));
    }

    private static MultiDict<String> link(String... kv) {
        MultiDict.Builder<String> b = MultiDict.builder();
        for (int i = 0; i < kv.length; i += 2) {
            b.add(kv[i], kv[i + 1]);
        }
        return b.build();
    }

    @Test
    void responseLinksCommaSeparated() { // aiohttp: test_response_links_comma_separated
        MultiDict<MultiDict<String>> l = links("<http://example.com/page/1.html>; rel=next, <http://example.com/>; rel=home");
        assertEquals(List.of("next", "home"), l.keys());
        assertEquals(link("rel", "next", "url", "http://example.com/page/1.html"), l.get("next"));
        assertEquals(link("rel", "home", "url", "http://example.com/"), l.get("home"));
    }

    @Test
    void responseLinksMultipleHeaders() { // aiohttp: test_response_links_multiple_headers
        MultiDict<MultiDict<String>> l = links("<http://example.com/page/1.html>; rel=next", "<http://example.com/>; rel=home");
        assertEquals(link("rel", "next", "url", "http://example.com/page/1.html"), l.get("next"));
        assertEquals(link("rel", "home", "url", "http://example.com/"), l.get("home"));
        assertEquals(2, l.size());
    }

    @Test
    void responseLinksNoRel() { // aiohttp: test_response_links_no_rel
        assertEquals(MultiDict.builder().add("http://example.com/", link("url", "http://example.com/")).build(),
                links("<http://example.com/>"));
    }

    @Test
    void responseLinksQuoted() { // aiohttp: test_response_links_quoted
        assertEquals(link("rel", "home-page", "url", "http://example.com/"), links("<http://example.com/>; rel=\"home-page\"").get("home-page"));
    }

    @Test
    void responseLinksRelative() { // aiohttp: test_response_links_relative
        assertEquals(link("rel", "rel", "url", "http://def-cl-resp.org/relative/path"), links("</relative/path>; rel=rel").get("rel"));
    }

    @Test
    void responseLinksEmpty() { // aiohttp: test_response_links_empty
        assertTrue(links().isEmpty());
        assertTrue(links("").isEmpty());
    }

    @Test
    void rfc8288Examples() { // aio4j-only: the examples of RFC 8288 section 3.5
        MultiDict<MultiDict<String>> l = links("<http://example.com/TheBook/chapter2>; rel=\"previous\"; title=\"previous chapter\"");
        assertEquals(link("rel", "previous", "title", "previous chapter", "url", "http://example.com/TheBook/chapter2"), l.get("previous"));
        l = links("</>; rel=\"http://example.net/foo\"");
        assertEquals("http://def-cl-resp.org/", l.get("http://example.net/foo").get("url"));
        l = links("</terms>; rel=\"copyright\"; anchor=\"#foo\"");
        assertEquals("#foo", l.get("copyright").get("anchor"));
        l = links("</TheBook/chapter2>; rel=\"previous\"; title*=UTF-8'de'letztes%20Kapitel, "
                + "</TheBook/chapter4>; rel=\"next\"; title*=UTF-8'de'n%c3%a4chstes%20Kapitel");
        assertEquals("UTF-8'de'letztes%20Kapitel", l.get("previous").get("title*"), "RFC 8187 values are kept as sent");
        assertEquals("http://def-cl-resp.org/TheBook/chapter4", l.get("next").get("url"));
        l = links("<http://example.org/>; rel=\"start http://example.net/relation/other\"");
        assertEquals(List.of("start http://example.net/relation/other"), l.keys(), "the whole rel value is the key, as aiohttp");
    }

    @Test
    void commasAndSemicolonsInsideTargetsAndQuotedValuesDoNotSplit() { // aio4j-only
        MultiDict<MultiDict<String>> l = links("<http://h/?a=1,2;b>; rel=next; title=\"one, two; three\", <http://h/x>; rel=last");
        assertEquals("http://h/?a=1,2;b", l.get("next").get("url"));
        assertEquals("one, two; three", l.get("next").get("title"));
        assertEquals("http://h/x", l.get("last").get("url"));
    }

    @Test
    void parameterNamesFoldToLowerCaseAndEscapesAreUndone() { // aio4j-only: RFC 8288 appendix B.3
        List<LinkHeader.Link> l = LinkHeader.parse("<a>; REL=Next; Title=\"a \\\"quoted\\\" \\\\ word\"; crossorigin");
        assertEquals(List.of(Map.entry("rel", "Next"), Map.entry("title", "a \"quoted\" \\ word"), Map.entry("crossorigin", "")),
                l.get(0).params());
        assertEquals(List.of(Map.entry("rel", "'next'")), LinkHeader.parse("<a>; rel='next'").get(0).params(),
                "single quotes are not quotes in RFC 8288 (aiohttp's regular expression strips them; porting guide)");
    }

    @Test
    void garbageIsSkipped() { // aio4j-only: what aiohttp ignores is ignored
        assertEquals(List.of("next", "last"), links("junk, <http://h/1>; rel=next, also junk; rel=x, <http://h/2>; rel=last").keys());
        assertEquals(link("rel", "next", "url", "http://h/1"), links("<http://h/1> trailing junk; rel=next").get("next"));
        assertEquals(link("rel", "next", "url", "http://h/1"), links("<http://h/1>; =nameless; ; rel=next;;").get("next"));
        assertEquals(link("rel", "next", "url", "http://h/1"), links("<http://h/1>; url=http://evil/; rel=next").get("next"),
                "a parameter named url cannot stand in for the target");
        assertTrue(links("http://h/1; rel=next").isEmpty(), "no <>");
        assertTrue(links("<http://h/1; rel=next").isEmpty(), "no >");
        assertEquals(List.of("next"), links("<http://h/1>; rel=next, <http://h/2; rel=last").keys(), "the unterminated second is dropped");
    }

    @Test
    void unterminatedQuoteDropsTheParameterAndTheRestOfTheField() { // aio4j-only
        MultiDict<MultiDict<String>> l = links("<http://h/1>; rel=next; title=\"never closed, <http://h/2>; rel=last");
        assertEquals(List.of("next"), l.keys());
        assertEquals(link("rel", "next", "url", "http://h/1"), l.get("next"));
        assertEquals(List.of("http://h/1"), links("<http://h/1>; title=\"ends in a backslash\\").keys());
        assertEquals(List.of("next", "last"), links("<http://h/1>; rel=next; \"stray, <http://h/2>; rel=last").keys(),
                "a quote where a parameter name stands opens no quoted string (RFC 8288 B.3); the name is not a token and is left out");
        assertEquals(List.of("next"), links("<http://h/1>; rel=\"next\" junk \"stray, <http://h/2>; rel=last").keys(),
                "in garbage, a quote opens a quoted string that swallows the rest");
        assertEquals(List.of("a", "b"), links("<http://h/1>; rel=a; title=\"x\"", "<http://h/2>; rel=b").keys(),
                "each field is read on its own");
    }

    @Test
    void targetsResolveAgainstTheResponseUrl() { // aio4j-only: RFC 3986 section 5.2 (yarl's join)
        URI base = URI.create("http://h/a/b/c?q");
        assertEquals("http://h/a/b/d", LinkHeader.links(base, List.of("<d>")).get("d").get("url"));
        assertEquals("http://h/a/x", LinkHeader.links(base, List.of("<../x>")).get("../x").get("url"));
        assertEquals("http://h/a/b/c?p", LinkHeader.links(base, List.of("<?p>")).get("?p").get("url"));
        assertEquals("urn:isbn:123", LinkHeader.links(base, List.of("<urn:isbn:123>")).get("urn:isbn:123").get("url"));
        assertEquals("http://h/caf%C3%A9", LinkHeader.links(base, List.of("</caf\u00c3\u00a9>; rel=x")).get("x").get("url"),
                "bytes from 0x80 up are percent-encoded as sent");
    }

    @Test
    void hostileFieldsOf100KbAreReadInOnePass() { // aio4j-only
        int n = 100_000;
        assertTrue(links("<" + "a".repeat(n)).isEmpty(), "an unterminated target");
        assertEquals(List.of("x"), links("<http://h/>; rel=x; title=\"" + "a".repeat(n)).keys(), "an unterminated quote");
        assertEquals(List.of("x"), links("<http://h/>; rel=x" + ";".repeat(n)).keys());
        assertEquals(List.of("x"), links("<http://h/>; rel=x; t=" + " ".repeat(n) + "v").keys());
        assertEquals(n / 4, links("<a>,".repeat(n / 4)).size());
        assertEquals(List.of("x"), links("<http://h/>; rel=x; " + "\"\\".repeat(n / 2)).keys());
        assertEquals(1, links("<" + "/..".repeat(n / 3) + ">").size(), "dot segments resolve in linear time too");
        assertTrue(links(",".repeat(n) + " ".repeat(n) + "<".repeat(n)).isEmpty());
        assertTrue(links("x".repeat(n) + "\"".repeat(n)).isEmpty());
    }
}
