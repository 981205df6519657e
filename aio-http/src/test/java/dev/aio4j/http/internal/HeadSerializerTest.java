package dev.aio4j.http.internal;

import dev.aio4j.http.Headers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The head serializer the client and the server share, on response heads (request heads are in
 * {@link ClientRequestTest}). Mirrors the status-line and framing cases of aiohttp's
 * {@code tests/test_web_response.py} (test_start, test_send_headers_for_empty_body,
 * test_rm_content_length_if_204...), written fresh; each head is parsed back by the client's parser.
 */
class HeadSerializerTest {
    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void responseHeadWithLength() {
        byte[] head = HeadSerializer.response(200, "OK", Headers.of("Content-Type", "text/plain"), new BodyFraming.Length(5));
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n", s(head));
        RecordingListener rec = new RecordingListener();
        ResponseParser p = new ResponseParser(ParserLimits.DEFAULT, rec);
        p.start("GET");
        p.feed(concat(head, "hello".getBytes(StandardCharsets.ISO_8859_1)));
        assertTrue(p.done());
        assertEquals("hello", rec.bodyText());
    }

    @Test
    void sendHeadersForEmptyBody() {
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                s(HeadSerializer.response(200, "OK", new Headers(), new BodyFraming.None())));
        assertEquals("HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n",
                s(HeadSerializer.response(404, "", new Headers(), new BodyFraming.None())));
    }

    @Test
    void rmContentLengthIf1xx204Or304() {
        for (int status : new int[] {100, 101, 204, 304}) {
            String head = s(HeadSerializer.response(status, "X", new Headers(), new BodyFraming.None()));
            assertEquals("HTTP/1.1 " + status + " X\r\n\r\n", head);
        }
    }

    @Test
    void chunkedResponse() {
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                s(HeadSerializer.response(200, "OK", new Headers(), new BodyFraming.Chunked())));
    }

    @Test
    void badResponseHeadsAreRefused() { // aio4j-only
        assertEquals("status must be a three-digit code from 100, got 99",
                assertThrows(IllegalArgumentException.class,
                        () -> HeadSerializer.response(99, "", new Headers(), new BodyFraming.None())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> HeadSerializer.response(1000, "", new Headers(), new BodyFraming.None()));
        var e = assertThrows(IllegalArgumentException.class,
                () -> HeadSerializer.response(200, "OK\r\nX: injected", new Headers(), new BodyFraming.None()));
        assertTrue(e.getMessage().startsWith("reason must hold no control character"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> HeadSerializer.response(200, "OK", Headers.of("Transfer-Encoding", "chunked"), new BodyFraming.Length(1)));
        assertTrue(e.getMessage().startsWith("headers must not contain Transfer-Encoding: the body decides the framing"), e.getMessage());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
