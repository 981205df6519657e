package dev.aio4j.http.internal;

import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edges of {@link ResponseParser} that its mutants (issue 11) showed untested: the interim
 * response limit at and one past its bound, CONNECT's 2xx responses, offsets, and the counters.
 * aio4j-only; complements {@link HttpParserTest}, which mirrors aiohttp's {@code test_http_parser.py}.
 */
class ResponseParserMutationTest {
    private final RecordingListener rec = new RecordingListener();
    private final ResponseParser parser = new ResponseParser(ParserLimits.DEFAULT, rec);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void eightInterimResponsesAreAcceptedANinthIsRefused_issue11() {
        String interim = "HTTP/1.1 100 Continue\r\n\r\n";
        String fin = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        parser.start("GET");
        String eight = interim.repeat(ResponseParser.MAX_INTERIM_RESPONSES) + fin;
        assertEquals(eight.length(), parser.feed(b(eight)));
        assertTrue(parser.done());
        assertEquals(200, rec.head.status());
        assertEquals(ResponseParser.MAX_INTERIM_RESPONSES + 2, rec.events().size(), "8 interim, head, complete");

        parser.start("GET");
        String nine = "HTTP/1.1 103 Early Hints\r\n\r\n".repeat(ResponseParser.MAX_INTERIM_RESPONSES + 1) + fin;
        BadHttpMessage e = assertThrows(BadHttpMessage.class, () -> parser.feed(b(nine)));
        assertEquals(Kind.TOO_MANY_INTERIM_RESPONSES, e.kind());
        assertEquals(8, e.limit());
        assertEquals("more than 8 interim (1xx) responses before the final response; the last was 103 (limit 8)", e.getMessage());
    }

    @Test
    void interimCountStartsAgainForEachResponse_issue11() {
        String five = "HTTP/1.1 100 Continue\r\n\r\n".repeat(5) + "HTTP/1.1 204 No Content\r\n\r\n";
        parser.start("GET");
        parser.feed(b(five));
        assertTrue(parser.done());
        parser.start("GET");
        parser.feed(b(five));
        assertTrue(parser.done(), "5 + 5 interim responses on one connection, but only 5 per response");
    }

    @Test
    void connect2xxHasNoBodyOtherwiseItHas_issue11() {
        for (int status : new int[] {200, 201, 299}) {
            RecordingListener r = new RecordingListener();
            ResponseParser p = new ResponseParser(ParserLimits.DEFAULT, r);
            p.start("connect");
            String head = "HTTP/1.1 " + status + " Connection established\r\nContent-Length: 3\r\n\r\n";
            assertEquals(head.length(), p.feed(b(head + "abc")), "tunnel bytes after a " + status + " are not the body");
            assertTrue(p.done());
            assertEquals(ResponseHead.Framing.NONE, r.head.framing());
            assertEquals(-1, r.head.contentLength());
            assertEquals("", r.bodyText());
        }
        for (int status : new int[] {300, 407, 500}) {
            RecordingListener r = new RecordingListener();
            ResponseParser p = new ResponseParser(ParserLimits.DEFAULT, r);
            p.start("CONNECT");
            String response = "HTTP/1.1 " + status + " No\r\nContent-Length: 3\r\n\r\nabc";
            assertEquals(response.length(), p.feed(b(response)));
            assertEquals(ResponseHead.Framing.LENGTH, r.head.framing());
            assertEquals(3, r.head.contentLength());
            assertEquals("abc", r.bodyText());
        }
        // A 1xx to CONNECT is an interim response, not the tunnel.
        parser.start("CONNECT");
        parser.feed(b("HTTP/1.1 100 Continue\r\n\r\n"));
        assertFalse(parser.done());
        assertNull(rec.head);
    }

    @Test
    void feedReturnsBytesConsumedFromAnOffset_issue11() {
        byte[] data = b("XXXXHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA");
        parser.start("GET");
        int n = parser.feed(data, 4, data.length - 4);
        assertEquals(data.length - 4 - 5, n);
        assertEquals(n, parser.received());
        assertEquals("ok", rec.bodyText());
        // After the end, nothing more is consumed, whatever the offset.
        assertEquals(0, parser.feed(data, 6, 3));
        assertEquals(n, parser.received());
    }

    @Test
    void feedAfterTheEndOfAHeadOnlyResponseReturnsZeroFromAnOffset_issue11() {
        byte[] data = b("..HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\n\r\n");
        parser.start("GET");
        assertEquals(27, parser.feed(data, 2, data.length - 2));
        assertEquals(27, parser.received());
    }

    @Test
    void receivedCountsEveryConsumedByteAndStartsAgainAtZero_issue11() {
        parser.start("GET");
        assertEquals(0, parser.received());
        parser.feed(b("HTTP/1.1 200 OK\r\n"));
        assertEquals(17, parser.received());
        parser.feed(b("Content-Length: 1\r\n\r\nx"));
        assertEquals(17 + 22, parser.received());
        parser.start("GET");
        assertEquals(0, parser.received());
    }

    @Test
    void retainedBytesCountsTheLineAndTheChunkedDecoder_issue11() {
        parser.start("GET");
        assertEquals(128, parser.retainedBytes(), "the head's line buffer only");
        parser.feed(b("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab"));
        assertEquals(128 + 128, parser.retainedBytes(), "the head's line buffer and the chunk-size line's");
    }

    @Test
    void feedEofBeforeStartOrAfterFailureIsAnIllegalState_issue11() {
        IllegalStateException before = assertThrows(IllegalStateException.class, parser::feedEof);
        assertEquals("ResponseParser used before start(method)", before.getMessage());
        parser.start("GET");
        assertThrows(BadHttpMessage.class, () -> parser.feed(b("HTTP/2 200 OK\r\n")));
        IllegalStateException after = assertThrows(IllegalStateException.class, parser::feedEof);
        assertTrue(after.getMessage().startsWith("ResponseParser used after it failed: "), after.getMessage());
    }

    @Test
    void startAfterAFailureNamesTheFailure() {
        parser.start("GET");
        BadHttpMessage e = assertThrows(BadHttpMessage.class, () -> parser.feed(b("HTTP/1.1 200 OK\r\nX : y\r\n")));
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> parser.start("GET"));
        assertEquals("ResponseParser.start() called after the parser failed; the connection must be closed, not reused ("
                + e.getMessage() + ")", again.getMessage());
    }
}
