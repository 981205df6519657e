package dev.aio4j.http.internal.ws;

import dev.aio4j.loop.internal.Checks;

import java.util.Objects;

/**
 * An incremental WebSocket frame parser (RFC 6455 section 5), fed chunks of bytes of any size as
 * they come from the socket.
 *
 * <p>Use: create one per connection with its {@link Role} and whether permessage-deflate was
 * negotiated, then {@link #feed} every chunk. The {@link Listener} hears each frame's header, its
 * payload (already unmasked) in one or more slices, and its end. The parser stops after a close
 * frame: {@code feed} then consumes nothing more, and bytes after the close frame are not parsed
 * (RFC 6455 section 5.5.1: nothing may follow a close frame).
 *
 * <p>What is refused, always with a {@link WebSocketProtocolError} carrying close code 1002 and
 * naming the rule: an unmasked frame in the server role and a masked frame in the client role
 * (section 5.1); a reserved opcode (3-7, 11-15); RSV2 or RSV3 set, and RSV1 set unless
 * permessage-deflate is on and the frame is the first of a data message (a text or binary frame,
 * RFC 7692 section 6); a control frame that is fragmented or longer than 125 bytes (section 5.5); a
 * 64-bit length with the most significant bit set; and a length not in its shortest encoding
 * (section 5.2: "the minimal number of bytes MUST be used").
 *
 * <p>Bounded: the parser holds the header bytes of the part it is reading (at most 8) and a fixed
 * 8 KiB scratch array into which it unmasks; the payload goes to the listener slice by slice, never buffered, so a large
 * declared length costs nothing until its bytes arrive. Limits on message size are the
 * {@link MessageAssembler}'s.
 */
public final class FrameParser {
    /** Receives what the parser finds, in order. Arrays passed in are valid only during the call. */
    public interface Listener {
        /**
         * A frame header; its payload follows in {@link #framePayload} calls, then {@link #frameEnd}.
         * The fields come one by one, not as a header object: no object per frame.
         *
         * @param fin whether this is the final fragment of a message
         * @param rsv1 the first reserved bit (permessage-deflate's "compressed" flag)
         * @param opcode the frame's opcode (never a reserved one)
         * @param payloadLength the payload length, 0 to 2^63-1
         */
        void frameHeader(boolean fin, boolean rsv1, Opcode opcode, long payloadLength);

        /** A slice of the current frame's payload, already unmasked. */
        void framePayload(byte[] data, int offset, int length);

        /** The current frame is complete. */
        void frameEnd();
    }

    /*
     * Maintainer notes. State machine, one frame after another:
     *
     *   HEAD (2 bytes) --> EXT_LENGTH (0, 2 or 8 bytes) --> MASK_KEY (0 or 4 bytes) --> PAYLOAD --> HEAD
     *   PAYLOAD of a close frame --> CLOSED (feed consumes nothing more)
     *   any --WebSocketProtocolError--> FAILED (every later call throws IllegalStateException)
     *
     * `head` collects the header bytes of the state in progress; `need` is how many it must hold.
     * When a part arrives whole (the usual case: a small frame in one read), it is read where it
     * lies in the caller's array instead.
     * Unmasking: payload byte i (counted from the frame's first payload byte) is XORed with byte
     * (i mod 4) of the key, big-endian; `maskPos` is i mod 4 across slices.
     */
    private enum State { HEAD, EXT_LENGTH, MASK_KEY, PAYLOAD, CLOSED, FAILED }

    /** Unmasked payload is handed on in slices of at most this many bytes. */
    static final int SCRATCH_SIZE = 8 * 1024;

    private final Role role;
    private final boolean deflate;
    private final Listener listener;
    private final byte[] head = new byte[8];
    private byte[] scratch;
    private State state = State.HEAD;
    private int have;
    private int need = 2;
    private boolean fin;
    private boolean rsv1;
    private Opcode opcode;
    private boolean masked;
    private int lengthCode;
    private long remaining;
    private int maskKey;
    private int maskPos;
    private long frames;

    /**
     * Creates a parser.
     *
     * @param role which end this parser serves: a server requires masked frames, a client refuses them
     * @param deflate whether permessage-deflate was negotiated, which allows RSV1 on the first frame of a data message
     * @param listener receives the frames
     */
    public FrameParser(Role role, boolean deflate, Listener listener) {
        this.role = Checks.notNull(role, "role");
        this.deflate = deflate;
        this.listener = Checks.notNull(listener, "listener");
    }

    /**
     * Returns whether a close frame has been parsed; {@link #feed} consumes nothing after it.
     *
     * @return whether a close frame has been parsed
     */
    public boolean closed() {
        return state == State.CLOSED;
    }

    /**
     * Parses bytes from {@code data[offset..offset+length)}.
     *
     * @param data the bytes; not modified and not kept
     * @param offset where they start
     * @param length how many
     * @return how many bytes were consumed; fewer than {@code length} only once {@link #closed()}
     * @throws WebSocketProtocolError (close code 1002) if a frame breaks a rule; the parser is then
     *         failed
     * @throws IllegalStateException if called after a {@link WebSocketProtocolError}
     */
    public int feed(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (state == State.FAILED) {
            throw new IllegalStateException("FrameParser.feed() called after a protocol error: " + this);
        }
        try {
            return parse(data, offset, offset + length);
        } catch (WebSocketProtocolError e) {
            state = State.FAILED;
            throw e;
        }
    }

    private int parse(byte[] data, int offset, int end) {
        int pos = offset;
        // A frame with an empty payload ends as soon as its header is complete, even without more input.
        while (state != State.CLOSED && (pos < end || state == State.PAYLOAD && remaining == 0)) {
            switch (state) {
                case HEAD, EXT_LENGTH, MASK_KEY -> {
                    if (have == 0 && end - pos >= need) { // the whole part is here: read in place, no copy
                        int at = pos;
                        pos += need;
                        headerPart(data, at);
                        continue;
                    }
                    int n = Math.min(need - have, end - pos);
                    System.arraycopy(data, pos, head, have, n);
                    have += n;
                    pos += n;
                    if (have == need) {
                        headerPart(head, 0);
                    }
                }
                case PAYLOAD -> {
                    if (remaining == 0) {
                        endFrame();
                        continue;
                    }
                    int n = (int) Math.min(remaining, end - pos);
                    if (masked) {
                        unmask(data, pos, n);
                    } else {
                        listener.framePayload(data, pos, n);
                    }
                    pos += n;
                    remaining -= n;
                    if (remaining == 0) {
                        endFrame();
                    }
                }
                case CLOSED, FAILED -> throw new AssertionError(state);
            }
        }
        return pos - offset;
    }

    /** The header part of the current state is complete in {@code src} from {@code at} ({@code need} bytes). */
    private void headerPart(byte[] src, int at) {
        switch (state) {
            case HEAD -> {
                int b0 = src[at] & 0xFF;
                int b1 = src[at + 1] & 0xFF;
                fin = (b0 & 0x80) != 0;
                rsv1 = (b0 & 0x40) != 0;
                int code = b0 & 0x0F;
                opcode = Opcode.of(code);
                if (opcode == null) {
                    throw WebSocketProtocolError.protocol("reserved opcode 0x" + Integer.toHexString(code)
                            + " (RFC 6455 section 5.2 defines 0x0-0x2 and 0x8-0xA)");
                }
                if ((b0 & 0x30) != 0) {
                    throw WebSocketProtocolError.protocol("RSV2 or RSV3 set in a " + opcode
                            + " frame, but no extension that defines them was negotiated (RFC 6455 section 5.2)");
                }
                if (rsv1 && !deflate) {
                    throw WebSocketProtocolError.protocol("RSV1 set in a " + opcode
                            + " frame, but permessage-deflate was not negotiated (RFC 6455 section 5.2)");
                }
                if (rsv1 && opcode != Opcode.TEXT && opcode != Opcode.BINARY) {
                    throw WebSocketProtocolError.protocol("RSV1 set in a " + opcode
                            + " frame; permessage-deflate allows it only on the first frame of a data message (RFC 7692 section 6)");
                }
                masked = (b1 & 0x80) != 0;
                if (masked != role.expectsMaskedInput()) {
                    throw WebSocketProtocolError.protocol(role == Role.SERVER
                            ? "unmasked " + opcode + " frame from the client; a client must mask every frame (RFC 6455 section 5.1)"
                            : "masked " + opcode + " frame from the server; a server must not mask frames (RFC 6455 section 5.1)");
                }
                lengthCode = b1 & 0x7F;
                if (opcode.isControl()) {
                    if (!fin) {
                        throw WebSocketProtocolError.protocol("fragmented " + opcode
                                + " frame; control frames must not be fragmented (RFC 6455 section 5.5)");
                    }
                    if (lengthCode > Opcode.MAX_CONTROL_PAYLOAD) {
                        throw WebSocketProtocolError.protocol(opcode + " frame longer than " + Opcode.MAX_CONTROL_PAYLOAD
                                + " bytes; control frames carry at most 125 (RFC 6455 section 5.5)");
                    }
                }
                remaining = lengthCode;
                nextHeaderPart(lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0, State.EXT_LENGTH);
            }
            case EXT_LENGTH -> {
                long len = 0;
                for (int i = 0; i < need; i++) {
                    len = (len << 8) | (src[at + i] & 0xFF);
                }
                if (need == 8 && len < 0) {
                    throw WebSocketProtocolError.protocol("64-bit payload length with the most significant bit set"
                            + " (RFC 6455 section 5.2)");
                }
                long min = need == 2 ? 126 : 65536;
                if (len < min) {
                    throw WebSocketProtocolError.protocol("payload length " + len + " sent in " + (need * 8)
                            + " bits; the minimal encoding must be used (RFC 6455 section 5.2)");
                }
                remaining = len;
                nextHeaderPart(0, State.MASK_KEY);
            }
            case MASK_KEY -> {
                maskKey = ((src[at] & 0xFF) << 24) | ((src[at + 1] & 0xFF) << 16) | ((src[at + 2] & 0xFF) << 8)
                        | (src[at + 3] & 0xFF);
                maskPos = 0;
                beginPayload();
            }
            default -> throw new AssertionError(state);
        }
    }

    /** Moves on to the header part {@code next}, which needs {@code bytes} bytes, skipping the parts that need none. */
    private void nextHeaderPart(int bytes, State next) {
        have = 0;
        if (next == State.EXT_LENGTH) {
            if (bytes > 0) {
                state = State.EXT_LENGTH;
                need = bytes;
                return;
            }
            next = State.MASK_KEY;
        }
        if (masked) {
            state = State.MASK_KEY;
            need = 4;
        } else {
            maskKey = 0;
            beginPayload();
        }
    }

    private void beginPayload() {
        state = State.PAYLOAD;
        listener.frameHeader(fin, rsv1, opcode, remaining);
    }

    private void endFrame() {
        frames++;
        listener.frameEnd();
        if (opcode == Opcode.CLOSE) {
            state = State.CLOSED;
        } else {
            state = State.HEAD;
            have = 0;
            need = 2;
        }
    }

    private void unmask(byte[] data, int pos, int n) {
        if (scratch == null) {
            scratch = new byte[SCRATCH_SIZE];
        }
        while (n > 0) {
            int k = Math.min(n, scratch.length);
            Masking.mask(data, pos, scratch, 0, k, maskKey, maskPos);
            maskPos = (maskPos + k) & 3;
            listener.framePayload(scratch, 0, k);
            pos += k;
            n -= k;
        }
    }

    @Override
    public String toString() {
        String where = switch (state) {
            case HEAD -> "between frames";
            case EXT_LENGTH -> "reading an extended length";
            case MASK_KEY -> "reading a masking key";
            case PAYLOAD -> "inside a " + opcode + " payload, " + remaining + " bytes to go";
            case CLOSED -> "closed";
            case FAILED -> "failed";
        };
        return "FrameParser[" + role + (deflate ? ", permessage-deflate" : "") + ", " + frames + " frames, " + where + "]";
    }
}
