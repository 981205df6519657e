package dev.aio4j.http.internal;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Random tokens in lower-case hex from one {@link SecureRandom}: multipart boundaries (FormData,
 * MultipartWriter) and Digest client nonces.
 */
public final class RandomHex {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomHex() {}

    /**
     * Returns {@code bytes} random bytes as hex.
     *
     * @param bytes how many random bytes (the text is twice as long)
     * @return the hex text
     */
    public static String of(int bytes) {
        byte[] r = new byte[bytes];
        RANDOM.nextBytes(r);
        return HexFormat.of().formatHex(r);
    }
}
