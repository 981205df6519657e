package dev.aio4j.http.web;

import dev.aio4j.http.internal.UrlEncoding;
import dev.aio4j.loop.Aio;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Properties of a request's target that hold for every origin-form target the parser accepts
 * (visible ASCII after a {@code /}): the fragment is split off before the query, as aiohttp's
 * {@code http_parser.py} does, so it reaches neither {@code path()} nor the query; {@code rawPath()}
 * is the target as sent; {@code url()} never fails; and the same target in absolute form gives the
 * same path, query and raw path. aio4j-only.
 */
class RequestTargetProperties {

    @Provide
    Arbitrary<String> targets() {
        Arbitrary<String> piece = Arbitraries.of("/", "a", "Z", "0", "?", "#", "=", "&", "%", "%2", "%23", "%25", "%2F", "%zz",
                "%D0%BF", "+", ".", "..", "|", "[", "]", "\"", "<", "{", "`", "^", "\\", "~", ";", ":", "@", "'");
        return piece.list().ofMaxSize(12).map(l -> "/" + String.join("", l));
    }

    @Property(tries = 300, seed = "20261204")
    void theFragmentIsSplitOffFirst(@ForAll("targets") String target) {
        Aio.run(() -> {
            Request req = MockedRequest.make("GET", target, "Host", "h.test");
            int hash = target.indexOf('#');
            String beforeHash = hash < 0 ? target : target.substring(0, hash);
            int q = beforeHash.indexOf('?');
            String rawPathPart = q < 0 ? beforeHash : beforeHash.substring(0, q);
            assertEquals(target, req.rawPath());
            assertEquals(UrlEncoding.decode(rawPathPart), req.path(), target);
            assertEquals(q < 0 ? "" : beforeHash.substring(q + 1), req.rawQueryString(), target);
            assertFalse(req.rawQueryString().contains("#"), target);
            assertEquals(UrlEncoding.unquoteQueryString(req.rawQueryString()), req.queryString(), target);
            URI url = req.url(); // never throws: what URI cannot hold is percent-encoded
            assertEquals(hash >= 0 && hash < target.length() - 1, url.getRawFragment() != null, target + " -> " + url);
            assertEquals("h.test", url.getHost());

            Request abs = MockedRequest.make("GET", "http://h.test" + target, "Host", "other.test");
            assertEquals(req.rawPath(), abs.rawPath(), target);
            assertEquals(req.path(), abs.path(), target);
            assertEquals(req.queryString(), abs.queryString(), target);
            assertEquals(req.rawQueryString(), abs.rawQueryString(), target);
            assertEquals(req.pathQs(), abs.pathQs(), target);
            assertEquals(req.url(), abs.url(), target);
            return null;
        });
    }

    @Provide
    Arbitrary<String> authorities() {
        Arbitrary<String> piece = Arbitraries.of("h", "H", "0", "1.2", ".", ":", "::", "[", "]", "@", "%", "%25", "%zz", "v1", "-",
                "|", "\\", "~", "!", "'", "80", "65536", "xn--caf-dma", "xn--", "*", "=", ";", "^", "{", "\"", "`");
        return piece.list().ofMaxSize(8).map(l -> String.join("", l));
    }

    /**
     * aio4j-only: an absolute-form target the request line accepts (AbsoluteTarget splits it) gives
     * a host, scheme and URL without throwing, whatever its authority, so a handler never answers
     * 500 for the client's target; one AbsoluteTarget refuses is a 400 at the parser.
     */
    @Property(tries = 1000, seed = "20261205")
    void anAcceptedAuthorityNeverMakesTheAccessorsThrow(@ForAll("authorities") String authority, @ForAll("targets") String rest) {
        String target = "http://" + authority + rest;
        try {
            dev.aio4j.http.internal.AbsoluteTarget.parse(target);
        } catch (IllegalArgumentException refused) {
            return; // the parser answers 400 (RequestParserTest)
        }
        Aio.run(() -> {
            Request req = MockedRequest.make("GET", target, "Host", "h.test");
            req.host();
            req.scheme();
            URI url = req.url();
            assertEquals(req.pathQs().isEmpty() ? "/" : req.pathQs().substring(0, 1), "/", target);
            assertEquals("http", url.getScheme(), target);
            Request viaHost = MockedRequest.make("GET", rest, "Host", authority.isEmpty() ? "h" : authority);
            viaHost.host();
            viaHost.url();
            return null;
        });
    }
}
