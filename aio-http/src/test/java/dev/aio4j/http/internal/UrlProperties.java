package dev.aio4j.http.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of URL resolution and encoding (issue 14): RFC 3986 section 5.2 as
 * {@link UriReference} states it, and yarl's percent-encoding as {@link UrlEncoding} states it.
 * aio4j-only (yarl's tests are example-based).
 */
class UrlProperties {
    private static final Pattern HEX_ESCAPE = Pattern.compile("%[0-9A-Fa-f]{2}");

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> segment = Arbitraries.of("a", "b", "c;p", ".", "..", "", "g.", ".g", "..g", "%2E", "x=1");
        return segment.list().ofMaxSize(8).flatMap(segs -> Arbitraries.of("", "/").map(lead -> lead + String.join("/", segs)));
    }

    @Provide
    Arbitrary<String> references() {
        Arbitrary<String> query = Arbitraries.of("", "?", "?y", "?y/../x", "?a=1&b=2");
        Arbitrary<String> fragment = Arbitraries.of("", "#", "#s", "#s/./x");
        Arbitrary<String> prefix = Arbitraries.of("", "", "", "//g", "http://h", "https://k:8443");
        return net.jqwik.api.Combinators.combine(prefix, paths(), query, fragment).as((p, path, q, f) -> {
            String pathPart = !p.isEmpty() && !path.isEmpty() && !path.startsWith("/") ? "/" + path : path;
            return p + pathPart + q + f;
        });
    }

    private static List<String> segments(String path) {
        return List.of(path.split("/", -1));
    }

    /**
     * The one-pass dot-segment removal (stop 30) gives what RFC 3986 section 5.2.4's algorithm,
     * written as the RFC states it (an input buffer shrinking from the left), gives, for any
     * string of slashes, dots and letters.
     */
    @Property(tries = 3000, seed = "20261207")
    void removeDotSegmentsIsTheRfcAlgorithm(@ForAll("dotty") String path) {
        assertEquals(rfcRemoveDotSegments(path), UriReference.removeDotSegments(path), path);
    }

    @Provide
    Arbitrary<String> dotty() {
        return Arbitraries.strings().withChars("/./.a").ofMaxLength(24);
    }

    /** RFC 3986 section 5.2.4, step by step, for the property above. */
    private static String rfcRemoveDotSegments(String path) {
        String in = path;
        StringBuilder out = new StringBuilder();
        while (!in.isEmpty()) {
            if (in.startsWith("../")) {
                in = in.substring(3);
            } else if (in.startsWith("./")) {
                in = in.substring(2);
            } else if (in.startsWith("/./")) {
                in = in.substring(2);
            } else if (in.equals("/.")) {
                in = "/";
            } else if (in.startsWith("/../") || in.equals("/..")) {
                in = in.equals("/..") ? "/" : in.substring(3);
                int slash = out.lastIndexOf("/");
                out.setLength(Math.max(slash, 0));
            } else if (in.equals(".") || in.equals("..")) {
                in = "";
            } else {
                int next = in.indexOf('/', in.startsWith("/") ? 1 : 0);
                if (next < 0) {
                    next = in.length();
                }
                out.append(in, 0, next);
                in = in.substring(next);
            }
        }
        return out.toString();
    }

    @Property(tries = 1000, seed = "20261203")
    void removeDotSegmentsIsIdempotentAndLeavesNoDotSegment(@ForAll("paths") String path) {
        String once = UriReference.removeDotSegments(path);
        assertEquals(once, UriReference.removeDotSegments(once));
        assertFalse(segments(once).contains("."), once);
        assertFalse(segments(once).contains(".."), once);
    }

    @Property(tries = 1000, seed = "20261204")
    void resolvedPathsHaveNoDotSegmentsAndKeepTheBaseOrigin(@ForAll("references") String ref, @ForAll("paths") String basePath) {
        String normalizedBase = UriReference.removeDotSegments(basePath.startsWith("/") ? basePath : "/" + basePath);
        UriReference base = UriReference.split("http://a" + normalizedBase + "?q"); // base URLs are normalized when parsed
        UriReference r = UriReference.split(ref);
        UriReference t = base.resolve(r);
        assertFalse(segments(t.path()).contains("."), t.toString());
        assertFalse(segments(t.path()).contains(".."), t.toString());
        assertEquals(r.hasScheme() ? r.scheme() : "http", t.scheme());
        assertEquals(r.authority() != null ? r.authority() : "a", t.authority());
        assertEquals(r.fragment(), t.fragment(), "the fragment always comes from the reference");
        if (r.authority() != null || r.hasScheme() || !r.path().isEmpty()) {
            assertEquals(r.query(), t.query());
        } else {
            assertEquals(r.query() != null ? r.query() : "q", t.query());
        }
    }

    @Property(tries = 500, seed = "20261205")
    void resolvingAnAbsoluteReferenceGivesItBackNormalized(@ForAll("references") String ref, @ForAll("paths") String basePath) {
        UriReference r = UriReference.split(ref);
        Assume.that(r.hasScheme());
        UriReference base = UriReference.split("http://a/" + basePath);
        UriReference normalized = new UriReference(r.scheme(), r.authority(), UriReference.removeDotSegments(r.path()), r.query(),
                r.fragment());
        assertEquals(normalized, base.resolve(r));
        assertEquals(normalized, base.resolve(normalized), "resolving is idempotent on a normalized absolute reference");
    }

    @Provide
    Arbitrary<String> unicode() {
        Arbitrary<Integer> cp = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(0x20, 0x7E)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 0x1F)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x80, 0xD7FF)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xE000, 0x10FFFF)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of((int) '%')));
        return cp.list().ofMaxSize(24).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    private static void assertSendable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            assertTrue(c > 0x20 && c < 0x7F, "not printable ASCII at " + i + ": " + s);
        }
    }

    @Property(tries = 1000, seed = "20261206")
    void anyUnicodePathOrQueryRoundTripsAndEncodesToAscii(@ForAll("unicode") String s) {
        Assume.that(!HEX_ESCAPE.matcher(s).find()); // an existing %XX is kept as it is, by design
        String path = UrlEncoding.encodePath("/" + s);
        String query = UrlEncoding.encodeQuery(s);
        assertSendable(path);
        assertSendable(query);
        assertFalse(path.contains("?") || path.contains("#"), path);
        assertFalse(query.contains("#"), query);
        assertEquals("/" + s, UrlEncoding.decode(path));
        assertEquals(s, UrlEncoding.decode(query));
        assertEquals(path, UrlEncoding.encodePath(path), "encoding an encoded path changes nothing");
    }

    @Provide
    Arbitrary<String> rawQueries() {
        return Arbitraries.of("a", "=", "&", ";", "+", "%", "%2B", "%2b", "%3D", "%26", "%3B", "%41", "%C3", "%A9", "%E2",
                "%82", "%AC", "%F0", "%9F", "%80", "%zz", "%4", "\u00e9", " ").list().ofMaxSize(12).map(l -> String.join("", l));
    }

    /**
     * yarl's decoded query_string keeps the fields as sent: the separators {@code &}, {@code ;} and
     * {@code =} stay where they were, escaped ones stay escaped, and a string with nothing to
     * decode is itself.
     */
    @Property(tries = 1000, seed = "20261205")
    void unquotedQueryStringKeepsItsFields(@ForAll("rawQueries") String raw) {
        String decoded = UrlEncoding.unquoteQueryString(raw);
        for (char sep : new char[] {'&', ';', '='}) {
            assertEquals(raw.chars().filter(c -> c == sep).count(), decoded.chars().filter(c -> c == sep).count(),
                    raw + " -> " + decoded);
        }
        assertFalse(decoded.contains("+"), raw + " -> " + decoded); // a + is a space; an escaped one stays %2B
        assertEquals(decoded, UrlEncoding.unquoteQueryString(decoded.replace("%", "%25").replace(" ", "+")
                .replace("%252B", "%2B").replace("%253D", "%3D").replace("%2526", "%26").replace("%253B", "%3B")),
                raw + " -> " + decoded);
    }
}
