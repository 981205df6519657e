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
        assertEquals(0x10, ChunkedDecoder.parseSize(b("10;x=y"), 6));
        assertEquals(0x10, ChunkedDecoder.parseSize(b("10;x"), 4));
        assertEquals(0x10, ChunkedDecoder.parseSize(b("10;x=\"y\""), 8));
        assertEquals(0x10, ChunkedDecoder.parseSize(b("10;x=\"y\";z"), 10));
        assertEquals(0x10, ChunkedDecoder.parseSize(b("10;x=yz"), 6), "the 'z' after len is not part of the value");
        BadHttpMessage open = assertThrows(BadHttpMessage.class, () -> ChunkedDecoder.parseSize(b("10;x=\"y\""), 7));
        assertEquals("chunk extension quoted value is not closed: \"10;x=\\\"y\"", open.getMessage(), "len ends before the closing quote");
        BadHttpMessage quotedPair = assertThrows(BadHttpMessage.class, () -> ChunkedDecoder.parseSize(b("1;x=\"\\\""), 6));
        assertEquals("chunk extension quoted value is not closed: \"1;x=\\\"\\\\\"", quotedPair.getMessage());
    }

    @Test
    void parseSizeRefusals_issue11() {
        BadHttpMessage notHex = assertThrows(BadHttpMessage.class, () -> ChunkedDecoder.parseSize(b("g"), 1));
        assertEquals(Kind.BAD_CHUNK, notHex.kind());
        assertEquals("chunk size is not a hexadecimal number: \"g\"", notHex.getMessage());
        BadHttpMessage trailing = assertThrows(BadHttpMessage.class, () -> ChunkedDecoder.parseSize(b("1x"), 2));
        assertEquals("chunk size is followed by something other than an extension: \"1x\"", trailing.getMessage());
        BadHttpMessage space = assertThrows(BadHttpMessage.class, () -> ChunkedDecoder.parseSize(b("1 "), 2));
        assertEquals("whitespace after chunk size is not allowed (RFC 9112 section 7.1; refused as aiohttp's and llhttp's"
                + " strict parsers do): \"1 \"", space.getMessage());
        BadHttpMessage before = assertThrows(BadHttpMessage.class, () -> ChunkedDecoder.parseSize(b("\t1"), 2));
        assertTrue(before.getMessage().startsWith("whitespace before chunk size is not allowed (RFC 9112"), before.getMessage());
        // an empty line is not a number, whatever lies in the buffer past it
        assertEquals("chunk size is not a hexadecimal number: \"\"",
                assertThrows(BadHttpMessage.class, () -> ChunkedDecoder.parseSize(new byte[0], 0)).getMessage());
        assertEquals("chunk size is not a hexadecimal number: \"\"",
                assertThrows(BadHttpMessage.class, () -> ChunkedDecoder.parseSize(b(" "), 0)).getMessage());
        // a 0x prefix is named only for a lone leading 0
        assertTrue(assertThrows(BadHttpMessage.class, () -> ChunkedDecoder.parseSize(b("0x1"), 3)).getMessage()
                .startsWith("chunk size has a 0x prefix"));
        assertTrue(assertThrows(BadHttpMessage.class, () -> ChunkedDecoder.parseSize(b("00x1"), 4)).getMessage()
                .startsWith("chunk size is followed by something other than an extension"));
        assertTrue(assertThrows(BadHttpMessage.class, () -> ChunkedDecoder.parseSize(b("1x1"), 3)).getMessage()
                .startsWith("chunk size is followed by something other than an extension"));
        // Sixteen hex digits no longer fit in 63 bits; fifteen do.
        assertEquals(0x7fffffffffffffffL, ChunkedDecoder.parseSize(b("7fffffffffffffff"), 16));
        BadHttpMessage big = assertThrows(BadHttpMessage.class, () -> ChunkedDecoder.parseSize(b("80000000000000000"), 17));
        assertEquals(Long.MAX_VALUE, big.limit());
    }

    @Test
    void extensionRefusalsNameTheRule() { // aio4j-only: the message of each extension refusal
        assertEquals("chunk extension name is empty: \"1;\"", refusal("1;"));
        assertEquals("chunk extension value is empty: \"1;a=\"", refusal("1;a="));
        assertEquals("chunk extension name is empty: \"1;=b\"", refusal("1;=b"));
        assertEquals("chunk extension value is empty: \"1;a=;b\"", refusal("1;a=;b"));
        assertEquals("chunk extension name has a character that is not allowed in a token at offset 2: \"1;@\"", refusal("1;@"));
        assertEquals("chunk extension value has a character that is not allowed in a token at offset 4: \"1;a=@\"", refusal("1;a=@"));
        assertEquals("chunk extension is followed by something other than ';' at offset 3: \"1;a@\"", refusal("1;a@"));
        assertEquals("chunk extension is followed by something other than ';' at offset 7: \"1;a=\\\"b\\\"c\"", refusal("1;a=\"b\"c"));
        assertEquals("chunk extension has a control character at offset 3: \"1;a\\x00\"", refusal("1;a\0"));
        assertEquals("chunk extension has a control character at offset 2: \"1;\\x7f\"", refusal("1;\u007f"));
        assertEquals("chunk extension has a control character at offset 5: \"1;a=\\\"\\x01\\\"\"", refusal("1;a=\"\u0001\""));
        assertEquals("chunk extension has a control character at offset 6: \"1;a=\\\"\\\\\\x1f\\\"\"", refusal("1;a=\"\\\u001f\""));
        assertTrue(refusal("1;a =b").startsWith("whitespace in a chunk extension is not allowed (RFC 9112 section 7.1;"));
        assertTrue(refusal("1; a").startsWith("whitespace in a chunk extension is not allowed"));
        assertTrue(refusal("1;a=\tb").startsWith("whitespace in a chunk extension is not allowed"));
        assertTrue(refusal("1;a=b\t").startsWith("whitespace in a chunk extension is not allowed"));
        // HTAB, SP, obs-text, and quoted-pairs of them, are fine inside quotes
        byte[] quoted = b("1;a=\"\t \u00ff\\\t\\ \\\u00ff\\\"\"");
        assertEquals(17, quoted.length);
        assertEquals(1, ChunkedDecoder.parseSize(quoted, quoted.length));
    }

    private static String refusal(String line) {
        byte[] bytes = b(line);
        BadHttpMessage e = assertThrows(BadHttpMessage.class, () -> ChunkedDecoder.parseSize(bytes, bytes.length));
        assertEquals(Kind.BAD_CHUNK, e.kind());
        return e.getMessage();
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
