package dev.aio4j.http.internal;

import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edges of {@link ChunkedDecoder} that its mutants (issue 11) showed untested: {@code parseSize}
 * reads exactly the {@code len} bytes it is given, and the memory the decoder retains.
 * aio4j-only; complements {@link ChunkedCodingTest}.
 */
class ChunkedDecoderMutationTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void parseSizeReadsOnlyTheFirstLenBytes_issue11() {
        assertEquals(0x1, ChunkedDecoder.parseSize(b("1a"), 1), "the 'a' after len is not a digit of the size");
        assertEquals(0xff, ChunkedDecoder.parseSize(b("ff0"), 2));
        assertEquals(0xABC, ChunkedDecoder.parseSize(b("ABC"), 3));
    }

    @Test
    void parseSizeNeverReadsPastTheEndOfAnExactArray_issue11() {
        // LineReader always leaves the CR after the line; an array that ends exactly at len must work too.
        assertEquals(0x1, ChunkedDecoder.parseSize(b("1"), 1));
        assertEquals(0x1, ChunkedDecoder.parseSize(b("1 "), 2));
        assertEquals(0x10, ChunkedDecoder.parseSize(b("10 \t"), 4));
        assertEquals(0x10, ChunkedDecoder.parseSize(b("10 ;x=y"), 7));
    }

    @Test
    void parseSizeRefusals_issue11() {
        BadHttpMessage notHex = assertThrows(BadHttpMessage.class, () -> ChunkedDecoder.parseSize(b("g"), 1));
        assertEquals(Kind.BAD_CHUNK, notHex.kind());
        assertEquals("chunk size is not a hexadecimal number: \"g\"", notHex.getMessage());
        BadHttpMessage trailing = assertThrows(BadHttpMessage.class, () -> ChunkedDecoder.parseSize(b("1 x"), 3));
        assertEquals("chunk size is followed by something other than an extension: \"1 x\"", trailing.getMessage());
        // Sixteen hex digits no longer fit in 63 bits; fifteen do.
        assertEquals(0x7fffffffffffffffL, ChunkedDecoder.parseSize(b("7fffffffffffffff"), 16));
        BadHttpMessage big = assertThrows(BadHttpMessage.class, () -> ChunkedDecoder.parseSize(b("80000000000000000"), 17));
        assertEquals(Long.MAX_VALUE, big.limit());
    }

    @Test
    void retainedBytesIsTheChunkLineBuffer_issue11() {
        ChunkedDecoder d = new ChunkedDecoder(ParserLimits.DEFAULT);
        assertEquals(128, d.retainedBytes());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] in = b("3;" + "e".repeat(300) + "\r\nabc\r\n0\r\n\r\n");
        assertEquals(in.length, d.feed(in, 0, in.length, out::write));
        assertTrue(d.done());
        assertEquals("abc", out.toString(StandardCharsets.ISO_8859_1));
        assertTrue(d.retainedBytes() >= 303 && d.retainedBytes() <= ParserLimits.DEFAULT.maxChunkLineSize() + 2,
                "grown to hold the long chunk-size line, at most its limit plus CRLF: " + d.retainedBytes());
    }
}
