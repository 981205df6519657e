package dev.aio4j.http.internal;

import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import dev.aio4j.http.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chunked decoder on its own, case by case (RFC 9112 section 7.1). Mirrors the chunked cases
 * of aiohttp's {@code tests/test_http_parser.py} ({@code TestParsePayload} and the
 * {@code *_chunked_*} functions; names in camelCase) and the examples of llhttp's
 * {@code test/request/transfer-encoding.md} and {@code test/response/transfer-encoding.md}
 * (named by their headings); aio4j-only cases say so. Every case is fed whole and a byte at a
 * time, and both must agree.
 */
class ChunkedDecoderTest {
    /** What decoding gave: the body and trailers, or null if not done. */
    record Decoded(String body, Headers trailers, int consumed, boolean done) {}

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Decoded decode(ParserLimits limits, String wire, int piece) {
        ChunkedDecoder d = new ChunkedDecoder(limits);
        CollectingSink sink = new CollectingSink();
        byte[] in = b(wire);
        int pos = 0;
        while (pos < in.length && !d.done()) {
            pos += d.feed(in, pos, Math.min(piece, in.length - pos), sink);
        }
        return new Decoded(new String(sink.body(), StandardCharsets.ISO_8859_1), sink.trailers(), pos, d.done());
    }

    /** Decodes whole and byte by byte; both must give the same. */
    private static Decoded decode(String wire) {
        Decoded whole = decode(ParserLimits.DEFAULT, wire, Integer.MAX_VALUE);
        assertEquals(whole, decode(ParserLimits.DEFAULT, wire, 1), "byte-wise feeding changed the result");
        return whole;
    }

    /** Asserts the wire is refused, whole and byte by byte, with the same message; returns it. */
    private static BadHttpMessage refused(ParserLimits limits, String wire) {
        BadHttpMessage whole = assertThrows(BadHttpMessage.class, () -> decode(limits, wire, Integer.MAX_VALUE),
                () -> "accepted: " + wire);
        BadHttpMessage bytewise = assertThrows(BadHttpMessage.class, () -> decode(limits, wire, 1));
        assertEquals(whole.getMessage(), bytewise.getMessage());
        return whole;
    }

    private static BadHttpMessage refused(String wire) {
        return refused(ParserLimits.DEFAULT, wire);
    }

    /** Asserts a BAD_CHUNK refusal whose message starts with {@code start}. */
    private static void refusedBecause(String wire, String start) {
        BadHttpMessage e = refused(wire);
        assertEquals(Kind.BAD_CHUNK, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    // ------------------------------------------------------------------ chunk sizes

    @Test
    void parseChunksWithLowercaseAndUppercaseSize() { // llhttp: "Parse chunks with lowercase size" / "... uppercase size"
        assertEquals("0123456789", decode("a\r\n0123456789\r\n0\r\n\r\n").body());
        assertEquals("0123456789", decode("A\r\n0123456789\r\n0\r\n\r\n").body());
    }

    @Test
    void twoChunksAndTripleZeroPrefixedEndChunk() { // llhttp
        Decoded d = decode("5\r\nhello\r\n6\r\n world\r\n000\r\n\r\n");
        assertEquals("hello world", d.body());
        assertTrue(d.done());
    }

    @Test
    void parseChunkedPayloadSizeError() { // aiohttp: TestParsePayload.test_parse_chunked_payload_size_error
        refusedBecause("blah\r\n", "chunk size is followed by something other than an extension: \"blah\""); // 'b' is a digit
        refusedBecause("zzz\r\n", "chunk size is not a hexadecimal number: \"zzz\"");
    }

    @Test
    void badChunked() { // aiohttp: test_bad_chunked (a size that is not hex must not fall back to anything)
        refusedBecause("0_2e\r\n\r\n", "chunk size is followed by something other than an extension: \"0_2e\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+5", "-1", "-0", "", "g", "\u00ff5"})
    void signsEmptyAndNonHexSizesAreRefused(String size) { // aio4j-only
        refusedBecause(size + "\r\nhello\r\n0\r\n\r\n", "chunk size is not a hexadecimal number");
    }

    @Test
    void zeroXPrefixIsRefused() { // aio4j-only: hex is bare digits
        refusedBecause("0x5\r\nhello\r\n0\r\n\r\n", "chunk size has a 0x prefix; it is bare hexadecimal digits: \"0x5\"");
        refusedBecause("0X5\r\nhello\r\n0\r\n\r\n", "chunk size has a 0x prefix");
        refusedBecause("5x\r\nhello\r\n0\r\n\r\n", "chunk size is followed by something other than an extension");
    }

    @Test
    void noSemicolonBeforeChunkExtensions() { // llhttp: "No semicolon before chunk extensions"
        refusedBecause("2 erfrferferf\r\naa\r\n0 rrrr\r\n\r\n", "whitespace after chunk size is not allowed (RFC 9112 section 7.1");
    }

    @Test
    void chunkSizeOverflow() { // aio4j-only: 63 bits (llhttp: 64, "Chunk size overflow")
        BadHttpMessage e = refused("8000000000000000\r\n");
        assertEquals(Kind.BAD_CHUNK, e.kind());
        assertEquals(Long.MAX_VALUE, e.limit());
        assertEquals("chunk size does not fit in 63 bits (limit 9223372036854775807): \"8000000000000000\"", e.getMessage());
        refused("ffffffffffffffffffffffffffffffff\r\n");
        // leading zeros do not count: the value does
        assertEquals("abc", decode("00000000000000000000000000000003\r\nabc\r\n0\r\n\r\n").body());
    }

    // ------------------------------------------------------------------ whitespace (issue: "5 \r\n" was accepted)

    @Test
    void httpResponseParserBadChunkedStrictPy() { // aiohttp: test_http_response_parser_bad_chunked_strict_py ("5 ")
        refusedBecause("5 \r\nabcde\r\n0\r\n\r\n",
                "whitespace after chunk size is not allowed (RFC 9112 section 7.1; refused as aiohttp's and llhttp's strict parsers do): \"5 \"");
    }

    @Test
    void spaceAfterChunkHeader() { // llhttp: "Space after chunk header" (strict; only its lenient flag accepts)
        refusedBecause("a \r\n0123456789\r\n0\r\n\r\n", "whitespace after chunk size is not allowed");
    }

    @Test
    void trailingSpaceOnChunkedBody() { // llhttp response: "Trailing space on chunked body"
        refusedBecause("25  \r\nThis is the data in the first chunk\r\n\r\n0  \r\n\r\n", "whitespace after chunk size is not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5\t", "5 ;a=b", "5\t;a", " 5", "\t5", "5; a", "5;a =b", "5;a= b", "5;a=b ", "5;a ;b", "0 "})
    void whitespaceAnywhereInAChunkSizeLineIsRefused(String sizeLine) { // aio4j-only: no BWS (docs/http-client.md)
        BadHttpMessage e = refused(sizeLine + "\r\nhello\r\n0\r\n\r\n");
        assertEquals(Kind.BAD_CHUNK, e.kind());
        assertTrue(e.getMessage().contains("whitespace") && e.getMessage().contains("RFC 9112 section 7.1"), e.getMessage());
    }

    @Test
    void validateChunkParameters() { // llhttp: "Validate chunk parameters" ("3 \n  \r\n")
        BadHttpMessage e = refused("3 \n  \r\nfoo\r\n\r\n");
        assertTrue(e.kind() == Kind.BAD_LINE_ENDING || e.kind() == Kind.BAD_CHUNK, e.getMessage());
    }

    // ------------------------------------------------------------------ chunk extensions

    @Test
    void chunkExtensions() { // llhttp: "Chunk extensions" (request and response)
        assertEquals("hello world",
                decode("5;ilovew3;somuchlove=aretheseparametersfor;another=withvalue\r\nhello\r\n6;blahblah;blah\r\n world\r\n0\r\n\r\n").body());
    }

    @Test
    void chunkExtensionsQuoting() { // llhttp: "Chunk extensions quoting" (request)
        Decoded d = decode("5;ilovew3=\"I \\\"love\\\"; \\\\extensions\\\\\";somuchlove=\"aretheseparametersfor\";blah;foo=bar\r\n"
                + "hello\r\n6;blahblah;blah\r\n world\r\n0\r\n\r\n");
        assertEquals("hello world", d.body());
        // the response's version, with a ';' inside quotes
        assertEquals("hello", decode("5;ilovew3=\"I love; extensions\";somuchlove=\"aretheseparametersfor\";blah;foo=bar\r\nhello\r\n0\r\n\r\n").body());
    }

    @Test
    void unbalancedChunkExtensionsQuoting() { // llhttp: "Unbalanced chunk extensions quoting"
        refusedBecause("5;ilovew3=\"abc\";somuchlove=\"def; ghi\r\nhello\r\n0\r\n\r\n", "chunk extension quoted value is not closed");
        refusedBecause("5;a=\"abc\\\"\r\nhello\r\n0\r\n\r\n", "chunk extension quoted value is not closed");
        refusedBecause("5;a=\"abc\\\r\nhello\r\n0\r\n\r\n", "chunk extension quoted value is not closed");
    }

    @Test
    void noExtensionAfterSemicolon() { // llhttp: "No extension after semicolon"
        refusedBecause("2;\r\naa\r\n0\r\n\r\n", "chunk extension name is empty: \"2;\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5;;a", "5;=a", "5;a=", "5;a=;b", "5;a;"})
    void emptyExtensionNamesAndValuesAreRefused(String sizeLine) { // aio4j-only: a token is 1*tchar
        refusedBecause(sizeLine + "\r\nhello\r\n0\r\n\r\n", "chunk extension ");
        assertTrue(refused(sizeLine + "\r\nhello\r\n0\r\n\r\n").getMessage().contains(" is empty"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5;a\u0000", "5;a=b\u0001", "5;\u007f", "5;a=\"x\u0000y\"", "5;a=\"x\\\u0000\"", "5;a=\u001b"})
    void controlCharactersInExtensionsAreRefused(String sizeLine) { // llhttp strict: "Invalid character in chunk extensions"
        refusedBecause(sizeLine + "\r\nhello\r\n0\r\n\r\n", "chunk extension has a control character at offset ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5;a@b", "5;a=b\"c\"", "5;a=\"b\"c", "5;a=(b)", "5;a,b", "5;a=b=c", "5;\u00e9"})
    void nonTokenCharactersInExtensionsAreRefused(String sizeLine) { // llhttp strict: "Invalid character in chunk extensions name/value"
        refusedBecause(sizeLine + "\r\nhello\r\n0\r\n\r\n", "chunk extension");
    }

    @Test
    void quotedValuesMayHoldWhitespaceAndObsText() { // RFC 9110 section 5.6.4: qdtext and quoted-pair
        assertEquals("hello", decode("5;a=\"x y\tz \u00e9 \\\" \\\\ \\\u00e9\"\r\nhello\r\n0\r\n\r\n").body());
        assertEquals("", decode("0;a=\"\"\r\n\r\n").body());
    }

    @Test
    void lastChunkMayCarryExtensions() { // RFC 9112 section 7.1: last-chunk = 1*("0") [ chunk-ext ] CRLF
        Decoded d = decode("3;a=b\r\nabc\r\n0;done=\"yes\"\r\n\r\n");
        assertEquals("abc", d.body());
        assertTrue(d.done());
    }

    @Test
    void parseChunkedPayloadWithLfInExtensions() { // aiohttp: test_parse_chunked_payload_with_lf_in_extensions
        BadHttpMessage e = refused("2;\nxx\r\n4c\r\n0\r\n\r\n");
        assertEquals(Kind.BAD_LINE_ENDING, e.kind());
        assertTrue(e.getMessage().contains("\\nxx") || e.getMessage().startsWith("chunk-size line ends with a bare LF"), e.getMessage());
    }

    @Test
    void chunkedChunkSizeLineTooLong() { // aiohttp: test_chunked_chunk_size_line_too_long and ..._at_limit, ..._one_over_limit
        ParserLimits limits = new ParserLimits(8192, 65536, 100, 32);
        String atLimit = "1;" + "a".repeat(30);
        assertEquals("x", decode(limits, atLimit + "\r\nx\r\n0\r\n\r\n", Integer.MAX_VALUE).body());
        assertEquals("x", decode(limits, atLimit + "\r\nx\r\n0\r\n\r\n", 1).body());
        BadHttpMessage e = refused(limits, atLimit + "a\r\nx\r\n0\r\n\r\n");
        assertEquals(Kind.LINE_TOO_LONG, e.kind());
        assertEquals(32, e.limit());
        // a long extension is refused as soon as it passes the limit, without waiting for its end
        assertEquals(Kind.LINE_TOO_LONG, refused(limits, "1;" + "a".repeat(4096)).kind());
    }

    @Test
    void chunkedChunkSizeLineWithinLimit() { // aiohttp: test_chunked_chunk_size_line_within_limit
        assertEquals("x", decode(new ParserLimits(8192, 65536, 100, 32), "1\r\nx\r\n0\r\n\r\n", 1).body());
    }

    // ------------------------------------------------------------------ the CRLF after chunk data

    @Test
    void parseChunkedPayloadSizeDataMismatch() { // aiohttp: test_parse_chunked_payload_size_data_mismatch
        refusedBecause("4\r\nHello\r\n0\r\n\r\n", "chunk data (4 bytes) is not followed by CRLF (chunk size mismatch): \"o\"");
    }

    @Test
    void parseChunkedPayloadSizeDataMismatchTooShort() { // aiohttp: test_parse_chunked_payload_size_data_mismatch_too_short
        refusedBecause("6\r\nHello\r\n0\r\n\r\n", "chunk data (6 bytes) is not followed by CRLF");
    }

    @Test
    void chunkDataNotTerminatedByCrlf() { // llhttp: "Chunk data not terminated by CRLF"
        refusedBecause("5\r\nABCDE0\r\n\r\n", "chunk data (5 bytes) is not followed by CRLF");
    }

    @Test
    void badChunkedResponses() { // aiohttp: _BAD_CHUNKED_RESPONSES (test_http_response_parser_bad_chunked_*)
        assertEquals(Kind.BAD_LINE_ENDING, refused("0\rX\r\n\r\n").kind()); // "Expected LF after chunk size"
        refusedBecause("5\r\nhello\rX\r\n0\r\n\r\n", "chunk data (5 bytes) is not followed by CRLF");
        refusedBecause("5\r\nhelloXY\r\n0\r\n\r\n", "chunk data (5 bytes) is not followed by CRLF");
        refusedBecause("1\r\nA\rB\r\n0\r\n\r\n", "chunk data (1 bytes) is not followed by CRLF");
    }

    @Test
    void bareLfAfterChunkDataIsRefused() { // aio4j-only: CRLF only (aiohttp strict; llhttp without its LF leniency)
        refusedBecause("5\r\nhello\n0\r\n\r\n", "chunk data (5 bytes) is not followed by CRLF (chunk size mismatch): \"\\n\"");
        refusedBecause("5\r\nhello\r\r\n0\r\n\r\n", "chunk data (5 bytes) is not followed by CRLF");
    }

    @Test
    void bareLfAfterChunkSizeIsRefused() { // llhttp: "Missing expected CR after chunk size"; aiohttp: "Bad chunk-size line ending"
        BadHttpMessage e = refused("5\nhello\r\n0\r\n\r\n");
        assertEquals(Kind.BAD_LINE_ENDING, e.kind());
        assertTrue(e.getMessage().startsWith("chunk-size line ends with a bare LF; only CRLF ends a line"), e.getMessage());
        assertEquals(Kind.BAD_LINE_ENDING, refused("5;a=b\nhello\r\n0\r\n\r\n").kind());
        assertEquals(Kind.BAD_LINE_ENDING, refused("5\r\nhello\r\n0\n\r\n").kind());
    }

    @Test
    void chunkHeaderNotTerminatedByCrlf() { // llhttp: "Chunk header not terminated by CRLF" (a smuggling shape)
        BadHttpMessage e = refused("5\r\r;ABCD\r\n34\r\nE\r\n0\r\n\r\nGET / HTTP/1.1 \r\nHost: a\r\nContent-Length: 5\r\n\r\n0\r\n\r\n");
        assertEquals(Kind.BAD_LINE_ENDING, e.kind());
        assertTrue(e.getMessage().startsWith("chunk-size line contains a bare CR at offset 1"), e.getMessage());
    }

    @Test
    void missingLastChunk() { // llhttp: "Missing last-chunk" (a blank line where a size belongs)
        refusedBecause("3\r\nfoo\r\n\r\n\r\n", "chunk size is not a hexadecimal number: \"\"");
    }

    // ------------------------------------------------------------------ trailers

    @Test
    void trailingHeaders() { // llhttp: "Trailing headers"
        Decoded d = decode("5\r\nhello\r\n6\r\n world\r\n0\r\nVary: *\r\nContent-Type: text/plain\r\n\r\n");
        assertEquals("hello world", d.body());
        assertEquals("*", d.trailers().get("Vary"));
        assertEquals("text/plain", d.trailers().get("Content-Type"));
    }

    @Test
    void parseChunkedPayloadSplitEnd() { // aiohttp: test_parse_chunked_payload_split_end, ..._end2, ..._end_trailers 1 to 4
        Decoded d = decode("4\r\nasdf\r\n0\r\nContent-MD5: 912ec803b2ce49e4a541068d495ab570\r\n\r\n");
        assertEquals("asdf", d.body());
        assertEquals("912ec803b2ce49e4a541068d495ab570", d.trailers().get("Content-MD5"));
        for (int piece = 2; piece < 12; piece++) {
            assertEquals(d, decode(ParserLimits.DEFAULT, "4\r\nasdf\r\n0\r\nContent-MD5: 912ec803b2ce49e4a541068d495ab570\r\n\r\n", piece));
        }
        assertNull(decode("4\r\nasdf\r\n0\r\n\r\n").trailers());
    }

    @Test
    void trailerObsFoldIsRefused() { // aio4j-only: a trailer section follows the header rules (RFC 9112 section 5.2)
        BadHttpMessage e = refused("0\r\nX-A: a\r\n b\r\n\r\n");
        assertEquals(Kind.INVALID_HEADER, e.kind());
        assertTrue(e.getMessage().startsWith("trailer field line starts with whitespace (obsolete line folding is refused)"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-A : b", "X A: b", "X-A: a\u0000b", "no-colon", ": empty", "X-A: a\rb"})
    void malformedTrailerFieldsAreRefused(String field) { // aiohttp: test_request_chunked_reject_bad_trailer, and siblings
        BadHttpMessage e = refused("0\r\n" + field + "\r\n\r\n");
        assertTrue(e.kind() == Kind.INVALID_HEADER || e.kind() == Kind.BAD_LINE_ENDING, e.getMessage());
    }

    @Test
    void badTrailerLineEndingIsRefused() { // aiohttp: "Bad trailer line ending, expected CRLF"
        assertEquals(Kind.BAD_LINE_ENDING, refused("0\r\nX-A: b\n\r\n").kind());
        assertEquals(Kind.BAD_LINE_ENDING, refused("0\r\nX-A: b\r\n\n").kind());
    }

    @Test
    void maxTrailerSize() { // aiohttp: test_max_trailer_size
        BadHttpMessage e = refused(Integer.toHexString(4000) + "\r\n" + "b".repeat(4000) + "\r\n0\r\ntest: " + "t".repeat(8191) + "\r\n\r\n");
        assertEquals(Kind.LINE_TOO_LONG, e.kind());
        assertTrue(e.getMessage().startsWith("trailer field line is longer than 8192 bytes"), e.getMessage());
    }

    @Test
    void maxTrailers() { // aiohttp: test_max_headers (0 headers, 129 trailers; here the default bound of 100)
        StringBuilder sb = new StringBuilder("4\r\ntest\r\n0\r\n");
        for (int i = 0; i < 101; i++) {
            sb.append("Trailer-").append(i).append(": Value\r\n");
        }
        BadHttpMessage e = refused(sb + "\r\n");
        assertEquals(Kind.HEADERS_TOO_LARGE, e.kind());
        assertEquals(100, e.limit());
    }
}
