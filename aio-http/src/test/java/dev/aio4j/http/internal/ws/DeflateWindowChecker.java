package dev.aio4j.http.internal.ws;

import java.util.Arrays;

/**
 * A test-only raw deflate decoder (RFC 1951) that records the longest back-reference it follows,
 * so a test can check that a compressor kept within a window of 2^N bytes: a real zlib inflater
 * set to N window bits would reject a longer one ("invalid distance too far back"), but
 * {@link java.util.zip.Inflater} always has 15 bits and cannot tell. Decodes permessage-deflate
 * messages one after the other, keeping the output of earlier messages as the history (context
 * takeover) unless {@link #reset()} is called. Written bit by bit for clarity, not speed.
 */
final class DeflateWindowChecker {
    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67,
        83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5,
        5, 5, 0};
    private static final int[] DIST_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
        1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DIST_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11,
        12, 12, 13, 13};
    private static final int[] ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    private byte[] out = new byte[1024];
    private int size;
    private byte[] in;
    private int pos;
    private int bitBuffer;
    private int bitCount;
    /** The longest back-reference distance seen since creation. */
    int maxDistance;

    /** Forgets the history: the next message may not refer to earlier ones (no context takeover). */
    void reset() {
        size = 0;
    }

    /**
     * Decodes one message's payload as RFC 7692 section 7.2.2 says: the payload plus
     * {@code 00 00 ff ff}.
     *
     * @return the message
     * @throws IllegalStateException if the data is not valid deflate data
     */
    byte[] message(byte[] payload) {
        in = Arrays.copyOf(payload, payload.length + 4);
        in[payload.length + 2] = (byte) 0xFF;
        in[payload.length + 3] = (byte) 0xFF;
        pos = 0;
        bitBuffer = 0;
        bitCount = 0;
        int start = size;
        while (pos < in.length || bitCount > 0) {
            int last = bits(1);
            switch (bits(2)) {
                case 0 -> stored();
                case 1 -> fixed();
                case 2 -> dynamic();
                default -> throw new IllegalStateException("invalid block type");
            }
            if (last == 1) {
                break;
            }
        }
        return Arrays.copyOfRange(out, start, size);
    }

    private int bits(int need) {
        int val = bitBuffer;
        while (bitCount < need) {
            if (pos >= in.length) {
                throw new IllegalStateException("out of input");
            }
            val |= (in[pos++] & 0xFF) << bitCount;
            bitCount += 8;
        }
        bitBuffer = val >>> need;
        bitCount -= need;
        return val & ((1 << need) - 1);
    }

    private void stored() {
        bitBuffer = 0;
        bitCount = 0;
        int len = (in[pos] & 0xFF) | (in[pos + 1] & 0xFF) << 8;
        int nlen = (in[pos + 2] & 0xFF) | (in[pos + 3] & 0xFF) << 8;
        if (len != (~nlen & 0xFFFF)) {
            throw new IllegalStateException("stored block length does not match its complement");
        }
        pos += 4;
        for (int i = 0; i < len; i++) {
            put(in[pos++]);
        }
    }

    private void put(byte b) {
        if (size == out.length) {
            out = Arrays.copyOf(out, size * 2);
        }
        out[size++] = b;
    }

    /** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
    private record Huffman(int[] count, int[] symbol) {
        static Huffman of(int[] lengths, int n) {
            int[] count = new int[16];
            for (int s = 0; s < n; s++) {
                count[lengths[s]]++;
            }
            int[] offs = new int[16];
            for (int len = 1; len < 15; len++) {
                offs[len + 1] = offs[len] + count[len];
            }
            int[] symbol = new int[n];
            for (int s = 0; s < n; s++) {
                if (lengths[s] != 0) {
                    symbol[offs[lengths[s]]++] = s;
                }
            }
            count[0] = 0;
            return new Huffman(count, symbol);
        }
    }

    private int decode(Huffman h) {
        int code = 0;
        int first = 0;
        int index = 0;
        for (int len = 1; len <= 15; len++) {
            code |= bits(1);
            int count = h.count()[len];
            if (code - count < first) {
                return h.symbol()[index + (code - first)];
            }
            index += count;
            first += count;
            first <<= 1;
            code <<= 1;
        }
        throw new IllegalStateException("invalid Huffman code");
    }

    private void codes(Huffman lit, Huffman dist) {
        while (true) {
            int sym = decode(lit);
            if (sym < 256) {
                put((byte) sym);
            } else if (sym == 256) {
                return;
            } else {
                sym -= 257;
                if (sym >= 29) {
                    throw new IllegalStateException("invalid length symbol");
                }
                int len = LENGTH_BASE[sym] + bits(LENGTH_EXTRA[sym]);
                int ds = decode(dist);
                if (ds >= 30) {
                    throw new IllegalStateException("invalid distance symbol");
                }
                int d = DIST_BASE[ds] + bits(DIST_EXTRA[ds]);
                if (d > size) {
                    throw new IllegalStateException("distance " + d + " reaches before the start of the history");
                }
                maxDistance = Math.max(maxDistance, d);
                for (int i = 0; i < len; i++) {
                    put(out[size - d]);
                }
            }
        }
    }

    private void fixed() {
        int[] lengths = new int[288];
        Arrays.fill(lengths, 0, 144, 8);
        Arrays.fill(lengths, 144, 256, 9);
        Arrays.fill(lengths, 256, 280, 7);
        Arrays.fill(lengths, 280, 288, 8);
        int[] d = new int[30];
        Arrays.fill(d, 5);
        codes(Huffman.of(lengths, 288), Huffman.of(d, 30));
    }

    private void dynamic() {
        int nlen = bits(5) + 257;
        int ndist = bits(5) + 1;
        int ncode = bits(4) + 4;
        int[] lengths = new int[320];
        for (int i = 0; i < ncode; i++) {
            lengths[ORDER[i]] = bits(3);
        }
        Huffman lencode = Huffman.of(lengths, 19);
        int[] all = new int[nlen + ndist];
        int index = 0;
        while (index < nlen + ndist) {
            int sym = decode(lencode);
            if (sym < 16) {
                all[index++] = sym;
            } else {
                int len = 0;
                int repeat;
                if (sym == 16) {
                    if (index == 0) {
                        throw new IllegalStateException("repeat with no previous length");
                    }
                    len = all[index - 1];
                    repeat = 3 + bits(2);
                } else if (sym == 17) {
                    repeat = 3 + bits(3);
                } else {
                    repeat = 11 + bits(7);
                }
                for (int i = 0; i < repeat; i++) {
                    all[index++] = len;
                }
            }
        }
        codes(Huffman.of(Arrays.copyOfRange(all, 0, nlen), nlen), Huffman.of(Arrays.copyOfRange(all, nlen, nlen + ndist), ndist));
    }
}
