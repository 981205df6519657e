package dev.aio4j.http.internal;

import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edges of {@link ContentDecoder} that its mutants (issue 11) showed untested: each byte of the gzip
 * magic and method, the 64 KiB header bound at and one past it, the output bound at it, raw
 * deflate streams whose first bytes look like (but are not) a zlib header, and close().
 * aio4j-only; complements {@link HttpCompressionTest}.
 */
class ContentDecoderMutationTest {
    private static final long UNLIMITED = Long.MAX_VALUE;
    private static final byte[] PAYLOAD = "hello, mutants".getBytes(StandardCharsets.UTF_8);

    /** A gzip member of PAYLOAD whose header has the given flags and optional fields. */
    private static byte[] member(int flags, byte[] optional) {
        byte[] plain = HttpCompressionTest.gzip(PAYLOAD);
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, (byte) flags, 0, 0, 0, 0, 0, (byte) 255});
        m.writeBytes(optional);
        m.write(plain, 10, plain.length - 10);
        return m.toByteArray();
    }

    /** FEXTRA of xlen bytes, then FHCRC: a header of 10 + 2 + xlen + 2 bytes. */
    private static byte[] extraThenHcrc(int xlen) {
        byte[] optional = new byte[2 + xlen + 2];
        optional[0] = (byte) xlen;
        optional[1] = (byte) (xlen >>> 8);
        return member(4 | 2, optional);
    }

    @Test
    void eachByteOfTheGzipMagicAndMethodIsChecked_issue11() {
        byte[] z = HttpCompressionTest.gzip(PAYLOAD);
        byte[] badFirst = z.clone();
        badFirst[0] = 0x1e;
        BadHttpMessage e = assertThrows(BadHttpMessage.class, () -> ContentDecoder.gzip(UNLIMITED).decodeAll(badFirst));
        assertTrue(e.getMessage().startsWith("bad gzip magic number at byte 0 of the gzip header: \"\\x1e"), e.getMessage());
        byte[] badMethod = z.clone();
        badMethod[2] = 7;
        e = assertThrows(BadHttpMessage.class, () -> ContentDecoder.gzip(UNLIMITED).decodeAll(badMethod));
        assertEquals(Kind.BAD_CONTENT_ENCODING, e.kind());
        assertTrue(e.getMessage().startsWith("bad gzip compression method (8, deflate) at byte 2 of the gzip header: \"\\x07"),
                e.getMessage());
    }

    @Test
    void aGzipHeaderOf64KiBIsAcceptedOneByteMoreIsNot_issue11() {
        byte[] atLimit = extraThenHcrc(65536 - 14);
        assertArrayEquals(PAYLOAD, ContentDecoder.gzip(UNLIMITED).decodeAll(atLimit));
        assertArrayEquals(PAYLOAD, HttpCompressionTest.stream(ContentDecoder.gzip(UNLIMITED), atLimit, 1000, 64));
        byte[] over = extraThenHcrc(65536 - 13);
        BadHttpMessage e = assertThrows(BadHttpMessage.class, () -> ContentDecoder.gzip(UNLIMITED).decodeAll(over));
        assertEquals(Kind.BAD_CONTENT_ENCODING, e.kind());
        assertEquals(65536, e.limit());
        assertEquals("gzip header is larger than 65536 bytes (limit 65536)", e.getMessage());
    }

    @Test
    void anEmptyExtraFieldIsSkipped_issue11() {
        byte[] z = member(4 | 8, new byte[] {0, 0, 'n', 0});
        for (int piece = 1; piece <= z.length; piece++) {
            assertArrayEquals(PAYLOAD, HttpCompressionTest.stream(ContentDecoder.gzip(UNLIMITED), z, piece, 5), "piece " + piece);
        }
    }

    @Test
    void outputOfExactlyMaxDecodedBytesIsAccepted_issue11() {
        ContentDecoder d = ContentDecoder.gzip(PAYLOAD.length);
        assertArrayEquals(PAYLOAD, d.decodeAll(HttpCompressionTest.gzip(PAYLOAD)));
        assertEquals(PAYLOAD.length, d.decodedBytes());
        BadHttpMessage e = assertThrows(BadHttpMessage.class,
                () -> ContentDecoder.gzip(PAYLOAD.length - 1).decodeAll(HttpCompressionTest.gzip(PAYLOAD)));
        assertEquals(PAYLOAD.length - 1, e.limit());
    }

    @Test
    void decodedBytesCountsTheOutput_issue11() {
        byte[] payload = "x".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        ContentDecoder d = ContentDecoder.deflate(UNLIMITED);
        assertEquals(0, d.decodedBytes());
        byte[] z = HttpCompressionTest.deflate(payload, false);
        d.setInput(z, 0, z.length);
        assertEquals(100, d.read(new byte[100], 0, 100));
        assertEquals(100, d.decodedBytes());
        d.close();
    }

    /** Raw deflate: one stored block of {@code data} (not final), then an empty final stored block. */
    private static byte[] rawStored(int firstByte, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int len = data.length;
        out.writeBytes(new byte[] {(byte) firstByte, (byte) len, (byte) (len >>> 8), (byte) ~len, (byte) (~len >>> 8)});
        out.writeBytes(data);
        out.writeBytes(new byte[] {1, 0, 0, (byte) 0xff, (byte) 0xff});
        return out.toByteArray();
    }

    @Test
    void rawDeflateWhoseFirstByteIsZeroFedByteByByte_issue11() {
        byte[] raw = rawStored(0x00, PAYLOAD);
        assertArrayEquals(PAYLOAD, HttpCompressionTest.stream(ContentDecoder.deflate(UNLIMITED), raw, 1, 3));
        assertArrayEquals(PAYLOAD, HttpCompressionTest.stream(ContentDecoder.deflate(UNLIMITED), raw, 2, 3));
    }

    @Test
    void rawDeflateThatLooksLikeAZlibMethodByteIsNotZlib_issue11() {
        // 0x08: CM=8, CINFO=0 as a zlib header; but 0x0800 is not a multiple of 31, so it is raw deflate
        // (a stored block; the bits after BTYPE are padding). The second byte is 0, itself a multiple of 31.
        byte[] data = new byte[256];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        byte[] raw = rawStored(0x08, data);
        assertEquals(0, raw[1]);
        assertArrayEquals(data, ContentDecoder.deflate(UNLIMITED).decodeAll(raw));
        assertArrayEquals(data, HttpCompressionTest.stream(ContentDecoder.deflate(UNLIMITED), raw, 1, 7));
    }

    @Test
    void readingADeflateDecoderBeforeAnyInputGivesNothing_issue11() {
        ContentDecoder d = ContentDecoder.deflate(UNLIMITED);
        assertEquals(0, d.read(new byte[8], 0, 8));
        d.setInput(new byte[0], 0, 0);
        assertEquals(0, d.read(new byte[8], 0, 8));
        assertTrue(d.needsInput());
        d.finish(); // no body at all is not a cut stream
        d.close();
    }

    @Test
    void closeReleasesTheInflater_issue11() {
        ContentDecoder d = ContentDecoder.gzip(UNLIMITED);
        byte[] z = HttpCompressionTest.gzip(PAYLOAD);
        d.setInput(z, 0, 10); // the header: the inflater is started
        assertEquals(0, d.read(new byte[64], 0, 64));
        d.close();
        d.setInput(z, 10, z.length - 10);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> d.read(new byte[64], 0, 64));
        assertEquals("Inflater has been closed", e.getMessage());
    }
}
