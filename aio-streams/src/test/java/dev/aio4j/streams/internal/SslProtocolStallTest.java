package dev.aio4j.streams.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.TimeoutError;
import dev.aio4j.loop.test.Loops;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.internal.SslProtocol.State;
import dev.aio4j.streams.internal.SslProtocolPairTest.App;
import dev.aio4j.streams.test.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes while the engine takes no application data and waits for the peer (a wrap answering
 * OK, nothing consumed, nothing produced, NEED_UNWRAP; {@link StallingEngine}): the bytes are kept
 * in the write backlog, in order, counted in getWriteBufferSize and by write flow control, wrapped
 * once an unwrap lets the engine take them, written before close_notify on close(), and dropped
 * only when the connection is lost. asyncio's SSLProtocol keeps such data in its
 * {@code _write_backlog}; its tests have no stalling engine, so aio4j-only.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SslProtocolStallTest {

    /** An {@link App} that records flow control too, and keeps its transport. */
    static class FlowApp extends App {
        Transport transport;

        @Override
        public void connectionMade(Transport t) {
            super.connectionMade(t);
            transport = t;
        }

        @Override
        public void pauseWriting() {
            events.add("pause");
        }

        @Override
        public void resumeWriting() {
            events.add("resume");
        }
    }

    /** client, server, and the client's engine. */
    private record Conn(SslProtocol client, SslProtocol server, StallingEngine engine, PipeEnd[] pipe) { }

    private static Conn connected(EventLoop loop, App clientApp, App serverApp) throws Exception {
        List<StallingEngine> engines = new ArrayList<>();
        SslPair p = SslPair.of(loop, clientApp, StallingEngine.context(TestCertificates.client(), engines), SslProtocol.SHUTDOWN_TIMEOUT,
                serverApp);
        PipeEnd[] pipe = p.connect(PipeEnd.pair(loop));
        SslPair.settle();
        assertEquals(1, engines.size());
        return new Conn(p.client(), p.server(), engines.get(0), pipe);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void settle(App app, int size) throws Exception {
        for (int i = 0; i < 1000 && app.received.size() < size; i++) {
            Aio.sleep(0);
        }
    }

    @Test
    void bytesWrittenWhileTheEngineWaitsForThePeerArriveOnceAndInOrder() throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App clientApp = new App();
            FlowApp serverApp = new FlowApp();
            Conn c = connected(loop, clientApp, serverApp);
            Transport t = c.client().appTransport();
            t.write(b("before "));
            settle(serverApp, 7);
            c.engine().stall();
            t.write(b("during1 "));
            t.write(b("during2 "));
            assertTrue(c.engine().stalls > 0, "the engine refused the write");
            assertEquals(16, c.client().backlogSize(), "kept, not dropped");
            serverApp.transport.write(b("nudge")); // the peer's message the engine waits for
            t.write(b("queued ")); // before the nudge arrives: behind the backlog
            settle(clientApp, 5);
            assertFalse(c.engine().stalled(), "the unwrap released the engine");
            t.write(b("after"));
            settle(serverApp, 35);
            assertEquals("before during1 during2 queued after", serverApp.received.toString(StandardCharsets.US_ASCII));
            assertEquals(0, c.client().backlogSize());
            assertEquals(State.WRAPPED, c.client().state());
        });
    }

    @Test
    void theBacklogCountsInTheWriteBufferSizeAndPausesTheAppPastTheHighMark() throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            FlowApp clientApp = new FlowApp();
            FlowApp serverApp = new FlowApp();
            Conn c = connected(loop, clientApp, serverApp);
            Transport t = c.client().appTransport();
            c.engine().stall();
            byte[] first = new byte[40_000];
            byte[] second = new byte[40_000];
            new java.util.Random(1).nextBytes(first);
            new java.util.Random(2).nextBytes(second);
            t.write(first);
            assertEquals(40_000, t.getWriteBufferSize());
            assertEquals(List.of("made"), clientApp.events, "under the high mark (64 KiB): not paused");
            t.write(second);
            assertEquals(80_000, t.getWriteBufferSize(), "both writes wait, counted");
            assertEquals(List.of("made", "pause"), clientApp.events, "over the high mark: the app is paused");
            serverApp.transport.write(b("nudge"));
            settle(serverApp, 80_000);
            assertEquals(List.of("made", "pause", "data", "resume"), clientApp.events, "resumed once the backlog was written");
            assertEquals(0, c.client().backlogSize());
            byte[] expected = java.util.Arrays.copyOf(first, 80_000);
            System.arraycopy(second, 0, expected, 40_000, 40_000);
            assertArrayEquals(expected, serverApp.received.toByteArray());
        });
    }

    @Test
    void closeWritesTheBacklogBeforeCloseNotify() throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App clientApp = new App();
            FlowApp serverApp = new FlowApp();
            Conn c = connected(loop, clientApp, serverApp);
            Transport t = c.client().appTransport();
            t.write(b("head "));
            c.engine().stall();
            t.write(b("tail"));
            t.close();
            assertEquals(State.FLUSHING, c.client().state());
            assertFalse(c.pipe()[0].closing, "the socket transport waits for the backlog");
            t.write(b("dropped: written after close()"));
            for (int i = 0; i < 10; i++) {
                Aio.sleep(0);
            }
            assertEquals(4, t.getWriteBufferSize());
            serverApp.transport.write(b("nudge"));
            assertNull(Aio.waitFor(serverApp.lost, 10.0));
            assertNull(Aio.waitFor(clientApp.lost, 10.0));
            assertEquals("head tail", serverApp.received.toString(StandardCharsets.US_ASCII));
            assertEquals(List.of("made", "data", "eof", "lost"), serverApp.events, "the backlog, then close_notify");
        });
    }

    @Test
    void aCloseWaitingForTheBacklogReadsThePeerEvenIfTheAppPausedReading() throws Exception {
        // The engine takes the backlog only after the peer's handshake message, so FLUSHING must
        // read it: aio4j's pauseReading pauses the socket (asyncio's only the app's deliveries),
        // and a paused socket left paused held the close until the shutdown timeout.
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App clientApp = new App();
            FlowApp serverApp = new FlowApp();
            Conn c = connected(loop, clientApp, serverApp);
            Transport t = c.client().appTransport();
            t.pauseReading();
            assertTrue(c.pipe()[0].readingPaused);
            c.engine().stall();
            t.write(b("tail"));
            t.close();
            assertEquals(State.FLUSHING, c.client().state());
            assertFalse(c.pipe()[0].readingPaused, "reading again: the engine waits for the peer's message");
            t.pauseReading();
            assertFalse(c.pipe()[0].readingPaused, "pauseReading has no effect while closing");
            serverApp.transport.write(b("nudge"));
            assertNull(Aio.waitFor(clientApp.lost, 10.0));
            assertEquals("tail", serverApp.received.toString(StandardCharsets.US_ASCII));
        });
    }

    @Test
    void aCloseWhoseBacklogTheEngineNeverTakesEndsAfterTheShutdownTimeout() throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App clientApp = new App();
            FlowApp serverApp = new FlowApp();
            Conn c = connected(loop, clientApp, serverApp);
            Transport t = c.client().appTransport();
            c.engine().stall();
            t.write(b("never taken"));
            t.close();
            Aio.sleep(SslProtocol.SHUTDOWN_TIMEOUT - 1);
            assertEquals(State.FLUSHING, c.client().state(), "still waiting for the peer");
            Exception e = Aio.waitFor(clientApp.lost, 10.0);
            TimeoutError timeout = assertInstanceOf(TimeoutError.class, e, "asyncio's shutdown timeout: TimeoutError");
            assertTrue(timeout.getMessage().startsWith("TLS shutdown timed out"), timeout.getMessage());
            assertEquals(0, t.getWriteBufferSize(), "dropped with the connection");
            Aio.waitFor(serverApp.lost, 10.0);
            assertEquals(List.of("made", "eof", "lost"), serverApp.events, "the connection ends (the pipe reads an abort as EOF)");
            assertEquals(0, serverApp.received.size());
        });
    }

    @Test
    void aLostConnectionDropsTheBacklog() throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App clientApp = new App();
            FlowApp serverApp = new FlowApp();
            Conn c = connected(loop, clientApp, serverApp);
            Transport t = c.client().appTransport();
            c.engine().stall();
            t.write(b("lost with the connection"));
            assertEquals(24, t.getWriteBufferSize());
            java.net.SocketException reset = new java.net.SocketException("Connection reset");
            c.client().connectionLost(reset); // as the socket transport reports it
            assertEquals(reset, Aio.waitFor(clientApp.lost, 10.0));
            assertEquals(State.CLOSED, c.client().state());
            assertEquals(0, t.getWriteBufferSize());
            assertEquals(0, c.client().backlogSize());
        });
    }

    /**
     * The peer closes (EOF here) while the engine waits for its message: nothing more will come,
     * so the backlog can never be taken; the connection closes at once rather than waiting for the
     * shutdown timeout.
     */
    @Test
    void aPeerThatClosesWhileTheEngineWaitsForItEndsTheConnectionAtOnce() throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App clientApp = new App();
            FlowApp serverApp = new FlowApp();
            Conn c = connected(loop, clientApp, serverApp);
            Transport t = c.client().appTransport();
            double start = loop.time();
            c.engine().stall();
            t.write(b("never taken"));
            c.pipe()[1].close(); // the client's end reads EOF
            assertNull(Aio.waitFor(clientApp.lost, 10.0));
            assertEquals(List.of("made", "eof", "lost"), clientApp.events);
            assertEquals(State.CLOSED, c.client().state());
            assertEquals(0, t.getWriteBufferSize());
            assertTrue(loop.time() - start < SslProtocol.SHUTDOWN_TIMEOUT, "not by the timer");
        });
    }
}
