package dev.aio4j.http;

import dev.aio4j.http.internal.DigestChallenge;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariants of {@link DigestAuthMiddleware} and its challenge parser for all inputs. aio4j-only
 * (aiohttp's tests give examples of the same rules).
 */
class DigestAuthProperties {
    private static final URI URL = URI.create("http://example.com/dir/index.html");

    /** Any text, with the characters a challenge is made of over-represented. */
    @Provide
    Arbitrary<String> headerText() {
        Arbitrary<Character> special = Arbitraries.of('"', '\\', ',', '=', ' ', '\t', '\n', 'a', 'Z', '_', '0', 'é', '\u00a0');
        Arbitrary<String> mixed = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, special),
                net.jqwik.api.Tuple.of(1, Arbitraries.chars()))
                .list().ofMaxSize(60).map(cs -> {
                    StringBuilder sb = new StringBuilder();
                    cs.forEach(sb::append);
                    return sb.toString();
                });
        Arbitrary<String> challengeLike = Arbitraries.of("realm", "nonce", "qop", "algorithm", "opaque", "domain", "stale", "x")
                .flatMap(k -> mixed.map(v -> k + "=" + v)).list().ofMaxSize(6).map(l -> String.join(", ", l));
        return Arbitraries.oneOf(mixed, challengeLike);
    }

    // the parser and the challenge reader never throw; making a header either works or throws the
    // documented ClientError
    @Property(tries = 2000, seed = "20261204")
    void anyChallengeIsReadOrRefusedWithClientError(@ForAll("headerText") String params) {
        DigestAuthMiddleware mw = new DigestAuthMiddleware("user", "pass", true, () -> "00112233aabbccdd");
        DigestChallenge.parsePairs(params);
        boolean retry = mw.authenticate(401, "Digest " + params, URL);
        if (!retry) {
            return;
        }
        try {
            String header = mw.encode("GET", URL, () -> new byte[] {1, 2});
            assertTrue(header.startsWith("Digest username=\"user\", realm=\""), header);
            Map<String, String> back = DigestChallenge.parsePairs(header.substring("Digest ".length()));
            assertEquals(mw.challenge().get("realm"), back.get("realm"), "the header quotes the realm faithfully");
            assertEquals(mw.challenge().get("nonce"), back.get("nonce"), "and the nonce");
        } catch (ClientError e) {
            assertTrue(e.getMessage().startsWith("Malformed Digest auth challenge: Missing")
                    || e.getMessage().startsWith("Security issue: Digest auth challenge contains empty 'nonce'")
                    || e.getMessage().startsWith("Digest auth error: Unsupported"), e.getMessage());
        }
    }

    @Provide
    Arbitrary<Map<String, String>> params() {
        Arbitrary<String> keys = Arbitraries.strings().withCharRange('a', 'z').withChars('_', '0', '9').ofMinLength(1).ofMaxLength(8);
        return Arbitraries.maps(keys, Arbitraries.strings().ofMaxLength(20)).ofMaxSize(6);
    }

    // quoted parameters written with escapeQuotes are read back as they were, whatever the text
    @Property(tries = 1000, seed = "20261204")
    void quotedParametersRoundTrip(@ForAll("params") Map<String, String> params) {
        StringBuilder sb = new StringBuilder("Digest ");
        params.forEach((k, v) -> sb.append(sb.length() > 7 ? ", " : "").append(k).append("=\"")
                .append(DigestChallenge.escapeQuotes(v)).append('"'));
        assertEquals(new LinkedHashMap<>(params), DigestChallenge.parsePairs(sb.toString()));
    }

    // unescapeQuotes undoes escapeQuotes for every text
    @Property(tries = 1000, seed = "20261204")
    void escapeThenUnescapeIsIdentity(@ForAll String text) {
        assertEquals(text, DigestChallenge.unescapeQuotes(DigestChallenge.escapeQuotes(text)));
    }

    // nc counts 1, 2, 3, ... for one nonce and starts again at 1 for a new one
    @Property(tries = 200, seed = "20261204")
    void nonceCountStrictlyIncreases(@ForAll @IntRange(min = 1, max = 40) int first, @ForAll @IntRange(min = 1, max = 40) int second) {
        DigestAuthMiddleware mw = new DigestAuthMiddleware("user", "pass");
        assertTrue(mw.authenticate(401, "Digest realm=\"r\", nonce=\"one\", qop=auth", URL));
        for (int i = 1; i <= first; i++) {
            assertEquals(String.format("%08x", i), DigestAuthMiddlewareTest.param(mw.encode("GET", URL, () -> new byte[0]), "nc"));
        }
        assertTrue(mw.authenticate(401, "Digest realm=\"r\", nonce=\"two\", qop=auth, stale=true", URL));
        for (int i = 1; i <= second; i++) {
            assertEquals(String.format("%08x", i), DigestAuthMiddlewareTest.param(mw.encode("GET", URL, () -> new byte[0]), "nc"));
        }
    }
}
