package dev.aio4j.http.web;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Runner;
import dev.aio4j.loop.VirtualClock;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.aio4j.http.web.WsHarness.clientFrame;
import static dev.aio4j.http.web.WsHarness.upgradeRequest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's connection across a WebSocket upgrade (stop 30's review): its reads are lent
 * ({@code dataBorrowed}, the array junked after each call, as the loop reuses it), cut anywhere:
 * inside the upgrade request's head, between it and the first frames (bytes held while the
 * handler runs), inside frames. Every message arrives whole and in order, and a queue that the
 * held bytes filled keeps reading paused. One {@link RequestHandler} over a
 * {@link RecordingTransport} on a virtual-clock loop; the feeder reads only while the transport
 * is not paused, as a socket transport does. aio4j-only (aiohttp's RequestHandler feeds its
 * upgraded reader from data_received; no test of theirs cuts the reads).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestHandlerUpgradeTest {

    private record Conn(RequestHandler handler, RecordingTransport transport) { }

    private static Conn open(Application app) {
        WebServer server = new WebServer(app, ServerConfig.defaults(), Aio.getRunningLoop());
        RequestHandler handler = server.newConnection();
        RecordingTransport transport = new RecordingTransport();
        transport.extra.put("peername", new InetSocketAddress(InetAddress.getLoopbackAddress(), 49152));
        handler.connectionMade(transport);
        return new Conn(handler, transport);
    }

    /** An app whose "/ws" records whether reading is paused right after prepare, then receives {@code n} binaries. */
    private static Application receiver(int n, List<byte[]> got, boolean[] readingAfterPrepare) {
        Application app = new Application();
        app.router().addGet("/ws", r -> {
            WebSocketResponse ws = new WebSocketResponse().compress(false);
            ws.prepare(r);
            readingAfterPrepare[0] = r.transport().isReading();
            for (int i = 0; i < n; i++) {
                got.add(ws.receiveBytes());
            }
            return ws;
        });
        return app;
    }

    private static void virtual(dev.aio4j.loop.ThrowingVoidCoroutine<Exception> body) throws Exception {
        try (Runner r = Runner.withLoopFactory(() -> EventLoop.create(VirtualClock.autoJump()))) {
            r.run(() -> {
                body.call();
                return null;
            });
        }
    }

    /** Lends {@code c} the reads {@code all[cut[i], cut[i + 1])}, each in a reused array at an offset, junked after the call; waits while reading is paused. */
    private static void lend(Conn c, byte[] all, List<Integer> sizes) {
        byte[] reused = new byte[all.length + 8];
        int at = 0;
        int k = 0;
        while (at < all.length) {
            for (int i = 0; i < 10_000 && c.transport.readingPaused; i++) {
                Aio.sleep(0);
            }
            assertTrue(!c.transport.readingPaused, "reading stayed paused with " + (all.length - at) + " bytes unread");
            int n = Math.min(all.length - at, sizes.get(k++ % sizes.size()));
            int offset = k % 8;
            System.arraycopy(all, at, reused, offset, n);
            c.handler.dataBorrowed(reused, offset, n);
            Arrays.fill(reused, (byte) 0x5a); // the loop's next read overwrites it
            at += n;
        }
    }

    private static byte[] concat(byte[] head, List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        frames.forEach(out::writeBytes);
        return out.toByteArray();
    }

    @Property(tries = 60)
    void messagesBehindAnUpgradeArriveWholeWhereverTheLentReadsAreCut(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 70_000) Integer> readSizes,
            @ForAll @IntRange(min = 1, max = 40) int messages,
            @ForAll long seed) throws Exception {
        Random random = new Random(seed);
        List<byte[]> sent = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            byte[] m = new byte[random.nextInt(4) == 0 ? random.nextInt(20_000) : random.nextInt(200)];
            random.nextBytes(m);
            sent.add(m);
            frames.add(clientFrame(0x2, m));
        }
        byte[] all = concat(upgradeRequest("/ws").getBytes(StandardCharsets.ISO_8859_1), frames);
        List<byte[]> got = new ArrayList<>();
        virtual(() -> {
            Conn c = open(receiver(messages, got, new boolean[1]));
            lend(c, all, readSizes);
            for (int i = 0; i < 10_000 && got.size() < messages; i++) {
                Aio.sleep(0);
            }
            assertEquals(messages, got.size(), "messages received");
            for (int i = 0; i < messages; i++) {
                assertArrayEquals(sent.get(i), got.get(i), "message " + i);
            }
            c.handler.connectionLost(null);
        });
    }

    @Test
    void frameBytesHeldBehindTheUpgradeRequestOverTheQueuesHighMarkKeepReadingPaused() throws Exception {
        // 40 frames of 2,000 bytes, more than the WebSocket's queue takes before it pauses
        // reading, lent in the read that carries the upgrade request: the handler holds them while
        // the handler runs, and the upgrade hands them to the WebSocket. Its pause must stand (it
        // was lifted by the handler's own resume, which came after: the queue then grew without
        // bound while the handler did not receive).
        List<byte[]> sent = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] m = new byte[2000];
            Arrays.fill(m, (byte) i);
            sent.add(m);
            frames.add(clientFrame(0x2, m));
        }
        byte[] all = concat(upgradeRequest("/ws").getBytes(StandardCharsets.ISO_8859_1), frames);
        List<byte[]> got = new ArrayList<>();
        boolean[] readingAfterPrepare = {true};
        virtual(() -> {
            Conn c = open(receiver(40, got, readingAfterPrepare));
            lend(c, all, List.of(all.length));
            for (int i = 0; i < 10_000 && got.size() < 40; i++) {
                Aio.sleep(0);
            }
            assertTrue(!readingAfterPrepare[0], "the WebSocket's queue is over its high mark and reading went on");
            assertEquals(40, got.size());
            for (int i = 0; i < 40; i++) {
                assertArrayEquals(sent.get(i), got.get(i), "message " + i);
            }
            assertTrue(!c.transport.readingPaused, "reading resumes once the queue is drained");
            c.handler.connectionLost(null);
        });
    }
}
