package dev.aio4j.bench;

import dev.aio4j.bench.http.HttpKeepAliveBenchmark;
import dev.aio4j.bench.http.HttpParserBenchmark;
import dev.aio4j.bench.http.WebSocketEchoBenchmark;
import dev.aio4j.bench.loop.CallSoonChainBenchmark;
import dev.aio4j.bench.loop.EventFanOutBenchmark;
import dev.aio4j.bench.loop.FuturePingPongBenchmark;
import dev.aio4j.bench.loop.LockHandoffBenchmark;
import dev.aio4j.bench.loop.QueueHandoffBenchmark;
import dev.aio4j.bench.loop.SpawnGatherBenchmark;
import dev.aio4j.bench.loop.TaskSwitchBenchmark;
import dev.aio4j.bench.loop.TimersBenchmark;
import dev.aio4j.bench.loop.VirtualTimeBenchmark;
import dev.aio4j.bench.reference.CompletableFutureChainBenchmark;
import dev.aio4j.bench.reference.JdkHttpClientBenchmark;
import dev.aio4j.bench.reference.NioEchoLoopBenchmark;
import dev.aio4j.bench.reference.NioPipePingPongBenchmark;
import dev.aio4j.bench.reference.RawContinuationBenchmark;
import dev.aio4j.bench.reference.VirtualThreadHandoffBenchmark;
import dev.aio4j.bench.streams.BulkTransferBenchmark;
import dev.aio4j.bench.streams.EchoBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Keeps the benchmarks honest without timing anything: each benchmark's workload runs once,
 * with tiny sizes, under the scheduler this test JVM was started with (the build runs the suite
 * once per scheduler), and its result is checked. Also checks that each benchmark's
 * {@code @OperationsPerInvocation} matches the work its default sizes really do, so a score per
 * operation means what its Javadoc says.
 *
 * <p>There are no timing assertions here, by rule: speed is shown by JMH, never by a test.
 */
@Timeout(120)
class BenchmarkSmokeTest {

    /** The scheduler the build chose for this test JVM ({@code -Daio4j.scheduler}). */
    private static String currentScheduler() {
        return System.getProperty(AbstractLoopBenchmark.SCHEDULER_PROPERTY, "auto");
    }

    private static <B extends AbstractLoopBenchmark> B ready(B b) throws Exception {
        b.scheduler = currentScheduler();
        b.setUpLoop();
        return b;
    }

    @Test
    void loopUsesTheRequestedScheduler() throws Exception {
        TaskSwitchBenchmark b = ready(new TaskSwitchBenchmark());
        try {
            String expected = currentScheduler();
            if (!expected.equals("auto")) {
                assertEquals(expected, b.actualScheduler());
            }
            assertTrue(List.of("carrier", "portable").contains(b.actualScheduler()), b.actualScheduler());
        } finally {
            b.tearDownLoop();
        }
    }

    @Test
    void askingForAnUnknownSchedulerFailsTheTrial() {
        String before = System.getProperty(AbstractLoopBenchmark.SCHEDULER_PROPERTY);
        TaskSwitchBenchmark b = new TaskSwitchBenchmark();
        b.scheduler = "no-such-scheduler";
        try {
            b.setUpLoop();
            b.tearDownLoop();
            fail("setUpLoop() accepted an unknown scheduler");
        } catch (Exception expected) {
            assertTrue(expected.getMessage().contains("no-such-scheduler"), expected.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(AbstractLoopBenchmark.SCHEDULER_PROPERTY);
            } else {
                System.setProperty(AbstractLoopBenchmark.SCHEDULER_PROPERTY, before);
            }
        }
    }

    @Test
    void taskSwitchRunsEverySleep() throws Exception {
        TaskSwitchBenchmark b = new TaskSwitchBenchmark();
        b.tasks = 10;
        b.switches = 7;
        ready(b);
        try {
            assertEquals(70L, b.sleepZero());
            assertEquals(70L, b.sleepZero()); // the loop is reused across invocations
        } finally {
            b.tearDownLoop();
        }
    }

    @Test
    void futurePingPongDeliversEveryValueInOrder() throws Exception {
        FuturePingPongBenchmark b = new FuturePingPongBenchmark();
        b.rounds = 25;
        ready(b);
        try {
            assertEquals(25, b.pingPong());
            assertEquals(25, b.pingPong());
        } finally {
            b.tearDownLoop();
        }
    }

    @Test
    void spawnGatherReturnsEveryResultInOrder() throws Exception {
        SpawnGatherBenchmark b = new SpawnGatherBenchmark();
        b.tasks = 100;
        ready(b);
        try {
            List<Integer> results = b.spawnGather();
            assertEquals(IntStream.range(0, 100).boxed().toList(), results);
        } finally {
            b.tearDownLoop();
        }
    }

    @Test
    void callSoonChainRunsEveryCallback() throws Exception {
        CallSoonChainBenchmark b = new CallSoonChainBenchmark();
        b.callbacks = 1000;
        ready(b);
        try {
            assertEquals(1000, b.chain());
            assertEquals(1000, b.chain());
        } finally {
            b.tearDownLoop();
        }
    }

    @Test
    void queueHandoffDeliversEveryItem() throws Exception {
        QueueHandoffBenchmark b = new QueueHandoffBenchmark();
        b.items = 100;
        ready(b);
        try {
            assertEquals(100L * 99 / 2, b.queueHandoff());
        } finally {
            b.tearDownLoop();
        }
    }

    @Test
    void lockHandoffLosesNoUpdate() throws Exception {
        LockHandoffBenchmark b = new LockHandoffBenchmark();
        b.acquiresPerTask = 50;
        ready(b);
        try {
            assertEquals(100, b.lockHandoff());
        } finally {
            b.tearDownLoop();
        }
    }

    @Test
    void timersAllFireAndLatenessIsRecorded() throws Exception {
        TimersBenchmark b = new TimersBenchmark();
        b.timers = 200;
        b.maxDelay = 0.005;
        ready(b);
        try {
            b.recordAll();
            assertEquals(200, b.timers());
            b.recordInvocation();
            assertEquals(200, b.lateness().count());
            assertEquals(1, b.lateness().batches());
            assertFalse(Double.isNaN(b.lateness().percentileMillis(99)));
            String json = b.lateness().toJson("timers", "test");
            assertTrue(json.startsWith("{\"workload\":\"timers\",\"impl\":\"test\",\"samples\":200,"), json);
        } finally {
            b.tearDownLoop();
        }
    }

    @Test
    void eventFanOutWakesEveryWaiterEveryRound() throws Exception {
        EventFanOutBenchmark b = new EventFanOutBenchmark();
        b.waiters = 100;
        b.rounds = 3;
        ready(b);
        try {
            assertEquals(300, b.fanOut());
            assertEquals(300, b.fanOut()); // the same parked waiters serve the next invocation
        } finally {
            b.tearDownLoop(); // wakes the waiters for good and gathers them
        }
    }

    @Test
    void virtualTimeSleepsEveryPlannedSecond() throws Exception {
        VirtualTimeBenchmark b = new VirtualTimeBenchmark();
        b.tasks = 100;
        ready(b);
        try {
            double planned = b.plannedSeconds();
            assertEquals(100 * VirtualTimeBenchmark.PER_TASK, planned, 1e-6);
            assertEquals(planned, b.virtualDay(), 1e-6);
            assertEquals(planned, b.virtualDay(), 1e-6);
        } finally {
            b.tearDownLoop();
        }
    }

    @Test
    void simulatedNetworkRunsDeliverEveryMessage() throws Exception {
        dev.aio4j.bench.streams.SimNetworkBenchmark b = new dev.aio4j.bench.streams.SimNetworkBenchmark();
        b.connections = 20;
        b.roundTrips = 5;
        b.clients = 5;
        b.simulatedSeconds = 10;
        ready(b);
        try {
            assertEquals(20 * 5 * 2, b.thousandConnections());
            assertEquals(20 * 5 * 2, b.thousandConnections(), "a fresh network per run");
            assertEquals(5 * 10, b.hourOfServiceTraffic());
        } finally {
            b.tearDownLoop();
        }
    }

    @Test
    void networkSeamLooksUpAndConnects() throws Exception {
        for (String elsewhere : List.of("none", "other-loop")) {
            dev.aio4j.bench.streams.NetworkSeamBenchmark b = new dev.aio4j.bench.streams.NetworkSeamBenchmark();
            b.elsewhere = elsewhere;
            b.connections = 5;
            ready(b);
            try {
                assertEquals(null, b.lookup());
                assertEquals(5, b.connectAndClose());
            } finally {
                b.tearDownLoop();
            }
        }
    }

    @Test
    void echoCompletesEveryRoundTrip() throws Exception {
        EchoBenchmark b = new EchoBenchmark();
        b.roundTrips = 50;
        b.perClient = 2;
        ready(b);
        try {
            assertEquals(50, b.oneClient());
            assertEquals(EchoBenchmark.CLIENTS * 2, b.fiftyClients());
            assertEquals(50, b.oneClient());
        } finally {
            b.tearDownLoop(); // closes every connection and waits for the server to close
        }
    }

    @Test
    void tlsHandshakesCompleteOnEverySide() throws Exception {
        dev.aio4j.bench.streams.TlsHandshakeBenchmark b = new dev.aio4j.bench.streams.TlsHandshakeBenchmark();
        b.connections = 3;
        ready(b);
        try {
            assertEquals(3, b.aio4j());
            assertEquals(3, b.bareEngines());
            assertEquals(3, b.plainTcp());
            assertEquals(3, b.bareEnginesAndPlainTcp());
        } finally {
            b.tearDownLoop(); // closes both servers
        }
    }

    @Test
    void bulkTransferDeliversEveryByte() throws Exception {
        BulkTransferBenchmark b = new BulkTransferBenchmark();
        b.mib = 2;
        ready(b);
        try {
            assertEquals(2L * BulkTransferBenchmark.MIB, b.transfer());
            assertEquals(2L * BulkTransferBenchmark.MIB, b.transfer());
        } finally {
            b.tearDownLoop();
        }
    }

    @Test
    void webSocketEchoAnswersEveryMessage() throws Exception {
        WebSocketEchoBenchmark b = new WebSocketEchoBenchmark();
        b.messages = 200;
        ready(b);
        try {
            assertEquals(200, b.oneConnection());
            assertEquals(200, b.hundredConnections());
            assertEquals(200, b.oneConnection());
        } finally {
            b.tearDownLoop();
        }
    }

    @Test
    void webSocketEchoAnswersEveryMessageFromEveryPeer() throws Exception {
        for (String peer : new String[] {"aio4j-thread", "netty"}) {
            WebSocketEchoBenchmark b = new WebSocketEchoBenchmark();
            b.messages = 200;
            b.peer = peer;
            ready(b);
            try {
                assertEquals(200, b.oneConnection(), peer);
                assertEquals(200, b.hundredConnections(), peer);
            } finally {
                b.tearDownLoop();
            }
        }
    }

    @Test
    void nettyWebSocketClientGetsEveryEcho() throws Exception {
        for (String server : new String[] {"netty-same-loop", "netty", "aio4j"}) {
            dev.aio4j.bench.http.NettyWebSocketClientBenchmark b = new dev.aio4j.bench.http.NettyWebSocketClientBenchmark();
            b.messages = 200;
            b.server = server;
            b.scheduler = currentScheduler();
            b.setUp();
            try {
                assertEquals(200, b.oneConnection(), server);
                assertEquals(200, b.hundredConnections(), server);
                assertEquals(200, b.oneConnection(), server);
            } finally {
                b.tearDown();
            }
        }
    }

    @Test
    void httpParserBenchmarkCompletesEveryMessage() {
        HttpParserBenchmark b = new HttpParserBenchmark();
        // Per message: its header fields, its body bytes and one completion.
        assertEquals(HttpParserBenchmark.MESSAGES * (9 + 1L), b.requestGet());
        assertEquals(HttpParserBenchmark.MESSAGES, b.completed());
        assertEquals(HttpParserBenchmark.MESSAGES * (3 + 4096 + 1L), b.requestChunkedPost());
        assertEquals(HttpParserBenchmark.MESSAGES, b.completed());
        assertEquals(HttpParserBenchmark.MESSAGES * (6 + 4096 + 1L), b.responseLength());
        assertEquals(HttpParserBenchmark.MESSAGES, b.completed());
        assertEquals(HttpParserBenchmark.MESSAGES * (6 + 4096 + 1L), b.responseChunked());
        assertEquals(HttpParserBenchmark.MESSAGES, b.completed());
    }

    @Test
    void httpKeepAliveAnswersEveryRequestOnReusedConnections() throws Exception {
        HttpKeepAliveBenchmark b = new HttpKeepAliveBenchmark();
        b.requests = 100;
        ready(b);
        try {
            assertEquals(100, b.sequential());
            assertEquals(1, b.openConnections());
            assertEquals(100, b.concurrent10());
            assertEquals(100, b.concurrent50());
            assertTrue(b.openConnections() <= 50, "connections: " + b.openConnections());
        } finally {
            b.tearDownLoop();
        }
    }

    @Test
    void jdkHttpClientAnswersEveryRequest() throws Exception {
        JdkHttpClientBenchmark b = new JdkHttpClientBenchmark();
        b.requests = 100;
        b.open();
        try {
            assertEquals(100, b.sequential());
            assertEquals(100, b.concurrent10());
            assertEquals(100, b.concurrent50());
        } finally {
            b.close();
        }
    }

    @Test
    void completableFutureChainsRunEveryStage() {
        CompletableFutureChainBenchmark b = new CompletableFutureChainBenchmark();
        b.stages = 500;
        assertEquals(500, b.direct());
        assertEquals(500, b.queued());
    }

    @Test
    void nioPipePingPongMovesEveryByte() throws Exception {
        NioPipePingPongBenchmark b = new NioPipePingPongBenchmark();
        b.hops = 50;
        b.open();
        try {
            assertEquals(50, b.pingPong());
            assertEquals(50, b.pingPong());
        } finally {
            b.close();
        }
    }

    @Test
    void nioEchoLoopCompletesEveryRoundTrip() throws Exception {
        NioEchoLoopBenchmark b = new NioEchoLoopBenchmark();
        b.roundTrips = 50;
        b.open();
        try {
            assertEquals(50, b.echo());
            assertEquals(50, b.echo());
        } finally {
            b.close();
        }
    }

    @Test
    void virtualThreadHandOffsAllHappen() throws Throwable {
        VirtualThreadHandoffBenchmark b = new VirtualThreadHandoffBenchmark();
        b.handoffs = 101;
        assertEquals(101, b.defaultScheduler());
        // the carrier mechanism needs --add-opens java.base/java.lang, which only the carrier run has
        assumeTrue(VirtualThreadHandoffBenchmark.customSchedulerAvailable(), "java.lang is not open");
        b.startWorker();
        try {
            assertEquals(1 + 101, b.customScheduler()); // the first run (in startWorker) counts once
        } finally {
            b.stopWorker();
        }
    }

    @Test
    void rawContinuationResumesEveryTime() throws Throwable {
        assumeTrue(RawContinuationBenchmark.available(), "jdk.internal.vm is not exported");
        RawContinuationBenchmark b = new RawContinuationBenchmark();
        b.yields = 10;
        b.create();
        assertEquals(10, b.runYield());
        assertEquals(20, b.runYield());
    }

    @Test
    void percentilesUseNearestRank() {
        LatencyRecorder r = new LatencyRecorder();
        double[] s = new double[100];
        for (int i = 0; i < 100; i++) {
            s[i] = (100 - i) / 1000.0; // 100 ms down to 1 ms
        }
        r.addBatch(s, 100);
        // 1 µs buckets: a percentile is the upper edge of its bucket, never above the maximum
        assertEquals(50.0, r.percentileMillis(50), 0.0011);
        assertEquals(99.0, r.percentileMillis(99), 0.0011);
        assertEquals(100.0, r.percentileMillis(100), 1e-9);
        assertEquals(1.0, r.percentileMillis(0), 0.0011);
        assertEquals(99.0, r.batchP99Millis()[0], 1e-9); // exact per batch
        r.addBatch(new double[] {5.0}, 1); // beyond the histogram's range: the maximum stays exact
        assertEquals(5000.0, r.percentileMillis(100), 1e-9);
        assertEquals(2, r.batches());
    }

    /** Each benchmark method's operation count, as its default sizes make it. */
    @Test
    void operationsPerInvocationMatchTheDefaultSizes() throws Exception {
        Map<Method, Integer> expected = Map.ofEntries(
                Map.entry(TaskSwitchBenchmark.class.getMethod("sleepZero"), new TaskSwitchBenchmark().tasks * new TaskSwitchBenchmark().switches),
                Map.entry(FuturePingPongBenchmark.class.getMethod("pingPong"), 2 * new FuturePingPongBenchmark().rounds),
                Map.entry(SpawnGatherBenchmark.class.getMethod("spawnGather"), new SpawnGatherBenchmark().tasks),
                Map.entry(CallSoonChainBenchmark.class.getMethod("chain"), new CallSoonChainBenchmark().callbacks),
                Map.entry(QueueHandoffBenchmark.class.getMethod("queueHandoff"), new QueueHandoffBenchmark().items),
                Map.entry(LockHandoffBenchmark.class.getMethod("lockHandoff"),
                        LockHandoffBenchmark.TASKS * new LockHandoffBenchmark().acquiresPerTask),
                Map.entry(CompletableFutureChainBenchmark.class.getMethod("direct"), new CompletableFutureChainBenchmark().stages),
                Map.entry(CompletableFutureChainBenchmark.class.getMethod("queued"), new CompletableFutureChainBenchmark().stages),
                Map.entry(NioPipePingPongBenchmark.class.getMethod("pingPong"), new NioPipePingPongBenchmark().hops),
                Map.entry(NioEchoLoopBenchmark.class.getMethod("echo"), new NioEchoLoopBenchmark().roundTrips),
                Map.entry(VirtualThreadHandoffBenchmark.class.getMethod("customScheduler"), new VirtualThreadHandoffBenchmark().handoffs),
                Map.entry(VirtualThreadHandoffBenchmark.class.getMethod("defaultScheduler"), new VirtualThreadHandoffBenchmark().handoffs),
                Map.entry(RawContinuationBenchmark.class.getMethod("runYield"), new RawContinuationBenchmark().yields),
                Map.entry(EventFanOutBenchmark.class.getMethod("fanOut"), new EventFanOutBenchmark().waiters * new EventFanOutBenchmark().rounds),
                Map.entry(EchoBenchmark.class.getMethod("oneClient"), new EchoBenchmark().roundTrips),
                Map.entry(dev.aio4j.bench.streams.NetworkSeamBenchmark.class.getMethod("connectAndClose"),
                        new dev.aio4j.bench.streams.NetworkSeamBenchmark().connections),
                Map.entry(EchoBenchmark.class.getMethod("fiftyClients"), EchoBenchmark.CLIENTS * new EchoBenchmark().perClient),
                Map.entry(BulkTransferBenchmark.class.getMethod("transfer"), new BulkTransferBenchmark().mib),
                Map.entry(dev.aio4j.bench.streams.TlsHandshakeBenchmark.class.getMethod("aio4j"),
                        new dev.aio4j.bench.streams.TlsHandshakeBenchmark().connections),
                Map.entry(dev.aio4j.bench.streams.TlsHandshakeBenchmark.class.getMethod("bareEngines"),
                        new dev.aio4j.bench.streams.TlsHandshakeBenchmark().connections),
                Map.entry(dev.aio4j.bench.streams.TlsHandshakeBenchmark.class.getMethod("plainTcp"),
                        new dev.aio4j.bench.streams.TlsHandshakeBenchmark().connections),
                Map.entry(dev.aio4j.bench.streams.TlsHandshakeBenchmark.class.getMethod("bareEnginesAndPlainTcp"),
                        new dev.aio4j.bench.streams.TlsHandshakeBenchmark().connections),
                Map.entry(HttpParserBenchmark.class.getMethod("requestGet"), HttpParserBenchmark.MESSAGES),
                Map.entry(HttpParserBenchmark.class.getMethod("requestChunkedPost"), HttpParserBenchmark.MESSAGES),
                Map.entry(HttpParserBenchmark.class.getMethod("responseLength"), HttpParserBenchmark.MESSAGES),
                Map.entry(HttpParserBenchmark.class.getMethod("responseChunked"), HttpParserBenchmark.MESSAGES),
                Map.entry(HttpKeepAliveBenchmark.class.getMethod("sequential"), new HttpKeepAliveBenchmark().requests),
                Map.entry(HttpKeepAliveBenchmark.class.getMethod("concurrent10"), new HttpKeepAliveBenchmark().requests),
                Map.entry(HttpKeepAliveBenchmark.class.getMethod("concurrent50"), new HttpKeepAliveBenchmark().requests),
                Map.entry(WebSocketEchoBenchmark.class.getMethod("oneConnection"), new WebSocketEchoBenchmark().messages),
                Map.entry(WebSocketEchoBenchmark.class.getMethod("hundredConnections"), new WebSocketEchoBenchmark().messages),
                Map.entry(dev.aio4j.bench.http.NettyWebSocketClientBenchmark.class.getMethod("oneConnection"),
                        new dev.aio4j.bench.http.NettyWebSocketClientBenchmark().messages),
                Map.entry(dev.aio4j.bench.http.NettyWebSocketClientBenchmark.class.getMethod("hundredConnections"),
                        new dev.aio4j.bench.http.NettyWebSocketClientBenchmark().messages),
                Map.entry(JdkHttpClientBenchmark.class.getMethod("sequential"), new JdkHttpClientBenchmark().requests),
                Map.entry(JdkHttpClientBenchmark.class.getMethod("concurrent10"), new JdkHttpClientBenchmark().requests),
                Map.entry(JdkHttpClientBenchmark.class.getMethod("concurrent50"), new JdkHttpClientBenchmark().requests));
        for (Map.Entry<Method, Integer> e : expected.entrySet()) {
            Method m = e.getKey();
            assertTrue(m.isAnnotationPresent(Benchmark.class), m + " is not a @Benchmark");
            OperationsPerInvocation ops = m.getAnnotation(OperationsPerInvocation.class);
            assertEquals(e.getValue(), ops == null ? 1 : ops.value(), "operations per invocation of " + m);
        }
        // The timers benchmark reports per batch (one operation = all timers).
        Method timers = TimersBenchmark.class.getMethod("timers");
        assertTrue(timers.isAnnotationPresent(Benchmark.class));
        assertFalse(timers.isAnnotationPresent(OperationsPerInvocation.class));
        // So does the virtual-time benchmark (one operation = the whole virtual day).
        Method day = VirtualTimeBenchmark.class.getMethod("virtualDay");
        assertTrue(day.isAnnotationPresent(Benchmark.class));
        assertFalse(day.isAnnotationPresent(OperationsPerInvocation.class));
    }

    /** Every loop benchmark runs under both back-ends unless told otherwise. */
    @Test
    void schedulerParameterCoversBothBackEnds() throws Exception {
        var param = AbstractLoopBenchmark.class.getField("scheduler")
                .getAnnotation(org.openjdk.jmh.annotations.Param.class);
        assertEquals(List.of("carrier", "portable"), List.of(param.value()));
    }
}
