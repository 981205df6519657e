package dev.aio4j.http.web;

import dev.aio4j.http.WSMessage;
import dev.aio4j.http.WSMsgType;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.internal.LoopAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Interoperability with a WebSocket client aio4j did not write: the JDK's
 * {@code java.net.http.WebSocket} against the aio4j server (text, binary, fragmented text, ping,
 * and the close handshake with the code echoed). aio4j-only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkWebSocketInteropTest {
    private static LoopbackServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new LoopbackServer(ServerConfig.defaults().shutdownTimeout(1),
                app -> app.router().addGet("/ws", WsHarness.echo()));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** Records what the JDK client hears. */
    private static final class Recorder implements WebSocket.Listener {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
            if (last) {
                events.add(binary.toByteArray());
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            byte[] b = new byte[message.remaining()];
            message.get(b);
            events.add("pong:" + new String(b, StandardCharsets.UTF_8));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add("close:" + statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(error);
        }

        Object next() throws InterruptedException {
            Object o = events.poll(20, TimeUnit.SECONDS);
            assertNotNull(o, "nothing heard within 20 s");
            return o;
        }
    }

    private static WebSocket connect(Recorder r) throws Exception {
        return connect(r, "/ws");
    }

    private static WebSocket connect(Recorder r, String path) throws Exception {
        return connect(r, server, path);
    }

    private static WebSocket connect(Recorder r, LoopbackServer to, String path) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + to.port() + path), r).get(20, TimeUnit.SECONDS);
    }

    /**
     * An upgraded connection leaves no timer in the loop's heap: the request handler's head /
     * keep-alive timer is cancelled at the upgrade, not left to fire once a timer step (up to the
     * keep-alive timeout) later; a loop with a timer pending reads its clock every iteration.
     */
    @Test
    void anUpgradedConnectionLeavesNoTimerBehind() throws Exception {
        // a server of its own: another test's connection still closing would have its timers
        try (LoopbackServer own = new LoopbackServer(ServerConfig.defaults().shutdownTimeout(1),
                app -> app.router().addGet("/timers", request -> { // the loop's timers once upgraded, then echo
                    WebSocketResponse ws = new WebSocketResponse();
                    ws.prepare(request);
                    ws.sendStr("timers=" + LoopAccess.timerCount(Aio.getRunningLoop()));
                    for (WSMessage msg : ws) {
                        if (msg.type() == WSMsgType.TEXT) {
                            ws.sendStr(msg.str());
                        }
                    }
                    return ws;
                }))) {
            Recorder r = new Recorder();
            WebSocket ws = connect(r, own, "/timers");
            assertEquals("timers=0", r.next(), "only the JDK client is connected; no heartbeat, no receive timeout");
            ws.sendText("still echoing", true).get(20, TimeUnit.SECONDS);
            assertEquals("still echoing", r.next());
            ws.sendClose(1000, "").get(20, TimeUnit.SECONDS);
            assertEquals("close:1000", r.next());
        }
    }

    @Test
    void textBinaryPingAndCloseEcho() throws Exception {
        Recorder r = new Recorder();
        WebSocket ws = connect(r);
        ws.sendText("hello from the JDK", true).get(20, TimeUnit.SECONDS);
        assertEquals("hello from the JDK", r.next());
        byte[] data = new byte[70_000]; // a 64-bit length
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        ws.sendBinary(ByteBuffer.wrap(data), true).get(20, TimeUnit.SECONDS);
        assertArrayEquals(data, (byte[]) r.next());
        ws.sendPing(ByteBuffer.wrap("p".getBytes(StandardCharsets.UTF_8))).get(20, TimeUnit.SECONDS);
        assertEquals("pong:p", r.next());
        ws.sendClose(4001, "bye").get(20, TimeUnit.SECONDS);
        assertEquals("close:4001", r.next(), "the server echoes the close code");
    }

    @Test
    void fragmentedText() throws Exception {
        Recorder r = new Recorder();
        WebSocket ws = connect(r);
        ws.sendText("frag", false).get(20, TimeUnit.SECONDS);
        ws.sendPing(ByteBuffer.allocate(0)).get(20, TimeUnit.SECONDS); // a control frame between fragments
        ws.sendText("ments", true).get(20, TimeUnit.SECONDS);
        Object first = r.next();
        Object second = r.next();
        java.util.Set<Object> got = new java.util.HashSet<>(java.util.List.of(first, second));
        assertEquals(java.util.Set.of("pong:", "fragments"), got);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(20, TimeUnit.SECONDS);
        assertEquals("close:1000", r.next());
    }
}
