package dev.aio4j.http.internal.ws;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * One end of a connection for tests: a {@link FrameParser} feeding a {@link MessageAssembler},
 * recording each message as a short line ({@code "text hello"}, {@code "binary 3 bytes 010203"},
 * {@code "ping 01"}, {@code "close 1000 bye"}), and helpers that write the peer's frames.
 */
final class RecordingEndpoint implements MessageAssembler.Listener {
    /** The masking key of RFC 6455 section 5.7's examples. */
    static final int KEY = 0x37fa213d;

    final List<String> events = new ArrayList<>();
    final List<byte[]> payloads = new ArrayList<>();
    final FrameParser parser;
    final MessageAssembler assembler;
    final Role role;

    RecordingEndpoint(Role role) {
        this(role, MessageAssembler.DEFAULT_MAX_MESSAGE_SIZE, null);
    }

    RecordingEndpoint(Role role, int maxSize, PerMessageDeflate deflate) {
        this.role = role;
        this.assembler = new MessageAssembler(this, maxSize, deflate);
        this.parser = new FrameParser(role, deflate != null, assembler);
    }

    /** A server endpoint, which is what the Autobahn fuzzing client tests. */
    static RecordingEndpoint server() {
        return new RecordingEndpoint(Role.SERVER);
    }

    /** A frame as the peer of this endpoint sends it: masked when this endpoint is a server. */
    byte[] peer(boolean fin, int rsv, int opcode, byte[] payload) {
        return FrameWriter.frame(fin, rsv, opcode, payload, 0, payload.length, role == Role.SERVER, KEY);
    }

    byte[] peer(boolean fin, int opcode, byte[] payload) {
        return peer(fin, 0, opcode, payload);
    }

    byte[] peer(boolean fin, int opcode, String utf8) {
        return peer(fin, 0, opcode, utf8.getBytes(StandardCharsets.UTF_8));
    }

    /** Feeds each array as one chunk. */
    RecordingEndpoint feed(byte[]... chunks) {
        for (byte[] c : chunks) {
            int used = parser.feed(c, 0, c.length);
            if (!parser.closed()) {
                assertEquals(c.length, used, "an open parser consumes every byte");
            }
        }
        return this;
    }

    /** Feeds the concatenation of the frames in chops of {@code chop} bytes. */
    RecordingEndpoint feedChopped(int chop, byte[]... frames) {
        byte[] all = concat(frames);
        for (int i = 0; i < all.length && !parser.closed(); i += chop) {
            parser.feed(all, i, Math.min(chop, all.length - i));
        }
        return this;
    }

    /** Feeds the frames and asserts that the endpoint fails with {@code closeCode}. */
    WebSocketProtocolError fails(int closeCode, byte[]... chunks) {
        WebSocketProtocolError e = assertThrows(WebSocketProtocolError.class, () -> feed(chunks));
        assertEquals(closeCode, e.closeCode(), e.getMessage());
        return e;
    }

    WebSocketProtocolError failsChopped(int closeCode, int chop, byte[]... frames) {
        WebSocketProtocolError e = assertThrows(WebSocketProtocolError.class, () -> feedChopped(chop, frames));
        assertEquals(closeCode, e.closeCode(), e.getMessage());
        return e;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String summary(String text) {
        return text.length() <= 64 ? text : text.length() + " chars";
    }

    @Override
    public void text(String text) {
        events.add("text " + summary(text));
        payloads.add(utf8(text));
    }

    @Override
    public void binary(byte[] data) {
        events.add("binary " + data.length + " bytes" + (data.length <= 16 ? " " + HexFormat.of().formatHex(data) : ""));
        payloads.add(data);
    }

    @Override
    public void ping(byte[] payload) {
        events.add("ping " + HexFormat.of().formatHex(payload));
        payloads.add(payload);
    }

    @Override
    public void pong(byte[] payload) {
        events.add("pong " + HexFormat.of().formatHex(payload));
        payloads.add(payload);
    }

    @Override
    public void close(CloseStatus status) {
        events.add("close " + status.code() + (status.reason().isEmpty() ? "" : " " + status.reason()));
    }
}
