package dev.aio4j.http.internal;

import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import dev.aio4j.http.Headers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edges of the framing helpers shared by both parsers ({@link LineReader}, {@link FieldLines},
 * {@link MessageFraming}) that PIT's mutants showed untested when the chunked decoder was
 * hardened: exact-size arrays, the byte at a limit, the messages that tell two refusals apart,
 * and the growth of the line buffer. aio4j-only.
 */
class FramingMutationTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    // ------------------------------------------------------------------ LineReader

    @Test
    void lineOfLimitPlusOneBytesIsRefusedAsSoonAsTheyArrive() {
        LineReader r = new LineReader();
        byte[] in = b("x".repeat(17));
        BadHttpMessage e = assertThrows(BadHttpMessage.class, () -> r.feed(in, 0, in.length, 16, "line"));
        assertEquals(Kind.LINE_TOO_LONG, e.kind());
        // the message shows the limit plus the one byte that crossed it, no more
        assertEquals("line is longer than 16 bytes (limit 16): \"" + "x".repeat(17) + "\"", e.getMessage());
        BadHttpMessage longer = assertThrows(BadHttpMessage.class, () -> new LineReader().feed(b("y".repeat(40)), 0, 40, 16, "line"));
        assertEquals("line is longer than 16 bytes (limit 16): \"" + "y".repeat(17) + "\"", longer.getMessage());
        // the same when part of the line was held from an earlier read
        LineReader held = new LineReader();
        held.feed(b("a".repeat(10)), 0, 10, 16, "line");
        byte[] rest = b("---" + "b".repeat(10));
        BadHttpMessage split = assertThrows(BadHttpMessage.class, () -> held.feed(rest, 3, rest.length, 16, "line"));
        assertEquals("line is longer than 16 bytes (limit 16): \"" + "a".repeat(10) + "b".repeat(7) + "\"", split.getMessage());
    }

    @Test
    void crAtTheLimitWaitsForItsLfInTheNextRead() {
        LineReader r = new LineReader();
        byte[] first = b("x".repeat(16) + "\r");
        assertEquals(first.length, r.feed(first, 0, first.length, 16, "line"));
        assertFalse(r.complete());
        // the LF arrives alone, at an offset past a byte that is not a CR: the CR held is what counts
        byte[] second = b("x\n");
        assertEquals(2, r.feed(second, 1, 2, 16, "line"));
        assertTrue(r.complete());
        assertEquals(16, r.length());
    }

    @Test
    void bareLfAfterAFullBufferIsRefusedNotOverrun() {
        byte[] in = b("x".repeat(128) + "\n");
        BadHttpMessage e = assertThrows(BadHttpMessage.class, () -> new LineReader().feed(in, 0, in.length, 8192, "line"));
        assertEquals(Kind.BAD_LINE_ENDING, e.kind());
        assertTrue(e.getMessage().startsWith("line ends with a bare LF; only CRLF ends a line"), e.getMessage());
    }

    @Test
    void bufferGrowsByDoublingUpToTheLimitPlusCrlf() {
        LineReader exact = new LineReader();
        byte[] fits = b("x".repeat(127) + "\r\n");
        exact.feed(fits, 0, fits.length, 200, "line");
        assertEquals(128, exact.capacity(), "127 bytes and the CR fit the first buffer");

        LineReader doubled = new LineReader();
        byte[] more = b("x".repeat(130) + "\r\n");
        doubled.feed(more, 0, more.length, 8192, "line");
        assertEquals(256, doubled.capacity(), "doubled, not grown to the exact need");

        LineReader capped = new LineReader();
        byte[] near = b("x".repeat(150) + "\r\n");
        capped.feed(near, 0, near.length, 200, "line");
        assertEquals(202, capped.capacity(), "never past the limit plus CRLF");
    }

    // ------------------------------------------------------------------ FieldLines

    private static String fieldRefusal(String line) {
        byte[] bytes = b(line); // exactly the line: nothing past len to lean on
        BadHttpMessage e = assertThrows(BadHttpMessage.class, () -> FieldLines.parse(bytes, bytes.length, new Headers(), "trailer field"));
        assertEquals(Kind.INVALID_HEADER, e.kind());
        return e.getMessage();
    }

    @Test
    void fieldLineRefusalsAreToldApart() {
        assertEquals("trailer field line has no colon: \"no-colon\"", fieldRefusal("no-colon"));
        assertEquals("trailer field line has no colon: \"\"", fieldRefusal(""));
        assertEquals("trailer field line has an empty name: \": v\"", fieldRefusal(": v"));
        assertEquals("trailer field name has a character that is not allowed in a token at offset 1: \"X@: v\"", fieldRefusal("X@: v"));
        assertEquals("trailer field name is followed by whitespace (none is allowed before the colon): \"X : v\"", fieldRefusal("X : v"));
        assertEquals("trailer field name is followed by whitespace (none is allowed before the colon): \"X\\t: v\"", fieldRefusal("X\t: v"));
        assertEquals("trailer field line starts with whitespace (obsolete line folding is refused): \" X: v\"", fieldRefusal(" X: v"));
    }

    @Test
    void emptyOrBlankValuesOfAnExactArrayParse() {
        for (String line : new String[] {"X-A:", "X-A: ", "X-A: \t ", "X-A:v"}) {
            byte[] bytes = b(line);
            Headers h = new Headers();
            FieldLines.parse(bytes, bytes.length, h, "trailer field");
            assertEquals(line.endsWith("v") ? "v" : "", h.get("X-A"), line);
        }
    }

    // ------------------------------------------------------------------ MessageFraming

    private static long contentLength(String... values) {
        Headers h = new Headers();
        for (String v : values) {
            h.add("Content-Length", v);
        }
        return MessageFraming.contentLength(h);
    }

    private static BadHttpMessage contentLengthRefusal(String... values) {
        BadHttpMessage e = assertThrows(BadHttpMessage.class, () -> contentLength(values));
        assertEquals(Kind.BAD_CONTENT_LENGTH, e.kind());
        return e;
    }

    @Test
    void zeroThenAnotherLengthConflicts() { // aiohttp: test_headers_content_length_err_*; RFC 9110 section 8.6
        assertEquals("Content-Length has conflicting values 0 and 5: \"0, 5\"", contentLengthRefusal("0", "5").getMessage());
        assertEquals("Content-Length has conflicting values 0 and 5: \"0, 5\"", contentLengthRefusal("0, 5").getMessage());
        assertEquals(0, contentLength("0", "0"));
        assertEquals(-1, contentLength());
    }

    @Test
    void nineteenDigitsFitAndTheLargestLengthIsAccepted() {
        assertEquals(Long.MAX_VALUE, contentLength("9223372036854775807"));
        assertEquals(5, contentLength("0000000000000000005"));
        BadHttpMessage over = contentLengthRefusal("9223372036854775808");
        assertEquals("Content-Length does not fit in 63 bits (limit 9223372036854775807): \"9223372036854775808\"", over.getMessage());
        BadHttpMessage twenty = contentLengthRefusal("10000000000000000000");
        assertEquals(Long.MAX_VALUE, twenty.limit());
        assertTrue(twenty.getMessage().startsWith("Content-Length does not fit in 63 bits"), twenty.getMessage());
    }

    @Test
    void emptyContentLengthSaysSo() {
        BadHttpMessage e = contentLengthRefusal("5, ");
        assertEquals(-1, e.limit());
        assertEquals("Content-Length has an empty value: \"5, \"", e.getMessage());
    }
}
