package dev.aio4j.http.internal.ws;

import dev.aio4j.loop.internal.Checks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The computations of the opening handshake (RFC 6455 section 4): the client's
 * {@code Sec-WebSocket-Key}, the server's {@code Sec-WebSocket-Accept}, and the choice of
 * subprotocol. Extensions are {@link DeflateNegotiation}'s.
 */
public final class Handshake {
    /** The GUID that RFC 6455 section 1.3 appends to the key before hashing. */
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private Handshake() {}

    /**
     * Returns the {@code Sec-WebSocket-Accept} value for a key: the base64 of the SHA-1 of the key
     * followed by the GUID (RFC 6455 section 4.2.2).
     *
     * @param key the client's {@code Sec-WebSocket-Key}, as sent
     * @return the accept value
     */
    public static String accept(String key) {
        Checks.notNull(key, "key");
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-1", e);
        }
    }

    /**
     * Returns whether a {@code Sec-WebSocket-Key} is valid: the base64 of exactly 16 bytes (24
     * characters with padding), RFC 6455 section 4.1 item 7.
     *
     * @param key the header value, or {@code null} when absent
     * @return whether the key is valid
     */
    public static boolean isValidKey(String key) {
        if (key == null) {
            return false;
        }
        String k = key.strip();
        if (k.length() != 24 || !k.endsWith("==")) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(k).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Returns a fresh {@code Sec-WebSocket-Key}: 16 random bytes, base64.
     *
     * @param random the source; the key must be unpredictable for each connection (RFC 6455 section 4.1)
     * @return the key
     */
    public static String newKey(RandomGenerator random) {
        byte[] nonce = new byte[16];
        for (int i = 0; i < 16; i += 4) {
            int r = random.nextInt();
            nonce[i] = (byte) r;
            nonce[i + 1] = (byte) (r >> 8);
            nonce[i + 2] = (byte) (r >> 16);
            nonce[i + 3] = (byte) (r >> 24);
        }
        return Base64.getEncoder().encodeToString(nonce);
    }

    /**
     * Chooses the subprotocol as aiohttp's server does: the first protocol in the client's offer
     * that the server speaks (the client's order decides; RFC 6455 section 4.2.2 leaves the choice
     * to the server, and aiohttp takes the client's preference).
     *
     * @param serverProtocols the protocols the server speaks (their order does not matter)
     * @param offered the {@code Sec-WebSocket-Protocol} values of the request, each a comma-separated
     *        list (several header lines are allowed); {@code null} or empty when absent
     * @return the protocol to answer with, or {@code null} for none
     */
    public static String selectProtocol(List<String> serverProtocols, List<String> offered) {
        Checks.notNull(serverProtocols, "serverProtocols");
        if (offered == null || offered.isEmpty()) {
            return null;
        }
        for (String line : offered) {
            for (String p : line.split(",", -1)) {
                String name = p.strip();
                if (!name.isEmpty() && serverProtocols.contains(name)) {
                    return name;
                }
            }
        }
        return null;
    }
}
