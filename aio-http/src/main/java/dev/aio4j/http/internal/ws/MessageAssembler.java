package dev.aio4j.http.internal.ws;

import dev.aio4j.loop.internal.Checks;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the frames a {@link FrameParser} finds into messages (RFC 6455 sections 5.4-5.6): joins
 * fragments, hands on control frames at once even in the middle of a fragmented message, checks
 * text as UTF-8 while it arrives, enforces the maximum message size, parses close payloads, and
 * decompresses permessage-deflate messages.
 *
 * <p>Use: pass the assembler to the parser as its listener:
 * <pre>{@code
 * MessageAssembler messages = new MessageAssembler(listener, MessageAssembler.DEFAULT_MAX_MESSAGE_SIZE, codec);
 * FrameParser parser = new FrameParser(Role.SERVER, codec != null, messages);
 * parser.feed(chunk, 0, n);     // the listener hears text(), binary(), ping(), pong(), close()
 * }</pre>
 *
 * <p>What is refused, with a {@link WebSocketProtocolError}: 1002 for a text or binary frame while
 * a fragmented message is unfinished, a continuation frame with no message to continue, and a bad
 * close payload ({@link CloseStatus#parse}); 1007 for text that is not valid UTF-8, as soon as the
 * first invalid byte arrives (a sequence cut short is found at the end of the message); 1009 for a
 * message larger than the maximum size, found from the frame header before its payload is read, or
 * while decompressing.
 *
 * <p>Bounded: the assembler holds one message of at most the maximum size (growing as bytes
 * arrive, never allocated from a declared length) and one control payload of at most 125 bytes.
 */
public final class MessageAssembler implements FrameParser.Listener {
    /** aiohttp's default {@code max_msg_size}: 4 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

    /** Receives complete messages. Arrays passed in belong to the listener. */
    public interface Listener {
        /** A complete text message. */
        void text(String text);

        /** A complete binary message. */
        void binary(byte[] data);

        /** A ping; the payload is at most 125 bytes. */
        void ping(byte[] payload);

        /** A pong; the payload is at most 125 bytes. */
        void pong(byte[] payload);

        /** The peer's close frame; the parser reads nothing after it. */
        void close(CloseStatus status);
    }

    /*
     * Maintainer notes. `message` is the opcode of the data message in progress (TEXT or BINARY), or
     * null between messages; `frame` is the opcode of the frame in progress. Data frames append to
     * `buf` (bounded by maxSize: checked against the declared length at each header); control frames
     * go to `control` (at most 125 bytes, the parser's rule). Text is validated slice by slice unless
     * the message is compressed: its UTF-8 is checked after inflating, when the message is complete.
     */
    private final Listener listener;
    private final int maxSize;
    private final PerMessageDeflate deflate;
    private final Utf8Validator utf8 = new Utf8Validator();
    private final byte[] control = new byte[Opcode.MAX_CONTROL_PAYLOAD];
    private int controlLength;
    private Opcode message;
    private boolean compressed;
    private Opcode frame;
    private boolean frameFin;
    private byte[] buf = new byte[0];
    private int size;

    /**
     * Creates an assembler.
     *
     * @param listener receives the messages
     * @param maxMessageSize the largest message, in bytes, before and after decompression (aiohttp's
     *        {@code max_msg_size}; {@link #DEFAULT_MAX_MESSAGE_SIZE} is its default)
     * @param deflate the permessage-deflate codec if it was negotiated, otherwise {@code null}
     */
    public MessageAssembler(Listener listener, int maxMessageSize, PerMessageDeflate deflate) {
        this.listener = Checks.notNull(listener, "listener");
        this.maxSize = Checks.positive(maxMessageSize, "maxMessageSize");
        this.deflate = deflate;
    }

    /**
     * Returns whether a fragmented message is unfinished.
     *
     * @return whether a fragmented message is unfinished
     */
    public boolean inMessage() {
        return message != null;
    }

    @Override
    public void frameHeader(boolean fin, boolean rsv1, Opcode op, long payloadLength) {
        frame = op;
        frameFin = fin;
        if (op.isControl()) {
            controlLength = 0;
            return;
        }
        if (op == Opcode.CONTINUATION) {
            if (message == null) {
                throw WebSocketProtocolError.protocol("continuation frame with no message to continue (RFC 6455 section 5.4)");
            }
        } else {
            if (message != null) {
                throw WebSocketProtocolError.protocol(op + " frame while a fragmented " + message
                        + " message is unfinished; its fragments must be continuation frames (RFC 6455 section 5.4)");
            }
            if (rsv1 && deflate == null) {
                // The parser refuses this already; kept so that the assembler is safe on its own.
                throw WebSocketProtocolError.protocol("compressed " + op + " message, but permessage-deflate was not negotiated");
            }
            message = op;
            compressed = rsv1;
            size = 0;
            utf8.reset();
        }
        if (payloadLength > maxSize - (long) size) {
            throw new WebSocketProtocolError(CloseStatus.MESSAGE_TOO_BIG, (compressed ? "compressed " : "") + message
                    + " message larger than " + maxSize + " bytes (the maximum message size): " + size
                    + " bytes so far and a frame of " + payloadLength);
        }
        ensure(size + (int) Math.min(payloadLength, 64 * 1024));
    }

    @Override
    public void framePayload(byte[] data, int offset, int length) {
        if (frame.isControl()) {
            System.arraycopy(data, offset, control, controlLength, length);
            controlLength += length;
            return;
        }
        if (message == Opcode.TEXT && !compressed && !utf8.feed(data, offset, length)) {
            throw new WebSocketProtocolError(CloseStatus.INVALID_DATA, "TEXT message is not valid UTF-8 (found after "
                    + size + " bytes, before the message ended)");
        }
        ensure(size + length);
        System.arraycopy(data, offset, buf, size, length);
        size += length;
    }

    @Override
    public void frameEnd() {
        Opcode op = frame;
        if (op.isControl()) {
            byte[] payload = Arrays.copyOf(control, controlLength);
            switch (op) {
                case PING -> listener.ping(payload);
                case PONG -> listener.pong(payload);
                case CLOSE -> listener.close(CloseStatus.parse(payload, 0, payload.length));
                default -> throw new AssertionError(op);
            }
            return;
        }
        if (!frameFin) {
            return;
        }
        Opcode type = message;
        int length = size;
        message = null;
        size = 0;
        if (type == Opcode.TEXT && !compressed) {
            // Validated slice by slice already: decoded straight from the buffer, without a copy.
            if (!utf8.complete()) {
                throw new WebSocketProtocolError(CloseStatus.INVALID_DATA,
                        "TEXT message is not valid UTF-8 (it ends inside a multi-byte sequence)");
            }
            String text = utf8.ascii() ? ascii(buf, length) : new String(buf, 0, length, StandardCharsets.UTF_8);
            releaseLargeBuffer();
            listener.text(text);
            return;
        }
        byte[] payload = compressed ? deflate.decompress(buf, 0, length, maxSize) : Arrays.copyOf(buf, length);
        releaseLargeBuffer();
        if (type == Opcode.TEXT) {
            utf8.reset(); // the message's own validator: nothing was fed while it was compressed
            if (!utf8.feed(payload, 0, payload.length) || !utf8.complete()) {
                throw new WebSocketProtocolError(CloseStatus.INVALID_DATA, "TEXT message is not valid UTF-8 after decompression");
            }
            listener.text(utf8.ascii() ? ascii(payload, payload.length) : new String(payload, StandardCharsets.UTF_8));
        } else {
            listener.binary(payload);
        }
    }

    /**
     * The String of {@code length} bytes the validator saw to be ASCII: each byte is one character,
     * copied without the UTF-8 decoder's second look at every byte.
     */
    @SuppressWarnings("deprecation") // String(byte[], hibyte 0, ...) takes each byte as the char 0x00nn: exact for ASCII
    private static String ascii(byte[] bytes, int length) {
        return new String(bytes, 0, 0, length);
    }

    private void releaseLargeBuffer() {
        if (buf.length > 64 * 1024) {
            buf = new byte[0]; // do not keep a large message's array between messages
        }
    }

    private void ensure(int capacity) {
        if (capacity > buf.length) {
            int n = Math.max(capacity, (int) Math.min(maxSize, Math.max(256L, buf.length * 2L)));
            buf = Arrays.copyOf(buf, n);
        }
    }

    @Override
    public String toString() {
        return "MessageAssembler[" + (message == null ? "between messages" : (compressed ? "compressed " : "") + message
                + ", " + size + " bytes so far") + ", max " + maxSize + "]";
    }
}
