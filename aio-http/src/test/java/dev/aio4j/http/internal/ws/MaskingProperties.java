package dev.aio4j.http.internal.ws;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The eight-bytes-at-a-time masking, the ASCII run of the UTF-8 validator and the strict encoder's
 * fast path agree with their byte-by-byte definitions (RFC 6455 section 5.3, RFC 3629). aio4j-only.
 */
class MaskingProperties {

    @Property
    void maskingMatchesTheByteByByteDefinition(@ForAll @Size(max = 100) byte[] data, @ForAll int key,
            @ForAll @IntRange(min = 0, max = 3) int phase, @ForAll @IntRange(min = 0, max = 9) int offset) {
        byte[] src = new byte[offset + data.length];
        System.arraycopy(data, 0, src, offset, data.length);
        byte[] expected = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            expected[i] = (byte) (data[i] ^ (key >>> ((3 - ((phase + i) & 3)) << 3)));
        }
        byte[] dst = new byte[data.length + 3];
        Masking.mask(src, offset, dst, 3, data.length, key, phase);
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(dst, 3, dst.length));
        Masking.mask(src, offset, src, offset, data.length, key, phase); // in place
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(src, offset, src.length));
    }

    @Property
    void unmaskingAcrossSlicesKeepsThePhase(@ForAll @Size(max = 200) byte[] payload, @ForAll int key,
            @ForAll @IntRange(min = 1, max = 13) int slice) {
        byte[] frame = FrameWriter.frame(true, 0, Opcode.BINARY.code(), payload, 0, payload.length, true, key);
        RecordingEndpoint server = new RecordingEndpoint(Role.SERVER, 1 << 20, null);
        server.feedChopped(slice, frame);
        assertArrayEquals(payload, server.payloads.get(0));
    }

    @Property
    void validatorAgreesWithTheJdkDecoder(@ForAll @Size(max = 64) byte[] data, @ForAll @IntRange(min = 0, max = 40) int ascii) {
        byte[] text = new byte[ascii + data.length];
        java.util.Arrays.fill(text, 0, ascii, (byte) 'a');
        System.arraycopy(data, 0, text, ascii, data.length);
        boolean jdk;
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(text));
            jdk = true;
        } catch (java.nio.charset.CharacterCodingException e) {
            jdk = false;
        }
        assertEquals(jdk, Utf8Validator.isValid(text, 0, text.length));
    }

    @Property
    void strictEncodingEqualsGetBytesWithoutSurrogates(@ForAll String s) {
        boolean surrogates = s.chars().anyMatch(c -> Character.isSurrogate((char) c));
        if (!surrogates) {
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), CloseStatus.encodeStrict(s));
        }
    }
}
