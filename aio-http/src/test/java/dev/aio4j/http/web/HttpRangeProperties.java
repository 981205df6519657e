package dev.aio4j.http.web;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import java.math.BigInteger;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the one {@code Range} parser ({@link HttpRange#parse}, behind
 * {@link Request#httpRange()} and {@link FileResponse}): a range printed as a header parses back
 * to the slice it stands for, and no string makes it throw anything but the documented
 * {@link IllegalArgumentException}. aio4j-only.
 */
class HttpRangeProperties {
    private static final long MAX = Long.MAX_VALUE - 1;

    @Property(tries = 500, seed = "20261204")
    void printedRangeParsesBackToTheSameSlice(@ForAll @LongRange(min = 0, max = MAX) long a,
                                              @ForAll @LongRange(min = 0, max = MAX) long b) {
        long first = Math.min(a, b);
        long last = Math.max(a, b);
        HttpRange r = HttpRange.parse("bytes=" + first + "-" + last);
        assertEquals(OptionalLong.of(first), r.start());
        assertEquals(OptionalLong.of(last + 1), r.stop());
        HttpRange open = HttpRange.parse("bytes=" + first + "-");
        assertEquals(OptionalLong.of(first), open.start());
        assertEquals(OptionalLong.empty(), open.stop());
        HttpRange suffix = HttpRange.parse("bytes=-" + last);
        assertEquals(OptionalLong.of(-last), suffix.start());
        assertEquals(OptionalLong.empty(), suffix.stop());
    }

    @Property(tries = 500, seed = "20261204")
    void indicesStayInsideTheContent(@ForAll("validRanges") String header, @ForAll @LongRange(min = 0, max = 1L << 40) long length) {
        long[] ix = HttpRange.parse(header).indices(length);
        assertTrue(0 <= ix[0] && ix[0] <= ix[1] && ix[1] <= length, header + " on " + length);
    }

    @Property(tries = 2000, seed = "20261204")
    void arbitraryStringsParseOrThrowTheDocumentedException(@ForAll("headers") String header) {
        try {
            HttpRange r = HttpRange.parse(header);
            assertTrue(r.start().isPresent(), header); // a parsed header always has a start (the suffix's is negative)
        } catch (IllegalArgumentException expected) { // one of aiohttp's three messages, never a bare NumberFormatException
            String m = expected.getMessage();
            assertTrue(!(expected instanceof NumberFormatException) && m != null && (m.startsWith("range not in acceptable format")
                    || m.startsWith("start cannot be after end") || m.startsWith("No start or end of range specified")), header + ": " + m);
        }
    }

    @Property(tries = 1000, seed = "20261205")
    void fileResponseAnswersEveryHeaderWithARangeInsideTheFileOr416OrTheWholeFile(@ForAll("headers") String header,
                                                                                   @ForAll @LongRange(min = 0, max = 1L << 40) long size) {
        // FileResponse.satisfiable: never throws; a range it serves is non-empty and inside the
        // file; a header that parses as one range is never ignored (served or 416), nor is a
        // malformed single byte range (416, as aiohttp)
        net.jqwik.api.Assume.that(header.chars().allMatch(c -> c == '\t' || c >= 0x20 && c <= 0xFF && c != 0x7F)
                && header.strip().equals(header)); // what a parsed field can hold
        long[] r = dev.aio4j.loop.Aio.run(() -> FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", header), size));
        boolean oneRange;
        try {
            HttpRange.parse(header);
            oneRange = true;
        } catch (IllegalArgumentException e) {
            oneRange = false;
        }
        if (r != null && r.length == 2) {
            assertTrue(oneRange && 0 <= r[0] && r[0] < r[1] && r[1] <= size, header + " on " + size);
        } else if (r != null) {
            assertTrue(r.length == 0 && !oneRange, header + " on " + size + " was ignored");
        }
        if (!oneRange && header.regionMatches(true, 0, "bytes=", 0, 6) && header.indexOf(',') < 0) {
            assertEquals(null, r, header + ": a malformed byte range is 416, as aiohttp");
        }
    }

    @Property(tries = 1000, seed = "20261205")
    void indicesAreThoseOfPythonsUnboundedSlice(@ForAll("digitPairs") String[] ab, @ForAll @LongRange(min = 0, max = 1L << 40) long length) {
        // aiohttp's http_range with Python's int (no bound), then slice.indices(length), as a model
        String header = "bytes=" + ab[0] + "-" + ab[1];
        BigInteger len = BigInteger.valueOf(length);
        BigInteger start = ab[0].isEmpty() ? null : new BigInteger(ab[0]);
        BigInteger stop = ab[1].isEmpty() ? null : new BigInteger(ab[1]);
        if (start == null && stop == null) {
            assertThrows(IllegalArgumentException.class, () -> HttpRange.parse(header));
            return;
        }
        if (start == null) {
            start = stop.negate();
            stop = null;
        } else if (stop != null) {
            stop = stop.add(BigInteger.ONE);
            if (start.compareTo(stop) >= 0) {
                assertThrows(IllegalArgumentException.class, () -> HttpRange.parse(header));
                return;
            }
        }
        BigInteger from = start.signum() < 0 ? len.add(start).max(BigInteger.ZERO) : start.min(len);
        BigInteger to = stop == null ? len : stop.min(len);
        long[] ix = HttpRange.parse(header).indices(length);
        assertEquals(from.longValueExact(), ix[0], header + " on " + length);
        assertEquals(to.max(from).longValueExact(), ix[1], header + " on " + length);
    }

    @Provide
    Arbitrary<String[]> digitPairs() {
        Arbitrary<String> digits = Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789").ofMaxLength(25),
                Arbitraries.longs().between(0, 1L << 41).map(x -> Long.toString(x)),
                Arbitraries.longs().between(Long.MAX_VALUE - 3, Long.MAX_VALUE).map(x -> Long.toString(x)));
        return digits.flatMap(a -> digits.map(b -> new String[] {a, b}));
    }

    @Provide
    Arbitrary<String> validRanges() {
        Arbitrary<Long> pos = Arbitraries.longs().between(0, 1L << 42);
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 1L << 42).flatMap(x -> pos.map(y -> "bytes=" + Math.min(x, y) + "-" + Math.max(x, y))),
                pos.map(x -> "bytes=" + x + "-"),
                pos.map(x -> "bytes=-" + x));
    }

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> noise = Arbitraries.strings().withChars("bytesBYTES=-,0123456789 +\u096b\u0660x").ofMaxLength(30);
        Arbitrary<String> any = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789").ofMaxLength(25);
        Arbitrary<String> nearValid = digits.flatMap(a -> digits.map(b -> "bytes=" + a + "-" + b));
        return Arbitraries.oneOf(noise, any, nearValid, noise.map(s -> "bytes=" + s));
    }
}
