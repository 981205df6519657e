package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Schedule;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.ServerOptions;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.StreamWriter;
import dev.aio4j.streams.Streams;
import dev.aio4j.test.AioTest;
import dev.aio4j.test.Schedules;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SimNetwork} under unmodified {@link Streams} code, on {@code @AioTest}'s virtual clock:
 * an echo server and client, latency in loop time, refused connects, FIN and RST, partitions,
 * crashes, back-pressure, and determinism. aio4j-only (issue 17).
 */
class SimNetworkTest {

    /** The echo server of asyncio's streams documentation, unchanged: it knows nothing of the simulation. */
    static void echo(StreamReader reader, StreamWriter writer) throws IOException {
        try {
            while (true) {
                byte[] line = reader.readline();
                if (line.length == 0) {
                    break;
                }
                writer.write(line);
                writer.drain();
            }
        } catch (SocketException reset) {
            // the client went away
        } finally {
            writer.close();
        }
    }

    /** A handler that waits until the connection ends, however it ends. */
    static void waitForTheEnd(StreamReader reader, StreamWriter writer) {
        try {
            reader.read();
        } catch (IOException reset) {
            // expected: these tests reset the connection
        } finally {
            writer.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static SimNetwork network(long seed) {
        SimNetwork net = new SimNetwork(seed);
        net.addHost("server");
        net.install(Aio.getRunningLoop());
        return net;
    }

    @AioTest
    void echoServerAndClientOverTheSimulatedNetwork() throws IOException {
        SimNetwork net = network(1);
        net.setLatency(0.050, 0);
        EventLoop loop = Aio.getRunningLoop();
        Server server = Streams.startServer(SimNetworkTest::echo, "server", 7);
        assertEquals(7, server.port());
        assertTrue(server.sockets().isEmpty(), "no real socket: " + server.sockets());

        double t0 = loop.time();
        StreamPair c = Streams.openConnection("server", 7);
        assertEquals(0.100, loop.time() - t0, 1e-9, "a connect costs a round trip: SYN and SYN-ACK");
        assertEquals("server:7", SimNetwork.label((java.net.InetSocketAddress) c.writer().getExtraInfo("peername")));

        assertEquals("SimTransport[local:49152->server:7, open, in flight=0]", c.writer().transport().toString());
        assertTrue(net.toString().startsWith("SimNetwork[seed=1, hosts=[local, server], connections=1, events="), net.toString());
        double t1 = loop.time();
        c.writer().write(bytes("hello\n"));
        c.writer().drain();
        assertEquals("hello\n", text(c.reader().readline()));
        assertEquals(0.100, loop.time() - t1, 1e-9, "a line there and back: two latencies of loop time");

        c.writer().close();
        server.close();
        server.waitClosed();
        assertTrue(net.trace().contains("0.000000 listen server:7"), net.trace().toString());
        assertTrue(net.trace().stream().anyMatch(l -> l.endsWith("deliver local:49152->server:7 6B")), net.trace().toString());
    }

    @AioTest
    void jitterNeverReordersAConnectionsBytes() throws IOException {
        SimNetwork net = network(7);
        net.setLatency(0.010, 0.040);
        Server server = Streams.startServer(SimNetworkTest::echo, "server", 7);
        StreamPair c = Streams.openConnection("server", 7);
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            String line = i + "\n";
            sent.append(line);
            c.writer().write(bytes(line));
        }
        c.writer().writeEof();
        StringBuilder got = new StringBuilder();
        for (byte[] line = c.reader().readline(); line.length > 0; line = c.reader().readline()) {
            got.append(text(line));
        }
        assertEquals(sent.toString(), got.toString());
        c.writer().close();
        server.close();
        server.waitClosed();
    }

    @AioTest
    void connectToAPortNobodyListensOnIsRefused() {
        SimNetwork net = network(1);
        ConnectException e = assertThrows(ConnectException.class, () -> Streams.openConnection("server", 8));
        assertTrue(e.getMessage().startsWith("Connect call failed to server/10.0.0.2:8"), e.getMessage());
        assertTrue(net.trace().stream().anyMatch(l -> l.contains("refused local:49152->server:8")), net.trace().toString());
        UnknownHostException u = assertThrows(UnknownHostException.class, () -> Streams.openConnection("nowhere", 80));
        assertTrue(u.getMessage().startsWith("nowhere: Name or service not known"), u.getMessage());
    }

    @AioTest
    void halfCloseTheServerAnswersAfterTheClientsFin() throws IOException {
        network(1);
        Server server = Streams.startServer((r, w) -> {
            byte[] all = r.read(); // until EOF
            w.write(bytes("got " + all.length));
            w.close();
        }, "server", 9);
        StreamPair c = Streams.openConnection("server", 9);
        c.writer().write(bytes("12345"));
        c.writer().writeEof();
        assertEquals("got 5", text(c.reader().read()));
        assertTrue(c.reader().atEof());
        c.writer().close();
        server.close();
        server.waitClosed();
    }

    @AioTest
    void aResetSurfacesToTheClientAsConnectionReset() throws IOException {
        SimNetwork net = network(1);
        Server server = Streams.startServer(SimNetworkTest::waitForTheEnd, "server", 7);
        StreamPair c = Streams.openConnection("server", 7);
        Aio.getRunningLoop().callLater(0.5, () -> net.reset(SimNetwork.LOCAL, "server"));
        SocketException e = assertThrows(SocketException.class, () -> c.reader().read());
        assertTrue(e.getMessage().startsWith("Connection reset by peer"), e.getMessage());
        assertTrue(net.trace().stream().anyMatch(l -> l.equals("0.502000 reset-link local|server")), net.trace().toString());
        c.writer().close();
        server.close();
        server.waitClosed();
    }

    /**
     * asyncio's abort() on Linux closes the socket without SO_LINGER: the peer reads end of
     * stream, not a reset (the write buffer is dropped, what was on the wire still arrives).
     */
    @AioTest
    void anAbortByTheServerIsAnEndOfStreamAtTheClient() throws IOException {
        SimNetwork net = network(1);
        Server server = Streams.startServer((r, w) -> {
            w.write(bytes("sent\n"));
            w.transport().abort();
        }, "server", 7);
        StreamPair c = Streams.openConnection("server", 7);
        assertEquals("sent\n", new String(c.reader().read(), java.nio.charset.StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[0], c.reader().read(), "end of stream");
        assertTrue(net.trace().stream().noneMatch(l -> l.contains(" reset ") || l.contains(" rst")), net.trace().toString());
        c.writer().close();
        server.close();
        server.waitClosed();
    }

    /** An abort over bytes that wait unread is a RST, as Linux's close() then sends. */
    @AioTest
    void anAbortOverUnreadBytesIsAResetAtTheClient() throws IOException {
        network(1);
        Server server = Streams.startServer((r, w) -> {
            w.transport().pauseReading();
            Aio.sleep(1);
            w.transport().abort();
        }, "server", 7);
        StreamPair c = Streams.openConnection("server", 7);
        c.writer().write(bytes("unread\n"));
        SocketException e = assertThrows(SocketException.class, () -> c.reader().read());
        assertTrue(e.getMessage().startsWith("Connection reset by peer (RST from server:7)"), e.getMessage());
        c.writer().close();
        server.close();
        server.waitClosed();
    }

    @AioTest
    void aPartitionHoldsBytesUntilRepair() throws IOException {
        SimNetwork net = network(1);
        EventLoop loop = Aio.getRunningLoop();
        List<Double> arrivals = new ArrayList<>();
        Server server = Streams.startServer((r, w) -> {
            r.readline();
            arrivals.add(loop.time());
            w.write(bytes("ack\n"));
            w.close();
        }, "server", 7);
        StreamPair c = Streams.openConnection("server", 7);
        net.partition(SimNetwork.LOCAL, "server", false);
        c.writer().write(bytes("held\n"));
        Aio.sleep(10);
        assertEquals(List.of(), arrivals, "nothing crosses a partition");
        net.repair(SimNetwork.LOCAL, "server");
        assertEquals("ack\n", text(c.reader().readline()));
        assertEquals(1, arrivals.size());
        assertTrue(arrivals.get(0) >= 10, "delivered after the repair, at " + arrivals.get(0));
        c.writer().close();
        server.close();
        server.waitClosed();
    }

    /** Found by the fixed double-charge property under a jittery schedule: the FIN was stranded. */
    @AioTest
    void aFinSentIntoAPartitionByAClosedEndArrivesAfterTheRepair_issue17() throws IOException {
        SimNetwork net = network(1);
        List<String> events = new ArrayList<>();
        Server server = Streams.startServer((r, w) -> {
            events.add("read " + r.read().length + " bytes then EOF");
            w.close();
        }, "server", 7);
        StreamPair c = Streams.openConnection("server", 7);
        net.partition(SimNetwork.LOCAL, "server", false);
        c.writer().write(bytes("bye"));
        c.writer().close(); // the client's end is gone; its bytes and FIN wait at the cut
        Aio.sleep(1);
        assertEquals(List.of(), events);
        net.repair(SimNetwork.LOCAL, "server");
        Aio.sleep(1);
        assertEquals(List.of("read 3 bytes then EOF"), events);
        server.close();
        server.waitClosed();
    }

    @AioTest
    void aPartitionThatResetsSurfacesAsAReset() throws IOException {
        SimNetwork net = network(1);
        Server server = Streams.startServer(SimNetworkTest::waitForTheEnd, "server", 7);
        StreamPair c = Streams.openConnection("server", 7);
        net.partition(SimNetwork.LOCAL, "server", true);
        SocketException e = assertThrows(SocketException.class, () -> c.reader().read());
        assertEquals("Connection reset by peer (partition local|server)", e.getMessage());
        net.repair(SimNetwork.LOCAL, "server");
        c.writer().close();
        server.close();
        server.waitClosed();
    }

    @AioTest
    void aCrashedHostResetsItsConnectionsAndForgetsItsListeners() throws IOException {
        SimNetwork net = network(1);
        Server server = Streams.startServer(SimNetworkTest::waitForTheEnd, "server", 7);
        StreamPair c = Streams.openConnection("server", 7);
        // The connect returns with the SYN-ACK; the server has the connection once the client's
        // ACK arrives. A crash before that would tell the client nothing (stop 32: the request
        // goes with the host), so the crash comes once the connection is accepted.
        Aio.sleep(0.1);
        net.crash("server");
        assertThrows(SocketException.class, () -> c.reader().read());
        NoRouteToHostException down = assertThrows(NoRouteToHostException.class, () -> Streams.openConnection("server", 7));
        assertTrue(down.getMessage().contains("Host is down"), down.getMessage());
        net.restart("server");
        assertThrows(ConnectException.class, () -> Streams.openConnection("server", 7), "no listener after a restart");
        c.writer().close();
        server.close();
        server.waitClosed();
    }

    @AioTest
    void aCrashCancelsTheTasksRunningOnTheHost() throws IOException {
        SimNetwork net = network(1);
        net.addHost("worker");
        List<String> events = new ArrayList<>();
        Server server = Streams.startServer((r, w) -> {
            try {
                Aio.sleep(3600);
            } catch (dev.aio4j.loop.CancelledError e) {
                events.add("handler cancelled");
                throw e;
            }
        }, "server", 7);
        Task<Object> onServer = net.spawn("server", () -> { Aio.sleep(3600); return null; });
        Task<Object> onWorker = net.spawn("worker", () -> { Aio.sleep(3600); return null; });
        StreamPair c = Streams.openConnection("server", 7);
        Aio.sleep(0.1);
        net.crash("server");
        Aio.sleep(0.1);
        assertTrue(onServer.cancelled(), onServer.toString());
        assertEquals(List.of("handler cancelled"), events);
        assertTrue(!onWorker.done(), "other hosts go on: " + onWorker);
        onWorker.cancel();
        assertThrows(dev.aio4j.loop.CancelledError.class, onWorker::await);
        c.writer().close();
        server.close();
        server.waitClosed();
    }

    @AioTest
    void writesPauseWhileThePeerDoesNotRead() throws IOException {
        SimNetwork net = network(1);
        EventLoop loop = Aio.getRunningLoop();
        int total = 1 << 20;
        Server server = Streams.startServer((r, w) -> {
            Aio.sleep(5); // does not read for 5 s
            int n = 0;
            while (n < total) {
                n += r.read(65536).length;
            }
            w.write(bytes("done\n"));
            w.close();
        }, "server", 7);
        StreamPair c = Streams.openConnection("server", 7);
        c.writer().write(new byte[total]);
        assertTrue(c.writer().transport().getWriteBufferSize() > 0);
        c.writer().drain();
        assertTrue(loop.time() >= 5, "drain() waited for the reader: t=" + loop.time());
        assertEquals("done\n", text(c.reader().readline()));
        c.writer().close();
        server.close();
        server.waitClosed();
        assertTrue(net.trace().size() > 0);
    }

    @AioTest
    void codeSpawnedOnAHostConnectsFromThatHost() throws IOException {
        SimNetwork net = network(1);
        net.addHost("client");
        List<String> peers = new ArrayList<>();
        Server server = Streams.startServer((r, w) -> {
            peers.add(SimNetwork.label((java.net.InetSocketAddress) w.getExtraInfo("peername")));
            w.close();
        }, "server", 7);
        Task<byte[]> t = net.spawn("client", () -> {
            StreamPair c = Streams.openConnection("server", 7);
            byte[] got = c.reader().read();
            c.writer().close();
            return got;
        });
        assertArrayEquals(new byte[0], t.await());
        assertEquals(List.of("client:49152"), peers);
        server.close();
        server.waitClosed();
    }

    @AioTest
    void theTraceReadsAsTheStoryOfTheConnection() throws IOException {
        SimNetwork net = network(1);
        net.setLatency(0.010, 0);
        Server server = Streams.startServer(SimNetworkTest::echo, "server", 7);
        StreamPair c = Streams.openConnection("server", 7);
        c.writer().write(bytes("hi\n"));
        c.reader().readline();
        c.writer().close();
        server.close();
        server.waitClosed();
        Aio.sleep(1); // the server's FIN is still on its way
        assertEquals(List.of(
                "0.000000 listen server:7",
                "0.000000 connect local:49152->server:7",
                "0.020000 connected local:49152->server:7",
                "0.020000 send local:49152->server:7 3B",
                "0.030000 accept server:7->local:49152", // the client's ACK arrived: the handshake is complete
                "0.030000 deliver local:49152->server:7 3B",
                "0.030000 send server:7->local:49152 3B",
                "0.040000 deliver server:7->local:49152 3B",
                "0.040000 fin local:49152->server:7",
                "0.040000 unlisten server:7",
                "0.050000 deliver-fin local:49152->server:7",
                "0.050000 fin server:7->local:49152",
                "0.060000 deliver-fin server:7->local:49152"), net.trace());
    }

    @AioTest
    void aConnectAcrossAPartitionWaitsForTheRepairOrTimesOut() throws IOException {
        SimNetwork net = network(1);
        Server server = Streams.startServer(SimNetworkTest::echo, "server", 7);
        net.partition(SimNetwork.LOCAL, "server", false);
        assertThrows(dev.aio4j.loop.TimeoutError.class, () -> Aio.waitFor(Aio.createTask(() -> Streams.openConnection("server", 7)), 1.0));
        Task<StreamPair> second = Aio.createTask(() -> Streams.openConnection("server", 7));
        Aio.sleep(5);
        assertTrue(!second.done(), "the SYN waits in the partition");
        net.repair(SimNetwork.LOCAL, "server");
        StreamPair c = second.await();
        c.writer().write(bytes("after\n"));
        assertEquals("after\n", text(c.reader().readline()));
        assertEquals(1, net.trace().stream().filter(l -> l.contains(" accept ")).count(), "the cancelled connect never arrived");
        c.writer().close();
        server.close();
        server.waitClosed();
    }

    @AioTest
    void aFaultPlanAppliesEachFaultAtItsTime() throws IOException {
        SimNetwork net = network(1);
        FaultPlan plan = FaultPlan.of(
                new Fault.Latency(0.0, SimNetwork.LOCAL, "server", 0.1, 0.0),
                new Fault.Partition(0.5, SimNetwork.LOCAL, "server", 1.0, false),
                new Fault.Crash(3.0, "server", 1.0));
        assertEquals("FaultPlan[Latency(at=0.0, local|server, 0.1+0.0), Partition(at=0.5, local|server, for 1.0, hold), "
                + "Crash(at=3.0, server, down for 1.0)]", plan.toString());
        plan.apply(net);
        Server server = Streams.startServer(SimNetworkTest::echo, "server", 7);
        Aio.sleep(0.001);
        StreamPair c = Streams.openConnection("server", 7);
        assertEquals(0.201, Aio.getRunningLoop().time(), 1e-9, "the new latency: 100 ms each way");
        Aio.sleep(0.4);
        c.writer().write(bytes("x\n"));                  // sent at 0.601, inside the partition
        assertEquals("x\n", text(c.reader().readline()));
        assertEquals(1.6, Aio.getRunningLoop().time(), 1e-9, "held until the repair at 1.5, then 100 ms back");
        Aio.sleep(5);
        assertThrows(SocketException.class, () -> c.reader().read(), "the crash at 3.0 reset the connection");
        List<String> faults = net.trace().stream()
                .filter(l -> l.matches("\\S+ (latency|partition|repair|crash|restart) .*")).toList();
        assertEquals(List.of("0.000000 latency local|server 0.1+0.0", "0.500000 partition local|server",
                "1.500000 repair local|server", "3.000000 crash server", "4.000000 restart server"), faults);
        c.writer().close();
        server.close();
        server.waitClosed();
    }

    /**
     * Issue 17's scale, as a check that it works rather than a benchmark (no timing assertion):
     * 1,000 connections from 10 hosts exchange 100,000 lines with 5 to 50 ms of latency per hop.
     */
    @AioTest(timeout = 60)
    void aThousandConnectionsExchangeAHundredThousandMessages() throws IOException {
        SimNetwork net = network(1000);
        net.setLatency(0.005, 0.045);
        for (int h = 0; h < 10; h++) {
            net.addHost("h" + h);
        }
        Server server = Streams.startServer(SimNetworkTest::echo, "server", 7);
        int[] echoed = {0};
        List<Task<Object>> clients = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            clients.add(net.spawn("h" + (i % 10), () -> {
                StreamPair p = Streams.openConnection("server", 7);
                for (int m = 0; m < 50; m++) { // 50 requests and 50 answers: 100 messages
                    p.writer().write(bytes("m" + m + "\n"));
                    p.reader().readline();
                    echoed[0]++;
                }
                p.writer().close();
                return null;
            }));
        }
        for (Task<Object> t : clients) {
            t.await();
        }
        assertEquals(50_000, echoed[0]);
        assertEquals(2 * 50_000, net.trace().stream().filter(l -> l.contains(" deliver ")).count(),
                "100,000 messages delivered");
        server.close();
        server.waitClosed();
    }

    @AioTest
    void aServerOnAllInterfacesListensOnTheHostItRunsOn() throws IOException {
        SimNetwork net = network(1);
        Task<Server> started = net.spawn("server", () -> Streams.startServer(SimNetworkTest::echo, null, 0));
        Server server = started.await();
        assertEquals(49152, server.port(), "port 0: the host's next free port");
        assertEquals("server", ((java.net.InetSocketAddress) server.addresses().get(0)).getHostString());
        StreamPair c = Streams.openConnection("server", server.port());
        c.writer().write(bytes("ping\n"));
        assertEquals("ping\n", text(c.reader().readline()));
        java.net.BindException taken = assertThrows(java.net.BindException.class,
                () -> Streams.startServer(SimNetworkTest::echo, "server", server.port()));
        assertEquals("error while attempting to bind on address server/10.0.0.2:49152: Address already in use: server:49152"
                + " (a simulated TCP port takes one listener; reusePort is not modelled)", taken.getMessage());
        // reusePort does not reach a simulated listener: said, not ignored silently.
        taken = assertThrows(java.net.BindException.class, () -> Streams.startServer(SimNetworkTest::echo, "server", server.port(),
                ServerOptions.defaults().reusePort(true)));
        assertTrue(taken.getMessage().endsWith("reusePort is not modelled)"), taken.getMessage());
        c.writer().close();
        server.close();
        server.waitClosed();
        assertTrue(net.trace().contains("0.000000 listen server:49152"), net.trace().toString());
    }

    /** The scenario of the determinism test: 3 clients, jittery links, a reset in the middle. */
    private static String scenario(long seed) {
        return Schedules.run(Schedule.fifo(), () -> {
            SimNetwork net = network(seed);
            net.setLatency(0.005, 0.045);
            for (String h : List.of("a", "b", "c")) {
                net.addHost(h);
            }
            Server server = Streams.startServer(SimNetworkTest::echo, "server", 7);
            FaultPlan.of(new Fault.Reset(0.120, "b", "server")).apply(net); // b's connection is reset
            SimScenarios.echoingClients(net, server, List.of("a", "b", "c"), h -> h, () -> Streams.openConnection("server", 7));
            net.uninstall();
            assertNull(Streams.network(Aio.getRunningLoop()));
            return net.traceHash();
        });
    }

    @org.junit.jupiter.api.Test
    void theSameSeedGivesTheSameTraceTwentyTimes() {
        // Re-pinned when the server began to accept on the client's ACK of the SYN-ACK, not the SYN.
        SimScenarios.assertSameTraceTwentyTimes(SimNetworkTest::scenario, "aefd62455b503fe0");
    }

    @AioTest
    void latenciesAndTcpTimeoutsTakeDurations() throws IOException { // aio4j-only: the Duration overloads
        SimNetwork net = network(3);
        net.addHost("other");
        net.setLatency(Duration.ofMillis(50), Duration.ZERO);
        EventLoop loop = Aio.getRunningLoop();
        Server server = Streams.startServer(SimNetworkTest::echo, "server", 7);
        double t0 = loop.time();
        StreamPair c = Streams.openConnection("server", 7);
        assertEquals(0.100, loop.time() - t0, 1e-9, "a connect costs a round trip of 50 ms latencies");
        c.writer().close();
        server.close();
        server.waitClosed();

        net.setLatency("server", "other", Duration.ofMillis(250), Duration.ZERO);
        assertEquals(0.25, net.latency(net.host("other"), net.host("server")), 0.0);
        assertEquals(0.05, net.latency(net.host(SimNetwork.LOCAL), net.host("other")), 0.0, "other links keep the default");

        // with jitter, the same seed draws the same latencies whichever form set them
        SimNetwork viaSeconds = new SimNetwork(11);
        SimNetwork viaDuration = new SimNetwork(11);
        viaSeconds.setLatency(0.010, 0.040);
        viaDuration.setLatency(Duration.ofMillis(10), Duration.ofMillis(40));
        SimHost local = viaSeconds.host(SimNetwork.LOCAL);
        SimHost localToo = viaDuration.host(SimNetwork.LOCAL);
        for (int i = 0; i < 5; i++) {
            assertEquals(viaSeconds.latency(local, local), viaDuration.latency(localToo, localToo), 0.0);
        }

        net.setTcpTimeouts(Duration.ofSeconds(20), Duration.ofMillis(90_500));
        assertEquals(20.0, net.connectTimeout(), 0.0);
        assertEquals(90.5, net.giveUpAfter(), 0.0);

        // refused as the seconds forms refuse, with the same messages; a null names its parameter
        assertEquals(assertThrows(IllegalArgumentException.class, () -> net.setLatency(-0.05, 0)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> net.setLatency(Duration.ofMillis(-50), Duration.ZERO))
                        .getMessage());
        assertEquals(assertThrows(IllegalArgumentException.class, () -> net.setLatency("server", "other", 0, -1)).getMessage(),
                assertThrows(IllegalArgumentException.class,
                        () -> net.setLatency("server", "other", Duration.ZERO, Duration.ofSeconds(-1))).getMessage());
        assertEquals(assertThrows(IllegalArgumentException.class, () -> net.setTcpTimeouts(0, 1)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> net.setTcpTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                        .getMessage());
        assertEquals("fixed must not be null",
                assertThrows(NullPointerException.class, () -> net.setLatency(null, Duration.ZERO)).getMessage());
        assertEquals("jitter must not be null",
                assertThrows(NullPointerException.class, () -> net.setLatency("server", "other", Duration.ZERO, null))
                        .getMessage());
        assertEquals("giveUpAfter must not be null",
                assertThrows(NullPointerException.class, () -> net.setTcpTimeouts(Duration.ofSeconds(1), null)).getMessage());
        assertEquals(20.0, net.connectTimeout(), 0.0, "a refused call changes nothing");
        assertEquals(0.25, net.latency(net.host("other"), net.host("server")), 0.0);
    }
}
