package dev.aio4j.http.internal;

import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streaming gzip and deflate decoding of response bodies. Mirrors aiohttp's
 * {@code tests/test_compression_utils.py} and the decompression cases of
 * {@code test_http_parser.py}; the bounds and properties are aio4j-only.
 */
class HttpCompressionTest {
    private static final long UNLIMITED = Long.MAX_VALUE;

    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream g = new GZIPOutputStream(out)) {
                g.write(data);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] deflate(byte[] data, boolean raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
        try (DeflaterOutputStream s = new DeflaterOutputStream(out, d)) {
            s.write(data);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        d.end();
        return out.toByteArray();
    }

    /** Feeds {@code data} in pieces, pulling output into a small buffer; returns the output. */
    static byte[] stream(ContentDecoder d, byte[] data, int pieceSize, int outSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[outSize];
        for (int pos = 0; pos < data.length; pos += pieceSize) {
            int n = Math.min(pieceSize, data.length - pos);
            d.setInput(data, pos, n);
            int k;
            while ((k = d.read(buf, 0, buf.length)) > 0) {
                out.write(buf, 0, k);
            }
            assertTrue(d.needsInput());
        }
        d.finish();
        d.close();
        return out.toByteArray();
    }

    @Test
    void forEncoding() {
        assertTrue(ContentDecoder.forEncoding("gzip", 1) != null);
        assertTrue(ContentDecoder.forEncoding(" X-GZIP ", 1) != null);
        assertTrue(ContentDecoder.forEncoding("Deflate", 1) != null);
        assertNull(ContentDecoder.forEncoding("br", 1));
        assertNull(ContentDecoder.forEncoding("identity", 1));
        assertNull(ContentDecoder.forEncoding("gzip, deflate", 1));
        assertNull(ContentDecoder.forEncoding(null, 1));
    }

    @Test
    void gzipWithOptionalHeaderFields() {
        byte[] payload = "hello, header fields".getBytes(StandardCharsets.UTF_8);
        byte[] plain = gzip(payload);
        // Rebuild the member with FEXTRA, FNAME, FCOMMENT and FHCRC set.
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.write(0x1f);
        m.write(0x8b);
        m.write(8);
        m.write(4 | 8 | 16 | 2);
        m.writeBytes(new byte[] {0, 0, 0, 0, 0, (byte) 255});
        m.writeBytes(new byte[] {3, 0, 'a', 'b', 'c'});
        m.writeBytes("name.txt\0".getBytes(StandardCharsets.ISO_8859_1));
        m.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        m.writeBytes(new byte[] {0x12, 0x34});
        m.write(plain, 10, plain.length - 10);
        byte[] member = m.toByteArray();
        for (int piece = 1; piece <= member.length; piece++) {
            assertArrayEquals(payload, stream(ContentDecoder.gzip(UNLIMITED), member, piece, 7), "piece " + piece);
        }
    }

    @Test
    void gzipWithAnExtraFieldOf256BytesOrMore() { // aio4j-only: XLEN's high byte matters
        byte[] payload = "after a long extra field".getBytes(StandardCharsets.UTF_8);
        byte[] plain = gzip(payload);
        for (int xlen : new int[] {255, 256, 300, 4096}) { // the whole header is bounded at 64 KiB
            ByteArrayOutputStream m = new ByteArrayOutputStream();
            m.write(0x1f);
            m.write(0x8b);
            m.write(8);
            m.write(4); // FEXTRA only
            m.writeBytes(new byte[] {0, 0, 0, 0, 0, (byte) 255});
            m.write(xlen & 0xFF); // XLEN, little-endian
            m.write(xlen >>> 8);
            byte[] extra = new byte[xlen];
            Arrays.fill(extra, (byte) 0x1f); // looks like the start of a gzip member, if misread as data
            m.writeBytes(extra);
            m.write(plain, 10, plain.length - 10);
            byte[] member = m.toByteArray();
            for (int piece : new int[] {1, 2, 3, 255, 256, 257, member.length}) {
                assertArrayEquals(payload, stream(ContentDecoder.gzip(UNLIMITED), member, piece, 7), "XLEN " + xlen + ", piece " + piece);
            }
        }
    }

    @Test
    void gzipMultipleMembers() {
        byte[] a = gzip("first ".getBytes(StandardCharsets.UTF_8));
        byte[] b = gzip("second".getBytes(StandardCharsets.UTF_8));
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        assertEquals("first second", new String(ContentDecoder.gzip(UNLIMITED).decodeAll(both), StandardCharsets.UTF_8));
    }

    @Test
    void deflateZlibAndRawAreBothAccepted() {
        byte[] payload = "deflate me, deflate me".repeat(50).getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(payload, ContentDecoder.deflate(UNLIMITED).decodeAll(deflate(payload, false)));
        assertArrayEquals(payload, ContentDecoder.deflate(UNLIMITED).decodeAll(deflate(payload, true)));
        assertArrayEquals(payload, stream(ContentDecoder.deflate(UNLIMITED), deflate(payload, true), 1, 3));
        assertArrayEquals(payload, stream(ContentDecoder.deflate(UNLIMITED), deflate(payload, false), 1, 3));
    }

    @Test
    void emptyBodyIsFine() {
        assertEquals(0, ContentDecoder.gzip(UNLIMITED).decodeAll(new byte[0]).length);
    }

    @Test
    void corruptGzip() {
        byte[] z = gzip("some text".getBytes(StandardCharsets.UTF_8));
        byte[] badMagic = z.clone();
        badMagic[1] = 0;
        BadHttpMessage e = assertThrows(BadHttpMessage.class, () -> ContentDecoder.gzip(UNLIMITED).decodeAll(badMagic));
        assertEquals(Kind.BAD_CONTENT_ENCODING, e.kind());
        assertTrue(e.getMessage().startsWith("bad gzip magic number at byte 1 of the gzip header: \"\\x00\\x08"), e.getMessage());

        byte[] badCrc = z.clone();
        badCrc[z.length - 6] ^= 1;
        e = assertThrows(BadHttpMessage.class, () -> ContentDecoder.gzip(UNLIMITED).decodeAll(badCrc));
        assertTrue(e.getMessage().startsWith("gzip trailer does not match the data (CRC-32 or size)"), e.getMessage());

        byte[] truncated = Arrays.copyOf(z, z.length - 3);
        e = assertThrows(BadHttpMessage.class, () -> ContentDecoder.gzip(UNLIMITED).decodeAll(truncated));
        assertEquals("body ended inside the gzip stream (after 9 decoded bytes)", e.getMessage());

        byte[] garbage = Arrays.copyOf(z, z.length + 2);
        e = assertThrows(BadHttpMessage.class, () -> ContentDecoder.gzip(UNLIMITED).decodeAll(garbage));
        assertEquals("data after the end of the gzip stream: \"\\x00\\x00\"", e.getMessage());
    }

    @Test
    void corruptDeflate() {
        byte[] junk = {0x78, (byte) 0x9c, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x00};
        BadHttpMessage e = assertThrows(BadHttpMessage.class, () -> ContentDecoder.deflate(UNLIMITED).decodeAll(junk));
        assertEquals(Kind.BAD_CONTENT_ENCODING, e.kind());
        assertTrue(e.getMessage().startsWith("corrupt deflate data after 0 decoded bytes"), e.getMessage());
    }

    @Test
    void zipBombIsStoppedAtTheLimitWithBoundedOutputPerRead() { // aio4j-only
        byte[] bomb = gzip(new byte[20_000_000]); // ~20 KB of gzip for 20 MB of zeros
        assertTrue(bomb.length < 100_000, "bomb is " + bomb.length);
        ContentDecoder d = ContentDecoder.gzip(1_000_000);
        d.setInput(bomb, 0, bomb.length);
        byte[] buf = new byte[16 * 1024];
        BadHttpMessage e = assertThrows(BadHttpMessage.class, () -> {
            int k;
            while ((k = d.read(buf, 0, buf.length)) > 0) {
                assertTrue(k <= buf.length);
            }
        });
        assertEquals(Kind.BAD_CONTENT_ENCODING, e.kind());
        assertEquals(1_000_000, e.limit());
        assertEquals("decoded gzip body is larger than 1000000 bytes (limit 1000000)", e.getMessage());
        assertTrue(d.decodedBytes() <= 1_000_000 + buf.length);
        d.close();
    }

    @Test
    void setInputBeforeTheOldIsUsedIsRefused() {
        ContentDecoder d = ContentDecoder.gzip(UNLIMITED);
        byte[] z = gzip(new byte[100_000]);
        d.setInput(z, 0, z.length);
        d.read(new byte[10], 0, 10);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> d.setInput(z, 0, 1));
        assertTrue(e.getMessage().startsWith("ContentDecoder.setInput() called before the previous input was used up"));
        d.close();
    }

    @Property(tries = 200, seed = "20261127")
    void gzipRoundTrip(@ForAll @Size(max = 5000) byte[] data, @ForAll @IntRange(min = 1, max = 700) int piece,
                       @ForAll @IntRange(min = 1, max = 9000) int outSize) {
        assertArrayEquals(data, stream(ContentDecoder.gzip(UNLIMITED), gzip(data), piece, outSize));
    }

    @Property(tries = 200, seed = "20261128")
    void deflateRoundTrip(@ForAll @Size(max = 5000) byte[] data, @ForAll boolean raw,
                          @ForAll @IntRange(min = 1, max = 700) int piece, @ForAll @IntRange(min = 1, max = 9000) int outSize) {
        assertArrayEquals(data, stream(ContentDecoder.deflate(UNLIMITED), deflate(data, raw), piece, outSize));
    }

    @Property(tries = 300, seed = "20261129")
    void anyBytesDecodeOrFailWithBadHttpMessage(@ForAll @Size(max = 300) byte[] data, @ForAll boolean gzip,
                                                @ForAll @IntRange(min = 1, max = 40) int piece) {
        try {
            stream(gzip ? ContentDecoder.gzip(10_000) : ContentDecoder.deflate(10_000), data, piece, 64);
        } catch (BadHttpMessage expected) {
            assertEquals(Kind.BAD_CONTENT_ENCODING, expected.kind());
        }
    }
}
