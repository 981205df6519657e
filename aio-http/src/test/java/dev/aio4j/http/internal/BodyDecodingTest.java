package dev.aio4j.http.internal;

import dev.aio4j.http.BadHttpMessage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The body stage of an exchange, without a socket: slices in, pieces out, through the decoder when
 * there is one. aio4j-only (aiohttp's {@code test_http_parser.py} decompression cases cover the
 * decoder itself; see {@link HttpCompressionTest}).
 */
class BodyDecodingTest {
    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] drain(BodyDecoding body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] piece;
        while ((piece = body.next()) != null) {
            assertTrue(piece.length > 0);
            out.writeBytes(piece);
        }
        return out.toByteArray();
    }

    @Test
    void plainSlicesPassThroughInOrderAndAreCopied() {
        BodyDecoding body = new BodyDecoding();
        byte[] buf = {1, 2, 3, 4, 5};
        body.add(buf, 1, 3);
        body.add(buf, 0, 0); // empty slices are not queued
        body.add(buf, 4, 1);
        buf[1] = 9; // the parser's array is reused after the call
        assertArrayEquals(new byte[] {2, 3, 4}, body.next());
        assertArrayEquals(new byte[] {5}, body.next());
        assertNull(body.next());
        body.finish(); // nothing to check without a decoder
    }

    @Test
    void gzipAcrossSlicesInBoundedPieces() throws IOException {
        byte[] plain = new byte[100_000];
        new Random(7).nextBytes(plain);
        Arrays.fill(plain, 50_000, 100_000, (byte) 'a');
        byte[] wire = gzip(plain);
        BodyDecoding body = new BodyDecoding();
        body.decodeWith(ContentDecoder.gzip(Long.MAX_VALUE));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int off = 0; off < wire.length; off += 1000) {
            body.add(wire, off, Math.min(1000, wire.length - off));
            byte[] piece;
            while ((piece = body.next()) != null) {
                assertTrue(piece.length <= BodyDecoding.DECODE_PIECE, "piece of " + piece.length);
                out.writeBytes(piece);
            }
        }
        body.finish();
        assertArrayEquals(plain, out.toByteArray());
    }

    @Test
    void truncatedGzipFailsAtFinish() throws IOException {
        byte[] wire = gzip("hello, world".getBytes());
        BodyDecoding body = new BodyDecoding();
        body.decodeWith(ContentDecoder.gzip(Long.MAX_VALUE));
        body.add(wire, 0, wire.length - 4);
        drain(body);
        BadHttpMessage e = assertThrows(BadHttpMessage.class, body::finish);
        assertEquals(BadHttpMessage.Kind.BAD_CONTENT_ENCODING, e.kind());
    }

    @Test
    void closeDropsWhatIsQueued() {
        BodyDecoding body = new BodyDecoding();
        body.add(new byte[] {1}, 0, 1);
        body.close();
        assertNull(body.next());
        assertEquals("BodyDecoding[0 slices queued]", body.toString());
    }
}
