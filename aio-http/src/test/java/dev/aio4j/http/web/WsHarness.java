package dev.aio4j.http.web;

import dev.aio4j.http.ClientSession;
import dev.aio4j.http.JsonCodec;
import dev.aio4j.http.WSMessage;
import dev.aio4j.http.internal.ws.FrameWriter;
import dev.aio4j.http.internal.ws.Handshake;
import dev.aio4j.loop.Aio;
import dev.aio4j.streams.StreamReader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Shared by the WebSocket functional tests: an aio4j server on loopback and a client session in one
 * {@code Aio.run}, raw-socket helpers, and a tiny JSON codec for strings and integers. aio4j-only.
 */
public final class WsHarness {
    private WsHarness() {}

    /** The test body: the server's base URL (http://127.0.0.1:port) and a session. */
    public interface Body {
        void run(String base, ClientSession session) throws Exception;
    }

    /** Runs {@code body} against an application whose routes {@code routes} adds. */
    public static void run(Consumer<Application> routes, Body body) throws Exception {
        Aio.run(() -> {
            Application app = new Application();
            app.jsonCodec(JSON);
            routes.accept(app);
            AppRunner runner = new AppRunner(app, ServerConfig.defaults().shutdownTimeout(2));
            runner.setup();
            TCPSite site = new TCPSite(runner, "127.0.0.1", 0);
            site.start();
            try (ClientSession s = ClientSession.builder().jsonCodec(JSON).build()) {
                body.run("http://127.0.0.1:" + site.port(), s);
            } finally {
                runner.cleanup();
            }
            return null;
        });
    }

    /**
     * The echo handler of aio-examples' BenchServer {@code GET /ws} (which this module's tests
     * cannot see): text and binary messages back, the client's close answered by autoclose.
     */
    public static Handler echo() {
        return request -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(request);
            for (WSMessage msg : ws) {
                switch (msg.type()) {
                    case TEXT -> ws.sendStr(msg.str());
                    case BINARY -> ws.sendBytes(msg.bytes());
                    default -> { }
                }
            }
            return ws;
        };
    }

    /** Polls {@code condition} on the loop (sleeping 10 ms between tries) for up to 10 s. */
    public static void eventually(BooleanSupplier condition, String what) {
        for (int i = 0; i < 1000; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Aio.sleep(0.01);
        }
        throw new AssertionError("not true within 10 s: " + what);
    }

    /** JSON for strings (quoted, no escapes) and integers only: enough for the plumbing tests. */
    public static final JsonCodec JSON = new JsonCodec() {
        @Override
        public String encode(Object value) {
            if (value instanceof String s) {
                return "\"" + s + "\"";
            }
            if (value instanceof Integer i) {
                return i.toString();
            }
            throw new IllegalArgumentException("the test codec knows strings and integers, got " + value);
        }

        @Override
        public Object decode(String json, Type type) throws Exception {
            String t = json.strip();
            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
                return t.substring(1, t.length() - 1);
            }
            try {
                return Integer.valueOf(t);
            } catch (NumberFormatException e) {
                throw new IOException("not JSON the test codec knows: " + json, e);
            }
        }
    };

    /** The head of an upgrade request with a valid key. */
    public static String upgradeRequest(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    }

    /** The accept value for {@link #upgradeRequest}'s key. */
    public static String acceptForSampleKey() {
        return Handshake.accept("dGhlIHNhbXBsZSBub25jZQ==");
    }

    /** A masked client frame. */
    public static byte[] clientFrame(int opcode, byte[] payload) {
        return FrameWriter.frame(true, 0, opcode, payload, 0, payload.length, true, 0x1234_5678);
    }

    /** An unmasked server frame. */
    public static byte[] serverFrame(int opcode, byte[] payload) {
        return FrameWriter.frame(true, 0, opcode, payload, 0, payload.length, false, 0);
    }

    /**
     * The payload length a frame announces: the 7 bits of its second byte {@code b1}, or the 16- or
     * 64-bit extended length that follows (RFC 6455 section 5.2), read from {@code in}.
     */
    public static long payloadLength(StreamReader in, int b1) throws IOException {
        long len = b1 & 0x7F;
        if (len == 126) {
            byte[] l = in.readexactly(2);
            len = ((l[0] & 0xFF) << 8) | (l[1] & 0xFF);
        } else if (len == 127) {
            byte[] l = in.readexactly(8);
            len = 0;
            for (byte x : l) {
                len = (len << 8) | (x & 0xFF);
            }
        }
        return len;
    }

    /** Reads one unmasked frame (a server's): returns {opcode, payload...} as opcode byte then payload. */
    public static byte[] readServerFrame(InputStream in) throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            return null;
        }
        long len = b1 & 0x7F;
        if (len == 126) {
            len = (in.read() << 8) | in.read();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | in.read();
            }
        }
        byte[] mask = null;
        if ((b1 & 0x80) != 0) {
            mask = in.readNBytes(4);
        }
        byte[] payload = in.readNBytes((int) len);
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b0 & 0x0F);
        out.write(payload);
        return out.toByteArray();
    }

    /** UTF-8 bytes. */
    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
