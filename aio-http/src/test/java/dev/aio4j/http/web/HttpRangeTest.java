package dev.aio4j.http.web;

import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors the {@code http_range} tests of aiohttp's {@code tests/test_web_request.py}
 * ({@code test_range_to_slice_*}, {@code test_range_non_ascii}), with aio4j's additions for what
 * aiohttp's code does without a test: the messages of its {@code ValueError}s, several ranges, the
 * slice's {@code indices}, and the parser {@link FileResponse} shares.
 */
class HttpRangeTest {

    private static HttpRange rangeOf(String header) throws Exception {
        return Aio.run(() -> (header == null ? MockedRequest.make("GET", "/") : MockedRequest.make("GET", "/", "Range", header))
                .httpRange());
    }

    @Test
    void rangeToSliceHead() throws Exception { // test_range_to_slice_head
        HttpRange r = rangeOf("bytes=0-499");
        assertEquals(OptionalLong.of(0), r.start());
        assertEquals(OptionalLong.of(500), r.stop());
    }

    @Test
    void rangeToSliceMid() throws Exception { // test_range_to_slice_mid
        HttpRange r = rangeOf("bytes=500-999");
        assertEquals(OptionalLong.of(500), r.start());
        assertEquals(OptionalLong.of(1000), r.stop());
    }

    @Test
    void rangeToSliceTailStart() throws Exception { // test_range_to_slice_tail_start
        HttpRange r = rangeOf("bytes=9500-");
        assertEquals(OptionalLong.of(9500), r.start());
        assertEquals(OptionalLong.empty(), r.stop());
    }

    @Test
    void rangeToSliceTailStop() throws Exception { // test_range_to_slice_tail_stop
        HttpRange r = rangeOf("bytes=-500");
        assertEquals(OptionalLong.of(-500), r.start());
        assertEquals(OptionalLong.empty(), r.stop());
        assertEquals("slice(-500, None, 1)", r.toString());
    }

    @Test
    void rangeNonAscii() { // test_range_non_ascii: DEVANAGARI DIGIT FIVE is no digit here
        // (parsed directly: aio4j's Headers refuse a field value beyond ISO-8859-1 before it gets here)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpRange.parse("bytes=4-\u096b"));
        assertTrue(e.getMessage().startsWith("range not in acceptable format"), e.getMessage());
    }

    @Test
    void noRangeIsTheWholeContent() throws Exception { // aiohttp: slice(None, None, 1)
        HttpRange r = rangeOf(null);
        assertEquals(OptionalLong.empty(), r.start());
        assertEquals(OptionalLong.empty(), r.stop());
        assertEquals("slice(None, None, 1)", r.toString());
        byte[] data = "abc".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(data, r.slice(data));
    }

    @Test
    void multipleRangesAreNotInAcceptableFormat() { // aiohttp raises ValueError for bytes=0-1,3-4 too
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rangeOf("bytes=0-1,3-4"));
        assertTrue(e.getMessage().startsWith("range not in acceptable format"), e.getMessage());
        assertTrue(e.getMessage().contains("several ranges"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocks=0-10", "bytes=a-f", "bytes=0--10", "bytes 0-10", "bytes=0-1 ", "bytes=+1-2", "bytes=", "=0-1"})
    void malformedRangeIsNotInAcceptableFormat(String header) { // aiohttp's regex ^bytes=(\d*)-(\d*)$
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpRange.parse(header));
        assertTrue(e.getMessage().startsWith("range not in acceptable format"), e.getMessage());
        assertTrue(e.getMessage().contains(header), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=100-0", "bytes=10-9"})
    void startAfterEnd(String header) { // aiohttp: ValueError("start cannot be after end")
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpRange.parse(header));
        assertTrue(e.getMessage().startsWith("start cannot be after end"), e.getMessage());
    }

    @Test
    void noStartOrEnd() { // aiohttp: ValueError("No start or end of range specified")
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpRange.parse("bytes=-"));
        assertTrue(e.getMessage().startsWith("No start or end of range specified"), e.getMessage());
    }

    @Test
    void hugePositionsAreSlicedAsPython() { // aiohttp's int() has no bound: a huge position is a range, not an error
        String huge = "99999999999999999999";
        assertArrayEquals(new long[] {0, 10}, HttpRange.parse("bytes=0-" + huge).indices(10));
        assertArrayEquals(new long[] {10, 10}, HttpRange.parse("bytes=" + huge + "-").indices(10));
        assertArrayEquals(new long[] {0, 10}, HttpRange.parse("bytes=-" + huge).indices(10));
        assertArrayEquals(new long[] {10, 10}, HttpRange.parse("bytes=" + huge + "-" + huge + "9").indices(10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HttpRange.parse("bytes=" + huge + "9-" + huge));
        assertTrue(e.getMessage().startsWith("start cannot be after end"), e.getMessage());
        // the last exact position; anything beyond is held at it (the same indices for any length)
        assertEquals(OptionalLong.of(Long.MAX_VALUE), HttpRange.parse("bytes=0-" + (Long.MAX_VALUE - 1)).stop());
        assertEquals(OptionalLong.of(Long.MAX_VALUE), HttpRange.parse("bytes=0-" + Long.MAX_VALUE).stop());
        assertEquals(OptionalLong.of(Long.MAX_VALUE - 1), HttpRange.parse("bytes=" + huge + "-").start());
    }

    @Test
    void fileResponseHugePositions() throws Exception { // aiohttp: 206 to the end, 416 past it, 206 whole for a long suffix
        String huge = "99999999999999999999";
        Aio.run(() -> {
            assertArrayEquals(new long[] {3, 10}, FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes=3-" + huge), 10));
            assertEquals(null, FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes=" + huge + "-"), 10));
            assertArrayEquals(new long[] {0, 10}, FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes=-" + huge), 10));
            return null;
        });
    }

    @Test
    void unitIsCaseInsensitive() { // RFC 9110 section 14.1 (aiohttp wants "bytes")
        assertEquals(HttpRange.parse("bytes=1-2"), HttpRange.parse("BYTES=1-2"));
    }

    @Test
    void sliceAndIndicesAsPython() {
        byte[] data = "0123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals("234", new String(HttpRange.parse("bytes=2-4").slice(data), StandardCharsets.US_ASCII));
        assertEquals("789", new String(HttpRange.parse("bytes=-3").slice(data), StandardCharsets.US_ASCII));
        assertEquals("0123456789", new String(HttpRange.parse("bytes=-30").slice(data), StandardCharsets.US_ASCII));
        assertEquals("89", new String(HttpRange.parse("bytes=8-100").slice(data), StandardCharsets.US_ASCII));
        assertEquals("", new String(HttpRange.parse("bytes=20-").slice(data), StandardCharsets.US_ASCII));
        // bytes=-0: Python's -0 is 0, so the slice is the whole content (FileResponse answers 416)
        assertEquals("slice(0, None, 1)", HttpRange.parse("bytes=-0").toString());
        assertArrayEquals(new long[] {10, 10}, HttpRange.parse("bytes=20-30").indices(10));
        assertArrayEquals(new long[] {0, 0}, HttpRange.parse("bytes=-3").indices(0));
        assertThrows(IllegalArgumentException.class, () -> HttpRange.parse("bytes=0-1").indices(-1));
    }

    @Test
    void equalsAndHashCode() { // a value: the same header gives equal slices, another does not
        assertEquals(HttpRange.parse("bytes=1-2"), HttpRange.parse("bytes=01-2"));
        assertEquals(HttpRange.parse("bytes=1-2").hashCode(), HttpRange.parse("bytes=01-2").hashCode());
        assertNotEquals(HttpRange.parse("bytes=1-2"), HttpRange.parse("bytes=1-3"));
        assertNotEquals(HttpRange.parse("bytes=1-2"), HttpRange.parse("bytes=1-"));
        assertNotEquals(HttpRange.parse("bytes=0-"), HttpRange.parse("bytes=-0")); // the same slice, not the same request
        assertNotEquals(HttpRange.parse(null), HttpRange.parse("bytes=0-"));
    }

    @Test
    void fileResponseReadsTheSameParse() throws Exception { // the one parser: FileResponse.satisfiable
        Aio.run(() -> {
            assertArrayEquals(new long[] {2, 5}, FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes=2-4"), 10));
            assertArrayEquals(new long[] {0, 10}, FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes=-30"), 10));
            assertArrayEquals(new long[] {0, 10}, FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes=0-"), 10));
            assertArrayEquals(new long[] {0, 1}, FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes=0-0"), 10));
            // a reversed or malformed range is 416, as aiohttp (test_static_file_invalid_range)
            assertEquals(null, FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes=4-2"), 10));
            assertEquals(null, FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes=a-f"), 10));
            assertEquals(null, FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes 0-5"), 10));
            // RFC 9110 14.2, where aiohttp answers 416: another unit is ignored; several well-formed
            // ranges, one satisfiable, may be; a malformed or no satisfiable member is 416
            assertArrayEquals(new long[0], FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "items=0-5"), 10));
            assertArrayEquals(new long[0], FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes=0-1,4-5"), 10));
            assertArrayEquals(new long[0], FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes=20-, -3"), 10));
            assertArrayEquals(new long[0], FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "Bytes=0-1,,4-"), 10));
            assertEquals(null, FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes=0-1,5-2"), 10));
            assertEquals(null, FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes=0-1,x"), 10));
            assertEquals(null, FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes=10-,20-30,-0"), 10));
            assertEquals(null, FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes=10-"), 10));
            assertEquals(null, FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes=-0"), 10));
            assertEquals(null, FileResponse.satisfiable(MockedRequest.make("GET", "/", "Range", "bytes=-5"), 0));
            return null;
        });
    }
}
