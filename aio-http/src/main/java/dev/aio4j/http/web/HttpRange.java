package dev.aio4j.http.web;

import dev.aio4j.loop.internal.Checks;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * The byte range a request's {@code Range} header asks for, as a slice of the content:
 * {@link Request#httpRange()}. {@code bytes=0-499} is the slice from 0 to 500 (the stop is
 * exclusive, as Python's), {@code bytes=9500-} the slice from 9500 to the end, the suffix
 * {@code bytes=-500} the slice from -500 (the last 500 bytes); no header is the whole content.
 *
 * <pre>{@code
 * byte[] data = ...;
 * HttpRange range = request.httpRange();              // IllegalArgumentException if malformed
 * return new Response(206).body(range.slice(data));   // as aiohttp's data[request.http_range]
 * }</pre>
 *
 * <p><b>aiohttp:</b> the {@code slice(start, stop, 1)} that {@code request.http_range} returns.
 * <b>Differences:</b> {@link #start()} and {@link #stop()} are empty {@link OptionalLong}s where
 * the slice has {@code None}; {@link #indices(long)} is {@code slice.indices(length)} without the
 * step, and {@link #slice(byte[])} is {@code data[slice]}. The unit {@code bytes} is matched
 * without regard to case (RFC 9110 section 14.1; aiohttp wants it lower case). A position of
 * {@code Long.MAX_VALUE - 1} or more (Python's integers have no bound) is held at
 * {@code Long.MAX_VALUE - 1}, so {@link #start()} and {@link #stop()} may show less than the
 * header says, while {@link #indices(long)} are Python's for every length up to that.
 *
 * @since 0.2
 */
public final class HttpRange {
    /*
     * Maintainer notes.
     *
     * The one parser of the Range header: Request.httpRange() returns it, and FileResponse reads
     * the same parse (parse(), then satisfiable()). The grammar is aiohttp's regex
     * ^bytes=(\d*)-(\d*)$ with ASCII digits only, except that the unit is compared without
     * regard to case (RFC 9110 section 14.1). `suffix` keeps what the slice loses for
     * bytes=-0: Python's -0 is 0, so the slice is the whole content, while FileResponse answers
     * 416 for a suffix of length 0 (RFC 9110 section 14.1.3).
     */

    /** No {@code Range} header: {@code slice(None, None, 1)}. */
    static final HttpRange ALL = new HttpRange(false, 0, false, 0, false);

    private static final String MAX_POSITION = Long.toString(Long.MAX_VALUE - 1);

    private final boolean hasStart;
    private final long start;
    private final boolean hasStop;
    private final long stop;
    private final boolean suffix;

    private HttpRange(boolean hasStart, long start, boolean hasStop, long stop, boolean suffix) {
        this.hasStart = hasStart;
        this.start = start;
        this.hasStop = hasStop;
        this.stop = stop;
        this.suffix = suffix;
    }

    /**
     * Parses a {@code Range} header value as aiohttp's {@code request.http_range} does.
     *
     * @param header the header's value, or null for none (the whole content)
     * @return the slice
     * @throws IllegalArgumentException with aiohttp's messages: {@code range not in acceptable
     *     format} (not {@code bytes=first-last}, several ranges, a non-ASCII digit), {@code start
     *     cannot be after end}, {@code No start or end of range specified} ({@code bytes=-})
     */
    static HttpRange parse(String header) {
        if (header == null) {
            return ALL;
        }
        if (!header.regionMatches(true, 0, "bytes=", 0, 6)) {
            throw malformed(header, "it must be bytes=first-last, bytes=first- or bytes=-suffixLength");
        }
        int dash = header.indexOf('-', 6);
        if (dash < 0) {
            throw malformed(header, "it has no '-'");
        }
        String a = header.substring(6, dash);
        String b = header.substring(dash + 1);
        if (!digits(a) || !digits(b)) {
            throw malformed(header, header.indexOf(',') >= 0
                    ? "several ranges are not supported; ask for one range"
                    : "positions must be ASCII digits around one '-'");
        }
        if (a.isEmpty() && b.isEmpty()) {
            throw new IllegalArgumentException("No start or end of range specified in Range \"" + header
                    + "\": give bytes=first-last, bytes=first- or bytes=-suffixLength");
        }
        if (a.isEmpty()) {
            long n = position(b);
            return new HttpRange(true, -n, false, 0, true); // the last n bytes
        }
        long first = position(a);
        if (b.isEmpty()) {
            return new HttpRange(true, first, false, 0, false);
        }
        // compared exactly (Python's integers), then held below Long.MAX_VALUE: last + 1 fits
        if (compareDigits(a, b) > 0) { // first >= last + 1
            throw new IllegalArgumentException("start cannot be after end in Range \"" + header + "\"");
        }
        return new HttpRange(true, first, true, position(b) + 1, false); // inclusive in the header, exclusive in the slice
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String withoutLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    /** Compares two runs of ASCII digits as the numbers they write, of any length. */
    private static int compareDigits(String a, String b) {
        String x = withoutLeadingZeros(a);
        String y = withoutLeadingZeros(b);
        return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
    }

    /**
     * A position, held at {@code Long.MAX_VALUE - 1} when it is larger: past any content a long
     * can measure, so the slice's indices are Python's for every length up to that.
     */
    private static long position(String digits) {
        String d = withoutLeadingZeros(digits);
        return compareDigits(d, MAX_POSITION) >= 0 ? Long.MAX_VALUE - 1 : Long.parseLong(d);
    }

    private static IllegalArgumentException malformed(String header, String why) {
        String shown = header.length() > 64 ? header.substring(0, 64) + "..." : header;
        return new IllegalArgumentException("range not in acceptable format: Range \"" + shown + "\": " + why);
    }

    /**
     * Returns the slice's start: {@code slice.start}.
     *
     * @return the first byte's offset, negative for a suffix ({@code -500} for the last 500
     *     bytes), or empty when the request has no {@code Range}
     */
    public OptionalLong start() {
        return hasStart ? OptionalLong.of(start) : OptionalLong.empty();
    }

    /**
     * Returns the slice's stop: {@code slice.stop}.
     *
     * @return the offset after the last byte (the header's last position plus one), or empty for
     *     a range to the end of the content
     */
    public OptionalLong stop() {
        return hasStop ? OptionalLong.of(stop) : OptionalLong.empty();
    }

    /**
     * Returns the offsets the slice stands for in content of {@code length} bytes, each clamped
     * to {@code [0, length]}: Python's {@code slice.indices(length)} without the step. A suffix
     * longer than the content starts at 0; a start past the end gives an empty slice.
     *
     * @param length the content's length, not negative
     * @return {@code {start, stop}}, with {@code start <= stop} unless the range starts past the
     *     end (then both are {@code length})
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public long[] indices(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        long from = !hasStart ? 0 : start < 0 ? Math.max(0, length + start) : Math.min(start, length);
        long to = !hasStop ? length : Math.min(stop, length);
        return new long[] {from, Math.max(from, to)};
    }

    /**
     * Returns the bytes of the slice: Python's {@code data[request.http_range]}.
     *
     * @param data the content
     * @return a copy of the bytes in the range, empty if it starts past the end
     */
    public byte[] slice(byte[] data) {
        long[] ix = indices(Checks.notNull(data, "data").length);
        return Arrays.copyOfRange(data, (int) ix[0], (int) ix[1]);
    }

    /** Whether this is a suffix range ({@code bytes=-n}), so {@code bytes=-0} is told from {@code bytes=0-}. */
    boolean suffix() {
        return suffix;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpRange r && r.hasStart == hasStart && r.start == start && r.hasStop == hasStop && r.stop == stop
                && r.suffix == suffix;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(start) * 31 + Long.hashCode(stop) + (hasStart ? 1 : 0) + (hasStop ? 2 : 0) + (suffix ? 4 : 0);
    }

    /**
     * Returns the slice as Python shows it.
     *
     * @return e.g. {@code slice(0, 500, 1)} or {@code slice(-500, None, 1)}
     */
    @Override
    public String toString() {
        return "slice(" + (hasStart ? Long.toString(start) : "None") + ", " + (hasStop ? Long.toString(stop) : "None") + ", 1)";
    }
}
