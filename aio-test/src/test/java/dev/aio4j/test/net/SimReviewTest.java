package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.loop.ExceptionHandler;
import dev.aio4j.loop.Schedule;
import dev.aio4j.streams.DatagramProtocol;
import dev.aio4j.streams.DatagramTransport;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.Transport;
import dev.aio4j.test.AioTest;
import dev.aio4j.test.Schedules;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.TestAbortedException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Regressions for what a review of the simulated network and of {@code @AioTest} found, one test
 * per finding, each named after the behaviour it pins. The references: turmoil (the Rust network
 * simulator) for what faults mean, Linux TCP for the transport, asyncio's transports
 * ({@code selector_events.py}, {@code transports.py}) for the flow-control callbacks.
 * aio4j-only.
 */
@org.junit.jupiter.api.Timeout(120)
class SimReviewTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // ----------------------------------------------------------------- 1. loss per transmission

    /**
     * A transmission is lost, or not, when it is sent, against the loss the link has then: a
     * segment first sent while the link loses everything gets through on the first
     * retransmission after the loss ended (200 + 400 + 800 ms of backoff, then delivered), rather
     * than having all its retransmissions decided at the first send and the connection time out;
     * and a SYN is a transmission too (Linux retransmits a lost SYN after 1, 2, 4... s).
     */
    @AioTest(network = "server")
    void eachTransmissionDrawsItsOwnLossWhenItIsSent(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.001, 0);
        Server server = Streams.startServer(SimNetworkTest::echo, "server", 7);
        // the SYN at 0 and its retransmission at 1 s are lost, the one at 3 s gets through
        net.setLoss(SimNetwork.LOCAL, "server", 1.0);
        loop.callLater(2.5, () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
        double t0 = loop.time();
        StreamPair c = Aio.waitFor(() -> Streams.openConnection("server", 7), 60.0);
        assertEquals(3.002, loop.time() - t0, 1e-9, "SYNs at 0, 1 and 3 s; the third crosses: " + net.trace());
        assertEquals(2, net.trace().stream().filter(l -> l.contains(" SYN (lost")).count(), net.trace().toString());
        // data: lost at 0 (and its retransmissions at 0.2 and 0.6), delivered when retransmitted at 1.4
        net.setLoss(SimNetwork.LOCAL, "server", 1.0);
        double t1 = loop.time();
        loop.callLater(1.0, () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
        c.writer().write(bytes("hello\n"));
        assertEquals("hello\n", text(Aio.waitFor(() -> c.reader().readline(), 60.0)));
        assertEquals(1.400 + 0.002, loop.time() - t1, 1e-9, "retransmitted after 0.2, 0.6 and 1.4 s: " + net.trace());
        c.writer().close();
        // a SYN that crosses, and a SYN-ACK the link loses from then on: the connect times out
        net.setTcpTimeouts(10, 30);
        double t2 = loop.time();
        loop.callLater(0.0005, () -> net.setLoss(SimNetwork.LOCAL, "server", 1.0));
        java.net.ConnectException e = assertThrows(java.net.ConnectException.class,
                () -> Aio.waitFor(() -> Streams.openConnection("server", 7), 60.0));
        assertTrue(e.getMessage().contains("Connection timed out"), e.getMessage());
        assertEquals(10.0, loop.time() - t2, 1e-9, "the connect timeout counted from the connect: " + net.trace());
        Aio.sleep(100); // the server's end gives up on its SYN-ACK too
        server.close();
        server.waitClosed();
    }

    // ------------------------------------------------------------------ 2. partitions compose

    /**
     * When the server's "hi" (written at 2 s) reaches the client, with the faults {@code faults}
     * applied on a fresh network right after the connect.
     */
    private static double whenTheReplyArrives(Consumer<SimNetwork> faults) {
        return Schedules.run(Schedule.fifo(), () -> {
            SimNetwork net = new SimNetwork(1);
            net.addHost("server");
            net.install(Aio.getRunningLoop());
            EventLoop loop = Aio.getRunningLoop();
            Server server = Streams.startServer((r, w) -> {
                Aio.sleep(2.0 - loop.time());
                w.write(bytes("hi\n"));
                w.close();
            }, "server", 7);
            StreamPair c = Streams.openConnection("server", 7);
            faults.accept(net);
            c.reader().readline();
            double at = loop.time();
            c.writer().close();
            Aio.sleep(100); // every fault over
            server.close();
            server.waitClosed();
            return at;
        });
    }

    /**
     * Partitions compose, as turmoil's do: a two-way partition healed inside a one-way cut of
     * the same link leaves the cut in force, a one-way cut healed inside a two-way partition
     * leaves the partition, and a plan's partition that ends inside one the test made itself
     * ends only its own; healing restores only what that partition cut.
     */
    @Test
    void healingOnePartitionLeavesTheOverlappingOnesInForce() {
        assertEquals(2.001, whenTheReplyArrives(net -> { }), 1e-9, "no fault: the reply leaves at 2 s");
        assertEquals(5.1, whenTheReplyArrives(net -> FaultPlan.of(
                new Fault.OneWayPartition(0.1, "server", SimNetwork.LOCAL, 5.0),
                new Fault.Partition(0.2, SimNetwork.LOCAL, "server", 1.0, false)).apply(net)), 1e-9,
                "the two-way partition's end (1.2 s) must not end the one-way cut (until 5.1 s)");
        assertEquals(5.1, whenTheReplyArrives(net -> FaultPlan.of(
                new Fault.Partition(0.1, SimNetwork.LOCAL, "server", 5.0, false),
                new Fault.OneWayPartition(0.2, "server", SimNetwork.LOCAL, 1.0)).apply(net)), 1e-9,
                "the one-way cut's end (1.2 s) must not open a direction the two-way partition still cuts");
        // The client's ACK waits for the repair too, so the server accepts at 3 s and its reply
        // takes the latency: 3.001 s, not the 1.2 s the plan's repair would give.
        assertEquals(3.001, whenTheReplyArrives(net -> {
            net.partition(SimNetwork.LOCAL, "server", false);
            FaultPlan.of(new Fault.Partition(0.2, "server", SimNetwork.LOCAL, 1.0, false)).apply(net);
            net.loop().callLater(3.0 - net.loop().time(), () -> net.repair(SimNetwork.LOCAL, "server"));
        }), 1e-9, "the plan's partition (0.2-1.2 s) must not end the test's own (until its repair at 3 s)");
    }

    /**
     * A {@link Fault.Loss} window composes with the loss the test gave the link, as partitions
     * do: when the last window ends, the link loses what it lost before them, not nothing.
     */
    @AioTest(network = "server")
    void aLossWindowEndsWithTheLinksOwnLossRestored(SimNetwork net) {
        net.setLoss(SimNetwork.LOCAL, "server", 0.25);
        FaultPlan.of(new Fault.Loss(1.0, SimNetwork.LOCAL, "server", 0.9, 1.0),
                new Fault.Loss(1.5, "server", SimNetwork.LOCAL, 0.5, 1.0)).apply(net);
        Aio.sleep(10);
        List<String> losses = net.trace().stream().filter(l -> l.contains(" loss ")).toList();
        assertEquals(List.of("0.000000 loss local|server 0.25", "1.000000 loss local|server 0.9", "1.500000 loss local|server 0.5",
                "2.000000 loss local|server 0.5", "2.500000 loss local|server 0.25"), losses);
        assertEquals(0.25, net.loss(SimNetwork.LOCAL, "server"));
    }

    // ------------------------------------------------- 3. protocol callbacks that throw are reported

    /** A protocol whose every flow-control and end callback throws. */
    private static final class Throwing implements Protocol {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(byte[] data) {
            got.writeBytes(data);
        }

        @Override
        public void pauseWriting() {
            throw new IllegalStateException("pauseWriting blew up");
        }

        @Override
        public void resumeWriting() {
            throw new IllegalStateException("resumeWriting blew up");
        }

        @Override
        public void connectionLost(Exception exc) {
            throw new IllegalStateException("connectionLost blew up");
        }
    }

    /**
     * asyncio's transports call {@code loop.call_exception_handler} when {@code pause_writing},
     * {@code resume_writing} or {@code connection_lost} raise, and carry on: the writer's
     * {@code write()} returns, every byte still arrives, and the connection still ends. The
     * simulated transports do the same (TCP and UDP), and nothing escapes into the simulator.
     */
    @AioTest(network = "server")
    void aProtocolWhoseCallbacksThrowIsReportedAndTheTransportCarriesOn(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        ExceptionHandler before = loop.getExceptionHandler();
        List<ExceptionContext> reports = new ArrayList<>();
        loop.setExceptionHandler((l, ctx) -> reports.add(ctx));
        try {
            Throwing serverSide = new Throwing();
            Server server = Streams.createServer(() -> serverSide, "server", 7);
            Throwing clientSide = Streams.createConnection(Throwing::new, "server", 7).protocol();
            Transport t = clientSide.transport;
            t.setWriteBufferLimits(100, 10);
            byte[] payload = new byte[5000];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) i;
            }
            assertDoesNotThrow(() -> t.write(payload), "pauseWriting's failure must not escape write()");
            Aio.sleep(1); // delivered: resumeWriting throws
            assertArrayEquals(payload, serverSide.got.toByteArray(), "every byte arrives although resumeWriting threw");
            assertEquals(0, t.getWriteBufferSize());
            t.close(); // both ends' connectionLost throw
            Aio.sleep(1);
            server.close();
            server.waitClosed();
            // UDP: connectionLost throws too
            DatagramTransport udp = Streams.createDatagramEndpoint(() -> new DatagramProtocol() {
                @Override
                public void connectionLost(Exception exc) {
                    throw new IllegalStateException("udp connectionLost blew up");
                }
            }, new InetSocketAddress(0), null).transport();
            udp.close();
            Aio.sleep(1);
        } finally {
            loop.setExceptionHandler(before);
        }
        List<String> messages = reports.stream().map(c -> c.message() + " / " + c.exception()).collect(Collectors.toList());
        assertTrue(messages.stream().anyMatch(m -> m.contains("pauseWriting() failed") && m.contains("pauseWriting blew up")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.contains("resumeWriting() failed") && m.contains("resumeWriting blew up")), messages.toString());
        assertEquals(2, messages.stream().filter(m -> m.contains("connectionLost() failed") && m.contains("connectionLost blew up")
                && !m.contains("udp")).count(), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.contains("connectionLost() failed") && m.contains("udp connectionLost blew up")),
                messages.toString());
        assertEquals(5, reports.size(), messages.toString());
    }

    // ---------------------------------------------------- 4. new limits below the buffer pause at once

    /** Records the flow-control calls. */
    private static final class Recording implements Protocol {
        final List<String> calls = new ArrayList<>();
        Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void pauseWriting() {
            calls.add("pause");
        }

        @Override
        public void resumeWriting() {
            calls.add("resume");
        }
    }

    /**
     * asyncio's {@code set_write_buffer_limits} ends with {@code _maybe_pause_protocol()}: a high
     * mark lowered below what is already buffered pauses the protocol at once, and the low mark
     * resumes it as usual once the bytes are out.
     */
    @AioTest(network = "server")
    void loweringTheHighMarkBelowTheBufferPausesWritingAtOnce(SimNetwork net) throws IOException {
        Server server = Streams.startServer(SimNetworkTest::waitForTheEnd, "server", 7);
        Recording p = Streams.createConnection(Recording::new, "server", 7).protocol();
        net.hold(SimNetwork.LOCAL, "server");
        p.transport.write(new byte[1000]);
        assertEquals(1000, p.transport.getWriteBufferSize());
        assertEquals(List.of(), p.calls, "1000 bytes are under the default high mark");
        p.transport.setWriteBufferLimits(100, 10);
        assertEquals(List.of("pause"), p.calls, "paused by setWriteBufferLimits itself");
        net.release(SimNetwork.LOCAL, "server");
        Aio.sleep(1);
        assertEquals(List.of("pause", "resume"), p.calls);
        p.transport.close();
        server.close();
        server.waitClosed();
    }

    /** Records the size of each dataReceived call. */
    private static final class Sizes implements Protocol {
        final List<Integer> sizes = new ArrayList<>();
        Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(byte[] data) {
            sizes.add(data.length);
        }
    }

    /**
     * One dataReceived call gets at most what one read of the real SocketTransport gets, 256 KiB
     * (asyncio's selector transport's max_size): a 300 KiB write arrives as 256 KiB and the rest.
     */
    @AioTest(network = "server")
    void oneDeliveryIsAtMostOneSocketReadOf256KiB(SimNetwork net) throws IOException {
        List<Sizes> accepted = new ArrayList<>();
        Server server = Streams.createServer(() -> {
            Sizes p = new Sizes();
            accepted.add(p);
            return p;
        }, "server", 7);
        Sizes client = Streams.createConnection(Sizes::new, "server", 7).protocol();
        client.transport.write(new byte[300 * 1024]);
        Aio.sleep(1);
        assertEquals(List.of(256 * 1024, 44 * 1024), accepted.get(0).sizes);
        client.transport.close();
        Aio.sleep(1);
        server.close();
        server.waitClosed();
    }

    // ------------------------------------------------------------- 5. abort() empties the buffer

    /**
     * {@code abort()} discards what was buffered, as asyncio's {@code _force_close} does, so
     * {@code getWriteBufferSize()} is 0 after it (the RST drops what was in flight).
     */
    @AioTest(network = "server")
    void abortDiscardsTheWriteBuffer(SimNetwork net) throws IOException {
        Server server = Streams.startServer(SimNetworkTest::waitForTheEnd, "server", 7);
        Recording p = Streams.createConnection(Recording::new, "server", 7).protocol();
        net.hold(SimNetwork.LOCAL, "server");
        p.transport.write(new byte[1000]);
        assertEquals(1000, p.transport.getWriteBufferSize());
        p.transport.abort();
        assertEquals(0, p.transport.getWriteBufferSize(), "nothing is buffered after abort()");
        net.release(SimNetwork.LOCAL, "server");
        Aio.sleep(1);
        assertEquals(0, p.transport.getWriteBufferSize());
        // abort() after close(), while close() still flushes: the buffer is dropped too
        Recording q = Streams.createConnection(Recording::new, "server", 7).protocol();
        net.hold(SimNetwork.LOCAL, "server");
        q.transport.write(new byte[500]);
        q.transport.close();
        assertEquals(500, q.transport.getWriteBufferSize(), "close() flushes what was written");
        q.transport.abort();
        assertEquals(0, q.transport.getWriteBufferSize(), "nothing is buffered after abort()");
        net.release(SimNetwork.LOCAL, "server");
        Aio.sleep(1);
        assertEquals(0, q.transport.getWriteBufferSize());
        server.close();
        server.waitClosed();
    }

    // ---------------------------------------------------------------- 6. the leak check and fixtures

    private static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
    }

    private static List<Throwable> failures(EngineExecutionResults r) {
        return r.testEvents().failed().stream()
                .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow())
                .collect(Collectors.toList());
    }

    /**
     * {@code @AioTest}'s leak check runs when the test ends, after the last {@code @AfterEach}
     * (as asyncio's {@code IsolatedAsyncioTestCase} ends after {@code asyncTearDown}): a task a
     * {@code @BeforeEach} started and an {@code @AfterEach} stops is no leak, nor is one the body
     * started and an {@code @AfterEach} stops (the body and the fixtures share the loop even
     * without a {@code @BeforeEach}); a task an {@code @AfterEach} leaves pending is one.
     */
    @Test
    void theLeakCheckRunsAfterTheLastAfterEachOnTheLoopTheBodyRanOn() {
        EngineExecutionResults fromBeforeEach = run(SimReviewFixtures.BeforeEachTaskStoppedInAfterEach.class);
        assertEquals(1, fromBeforeEach.testEvents().succeeded().count(), () -> failures(fromBeforeEach).toString());
        EngineExecutionResults fromBody = run(SimReviewFixtures.BodyTaskStoppedInAfterEach.class);
        assertEquals(1, fromBody.testEvents().succeeded().count(), () -> failures(fromBody).toString());
        List<Throwable> f = failures(run(SimReviewFixtures.AfterEachLeavesATask.class));
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).getMessage().contains("1 task(s) still pending after the last @AfterEach"), f.get(0).getMessage());
        assertTrue(f.get(0).getMessage().contains("left-by-tearDown"), f.get(0).getMessage());
        List<Throwable> g = failures(run(SimReviewFixtures.BodyLeaksBesideAFixtureTask.class));
        assertEquals(1, g.size(), g.toString());
        assertTrue(g.get(0).getMessage().contains("1 task(s) still pending"), g.get(0).getMessage());
        assertTrue(g.get(0).getMessage().contains("left-by-body"), g.get(0).getMessage());
    }

    // --------------------------------------------------------------- 7. assumptions skip, unwrapped

    /**
     * A JUnit assumption that fails in an {@code @AioTest} body throws {@code TestAbortedException},
     * which must reach JUnit unwrapped so the test is skipped: under {@code explore} as well, and
     * out of {@link SimRun#run}.
     */
    @Test
    void aFailedAssumptionSkipsTheTestEvenWhenExploring() {
        EngineExecutionResults r = run(SimReviewFixtures.ExploredAssumption.class);
        assertEquals(0, r.testEvents().failed().count(), () -> failures(r).toString());
        assertEquals(1, r.testEvents().aborted().count());
        SimRun run = new SimRun(0, Schedule.fifo(), FaultPlan.NONE, List.of("server"));
        assertThrows(TestAbortedException.class, () -> run.run(net -> {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "not here");
            return null;
        }));
    }

    // ----------------------------------------------------------------- 8. faults check what they get

    private static void refused(String parameter, org.junit.jupiter.api.function.Executable make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make, parameter);
        assertTrue(e.getMessage().contains(parameter), "the message names " + parameter + ": " + e.getMessage());
    }

    /** A fault with nonsense parameters is refused when it is made, naming the parameter. */
    @Test
    void aFaultWithNonsenseParametersIsRefusedNamingTheParameter() {
        refused("at", () -> new Fault.Reset(-1, "a", "b"));
        refused("at", () -> new Fault.Reset(Double.NaN, "a", "b"));
        refused("at", () -> new Fault.Crash(Double.POSITIVE_INFINITY, "a", 1));
        refused("a", () -> new Fault.Reset(0, null, "b"));
        refused("b", () -> new Fault.Partition(0, "a", "", 1, false));
        refused("duration", () -> new Fault.Partition(0, "a", "b", 0, false));
        refused("duration", () -> new Fault.Partition(0, "a", "b", -2, true));
        refused("duration", () -> new Fault.OneWayPartition(0, "a", "b", Double.NaN));
        refused("duration", () -> new Fault.AcceptStall(1, "a", Double.POSITIVE_INFINITY));
        refused("downFor", () -> new Fault.Crash(0, "a", -1));
        refused("downFor", () -> new Fault.Vanish(0, "a", 0));
        refused("probability", () -> new Fault.Loss(0, "a", "b", 1.5, 1));
        refused("probability", () -> new Fault.Loss(0, "a", "b", -0.1, 1));
        refused("probability", () -> new Fault.Loss(0, "a", "b", Double.NaN, 1));
        refused("duration", () -> new Fault.Loss(0, "a", "b", 0.5, -1));
        refused("fixed", () -> new Fault.Latency(0, "a", "b", -0.001, 0));
        refused("jitter", () -> new Fault.Latency(0, "a", "b", 0.001, Double.NaN));
        refused("bytesPerSecond", () -> new Fault.Bandwidth(0, "a", "b", -5));
        refused("bytesPerSecond", () -> new Fault.Bandwidth(0, "a", "b", Double.POSITIVE_INFINITY));
        refused("duration", () -> new Fault.Partition(Double.MAX_VALUE, "a", "b", Double.MAX_VALUE, false));
        // what is sensible still goes
        assertDoesNotThrow(() -> FaultPlan.of(new Fault.Reset(0, "a", "a"), new Fault.Latency(0, "a", "b", 0, 0),
                new Fault.Loss(0, "a", "b", 0, 1), new Fault.Loss(0, "a", "b", 1, 1), new Fault.Bandwidth(0, "a", "b", 0)));
    }

    // --------------------------------------------------------- 9. generators and very long horizons

    /**
     * A horizon past 2^31 ms (24.8 days) must not wrap in the generator's arithmetic: the times
     * stay within it. One no double can count in whole milliseconds, or not finite, is refused
     * naming the horizon.
     */
    @Test
    void aHorizonOfYearsGeneratesTimesWithinItAndAnAbsurdOneIsRefused() {
        double horizon = 3.0e6 * 365; // about 35 days * 365
        Arbitrary<FaultPlan> plans = FaultPlans.arbitrary(List.of("a", "b"), horizon, FaultPlans.ALL_KINDS);
        List<FaultPlan> sample = plans.sampleStream().limit(200).toList();
        assertTrue(sample.stream().anyMatch(p -> p.size() > 0));
        for (FaultPlan p : sample) {
            for (Fault f : p.faults()) {
                assertTrue(f.at() >= 0 && f.at() <= horizon, f.toString());
            }
        }
        assertDoesNotThrow(() -> FaultPlans.arbitrary(List.of("a"), 3.0e6).sampleStream().limit(20).toList());
        refused("horizon", () -> FaultPlans.arbitrary(List.of("a"), (double) Long.MAX_VALUE));
        refused("horizon", () -> FaultPlans.arbitrary(List.of("a"), Double.POSITIVE_INFINITY));
        refused("horizon", () -> FaultPlans.runs(List.of("a"), Double.MAX_VALUE, FaultPlans.CLASSIC_KINDS));
    }
}
