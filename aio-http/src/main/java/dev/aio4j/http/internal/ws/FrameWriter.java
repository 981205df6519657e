package dev.aio4j.http.internal.ws;

import dev.aio4j.loop.internal.Checks;

import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * Serializes WebSocket frames (RFC 6455 section 5.2) for one end of a connection: in the client
 * role every frame is masked with a fresh key from the key source (by default a ChaCha20 keystream
 * keyed from a {@link SecureRandom}, as section 5.3 requires keys that the peer cannot predict); in the server
 * role nothing is masked.
 *
 * <p>{@link #frame} writes any one frame and checks only what the wire format needs (a 4-bit opcode,
 * 3 RSV bits); the message methods ({@link #text}, {@link #binary}, {@link #ping}, {@link #pong},
 * {@link #close}) follow the protocol: control payloads of at most 125 bytes, valid close codes,
 * and permessage-deflate when a codec is given.
 */
public final class FrameWriter {
    private final Role role;
    private final IntSupplier maskKeys;
    private final PerMessageDeflate deflate;

    /**
     * Creates a writer whose client-role keys come from a ChaCha20 keystream keyed from a {@link SecureRandom}.
     *
     * @param role which end writes: a client masks, a server does not
     * @param deflate the permessage-deflate codec if it was negotiated, otherwise {@code null}
     */
    public FrameWriter(Role role, PerMessageDeflate deflate) {
        this(role, deflate, role == Role.CLIENT ? new MaskKeys() : () -> 0);
    }

    /**
     * Masking keys from a ChaCha20 keystream (RFC 8439) whose key and nonce come from a
     * {@link SecureRandom}: a CSPRNG of the kind the Linux kernel's {@code getrandom} uses, so the
     * keys are as unpredictable as section 10.3 asks. One {@code SecureRandom} draw per connection
     * (and per GiB of keystream) instead of one per 64 frames: {@code SecureRandom}'s NativePRNG
     * mixes every draw with SHA1PRNG (a lock, a digest and its arrays per 20 bytes), which cost more
     * than anything else the sender does per small frame; the cipher's keystream costs no allocation.
     * Without a ChaCha20 cipher (a JDK whose providers were restricted), the keys are SecureRandom's
     * bytes, 64 keys per draw.
     */
    private static final class MaskKeys implements IntSupplier {
        private static final SecureRandom SEEDS = new SecureRandom();
        /** The plaintext: encrypting zeros yields the keystream itself. Never written. */
        private static final byte[] ZEROS = new byte[256];
        /** Refills per ChaCha20 key: 2^22 x 256 bytes = 1 GiB, far below the 256 GiB a key and nonce may cover. */
        private static final int REFILLS_PER_KEY = 1 << 22;
        private final byte[] keys = new byte[ZEROS.length];
        private int next = keys.length;
        private Cipher chacha;
        private boolean noCipher;
        private int refills;

        @Override
        public int getAsInt() {
            if (next == keys.length) {
                refill();
            }
            int k = (keys[next] & 0xFF) << 24 | (keys[next + 1] & 0xFF) << 16 | (keys[next + 2] & 0xFF) << 8
                    | (keys[next + 3] & 0xFF);
            next += 4;
            return k;
        }

        private void refill() {
            next = 0;
            if (!noCipher && (chacha == null || refills == REFILLS_PER_KEY)) {
                chacha = newCipher();
                refills = 0;
                noCipher = chacha == null; // asked once per writer, not per refill
            }
            if (chacha == null) { // a JDK without ChaCha20 (a restricted provider list): SecureRandom's own bytes
                SEEDS.nextBytes(keys);
                return;
            }
            refills++;
            try {
                if (chacha.update(ZEROS, 0, ZEROS.length, keys, 0) == keys.length) {
                    return;
                }
            } catch (GeneralSecurityException e) {
                // as a short keystream below
            }
            chacha = null; // not expected from the JDK's cipher: SecureRandom for this batch, a new cipher for the next
            SEEDS.nextBytes(keys);
        }

        /** A ChaCha20 cipher with a fresh random key and nonce, or null if the JDK offers none. */
        private static Cipher newCipher() {
            byte[] seed = new byte[32 + 12];
            SEEDS.nextBytes(seed);
            try {
                Cipher c = Cipher.getInstance("ChaCha20");
                c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, 0, 32, "ChaCha20"),
                        new ChaCha20ParameterSpec(Arrays.copyOfRange(seed, 32, 44), 0));
                return c;
            } catch (GeneralSecurityException e) {
                return null;
            } finally {
                Arrays.fill(seed, (byte) 0);
            }
        }
    }

    /**
     * Creates a writer with a given source of masking keys (tests pass a fixed one).
     *
     * @param role which end writes: a client masks, a server does not
     * @param deflate the permessage-deflate codec if it was negotiated, otherwise {@code null}
     * @param maskKeys the masking keys, one per frame; used in the client role only
     */
    public FrameWriter(Role role, PerMessageDeflate deflate, IntSupplier maskKeys) {
        this.role = Checks.notNull(role, "role");
        this.deflate = deflate;
        this.maskKeys = Checks.notNull(maskKeys, "maskKeys");
    }

    /**
     * Returns the serialized frame: header, then the payload, masked with the next key in the client
     * role.
     *
     * @param fin whether this is the final fragment
     * @param rsv the three RSV bits, 0-7 (RSV1 is 4)
     * @param opcode the 4-bit opcode, 0-15 (reserved values are written as given, for tests)
     * @param payload the payload; not modified
     * @param offset where it starts
     * @param length how many bytes
     * @return the frame's bytes
     * @throws IllegalArgumentException if {@code rsv} or {@code opcode} does not fit its bits
     */
    public byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, int offset, int length) {
        return role == Role.CLIENT ? frame(fin, rsv, opcode, payload, offset, length, true, maskKeys.getAsInt())
                : frame(fin, rsv, opcode, payload, offset, length, false, 0);
    }

    /**
     * Returns a serialized frame with masking given explicitly, whatever the role (tests write
     * frames that break the masking rule with it).
     *
     * @param fin whether this is the final fragment
     * @param rsv the three RSV bits, 0-7 (RSV1 is 4)
     * @param opcode the 4-bit opcode, 0-15
     * @param payload the payload; not modified
     * @param offset where it starts
     * @param length how many bytes
     * @param masked whether to mask
     * @param maskKey the masking key, big-endian; ignored unless {@code masked}
     * @return the frame's bytes
     * @throws IllegalArgumentException if {@code rsv} or {@code opcode} does not fit its bits
     */
    public static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, int offset, int length, boolean masked,
                               int maskKey) {
        Objects.checkFromIndexSize(offset, length, payload.length);
        if (rsv < 0 || rsv > 7) {
            throw new IllegalArgumentException("rsv must be 0-7 (three bits), got " + rsv);
        }
        if (opcode < 0 || opcode > 15) {
            throw new IllegalArgumentException("opcode must be 0-15 (four bits), got " + opcode);
        }
        byte[] out = new byte[headerSize(length, masked) + length];
        write(out, fin, rsv, opcode, payload, offset, length, masked, maskKey);
        return out;
    }

    /** Writes a whole frame, header then (masked) payload, at the start of {@code out}. */
    private static void write(byte[] out, boolean fin, int rsv, int opcode, byte[] payload, int offset, int length,
                              boolean masked, int maskKey) {
        int p = header(out, fin, rsv, opcode, length, masked, maskKey);
        if (masked) {
            Masking.mask(payload, offset, out, p, length, maskKey, 0);
        } else {
            System.arraycopy(payload, offset, out, p, length);
        }
    }

    /** The size of the header of a frame with {@code length} payload bytes. */
    private static int headerSize(int length, boolean masked) {
        return 2 + (length < 126 ? 0 : length <= 0xFFFF ? 2 : 8) + (masked ? 4 : 0);
    }

    /** Writes a frame's header at the start of {@code out}; returns its size, where the payload starts. */
    private static int header(byte[] out, boolean fin, int rsv, int opcode, int length, boolean masked, int maskKey) {
        int lengthBytes = length < 126 ? 0 : length <= 0xFFFF ? 2 : 8;
        out[0] = (byte) ((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int p = 2;
        if (lengthBytes == 0) {
            out[1] = (byte) length;
        } else if (lengthBytes == 2) {
            out[1] = 126;
            out[p++] = (byte) (length >> 8);
            out[p++] = (byte) length;
        } else {
            out[1] = 127;
            for (int i = 7; i >= 0; i--) {
                out[p++] = (byte) (i >= 4 ? 0 : length >>> (i * 8));
            }
        }
        if (masked) {
            out[1] |= (byte) 0x80;
            out[p++] = (byte) (maskKey >>> 24);
            out[p++] = (byte) (maskKey >>> 16);
            out[p++] = (byte) (maskKey >>> 8);
            out[p++] = (byte) maskKey;
        }
        return p;
    }

    /**
     * Returns a text message as one frame, compressed if permessage-deflate is on.
     *
     * @param text the text; unpaired surrogates are refused
     * @return the frame's bytes
     * @throws IllegalArgumentException if the text has unpaired surrogates
     */
    public byte[] text(String text) {
        Checks.notNull(text, "text");
        if (deflate == null && isAscii(text)) {
            return asciiText(text);
        }
        return data(Opcode.TEXT, CloseStatus.encodeStrict(text));
    }

    private static boolean isAscii(String s) {
        int or = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            or |= s.charAt(i); // no branch per character: short texts are the common case, and mostly ASCII
        }
        return or < 0x80;
    }

    /**
     * An ASCII text frame built in one array: the characters are its UTF-8 bytes, copied straight
     * after the header and masked in place, without the intermediate {@code getBytes} array.
     */
    private byte[] asciiText(String text) {
        byte[] out = new byte[headerSize(text.length(), role == Role.CLIENT) + text.length()];
        asciiText(text, out);
        return out;
    }

    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) keeps the low 8 bits: exact for ASCII
    private void asciiText(String text, byte[] out) {
        int length = text.length();
        boolean masked = role == Role.CLIENT;
        int key = masked ? maskKeys.getAsInt() : 0;
        int p = header(out, true, 0, Opcode.TEXT.code(), length, masked, key);
        text.getBytes(0, length, out, p);
        if (masked) {
            Masking.mask(out, p, out, p, length, key, 0);
        }
    }

    /**
     * The length of {@code text}'s frame if {@link #textInto} can build it in a caller's array
     * (uncompressed ASCII text, the common case), otherwise -1: then use {@link #text}.
     *
     * @param text the text
     * @return the frame's length, or -1
     */
    public int textIntoLength(String text) {
        if (deflate != null || !isAscii(text)) {
            return -1;
        }
        return headerSize(text.length(), role == Role.CLIENT) + text.length();
    }

    /**
     * Builds {@code text}'s frame at the start of {@code out}, the bytes {@link #text} returns:
     * for a text that {@link #textIntoLength} measured, into an array at least that long (a
     * reused one: no array per frame).
     *
     * @param text the text, as measured
     * @param out the array
     */
    public void textInto(String text, byte[] out) {
        asciiText(text, out);
    }

    /**
     * The length of a binary message's frame if {@link #binaryInto} can build it in a caller's
     * array (uncompressed), otherwise -1: then use {@link #binary}.
     *
     * @param data the payload
     * @return the frame's length, or -1
     */
    public int binaryIntoLength(byte[] data) {
        return deflate != null ? -1 : headerSize(data.length, role == Role.CLIENT) + data.length;
    }

    /**
     * Builds a binary message's frame at the start of {@code out}, the bytes {@link #binary}
     * returns, into an array at least {@link #binaryIntoLength} long.
     *
     * @param data the payload
     * @param out the array
     */
    public void binaryInto(byte[] data, byte[] out) {
        boolean masked = role == Role.CLIENT;
        int key = masked ? maskKeys.getAsInt() : 0;
        write(out, true, 0, Opcode.BINARY.code(), data, 0, data.length, masked, key);
    }

    /**
     * Returns a binary message as one frame, compressed if permessage-deflate is on.
     *
     * @param data the payload
     * @return the frame's bytes
     */
    public byte[] binary(byte[] data) {
        return data(Opcode.BINARY, Checks.notNull(data, "data"));
    }

    private byte[] data(Opcode opcode, byte[] payload) {
        if (deflate != null) {
            byte[] compressed = deflate.compress(payload, 0, payload.length);
            return frame(true, 4, opcode.code(), compressed, 0, compressed.length);
        }
        return frame(true, 0, opcode.code(), payload, 0, payload.length);
    }

    /**
     * Returns a ping frame.
     *
     * @param payload at most 125 bytes
     * @return the frame's bytes
     * @throws IllegalArgumentException if the payload is longer than 125 bytes
     */
    public byte[] ping(byte[] payload) {
        return control(Opcode.PING, payload);
    }

    /**
     * Returns a pong frame.
     *
     * @param payload at most 125 bytes (the ping's payload, when answering one)
     * @return the frame's bytes
     * @throws IllegalArgumentException if the payload is longer than 125 bytes
     */
    public byte[] pong(byte[] payload) {
        return control(Opcode.PONG, payload);
    }

    /**
     * Returns a close frame.
     *
     * @param code the status code, or {@link CloseStatus#NO_STATUS} for an empty payload
     * @param reason the reason, at most 123 bytes of UTF-8, or {@code null}
     * @return the frame's bytes
     * @throws IllegalArgumentException as {@link CloseStatus#payload(int, String)}
     */
    public byte[] close(int code, String reason) {
        return control(Opcode.CLOSE, CloseStatus.payload(code, reason));
    }

    private byte[] control(Opcode opcode, byte[] payload) {
        Checks.notNull(payload, "payload");
        if (payload.length > Opcode.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException(opcode + " payload must be at most 125 bytes (RFC 6455 section 5.5), got "
                    + payload.length);
        }
        return frame(true, 0, opcode.code(), payload, 0, payload.length);
    }

    @Override
    public String toString() {
        return "FrameWriter[" + role + (deflate != null ? ", permessage-deflate" : "") + "]";
    }
}
