package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Schedule;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;
import dev.aio4j.test.AioTest;
import dev.aio4j.test.Schedules;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Uninstalling a network (or closing its loop) stops it: every timer it set on the loop is
 * cancelled, and {@link SimNetwork#assertNoPendingTimers} names what a test leaves pending
 * (stop 34). Before, a half-open request's SYN-ACK timer (1, 3, 7, 15, 31 s, the request dropped
 * at 63 s), a segment on its way or a retransmission stayed on the loop after
 * {@code uninstall()}, fired later and traced events of a network nobody used any more (a loop
 * reused across runs, as {@code SimNetworkBenchmark}'s, collected them). aio4j-only.
 */
class SimUninstallTest {

    /** The lines of the trace after {@code t} (a hair later, as the trace prints microseconds). */
    private static List<String> after(SimNetwork net, double t) {
        return net.trace().stream().filter(l -> Double.parseDouble(l.substring(0, l.indexOf(' '))) > t + 1e-6).toList();
    }

    /**
     * A client host that crashes while its request is half open at the server leaves the request's
     * timer running (its SYN-ACK again at 1.01 s, as on Linux): the leak check names it, and
     * {@code uninstall()} cancels it, so the loop holds as many timers as before the network was
     * installed and nothing of the network happens afterwards (no SYN-ACK at 1.01 s, no drop at
     * 63.01 s).
     */
    @AioTest(network = {"server", "c"})
    void aHalfOpenRequestAtUninstallLeavesNoTimerOnTheLoop(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        int before = SimHandshakeTimersTest.timerCount(loop);
        net.setLatency(0.010, 0);
        Server server = Streams.startServer((r, w) -> w.close(), "server", 7);
        net.spawn("c", () -> Streams.openConnection("server", 7));
        loop.callLater(0.015, () -> net.crash("c"));
        Aio.sleep(0.5);
        assertEquals(1, net.halfOpen(), net.trace().toString());
        assertEquals(List.of("1.010000 request timer server:7->c:49152"), net.pendingTimers(), net.trace().toString());
        assertEquals(before + 1, SimHandshakeTimersTest.timerCount(loop), "the request's timer: " + net.trace());
        AssertionError leak = assertThrows(AssertionError.class, net::assertNoPendingTimers);
        assertTrue(leak.getMessage().startsWith("1 timer(s) of SimNetwork[seed=") && leak.getMessage().endsWith(
                " still pending: [1.010000 request timer server:7->c:49152]"), leak.getMessage());
        net.uninstall();
        assertEquals(before, SimHandshakeTimersTest.timerCount(loop), "uninstall() cancelled the request's timer: " + net.trace());
        assertEquals(List.of(), net.pendingTimers());
        net.assertNoPendingTimers();
        Aio.sleep(100);
        assertEquals(List.of(), after(net, 0.5), "nothing of the network ran after uninstall(): " + net.trace());
        server.close();
        server.waitClosed();
    }

    /**
     * Bytes on their way at {@code uninstall()} go nowhere: their segments' timers are cancelled
     * (the server never gets them, nor the ACK that would complete its handshake), and writes and
     * closes after it are taken and set no timer.
     */
    @AioTest(network = "server")
    void segmentsInFlightAtUninstallAreDroppedAndLaterWritesSetNoTimer(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        int before = SimHandshakeTimersTest.timerCount(loop);
        net.setLatency(0.050, 0);
        Server server = Streams.startServer((r, w) -> {
            w.write(r.readline());
            w.close();
        }, "server", 7);
        StreamPair c = Streams.openConnection("server", 7);
        c.writer().write("one\n".getBytes());
        // The client's ACK and its data, due at the server together, and the request's timer
        // (the handshake completes only when the ACK arrives).
        String due = String.format(java.util.Locale.ROOT, "%.6f", loop.time() + 0.050) + " segment due local:49152->server:7";
        assertEquals(List.of(due, due, "1.050000 request timer server:7->local:49152"), net.pendingTimers());
        net.uninstall();
        assertEquals(before, SimHandshakeTimersTest.timerCount(loop), net.trace().toString());
        c.writer().write("two\n".getBytes());
        c.writer().close();
        assertEquals(before, SimHandshakeTimersTest.timerCount(loop), "a stopped network sets no timer: " + net.trace());
        net.assertNoPendingTimers();
        double t = loop.time();
        Aio.sleep(10);
        assertTrue(after(net, t).isEmpty(), net.trace().toString());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains(" deliver ")), "nothing was delivered: " + net.trace());
        server.close();
    }

    /**
     * A connect still waiting for its SYN-ACK at {@code uninstall()} fails then, naming why,
     * rather than waiting forever: its SYN timers and its connect timeout were cancelled, so
     * nothing else would ever end it (on a real network a connect always ends, by its timeout at
     * the latest). aio4j-only.
     */
    @AioTest(network = "server")
    void aConnectPendingAtUninstallFails(SimNetwork net) throws IOException {
        net.setLatency(0.050, 0);
        Server server = Streams.startServer((r, w) -> w.close(), "server", 7);
        Task<StreamPair> connect = Aio.getRunningLoop().createTask(() -> Streams.openConnection("server", 7));
        Aio.sleep(0.010); // the SYN is on its way
        net.uninstall();
        Aio.sleep(10);
        try {
            assertTrue(connect.done(), "the connect still waits after uninstall(): " + net.trace());
            assertTrue(connect.exception() instanceof java.net.ConnectException c
                    && c.getMessage().contains("uninstalled"), String.valueOf(connect.exception()));
        } finally {
            connect.cancel();
        }
        server.close();
    }

    /**
     * A writer paused past its high-water mark at {@code uninstall()}, or by a write after it,
     * does not wait forever in {@code drain()}: what was in flight goes nowhere, so the write
     * buffer is dropped (no delivery and no give-up timer would ever empty it), and a write
     * after the stop is taken without filling it. aio4j-only.
     */
    @AioTest(network = "server")
    void drainDoesNotWaitForeverAfterUninstall(SimNetwork net) throws IOException {
        net.setLatency(0.050, 0);
        Server server = Streams.startServer((r, w) -> Aio.sleep(1000), "server", 7);
        StreamPair c = Streams.openConnection("server", 7);
        c.writer().write(new byte[1 << 20]); // past the high-water mark: paused until delivered
        Task<Void> drain = Aio.getRunningLoop().createTask(() -> {
            c.writer().drain();
            return null;
        });
        Aio.sleep(0.001);
        assertTrue(!drain.done(), "paused before the stop");
        net.uninstall();
        Aio.sleep(10);
        try {
            assertTrue(drain.done(), "drain() still waits after uninstall(): " + net.trace());
            assertEquals(0, c.writer().transport().getWriteBufferSize());
            c.writer().write(new byte[1 << 20]); // after the stop: goes nowhere
            assertEquals(0, c.writer().transport().getWriteBufferSize(), "a write after the stop fills no buffer");
            Task<Void> again = Aio.getRunningLoop().createTask(() -> {
                c.writer().drain();
                return null;
            });
            Aio.sleep(1);
            assertTrue(again.done(), "drain() after a write after the stop");
        } finally {
            drain.cancel();
        }
        c.writer().close();
        server.close();
    }

    /**
     * A UDP socket closed with datagrams still queued behind a full send buffer (a slow link)
     * flushes them before it ends; after {@code uninstall()} the timers that free the send
     * buffer are cancelled, so the queue goes nowhere at once and the close still ends
     * ({@code connectionLost}) rather than waiting forever. aio4j-only.
     */
    @AioTest(network = "server")
    void aUdpCloseWithDatagramsQueuedEndsAfterUninstall(SimNetwork net) throws IOException {
        net.setBandwidth("local", "server", 1000); // 1 kB/s: the send buffer fills at once
        boolean[] lost = new boolean[1];
        var udp = Streams.createDatagramEndpoint(() -> new dev.aio4j.streams.DatagramProtocol() {
            @Override
            public void datagramReceived(byte[] data, java.net.SocketAddress addr) {}

            @Override
            public void connectionLost(Exception exc) {
                lost[0] = true;
            }
        }, null, new java.net.InetSocketAddress(net.address("server"), 9));
        for (int i = 0; i < 400; i++) {
            udp.transport().sendto(new byte[1000]);
        }
        net.uninstall();
        udp.transport().close();
        Aio.sleep(10);
        assertTrue(lost[0], "the close still waits for its queue to flush after uninstall(): " + net.trace());
    }

    /** A stopped network is not installed again, nor does it take a fault plan: each says so. */
    @AioTest
    void aStoppedNetworkRefusesToStartAgain() {
        SimNetwork net = new SimNetwork(1);
        net.install(Aio.getRunningLoop());
        net.uninstall();
        net.uninstall(); // a second time: nothing
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.install(Aio.getRunningLoop()));
        assertTrue(e.getMessage().startsWith("SimNetwork.install() on a SimNetwork that was uninstalled (or whose loop closed)"),
                e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> FaultPlan.of(new Fault.Reset(1, "local", "local")).apply(net));
        assertTrue(e.getMessage().startsWith("FaultPlan.apply() on a SimNetwork that was uninstalled"), e.getMessage());
        new SimNetwork(2).uninstall(); // never installed: nothing
    }

    /**
     * Closing the loop stops the network as uninstall() does: a fault plan's steps still to come
     * and a half-open request's timer are cancelled (the loop drops its timers; the network drops
     * them too, so nothing it holds stays reachable from them), and the leak check passes.
     */
    @org.junit.jupiter.api.Test
    void closingTheLoopStopsTheNetwork() {
        SimNetwork[] made = new SimNetwork[1];
        Schedules.run(Schedule.fifo(), () -> {
            SimNetwork net = new SimNetwork(3);
            made[0] = net;
            net.addHost("server");
            net.addHost("c");
            net.install(Aio.getRunningLoop());
            net.setLatency(0.010, 0);
            FaultPlan.of(new Fault.Partition(50, "c", "server", 10, false)).apply(net);
            Server server = Streams.startServer((r, w) -> w.close(), "server", 7);
            Task<StreamPair> connect = net.spawn("c", () -> Streams.openConnection("server", 7));
            Aio.getRunningLoop().callLater(0.015, () -> net.crash("c"));
            Aio.sleep(0.5);
            assertTrue(connect.cancelled(), net.trace().toString());
            assertEquals(List.of("1.010000 request timer server:7->c:49152", "50.000000 fault Partition(at=50.0, c|server, for 10.0, hold)"),
                    net.pendingTimers());
            server.close();
            return null;
        });
        made[0].assertNoPendingTimers();
    }
}
