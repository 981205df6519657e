package dev.aio4j.http.internal;

import dev.aio4j.http.Headers;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chunked encoding of request bodies and its decoding. Mirrors the chunked parts of aiohttp's
 * {@code tests/test_http_writer.py} and {@code test_http_parser.py}; the properties are aio4j-only.
 */
class ChunkedCodingTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void writeChunked() {
        assertEquals("5\r\nhello\r\n", new String(ChunkedEncoder.chunk(b("hello")), StandardCharsets.ISO_8859_1));
        assertEquals(0, ChunkedEncoder.chunk(new byte[0]).length, "an empty chunk would end the body, so it is skipped");
        assertEquals("10\r\n0123456789abcdef\r\n", new String(ChunkedEncoder.chunk(b("0123456789abcdef")), StandardCharsets.ISO_8859_1));
        assertEquals("0\r\n\r\n", new String(ChunkedEncoder.last(null), StandardCharsets.ISO_8859_1));
        assertEquals("0\r\nX-Sum: 1\r\n\r\n", new String(ChunkedEncoder.last(Headers.of("X-Sum", "1")), StandardCharsets.ISO_8859_1));
        assertEquals("3\r\nell\r\n", new String(ChunkedEncoder.chunk(b("hello"), 1, 3), StandardCharsets.ISO_8859_1));
    }

    @Test
    void decoderStopsAtTheEnd() {
        ChunkedDecoder d = new ChunkedDecoder(ParserLimits.DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] in = b("3\r\nabc\r\n0\r\n\r\nEXTRA");
        int used = d.feed(in, 0, in.length, out::write);
        assertEquals(in.length - 5, used);
        assertTrue(d.done());
        assertEquals("abc", out.toString(StandardCharsets.ISO_8859_1));
    }

    @Property(tries = 500, seed = "20261126")
    void encodeThenDecodeIsIdentity(@ForAll @Size(max = 8) List<@Size(max = 300) byte[]> chunks,
                                    @ForAll @IntRange(min = 1, max = 50) int pieceSize, @ForAll boolean withTrailers) {
        Headers trailers = withTrailers ? Headers.of("X-Count", Integer.toString(chunks.size())) : null;
        byte[] encoded = ChunkedEncoder.encode(chunks, trailers);
        ChunkedDecoder d = new ChunkedDecoder(ParserLimits.DEFAULT);
        CollectingSink sink = new CollectingSink();
        int pos = 0;
        while (pos < encoded.length) {
            int n = Math.min(pieceSize, encoded.length - pos);
            assertEquals(n, d.feed(encoded, pos, n, sink));
            pos += n;
        }
        assertTrue(d.done());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        chunks.forEach(expected::writeBytes);
        assertArrayEquals(expected.toByteArray(), sink.body());
        assertEquals(trailers, sink.trailers());
    }
}
