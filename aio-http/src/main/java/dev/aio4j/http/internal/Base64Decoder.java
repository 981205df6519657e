package dev.aio4j.http.internal;

import java.io.ByteArrayOutputStream;

/**
 * The base64 Content-Transfer-Encoding of multipart parts, decoded as CPython's
 * {@code base64.b64decode(data)} ({@code binascii.a2b_base64} without {@code strict_mode}), which
 * aiohttp's {@code BodyPartReader.decode} uses, byte for byte: bytes outside the alphabet (line
 * breaks, spaces) are skipped; an {@code =} completes a group only after two or three data
 * characters of it, and once a group is completed by padding the rest of the data is ignored;
 * data that ends inside a group is refused ("Incorrect padding"), where the JDK's MIME decoder
 * accepts a group with its padding missing. The data may be given in pieces ({@link #feed}), any
 * group split between them; {@link #finish()} then checks the end.
 *
 * <p>This is a2b_base64 as CPython 3.11 to 3.13.12 have it (checked against 3.11 and 3.13.0).
 * CPython's gh-145264 (March 2026, in 3.13.13 and the 3.14 and later releases that carry it) no
 * longer stops at the first padded group: it skips an {@code =} before the end and decodes on, so
 * {@code YQ==YQ==} is {@code a} here and three bytes there.
 */
public final class Base64Decoder {
    /*
     * Maintainer notes. The state is a2b_base64's: `quadPos` data characters of the current group
     * seen (0 to 3), `leftover` their bits not yet written, `pads` the = seen since the last data
     * character, `done` once padding completed a group. `dataChars` counts data characters for
     * the message of a group left with one.
     */
    private static final byte[] VALUE = new byte[256];

    static {
        java.util.Arrays.fill(VALUE, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUE[alphabet.charAt(i)] = (byte) i;
        }
    }

    private int quadPos;
    private int leftover;
    private int pads;
    private boolean done;
    private long dataChars;

    /**
     * Whether {@code b} is a base64 data character or {@code =}: the bytes aiohttp's
     * {@code read_chunk} counts when it aligns a part's chunks to whole groups.
     *
     * @param b a byte
     * @return whether it is in the alphabet or the padding
     */
    public static boolean isSignificant(byte b) {
        return b == '=' || VALUE[b & 0xFF] >= 0;
    }

    /**
     * Decodes all of {@code data}.
     *
     * @param data base64 text
     * @return the bytes it stands for
     * @throws IllegalArgumentException if the data ends inside a group (the message says how)
     */
    public static byte[] decode(byte[] data) {
        Base64Decoder d = new Base64Decoder();
        byte[] out = d.feed(data);
        d.finish();
        return out;
    }

    /**
     * Decodes the next piece.
     *
     * @param data the next base64 bytes
     * @return the bytes of the groups (or parts of groups) it completed
     */
    public byte[] feed(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 * 3 + 3);
        for (int i = 0; i < data.length && !done; i++) {
            byte b = data[i];
            if (b == '=') {
                if (quadPos >= 2 && quadPos + ++pads >= 4) {
                    done = true; // a2b_base64: padding ends the data; what follows is not read
                }
                continue;
            }
            int v = VALUE[b & 0xFF];
            if (v < 0) {
                continue; // not in the alphabet: skipped, as b64decode without validate=True
            }
            pads = 0;
            dataChars++;
            switch (quadPos) {
                case 0 -> {
                    leftover = v;
                    quadPos = 1;
                }
                case 1 -> {
                    out.write(leftover << 2 | v >> 4);
                    leftover = v & 0x0F;
                    quadPos = 2;
                }
                case 2 -> {
                    out.write(leftover << 4 | v >> 2);
                    leftover = v & 0x03;
                    quadPos = 3;
                }
                default -> {
                    out.write(leftover << 6 | v);
                    leftover = 0;
                    quadPos = 0;
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * Checks that the data ended at the end of a group, as {@code b64decode} does.
     *
     * @throws IllegalArgumentException if it ended inside one: "Incorrect padding" (two or three
     *     data characters with too few {@code =}), or one data character past a whole group
     */
    public void finish() {
        if (done || quadPos == 0) {
            return;
        }
        if (quadPos == 1) {
            throw new IllegalArgumentException("the number of data characters (" + dataChars + ") cannot be 1 more than a "
                    + "multiple of 4 (Python's binascii.Error: Invalid base64-encoded string)");
        }
        throw new IllegalArgumentException("incorrect padding: the data ends inside a 4-character group, after "
                + dataChars + " data characters; a group of 2 or 3 ends with == or = (Python's binascii.Error: "
                + "Incorrect padding)");
    }
}
