package dev.aio4j.http.internal.ws;

/**
 * An incremental UTF-8 validator: a small state machine fed byte slices of any size, which says
 * "invalid" at the first byte that no valid UTF-8 sequence can continue with, so that a fragmented
 * text message is refused as soon as its bad byte arrives (RFC 6455 section 8.1; Autobahn cases 6.4).
 *
 * <p>Valid means RFC 3629: no overlong encodings ({@code C0}, {@code C1}, {@code E0 80-9F},
 * {@code F0 80-8F}), no surrogates ({@code ED A0-BF}), nothing above U+10FFFF ({@code F4 90-BF},
 * {@code F5-FF}), no stray continuation bytes, and, checked by {@link #complete()} at the end of a
 * message, no sequence cut short. Noncharacters such as U+FFFE are valid UTF-8 and accepted.
 *
 * <p>Use: {@link #reset()} at the start of each message, {@link #feed} every slice (it returns
 * {@code false} at the first invalid byte and the validator stays invalid), then check
 * {@link #complete()}.
 */
public final class Utf8Validator {
    /*
     * Maintainer notes. The state is the set of bytes the next byte must come from:
     *
     *   ACCEPT  between sequences          NEED1  one more of 80-BF        NEED2  two more of 80-BF
     *   NEED3   three more of 80-BF        AFTER_E0  A0-BF, then NEED1     AFTER_ED  80-9F, then NEED1
     *   AFTER_F0  90-BF, then NEED2        AFTER_F4  80-8F, then NEED2     REJECT (absorbing)
     *
     * The lead byte decides the first restricted range: E0 excludes overlong 3-byte forms, ED the
     * surrogates D800-DFFF, F0 overlong 4-byte forms, F4 everything above U+10FFFF. ASCII between
     * sequences takes a fast path.
     */
    private static final int ACCEPT = 0;
    private static final int NEED1 = 1;
    private static final int NEED2 = 2;
    private static final int NEED3 = 3;
    private static final int AFTER_E0 = 4;
    private static final int AFTER_ED = 5;
    private static final int AFTER_F0 = 6;
    private static final int AFTER_F4 = 7;
    private static final int REJECT = 8;

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private int state = ACCEPT;
    private boolean ascii = true;

    /** Forgets everything fed so far: the next byte starts a new text. */
    public void reset() {
        state = ACCEPT;
        ascii = true;
    }

    /**
     * Returns whether every byte fed since the last {@link #reset()} was ASCII (below 0x80): then
     * the bytes are valid and complete, and each is one character, so a decoder need not look at
     * them again.
     *
     * @return whether only ASCII was fed
     */
    public boolean ascii() {
        return ascii;
    }

    /**
     * Returns whether every byte fed so far can begin valid UTF-8 (the text may still be cut short).
     *
     * @return {@code false} once an invalid byte was fed
     */
    public boolean valid() {
        return state != REJECT;
    }

    /**
     * Returns whether the bytes fed so far are complete, valid UTF-8: valid, and not ending inside a
     * sequence.
     *
     * @return whether the bytes fed so far are complete, valid UTF-8
     */
    public boolean complete() {
        return state == ACCEPT;
    }

    /**
     * Validates {@code data[offset..offset+length)} as the continuation of what was fed before.
     *
     * @param data the bytes
     * @param offset where they start
     * @param length how many
     * @return {@link #valid()} afterwards: {@code false} as soon as a byte cannot be valid UTF-8
     */
    public boolean feed(byte[] data, int offset, int length) {
        int s = state;
        int end = offset + length;
        int i = offset;
        if (s == ACCEPT) { // ASCII runs eight bytes at a time
            for (int last = end - 8; i <= last && ((long) LONGS.get(data, i) & 0x8080_8080_8080_8080L) == 0; i += 8) {
                // all eight below 0x80
            }
        }
        boolean high = false;
        for (; i < end && s != REJECT; i++) {
            int b = data[i];
            if (s == ACCEPT && b >= 0) {
                continue; // ASCII
            }
            high = true; // a byte from 0x80 up, or an ASCII byte inside a sequence (then REJECT)
            s = next(s, b & 0xFF);
        }
        if (high) {
            ascii = false;
        }
        state = s;
        return s != REJECT;
    }

    /**
     * Validates a whole text in one call.
     *
     * @param data the bytes
     * @param offset where they start
     * @param length how many
     * @return whether the bytes are complete, valid UTF-8
     */
    public static boolean isValid(byte[] data, int offset, int length) {
        Utf8Validator v = new Utf8Validator();
        return v.feed(data, offset, length) && v.complete();
    }

    private static int next(int s, int b) {
        return switch (s) {
            case ACCEPT -> lead(b);
            case NEED1 -> b >= 0x80 && b <= 0xBF ? ACCEPT : REJECT;
            case NEED2 -> b >= 0x80 && b <= 0xBF ? NEED1 : REJECT;
            case NEED3 -> b >= 0x80 && b <= 0xBF ? NEED2 : REJECT;
            case AFTER_E0 -> b >= 0xA0 && b <= 0xBF ? NEED1 : REJECT;
            case AFTER_ED -> b >= 0x80 && b <= 0x9F ? NEED1 : REJECT;
            case AFTER_F0 -> b >= 0x90 && b <= 0xBF ? NEED2 : REJECT;
            case AFTER_F4 -> b >= 0x80 && b <= 0x8F ? NEED2 : REJECT;
            default -> REJECT;
        };
    }

    private static int lead(int b) {
        if (b < 0x80) {
            return ACCEPT;
        }
        if (b < 0xC2) {
            return REJECT; // a continuation byte, or C0/C1 (always overlong)
        }
        if (b < 0xE0) {
            return NEED1;
        }
        if (b == 0xE0) {
            return AFTER_E0;
        }
        if (b == 0xED) {
            return AFTER_ED;
        }
        if (b < 0xF0) {
            return NEED2;
        }
        if (b == 0xF0) {
            return AFTER_F0;
        }
        if (b < 0xF4) {
            return NEED3;
        }
        if (b == 0xF4) {
            return AFTER_F4;
        }
        return REJECT; // F5-FF
    }

    @Override
    public String toString() {
        return "Utf8Validator[" + (state == ACCEPT ? "complete" : state == REJECT ? "invalid" : "inside a sequence") + "]";
    }
}
