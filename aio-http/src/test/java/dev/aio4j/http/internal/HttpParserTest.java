package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The response parser, case by case. Mirrors the response half of aiohttp's
 * {@code tests/test_http_parser.py} (written fresh; names follow aiohttp's where a test exists there).
 */
class HttpParserTest {
    private RecordingListener rec = new RecordingListener();
    private ResponseParser parser = new ResponseParser(ParserLimits.DEFAULT, rec);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private int parse(String method, String response) {
        parser.start(method);
        return parser.feed(b(response));
    }

    /** Parses with a fresh parser, which must refuse the response. */
    private BadHttpMessage refuse(String method, String response) {
        rec = new RecordingListener();
        parser = new ResponseParser(ParserLimits.DEFAULT, rec);
        parser.start(method);
        return assertThrows(BadHttpMessage.class, () -> {
            parser.feed(b(response));
            parser.feedEof();
        });
    }

    @Test
    void httpResponseParserContentLength() {
        String r = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello";
        assertEquals(r.length(), parse("GET", r));
        assertTrue(parser.done());
        assertEquals(200, rec.head.status());
        assertEquals("OK", rec.head.reason());
        assertEquals("HTTP/1.1", rec.head.version());
        assertEquals("text/plain", rec.head.headers().get("content-type"));
        assertEquals(ResponseHead.Framing.LENGTH, rec.head.framing());
        assertEquals(5, rec.head.contentLength());
        assertTrue(rec.head.keepAlive());
        assertEquals("hello", rec.bodyText());
        assertTrue(rec.complete);
    }

    @Test
    void httpResponseParserReasonPhraseMayBeEmptyOrMissing() {
        parse("GET", "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n");
        assertEquals("", rec.head.reason());
        parser.start("GET");
        parser.feed(b("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n"));
        assertEquals(404, rec.head.status());
        assertEquals("", rec.head.reason());
    }

    @Test
    void httpResponseParserReasonWithSpacesAndObsText() {
        parse("GET", "HTTP/1.0 500 Internal \tServer \u00e9rror\r\n\r\n");
        assertEquals("Internal \tServer \u00e9rror", rec.head.reason());
        assertEquals(0, rec.head.versionMinor());
        assertEquals(ResponseHead.Framing.UNTIL_CLOSE, rec.head.framing());
        assertFalse(rec.head.keepAlive());
    }

    @Test
    void httpResponseParserBadVersion() {
        BadHttpMessage e = refuse("GET", "HTTP/2.0 200 OK\r\n\r\n");
        assertEquals(Kind.BAD_STATUS_LINE, e.kind());
        assertEquals("status line has an unsupported HTTP version (only HTTP/1.0 and HTTP/1.1): \"HTTP/2.0 200 OK\"",
                e.getMessage());
        assertEquals(Kind.BAD_STATUS_LINE, refuse("GET", "HTTPS/1.1 200 OK\r\n\r\n").kind());
        assertEquals(Kind.BAD_STATUS_LINE, refuse("GET", "http/1.1 200 OK\r\n\r\n").kind());
        assertEquals(Kind.BAD_STATUS_LINE, refuse("GET", "HTTP/1.10 200 OK\r\n\r\n").kind());
    }

    @Test
    void httpResponseParserBadStatusCode() {
        for (String line : List.of("HTTP/1.1 20 OK", "HTTP/1.1 2000 OK", "HTTP/1.1 099 Low", "HTTP/1.1 abc OK",
                "HTTP/1.1  200 OK", "HTTP/1.1 -20 OK", "HTTP/1.1 200\tOK")) {
            BadHttpMessage e = refuse("GET", line + "\r\n\r\n");
            assertEquals(Kind.BAD_STATUS_LINE, e.kind(), line);
        }
        BadHttpMessage e = refuse("GET", "HTTP/1.1 20 OK\r\n\r\n");
        assertEquals("status line needs one space and a three-digit status code from 100 after the version: \"HTTP/1.1 20 OK\"",
                e.getMessage());
    }

    @Test
    void httpResponseParserStatusUpTo999() {
        parse("GET", "HTTP/1.1 999 Whatever\r\nContent-Length: 0\r\n\r\n");
        assertEquals(999, rec.head.status());
    }

    @Test
    void httpResponseParserControlCharInReason() {
        BadHttpMessage e = refuse("GET", "HTTP/1.1 200 O\u0000K\r\n\r\n");
        assertEquals(Kind.BAD_STATUS_LINE, e.kind());
        assertTrue(e.getMessage().contains("\\x00"), e.getMessage());
    }

    @Test
    void bareLfIsRefused() { // aio4j-only: the CRLF-only decision
        BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\nContent-Length: 0\n\n");
        assertEquals(Kind.BAD_LINE_ENDING, e.kind());
        assertEquals("status line ends with a bare LF; only CRLF ends a line: \"HTTP/1.1 200 OK\\n\"", e.getMessage());
        e = refuse("GET", "HTTP/1.1 200 OK\r\nA: b\n\r\n");
        assertEquals(Kind.BAD_LINE_ENDING, e.kind());
        e = refuse("GET", "HTTP/1.1 200 OK\r\n\n");
        assertEquals(Kind.BAD_LINE_ENDING, e.kind());
    }

    @Test
    void bareCrIsRefused() { // aio4j-only
        BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n");
        assertEquals(Kind.BAD_LINE_ENDING, e.kind());
        assertEquals("header field line contains a bare CR at offset 4: \"A: b\\rc\"", e.getMessage());
    }

    @Test
    void httpResponseParserObsLineFolding() {
        BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\r\nA: b\r\n  c\r\n\r\n");
        assertEquals(Kind.INVALID_HEADER, e.kind());
        assertEquals("header field line starts with whitespace (obsolete line folding is refused): \"  c\"", e.getMessage());
    }

    @Test
    void httpResponseParserWhitespaceBeforeColon() {
        BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\r\nContent-Length : 3\r\n\r\nabc");
        assertEquals(Kind.INVALID_HEADER, e.kind());
        assertEquals("header field name is followed by whitespace (none is allowed before the colon): \"Content-Length : 3\"",
                e.getMessage());
    }

    @Test
    void httpResponseParserBadHeaderNames() {
        for (String line : List.of("Bad\"Name: x", "Na(me: x", "NoColon", ": empty", "Ümlaut: x", "A\tB: x")) {
            BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\r\n" + line + "\r\n\r\n");
            assertEquals(Kind.INVALID_HEADER, e.kind(), line);
        }
    }

    @Test
    void httpResponseParserControlCharInValue() {
        BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\r\nX: a\u0001b\r\n\r\n");
        assertEquals(Kind.INVALID_HEADER, e.kind());
        assertEquals("header field value has a control character at offset 4: \"X: a\\x01b\"", e.getMessage());
        assertEquals(Kind.INVALID_HEADER, refuse("GET", "HTTP/1.1 200 OK\r\nX: a\u007fb\r\n\r\n").kind());
    }

    @Test
    void headerValuesAreTrimmedAndKeepTabsAndObsText() {
        parse("GET", "HTTP/1.1 204 No Content\r\nX:   a\tb \u00ff  \r\nEmpty:\r\nx: second\r\n\r\n");
        assertEquals("a\tb \u00ff", rec.head.headers().get("X"));
        assertEquals("", rec.head.headers().get("empty"));
        assertEquals(List.of("a\tb \u00ff", "second"), rec.head.headers().getAll("x"));
        assertTrue(rec.head.headers().isReadOnly());
    }

    @Test
    void httpResponseParserStatusLineTooLong() {
        String line = "HTTP/1.1 200 " + "x".repeat(8192);
        BadHttpMessage e = refuse("GET", line + "\r\n\r\n");
        assertEquals(Kind.LINE_TOO_LONG, e.kind());
        assertEquals(8192, e.limit());
        assertTrue(e.getMessage().startsWith("status line is longer than 8192 bytes (limit 8192): \"HTTP/1.1 200 xxx"), e.getMessage());
        assertTrue(e.getMessage().endsWith("... (8129 more bytes)"), e.getMessage());
    }

    @Test
    void lineOfExactlyTheLimitIsAccepted() { // aio4j-only
        String line = "HTTP/1.1 200 " + "x".repeat(8192 - 13);
        assertEquals(8192, line.length());
        parse("GET", line + "\r\nContent-Length: 0\r\n\r\n");
        assertTrue(parser.done());
    }

    @Test
    void lineTooLongIsRefusedBeforeItsEnd() { // aio4j-only: never buffers past the limit
        parser.start("GET");
        byte[] chunk = b("x".repeat(1000));
        BadHttpMessage e = assertThrows(BadHttpMessage.class, () -> {
            parser.feed(b("HTTP/1.1 200 OK\r\nX: "));
            for (int i = 0; i < 100; i++) {
                parser.feed(chunk);
            }
        });
        assertEquals(Kind.LINE_TOO_LONG, e.kind());
        assertTrue(parser.retainedBytes() <= 8192 + 2, "retained " + parser.retainedBytes());
    }

    @Test
    void httpResponseParserHeaderLineTooLong() {
        BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\r\nX: " + "v".repeat(8190) + "\r\n\r\n");
        assertEquals(Kind.LINE_TOO_LONG, e.kind());
        assertTrue(e.getMessage().startsWith("header field line is longer than 8192 bytes (limit 8192)"), e.getMessage());
    }

    @Test
    void tooManyHeaders() {
        StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 101; i++) {
            sb.append("X-").append(i).append(": v\r\n");
        }
        BadHttpMessage e = refuse("GET", sb + "\r\n");
        assertEquals(Kind.HEADERS_TOO_LARGE, e.kind());
        assertEquals("header section has more than 100 fields (limit 100): \"X-100: v\"", e.getMessage());
    }

    @Test
    void headerSectionTooLarge() {
        StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 9; i++) {
            sb.append("X-").append(i).append(": ").append("v".repeat(8000)).append("\r\n");
        }
        BadHttpMessage e = refuse("GET", sb + "\r\n");
        assertEquals(Kind.HEADERS_TOO_LARGE, e.kind());
        assertEquals(65536, e.limit());
    }

    @Test
    void httpResponseParserNoBodyForHead() {
        assertEquals(40, parse("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"));
        assertTrue(parser.done());
        assertEquals(ResponseHead.Framing.NONE, rec.head.framing());
        assertEquals("", rec.bodyText());
        assertTrue(rec.head.keepAlive());
    }

    @Test
    void httpResponseParserNoBodyFor204And304() {
        for (int status : new int[] {204, 304}) {
            String r = "HTTP/1.1 " + status + " X\r\nContent-Length: 12\r\nTransfer-Encoding: chunked\r\n\r\n";
            assertEquals(r.length(), parse("GET", r + "NEXT"), "the bytes after the head are not this body");
            assertEquals(ResponseHead.Framing.NONE, rec.head.framing());
            assertTrue(parser.done());
        }
    }

    @Test
    void httpResponseParserContinueThenFinal() {
        parse("POST", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
        assertEquals(List.of(
                "interim HTTP/1.1 100 [Continue] Headers[read-only; ] NONE -1 keep-alive",
                "interim HTTP/1.1 103 [Early Hints] Headers[read-only; Link: </a>] NONE -1 keep-alive",
                "head HTTP/1.1 201 [Created] Headers[read-only; Content-Length: 2] LENGTH 2 keep-alive",
                "body 2 bytes, hash " + java.util.Arrays.hashCode(b("ok")),
                "complete"), rec.events());
    }

    @Test
    void switchingProtocolsEndsTheResponse() { // aio4j-only
        assertEquals(48, parse("GET", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\nRAW"));
        assertEquals(101, rec.head.status());
        assertFalse(rec.head.keepAlive());
        assertTrue(parser.done());
    }

    @Test
    void httpResponseParserChunked() {
        String r = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6;ext=1;other\r\n world\r\nA;q=\"x y\"\r\n0123456789\r\n0\r\nX-Checksum: abc\r\nX-More: d\r\n\r\n";
        assertEquals(r.length(), parse("GET", r));
        assertEquals(ResponseHead.Framing.CHUNKED, rec.head.framing());
        assertEquals("hello world0123456789", rec.bodyText());
        assertEquals("abc", rec.trailers.get("x-checksum"));
        assertEquals(2, rec.trailers.size());
        assertTrue(rec.complete);
    }

    @Test
    void chunkedCaseInsensitiveAndUpperHex() {
        parse("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: CHUNKED\r\n\r\n00000a\r\n0123456789\r\n0\r\n\r\n");
        assertEquals("0123456789", rec.bodyText());
        assertNull(rec.trailers);
    }

    @Test
    void httpResponseParserBadChunkSize() {
        for (String size : List.of("x", "-1", "+5", "0x5", " 5", "5 x", "", "5 ", "5\t", "5 ;a", "5;", "5;a b", "5;a=\"b")) {
            BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + size + "\r\nhello\r\n0\r\n\r\n");
            assertEquals(Kind.BAD_CHUNK, e.kind(), size);
        }
    }

    @Test
    void chunkSizeOverflowIsRefused() {
        BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n");
        assertEquals(Kind.BAD_CHUNK, e.kind());
        assertEquals("chunk size does not fit in 63 bits (limit 9223372036854775807): \"10000000000000000\"", e.getMessage());
        // the largest size is accepted as a size (the body then simply never ends)
        rec = new RecordingListener();
        parser = new ResponseParser(ParserLimits.DEFAULT, rec);
        parser.start("GET");
        parser.feed(b("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\nabc"));
        assertEquals("abc", rec.bodyText());
    }

    @Test
    void chunkSizeLineTooLong() {
        BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;" + "e".repeat(5000) + "\r\n");
        assertEquals(Kind.LINE_TOO_LONG, e.kind());
        assertEquals(4096, e.limit());
        assertTrue(e.getMessage().startsWith("chunk-size line is longer than 4096 bytes"), e.getMessage());
    }

    @Test
    void chunkDataNotFollowedByCrlf() {
        BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n");
        assertEquals(Kind.BAD_CHUNK, e.kind());
        assertEquals("chunk data (3 bytes) is not followed by CRLF (chunk size mismatch): \"l\"", e.getMessage());
    }

    @Test
    void trailerLimitsApply() {
        StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n");
        for (int i = 0; i < 101; i++) {
            sb.append("T").append(i).append(": v\r\n");
        }
        BadHttpMessage e = refuse("GET", sb + "\r\n");
        assertEquals(Kind.HEADERS_TOO_LARGE, e.kind());
        assertTrue(e.getMessage().startsWith("trailer section has more than 100 fields"), e.getMessage());
        assertEquals(Kind.INVALID_HEADER,
                refuse("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nBad Name: x\r\n\r\n").kind());
    }

    @Test
    void transferEncodingOtherThanChunkedIsRefused() {
        for (String te : List.of("gzip", "gzip, chunked", "chunked, gzip", "chunked, chunked", "identity", "chunked;q=1", " , ")) {
            BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: " + te + "\r\n\r\n");
            assertEquals(Kind.BAD_TRANSFER_ENCODING, e.kind(), te);
        }
        BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
        assertEquals("Transfer-Encoding other than chunked is not supported: \"gzip, chunked\"", e.getMessage());
        // two header lines count as one list
        e = refuse("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertEquals("Transfer-Encoding applies chunked more than once: \"chunked, chunked\"", e.getMessage());
    }

    @Test
    void transferEncodingWithContentLengthIsRefused() {
        BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertEquals(Kind.BAD_TRANSFER_ENCODING, e.kind());
        assertEquals("response has both Transfer-Encoding and Content-Length (refused: ambiguous framing): \"Content-Length: 5\"",
                e.getMessage());
        assertEquals(Kind.BAD_TRANSFER_ENCODING,
                refuse("GET", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").kind());
    }

    @Test
    void httpResponseParserBadContentLength() {
        for (String cl : List.of("-1", "abc", "1.5", "+5", "0x10", "", "5 5", "99999999999999999999")) {
            BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\r\nContent-Length: " + cl + "\r\n\r\n");
            assertEquals(Kind.BAD_CONTENT_LENGTH, e.kind(), cl);
        }
        BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n");
        assertEquals("Content-Length is not a non-negative decimal number: \"-1\"", e.getMessage());
    }

    @Test
    void conflictingContentLengthIsRefused() {
        BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
        assertEquals(Kind.BAD_CONTENT_LENGTH, e.kind());
        assertEquals("Content-Length has conflicting values 5 and 6: \"5, 6\"", e.getMessage());
        assertEquals(Kind.BAD_CONTENT_LENGTH, refuse("GET", "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n").kind());
    }

    @Test
    void identicalContentLengthsAreAccepted() {
        parse("GET", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\ncontent-length: 5, 5\r\n\r\nhello");
        assertEquals(5, rec.head.contentLength());
        assertEquals("hello", rec.bodyText());
        assertTrue(parser.done());
    }

    @Test
    void contentLengthZeroCompletesAtOnce() {
        parse("GET", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertTrue(parser.done());
        assertEquals(ResponseHead.Framing.NONE, rec.head.framing());
        assertEquals(0, rec.head.contentLength());
    }

    @Test
    void bodyUntilClose() {
        parse("GET", "HTTP/1.1 200 OK\r\n\r\nsome");
        assertFalse(parser.done());
        parser.feed(b(" more"));
        parser.feedEof();
        assertTrue(parser.done());
        assertEquals("some more", rec.bodyText());
        assertFalse(rec.head.keepAlive());
    }

    @Test
    void bytesAfterTheResponseAreNotConsumed() {
        String r = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        assertEquals(r.length(), parse("GET", r + "HTTP/1.1 200 OK\r\n"));
        assertEquals(0, parser.feed(b("more")));
    }

    @Test
    void keepAliveRules() {
        parse("GET", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        assertFalse(rec.head.keepAlive());
        parser.start("GET");
        parser.feed(b("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assertFalse(rec.head.keepAlive());
        parser.start("GET");
        parser.feed(b("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n"));
        assertTrue(rec.head.keepAlive());
        parser.start("GET");
        parser.feed(b("HTTP/1.1 200 OK\r\nConnection: upgrade, close\r\nContent-Length: 0\r\n\r\n"));
        assertFalse(rec.head.keepAlive());
    }

    @Test
    void eofBeforeAnyByte() {
        parser.start("GET");
        BadHttpMessage e = assertThrows(BadHttpMessage.class, parser::feedEof);
        assertEquals(Kind.INCOMPLETE, e.kind());
        assertEquals("connection closed before any response byte", e.getMessage());
        assertEquals(0, parser.received());
    }

    @Test
    void eofInTheHead() {
        parser.start("GET");
        parser.feed(b("HTTP/1.1 200 OK\r\nContent-Le"));
        BadHttpMessage e = assertThrows(BadHttpMessage.class, parser::feedEof);
        assertEquals("connection closed in the response head after 27 bytes: \"Content-Le\"", e.getMessage());
    }

    @Test
    void httpResponseParserBodyShorterThanContentLength() {
        parser.start("GET");
        parser.feed(b("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
        BadHttpMessage e = assertThrows(BadHttpMessage.class, parser::feedEof);
        assertEquals(Kind.INCOMPLETE, e.kind());
        assertEquals("connection closed after 3 of 10 body bytes (Content-Length)", e.getMessage());
    }

    @Test
    void eofInChunkedBody() {
        parser.start("GET");
        parser.feed(b("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc"));
        BadHttpMessage e = assertThrows(BadHttpMessage.class, parser::feedEof);
        assertEquals("connection closed in a chunked body, inside a chunk: 3 of 16 bytes received", e.getMessage());
    }

    @Test
    void parserIsUnusableAfterAFailure() {
        refuse("GET", "garbage\r\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> parser.feed(b("x")));
        assertTrue(e.getMessage().startsWith("ResponseParser used after it failed: status line does not start with"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> parser.start("GET"));
        assertTrue(e.getMessage().startsWith("ResponseParser.start() called after the parser failed; the connection must be closed"),
                e.getMessage());
    }

    @Test
    void startWhileParsingIsRefused() {
        parser.start("GET");
        parser.feed(b("HTTP/1.1 200 OK\r\n"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> parser.start("GET"));
        assertEquals("ResponseParser.start() called while a response is being parsed: ResponseParser[HEADERS, 17 bytes, method=GET]",
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> new ResponseParser(ParserLimits.DEFAULT, rec).feed(b("x")));
    }

    @Test
    void reusedForTheNextResponse() { // keep-alive: one parser per connection
        parse("GET", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na");
        parse("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n");
        parse("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n\r\n");
        assertEquals("ab", rec.bodyText());
        assertTrue(parser.done());
    }

    @Test
    void escapingInMessagesIsTruncated() { // aio4j-only
        byte[] junk = new byte[200];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (i + 0x80);
        }
        assertEquals("\"\\x80\\x81\"", Escaping.quote(junk, 0, 2));
        String q = Escaping.quote(junk, 0, junk.length);
        assertTrue(q.startsWith("\"\\x80\\x81"), q);
        assertTrue(q.endsWith("\"... (136 more bytes)"), q);
    }

    // ------------------------------------------------------------------ every limit, at and one past

    /** Small limits so that each boundary is easy to hit exactly: 64-byte lines, 200-byte sections, 5 fields, 16-byte chunk lines. */
    private static final ParserLimits SMALL = new ParserLimits(64, 200, 5, 16);
    private static final ParserLimits SMALL_MANY_FIELDS = new ParserLimits(64, 200, 100, 16);

    /**
     * Parses {@code response} with {@code limits}, fed whole and then byte by byte (the line reader
     * decides at the end of a chunk and at the LF); returns the refusal, or {@code null} if both
     * parses completed the response.
     */
    private static BadHttpMessage parseAtLimit(ParserLimits limits, String response) {
        BadHttpMessage whole = null;
        BadHttpMessage split = null;
        for (boolean byteByByte : new boolean[] {false, true}) {
            ResponseParser p = new ResponseParser(limits, new RecordingListener());
            p.start("GET");
            byte[] bytes = b(response);
            try {
                if (byteByByte) {
                    for (int i = 0; i < bytes.length; i++) {
                        p.feed(bytes, i, 1);
                    }
                } else {
                    p.feed(bytes);
                }
                assertTrue(p.done(), "not done: " + p);
            } catch (BadHttpMessage e) {
                if (byteByByte) {
                    split = e;
                } else {
                    whole = e;
                }
            }
        }
        assertEquals(whole == null, split == null, "whole and byte-by-byte feeding disagree: " + whole + " / " + split);
        if (whole != null) {
            assertEquals(whole.getMessage(), split.getMessage());
        }
        return whole;
    }

    private static void assertRefused(BadHttpMessage e, Kind kind, int limit, String messageStart) {
        assertTrue(e != null, "one past the limit was accepted");
        assertEquals(kind, e.kind());
        assertEquals(limit, e.limit());
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
    }

    private static String line(String prefix, int length) {
        return prefix + "v".repeat(length - prefix.length());
    }

    @Test
    void statusLineLimitAtAndOnePast() { // aiohttp: test_http_response_parser_status_line_too_long (at the boundary)
        String ok = line("HTTP/1.1 200 ", 64);
        assertNull(parseAtLimit(SMALL, ok + "\r\nContent-Length: 0\r\n\r\n"));
        assertRefused(parseAtLimit(SMALL, line("HTTP/1.1 200 ", 65) + "\r\nContent-Length: 0\r\n\r\n"),
                Kind.LINE_TOO_LONG, 64, "status line is longer than 64 bytes (limit 64)");
    }

    @Test
    void headerLineLimitAtAndOnePast() { // aiohttp: test_http_response_parser_bad_header_line_too_long (at the boundary)
        assertNull(parseAtLimit(SMALL, "HTTP/1.1 200 OK\r\n" + line("X: ", 64) + "\r\nContent-Length: 0\r\n\r\n"));
        assertRefused(parseAtLimit(SMALL, "HTTP/1.1 200 OK\r\n" + line("X: ", 65) + "\r\nContent-Length: 0\r\n\r\n"),
                Kind.LINE_TOO_LONG, 64, "header field line is longer than 64 bytes (limit 64)");
    }

    @Test
    void headerSectionBytesAtAndOnePast() { // aio4j-only
        // Each field line counts its length plus CRLF: 3 x (48 + 2) + (48 + 2) = 200, then 201.
        // The last field is Content-Length padded with trailing whitespace, which the value loses.
        String fifty = line("A: ", 48) + "\r\n";
        String clAt = "Content-Length: 0" + " ".repeat(48 - 17) + "\r\n";
        String clPast = "Content-Length: 0" + " ".repeat(49 - 17) + "\r\n";
        assertNull(parseAtLimit(SMALL_MANY_FIELDS, "HTTP/1.1 200 OK\r\n" + fifty.repeat(3) + clAt + "\r\n"));
        assertRefused(parseAtLimit(SMALL_MANY_FIELDS, "HTTP/1.1 200 OK\r\n" + fifty.repeat(3) + clPast + "\r\n"),
                Kind.HEADERS_TOO_LARGE, 200, "header section is larger than 200 bytes (limit 200)");
    }

    @Test
    void headerCountAtAndOnePast() { // aiohttp: test_max_header_field_count (at the boundary)
        assertNull(parseAtLimit(SMALL, "HTTP/1.1 200 OK\r\n" + "A: 1\r\n".repeat(4) + "Content-Length: 0\r\n\r\n"));
        assertRefused(parseAtLimit(SMALL, "HTTP/1.1 200 OK\r\n" + "A: 1\r\n".repeat(5) + "Content-Length: 0\r\n\r\n"),
                Kind.HEADERS_TOO_LARGE, 5, "header section has more than 5 fields (limit 5)");
    }

    private static final String CHUNKED_HEAD = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

    @Test
    void chunkSizeLineLimitAtAndOnePast() { // aio4j-only
        assertNull(parseAtLimit(SMALL, CHUNKED_HEAD + line("3;e=", 16) + "\r\nabc\r\n0\r\n\r\n"));
        assertRefused(parseAtLimit(SMALL, CHUNKED_HEAD + line("3;e=", 17) + "\r\nabc\r\n0\r\n\r\n"),
                Kind.LINE_TOO_LONG, 16, "chunk-size line is longer than 16 bytes (limit 16)");
    }

    @Test
    void trailerLineLimitAtAndOnePast() { // aio4j-only
        assertNull(parseAtLimit(SMALL, CHUNKED_HEAD + "0\r\n" + line("T: ", 64) + "\r\n\r\n"));
        assertRefused(parseAtLimit(SMALL, CHUNKED_HEAD + "0\r\n" + line("T: ", 65) + "\r\n\r\n"),
                Kind.LINE_TOO_LONG, 64, "trailer field line is longer than 64 bytes (limit 64)");
    }

    @Test
    void trailerSectionBytesAtAndOnePast() { // aio4j-only
        String fifty = line("T: ", 48) + "\r\n";
        String fiftyOne = line("T: ", 49) + "\r\n";
        assertNull(parseAtLimit(SMALL_MANY_FIELDS, CHUNKED_HEAD + "0\r\n" + fifty.repeat(4) + "\r\n"));
        assertRefused(parseAtLimit(SMALL_MANY_FIELDS, CHUNKED_HEAD + "0\r\n" + fifty.repeat(3) + fiftyOne + "\r\n"),
                Kind.HEADERS_TOO_LARGE, 200, "trailer section is larger than 200 bytes (limit 200)");
    }

    @Test
    void trailerCountAtAndOnePast() { // aio4j-only
        assertNull(parseAtLimit(SMALL, CHUNKED_HEAD + "0\r\n" + "T: 1\r\n".repeat(5) + "\r\n"));
        assertRefused(parseAtLimit(SMALL, CHUNKED_HEAD + "0\r\n" + "T: 1\r\n".repeat(6) + "\r\n"),
                Kind.HEADERS_TOO_LARGE, 5, "trailer section has more than 5 fields (limit 5)");
    }

    @Test
    void chunkedWithContentLengthZeroIsRefused() { // aiohttp: test_request_te_chunked_with_content_length (response side)
        BadHttpMessage e = refuse("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n0\r\n\r\n");
        assertEquals(Kind.BAD_TRANSFER_ENCODING, e.kind());
        assertEquals("response has both Transfer-Encoding and Content-Length (refused: ambiguous framing): \"Content-Length: 0\"",
                e.getMessage());
    }
}
