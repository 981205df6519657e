package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.TimeoutError;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.Transport;
import dev.aio4j.test.AioTest;
import dev.aio4j.test.Schedules;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The link properties of {@link SimNetwork} beyond latency: bandwidth, loss turned into
 * retransmission delay or a timeout, one-way partitions, hold and release, a host that vanishes
 * without FIN, and accept backlogs; each on the virtual clock, each as a {@link Fault} too.
 * aio4j-only (issue 17).
 */
class SimLinkTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @AioTest(network = "server")
    void bandwidthSerialisesTheBytesOfEveryConnectionOnTheLink(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        net.setBandwidth(SimNetwork.LOCAL, "server", 10_000); // 10 kB/s each way
        List<Double> arrivals = new ArrayList<>();
        Server server = Streams.startServer((r, w) -> {
            int n = 0;
            for (byte[] b = r.read(65536); b.length > 0; b = r.read(65536)) {
                n += b.length;
            }
            arrivals.add(loop.time());
            w.close();
        }, "server", 7);
        StreamPair a = Streams.openConnection("server", 7);
        StreamPair b = Streams.openConnection("server", 7);
        double t0 = loop.time();
        a.writer().write(new byte[20_000]); // 2 s on the wire
        b.writer().write(new byte[10_000]); // queued behind a's bytes: leaves 1 s later
        a.writer().writeEof();
        b.writer().writeEof();
        a.reader().read();
        b.reader().read();
        assertEquals(2, arrivals.size());
        assertEquals(t0 + 2.010, arrivals.get(0), 1e-6, "20 kB at 10 kB/s, then 10 ms of latency");
        assertEquals(t0 + 3.010, arrivals.get(1), 1e-6, "the second connection shares the link");
        a.writer().close();
        b.writer().close();
        server.close();
        server.waitClosed();
        assertTrue(net.trace().contains("0.000000 bandwidth local|server 10000B/s"), net.trace().toString());
    }

    /**
     * {@code setLatency(fixed, jitter)} is documented as the latency of every link without its
     * own. A link that a fault made (a hold released at once here; a reset, partition, loss or
     * bandwidth does the same) has no latency of its own, so it follows a default set later.
     */
    @AioTest(network = "server")
    void aLinkMadeByAFaultFollowsTheDefaultLatencySetLater(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.hold(SimNetwork.LOCAL, "server");
        net.release(SimNetwork.LOCAL, "server");
        net.setLatency(0.050, 0);
        Server server = Streams.startServer((r, w) -> w.close(), "server", 7);
        double t0 = loop.time();
        StreamPair c = Streams.openConnection("server", 7);
        assertEquals(0.100, loop.time() - t0, 1e-9, "a connect costs a round trip of the default latency: 50 ms each way");
        c.writer().close();
        server.close();
        server.waitClosed();
    }

    /** A lossy link: every line still arrives, in order, later, and the same seed loses the same ones. */
    private static List<String> lossyEcho(long seed) {
        return Schedules.run(dev.aio4j.loop.Schedule.fifo(), () -> {
            SimNetwork net = new SimNetwork(seed);
            net.addHost("server");
            net.install(Aio.getRunningLoop());
            net.setLatency(0.005, 0);
            net.setLoss(SimNetwork.LOCAL, "server", 0.3);
            Server server = Streams.startServer(SimNetworkTest::echo, "server", 7);
            StreamPair c = Streams.openConnection("server", 7);
            double t0 = Aio.getRunningLoop().time();
            StringBuilder got = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                c.writer().write(bytes(i + "\n"));
                got.append(text(c.reader().readline()));
            }
            double took = Aio.getRunningLoop().time() - t0;
            c.writer().close();
            server.close();
            server.waitClosed();
            long retransmits = net.trace().stream().filter(l -> l.contains(" retransmit ")).count();
            StringBuilder want = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                want.append(i).append('\n');
            }
            assertEquals(want.toString(), got.toString(), "nothing lost, nothing reordered");
            assertTrue(retransmits > 0, net.trace().toString());
            assertTrue(took >= 50 * 0.010 + retransmits * SimNetwork.MIN_RTO - 1e-9,
                    "each retransmission costs at least 200 ms: took " + took + " for " + retransmits);
            return List.of(String.valueOf(retransmits), String.format("%.6f", took), net.traceHash());
        });
    }

    @org.junit.jupiter.api.Test
    void lossBecomesRetransmissionDelayDrawnFromTheSeed() {
        assertEquals(lossyEcho(5), lossyEcho(5));
        assertFalse(lossyEcho(5).get(2).equals(lossyEcho(6).get(2)), "another seed loses other segments");
    }

    @AioTest(network = "server")
    void aLinkThatLosesEverythingTimesTheSenderOutAndThePeerLearnsByAReset(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setTcpTimeouts(10, 30);
        List<String> events = new ArrayList<>();
        Server server = Streams.startServer((r, w) -> {
            Aio.sleep(100);
            w.write(bytes("late\n")); // to an end that gave up: answered by a reset
            try {
                r.read();
            } catch (SocketException e) {
                events.add(e.getMessage());
            } finally {
                w.close();
            }
        }, "server", 7);
        StreamPair c = Streams.openConnection("server", 7);
        net.setLoss(SimNetwork.LOCAL, "server", 1.0);
        double t0 = loop.time();
        c.writer().write(bytes("never\n"));
        SocketException e = assertThrows(SocketException.class, () -> c.reader().read());
        assertTrue(e.getMessage().startsWith("Connection timed out"), e.getMessage());
        assertEquals(30, loop.time() - t0, 1e-6, "after the give-up time");
        net.setLoss(SimNetwork.LOCAL, "server", 0);
        Aio.sleep(100);
        assertEquals(1, events.size(), events.toString());
        assertTrue(events.get(0).startsWith("Connection reset by peer"), events.toString());
        c.writer().close();
        server.close();
        server.waitClosed();
        assertTrue(net.trace().stream().anyMatch(l -> l.contains(" lost local:")), net.trace().toString());
    }

    @AioTest(network = "server")
    void aOneWayPartitionLetsRequestsInAndHoldsTheReplies(SimNetwork net) throws IOException {
        List<String> seen = new ArrayList<>();
        Server server = Streams.startServer((r, w) -> {
            try {
                for (byte[] l = r.readline(); l.length > 0; l = r.readline()) {
                    seen.add(text(l).trim());
                    w.write(l);
                }
            } finally {
                w.close();
            }
        }, "server", 7);
        StreamPair c = Streams.openConnection("server", 7);
        net.partitionOneWay("server", SimNetwork.LOCAL);
        c.writer().write(bytes("ping\n"));
        assertThrows(TimeoutError.class, () -> Aio.waitFor(() -> c.reader().readline(), 5.0));
        assertEquals(List.of("ping"), seen, "the request crossed; only the reply waits");
        net.repairOneWay("server", SimNetwork.LOCAL);
        assertEquals("ping\n", text(c.reader().readline()));
        // hold and release: turmoil's names for a two-way partition that loses nothing
        net.hold(SimNetwork.LOCAL, "server");
        c.writer().write(bytes("held\n"));
        Aio.sleep(5);
        assertEquals(List.of("ping"), seen);
        net.release(SimNetwork.LOCAL, "server");
        assertEquals("held\n", text(c.reader().readline()));
        c.writer().close();
        server.close();
        server.waitClosed();
        List<String> cuts = net.trace().stream().filter(l -> l.matches("\\S+ (partition|hold|release|repair) .*")).map(l -> l.substring(l.indexOf(' ') + 1)).toList();
        assertEquals(List.of("partition server->local", "repair server->local", "hold local|server",
                "release local|server"), cuts);
    }

    @AioTest(network = "server")
    void aLongHoldReleasesThousandsOfSegmentsAndConnectsInOrder(SimNetwork net) throws IOException {
        Future<String> got = Aio.getRunningLoop().createFuture();
        Server server = Streams.startServer((r, w) -> {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] b = r.read(65536); b.length > 0; b = r.read(65536)) {
                all.writeBytes(b);
            }
            if (!got.done()) {
                got.setResult(all.toString(StandardCharsets.UTF_8));
            }
            w.close();
        }, "server", 7);
        StreamPair c = Streams.openConnection("server", 7);
        net.hold(SimNetwork.LOCAL, "server");
        // 8,000 writes of 10 bytes: one held segment each, 80,000 bytes, past the 64 KiB high watermark.
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 8_000; i++) {
            String line = String.format(java.util.Locale.ROOT, "%09d\n", i);
            sent.append(line);
            c.writer().write(bytes(line));
        }
        // What a hold keeps is bounded by the sender's flow control: drain() waits.
        assertThrows(TimeoutError.class, () -> Aio.waitFor(() -> c.writer().drain(), 5.0));
        // Connects made meanwhile wait too.
        List<Task<StreamPair>> connects = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            connects.add(Aio.createTask(() -> Streams.openConnection("server", 7)));
        }
        Aio.sleep(5);
        assertFalse(got.done());
        assertTrue(connects.stream().noneMatch(Task::done), "connects are held");
        assertEquals(0, net.trace().stream().filter(l -> l.contains(" deliver local:")).count(), "nothing crossed");
        net.release(SimNetwork.LOCAL, "server");
        c.writer().drain();
        c.writer().close();
        assertEquals(sent.toString(), got.await(), "every byte, in order");
        for (Task<StreamPair> t : connects) {
            t.await().writer().close();
        }
        // The held connects completed in the order they were made.
        List<String> made = net.trace().stream().filter(l -> l.matches("\\S+ connect .*"))
                .map(l -> l.substring(l.indexOf("connect ") + 8)).skip(1).toList();
        List<String> done = net.trace().stream().filter(l -> l.matches("\\S+ connected .*"))
                .map(l -> l.substring(l.indexOf("connected ") + 10)).skip(1).toList();
        assertEquals(50, made.size());
        assertEquals(made, done);
        server.close();
        server.waitClosed();
    }

    @AioTest(network = "server")
    void aVanishedPeerIsNoticedOnlyByTimeouts(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setTcpTimeouts(20, 60);
        Server server = Streams.startServer(SimNetworkTest::echo, "server", 7);
        StreamPair reader = Streams.openConnection("server", 7);
        StreamPair writer = Streams.openConnection("server", 7);
        StreamPair later = Streams.openConnection("server", 7);
        net.vanish("server");
        // No FIN, no RST: a peer that only reads waits until its own timeout.
        assertThrows(TimeoutError.class, () -> Aio.waitFor(() -> reader.reader().read(), 600.0));
        // A peer that sends retransmits until it gives up.
        double t0 = loop.time();
        writer.writer().write(bytes("anyone?\n"));
        SocketException timedOut = assertThrows(SocketException.class, () -> writer.reader().read());
        assertTrue(timedOut.getMessage().startsWith("Connection timed out"), timedOut.getMessage());
        assertEquals(60, loop.time() - t0, 0.01, "the give-up time after the first unacknowledged send");
        // A connect gets no answer: it times out.
        double t1 = loop.time();
        ConnectException noAnswer = assertThrows(ConnectException.class, () -> Streams.openConnection("server", 7));
        assertTrue(noAnswer.getMessage().contains("Connection timed out"), noAnswer.getMessage());
        assertEquals(20, loop.time() - t1, 1e-6);
        // Rebooted, the host answers its old connections' bytes with a reset.
        net.restart("server");
        later.writer().write(bytes("hello again\n"));
        SocketException reset = assertThrows(SocketException.class, () -> later.reader().read());
        assertTrue(reset.getMessage().startsWith("Connection reset by peer"), reset.getMessage());
        for (StreamPair p : List.of(reader, writer, later)) {
            p.writer().close();
        }
        server.close();
        server.waitClosed();
        assertTrue(net.trace().stream().anyMatch(l -> l.contains(" dropped local:") && l.contains("(host server vanished)")),
                net.trace().toString());
    }

    /** Counts connectionMade and what each accepted connection received. */
    static final class Counting implements Protocol {
        static final List<String> EVENTS = new ArrayList<>();

        @Override
        public void connectionMade(Transport transport) {
            EVENTS.add("made " + Aio.getRunningLoop().time());
        }

        @Override
        public void dataReceived(byte[] data) {
            EVENTS.add("data " + text(data).trim());
        }
    }

    @AioTest(network = "server")
    void connectsBeyondTheBacklogWaitForSynRetransmissionsAsOnLinux(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        Counting.EVENTS.clear();
        // A backlog of 1 holds two connections: Linux's accept queue is full only when it holds
        // more than the backlog (sk_acceptq_is_full compares with >).
        Server server = Streams.createServer(Counting::new, "server", 7, null, 1, false);
        net.pauseAccepting("server");
        List<Task<StreamPair>> clients = new ArrayList<>();
        List<Double> connected = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            if (i == 2) {
                // Linux counts only completed handshakes against the backlog: these two SYNs are
                // dropped once the first two connections wait in the accept queue (their ACKs
                // arrived at 3 ms), not while they are half open.
                Aio.sleep(0.010);
            }
            clients.add(Aio.createTask(() -> {
                StreamPair p = Streams.openConnection("server", 7);
                connected.add(loop.time());
                p.writer().write(bytes("hello " + n + "\n"));
                return p;
            }));
        }
        Aio.sleep(0.5);
        assertEquals(List.of(0.002, 0.002), connected, "two connects complete into the backlog of 1");
        assertEquals(List.of(), Counting.EVENTS, "nothing accepted while accepting is paused");
        net.resumeAccepting("server");
        for (Task<StreamPair> t : clients) {
            t.await();
        }
        assertEquals(4, connected.size());
        assertTrue(connected.get(2) >= 1.0 && connected.get(3) >= 1.0,
                "the others' SYNs were dropped and retransmitted after 1 s: " + connected);
        Aio.sleep(0.1);
        // Both are accepted, then their bytes are read from the next loop iteration on, as a real
        // server's accept loop takes what its backlog holds and its new transports read later.
        assertEquals(List.of("made 0.51", "made 0.51", "data hello 0", "data hello 1"), Counting.EVENTS.subList(0, 4),
                "the queued connections' bytes waited for the accept");
        // Past the connect timeout, a connect to a full backlog fails.
        net.setTcpTimeouts(5, 60);
        net.pauseAccepting("server");
        List<Task<StreamPair>> more = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (i == 2) {
                Aio.sleep(0.010); // the first two wait in the accept queue
            }
            more.add(Aio.createTask(() -> Streams.openConnection("server", 7)));
        }
        Aio.sleep(10);
        assertTrue(more.get(2).done());
        Throwable e = more.get(2).exception();
        assertTrue(e instanceof ConnectException && e.getMessage().contains("Connection timed out"), String.valueOf(e));
        assertTrue(net.trace().stream().anyMatch(l -> l.contains("SYN (backlog of 1 full")), net.trace().toString());
        for (Task<StreamPair> t : clients) {
            t.await().writer().close();
        }
        more.get(0).await().writer().close();
        more.get(1).await().writer().close();
        server.close(); // resets the two it never accepted
        server.waitClosed();
    }

    @AioTest(network = {"client", "server"})
    void everyNewKindOfFaultIsDataThatPrintsAsJava(SimNetwork net) throws IOException {
        FaultPlan plan = FaultPlan.of(
                new Fault.OneWayPartition(0.1, "server", "client", 1.0),
                new Fault.Loss(0.2, "client", "server", 0.5, 1.0),
                new Fault.Bandwidth(0.3, "client", "server", 1000),
                new Fault.AcceptStall(0.4, "server", 1.0),
                new Fault.Vanish(5.0, "client", 1.0));
        assertEquals("FaultPlan[OneWayPartition(at=0.1, server->client, for 1.0), Loss(at=0.2, client|server, 0.5 for 1.0), "
                + "Bandwidth(at=0.3, client|server, 1000 B/s), AcceptStall(at=0.4, server, for 1.0), "
                + "Vanish(at=5.0, client, down for 1.0)]", plan.toString());
        assertEquals("FaultPlan.of(new Fault.OneWayPartition(0.1, \"server\", \"client\", 1.0), "
                + "new Fault.Loss(0.2, \"client\", \"server\", 0.5, 1.0), new Fault.Bandwidth(0.3, \"client\", \"server\", 1000.0), "
                + "new Fault.AcceptStall(0.4, \"server\", 1.0), new Fault.Vanish(5.0, \"client\", 1.0))", plan.toJava());
        assertEquals("FaultPlan.NONE", FaultPlan.NONE.toJava());
        plan.apply(net);
        Aio.sleep(10);
        List<String> faults = net.trace().stream().map(l -> l.substring(0, l.indexOf(' ', 9))).toList();
        assertEquals(List.of("0.100000 partition", "0.200000 loss", "0.300000 bandwidth", "0.400000 accept-paused",
                "1.100000 repair", "1.200000 loss", "1.400000 accept-resumed", "5.000000 vanish", "6.000000 restart"), faults);
        assertTrue(net.replayReport().startsWith("SimNetwork seed 0, fault plans applied: " + plan.toJava()), net.replayReport());
    }

    @AioTest(network = {"client", "server"})
    void overlappingFaultsNestInsteadOfEndingEachOther(SimNetwork net) {
        FaultPlan.of(
                new Fault.Partition(0.1, "client", "server", 1.0, false),
                new Fault.Partition(0.5, "server", "client", 1.0, false), // the same link, named the other way round
                new Fault.Loss(1.0, "client", "server", 0.5, 1.0),
                new Fault.Loss(1.5, "client", "server", 0.9, 1.0),
                new Fault.AcceptStall(0.2, "server", 1.0),
                new Fault.AcceptStall(0.4, "server", 0.1),
                new Fault.Vanish(3.0, "client", 2.0),
                new Fault.Crash(3.5, "client", 0.5)).apply(net);
        Aio.sleep(10);
        List<String> faults = net.trace().stream().map(l -> l.substring(0, l.indexOf(' ', 9))).toList();
        // one repair, at the later partition's end (1.5), not at the earlier's (1.1); loss 0.9 until
        // 2.5 after the first loss ends at 2.0 (its end restores the other's probability); accepting
        // resumes at 1.2, not 0.5; the crash inside the vanish does not restart the host at 4.0
        assertEquals(List.of("0.100000 partition", "0.200000 accept-paused", "0.400000 accept-paused",
                "0.500000 partition", "1.000000 loss", "1.200000 accept-resumed", "1.500000 loss",
                "1.500000 repair", "2.000000 loss", "2.500000 loss", "3.000000 vanish", "3.500000 crash",
                "5.000000 restart"), faults);
    }

    /** Every link property at once, for the determinism check: returns the trace hash. */
    private static String everyPropertyScenario(long seed) {
        return Schedules.run(dev.aio4j.loop.Schedule.fifo(), () -> {
            SimNetwork net = new SimNetwork(seed);
            for (String h : List.of("server", "a", "b", "c")) {
                net.addHost(h);
            }
            net.setLatency(0.005, 0.045);
            net.install(Aio.getRunningLoop());
            net.setBandwidth("a", "server", 50_000);
            net.setLoss("b", "server", 0.2);
            FaultPlan.of(new Fault.OneWayPartition(0.150, "server", "c", 0.5), new Fault.AcceptStall(0.0, "server", 0.3),
                    new Fault.Loss(0.4, "a", "server", 0.3, 0.5)).apply(net);
            Server server = Streams.startServer(SimNetworkTest::echo, "server", 7);
            SimScenarios.clientsThenClose(net, server, List.of("a", "b", "c"), h -> h, h -> {
                StreamPair p = Streams.openConnection("server", 7);
                for (int i = 0; i < 10; i++) {
                    p.writer().write(bytes(h + i + "x".repeat(1000) + "\n"));
                    p.reader().readline();
                }
                p.writer().close();
            });
            return net.traceHash();
        });
    }

    /** Issue 17's determinism check with the link properties too: 20 runs, one hash, pinned for both schedulers. */
    @org.junit.jupiter.api.Test
    void theSameSeedGivesTheSameTraceWithEveryLinkProperty() {
        java.util.Set<String> hashes = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            hashes.add(everyPropertyScenario(42));
        }
        assertEquals(1, hashes.size(), "trace hashes over 20 runs: " + hashes);
        // Re-pinned when loss became a draw per transmission at its own time (SYNs too), each
        // retransmission traced as it happens: this scenario's lossy links draw differently.
        // Re-pinned again when RSTs began to draw their loss and retransmissions to take the
        // link's bandwidth: the lossy, bandwidth-limited link a|server retransmits later.
        // And when the server began to accept on the client's ACK of the SYN-ACK, not the SYN,
        // and when a lost SYN-ACK began to wait Linux's 1 s (not 200 ms) and the accept queue to
        // hold backlog + 1 (its trace line names both).
        assertEquals(java.util.Set.of("eb72238f1515e7fb"), hashes, "the same under both schedulers and on any JVM");
        assertFalse(hashes.contains(everyPropertyScenario(43)), "another seed draws other latencies and losses");
    }
}
