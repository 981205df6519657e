package dev.aio4j.http.internal.ws;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The masking of RFC 6455 section 5.3, eight bytes at a time: payload byte {@code i} is XORed with
 * byte {@code (phase + i) % 4} of the 32-bit key (big-endian). Masking and unmasking are the same
 * operation.
 */
final class Masking {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Masking() {}

    /**
     * Masks {@code length} bytes of {@code src} from {@code srcOffset} into {@code dst} from
     * {@code dstOffset} (the two may be the same range).
     *
     * @param key the masking key, big-endian
     * @param phase which byte of the key applies to the first byte, 0-3
     */
    static void mask(byte[] src, int srcOffset, byte[] dst, int dstOffset, int length, int key, int phase) {
        int k = Integer.rotateLeft(key, phase << 3); // the key as seen from the first byte
        long wide = (k & 0xFFFF_FFFFL) << 32 | (k & 0xFFFF_FFFFL);
        int i = 0;
        for (int last = length - 8; i <= last; i += 8) { // 8 is a multiple of 4: the phase is unchanged
            LONGS.set(dst, dstOffset + i, (long) LONGS.get(src, srcOffset + i) ^ wide);
        }
        for (; i < length; i++) {
            dst[dstOffset + i] = (byte) (src[srcOffset + i] ^ (k >>> ((3 - (i & 3)) << 3)));
        }
    }
}
