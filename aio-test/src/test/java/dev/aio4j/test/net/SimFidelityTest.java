package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.StreamWriter;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.Transport;
import dev.aio4j.test.AioTest;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regressions for the fidelity gaps a review found in simulated TCP, one test per gap: RSTs and
 * refusals cross a lossy link like any other segment (and are not retransmitted), a SYN
 * retransmitted after a full backlog dropped it draws its loss, a retransmission takes the link's
 * bandwidth again, a SYN or SYN-ACK held past the connect timeout times the connect out, and
 * close() with unread data sends a RST as Linux does. The references: Linux TCP ({@code tcp_close},
 * {@code tcp_reset}, RFC 2525 section 2.17 for the RST on close) and asyncio's selector
 * transports on Linux. aio4j-only.
 */
@org.junit.jupiter.api.Timeout(120)
class SimFidelityTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A server end that stops reading at once (its kernel keeps what arrives) and hands out its transport. */
    static final class Unreading implements Protocol {
        static final List<Transport> ENDS = new ArrayList<>();
        static final List<String> EVENTS = new ArrayList<>();

        @Override
        public void connectionMade(Transport transport) {
            transport.pauseReading();
            ENDS.add(transport);
        }

        @Override
        public void connectionLost(Exception exc) {
            EVENTS.add("lost " + (exc == null ? null : exc.getMessage()));
        }
    }

    /** A server that counts its protocols' connectionMade calls, at their virtual times. */
    private static Server countingEchoServer(List<Double> made) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        return Streams.startServer((r, w) -> {
            made.add(loop.time());
            w.write(r.readline());
            w.close();
        }, "server", 7);
    }

    @AioTest(network = "server")
    void aLostSynAckLeavesNoServerSideConnectionAndItsRetransmissionConnects(SimNetwork net) throws IOException {
        // Linux's accept() returns a connection only once the client's ACK of the SYN-ACK arrived
        // (SYN-RCVD connections wait in the SYN queue, not the accept queue). A fault plan loses
        // the SYN-ACK (sent at 10 ms, the link loses everything from 5 to 15 ms): the server has
        // no connection and no connectionMade until the SYN-ACK's retransmission (1 s later, Linux's
        // TCP_TIMEOUT_INIT for the handshake, not the 200 ms minimum of data) gets through and the client's ACK comes back.
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = countingEchoServer(made);
        FaultPlan.of(new Fault.Loss(0.005, SimNetwork.LOCAL, "server", 1.0, 0.010)).apply(net);
        Task<StreamPair> connect = Aio.createTask(() -> Streams.openConnection("server", 7));
        Aio.sleep(0.1);
        assertFalse(connect.done(), net.trace().toString());
        assertEquals(List.of(), made, "nothing to accept while the handshake is incomplete: " + net.trace());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains(" accept ")), net.trace().toString());
        StreamPair c = connect.await();
        assertEquals(1.020, loop.time(), 1e-9, "the SYN-ACK retransmitted at 1.01 s: " + net.trace());
        c.writer().write(bytes("hi\n"));
        assertArrayEquals(bytes("hi\n"), c.reader().readline());
        assertEquals(1, made.size(), "accepted once: " + net.trace());
        assertEquals(1.030, made.get(0), 1e-9, "when the client's ACK arrived: " + net.trace());
        closeAll(server, c);
    }

    @AioTest(network = "server")
    void aSynAckLostForGoodLeavesTheServerNothingToAccept(SimNetwork net) throws IOException {
        // The SYN-ACK never gets through before the connect timeout: the connect fails and the
        // half-open connection goes without the server's protocol ever hearing of it.
        net.setLatency(0.010, 0);
        net.setTcpTimeouts(5, 60);
        List<Double> made = new ArrayList<>();
        Server server = countingEchoServer(made);
        FaultPlan.of(new Fault.Loss(0.005, SimNetwork.LOCAL, "server", 1.0, 100)).apply(net);
        ConnectException e = assertThrows(ConnectException.class, () -> Streams.openConnection("server", 7));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        Aio.sleep(120); // past the server end's give-up time too
        assertEquals(List.of(), made, net.trace().toString());
        closeAll(server);
    }

    @AioTest(network = "server")
    void aServerThatCannotSetUpAnAcceptedConnectionClosesIt(SimNetwork net) throws IOException {
        // The handshake completes in the kernel, so the client is connected when the server's
        // protocol factory fails; the server then closes the socket (ServerCore does so on real
        // sockets): the client reads end of stream, and bytes it sends afterwards are answered
        // with a RST. (aio4j-only; the failure goes to the loop's exception handler.)
        EventLoop loop = Aio.getRunningLoop();
        dev.aio4j.loop.ExceptionHandler before = loop.getExceptionHandler();
        List<String> reports = new ArrayList<>();
        loop.setExceptionHandler((l, ctx) -> reports.add(ctx.message() + " / " + ctx.exception().getMessage()));
        try {
            Server server = Streams.createServer(() -> {
                throw new IllegalStateException("no protocol today");
            }, "server", 7);
            StreamPair c = Streams.openConnection("server", 7);
            assertEquals(0, c.reader().read().length, net.trace().toString());
            c.writer().write(bytes("anyone?\n"));
            Aio.sleep(0.1);
            assertTrue(net.trace().stream().anyMatch(l -> l.contains("reset server:7->local:49152 (data for a closed socket)")),
                    net.trace().toString());
            closeAll(server, c);
        } finally {
            loop.setExceptionHandler(before);
        }
        assertEquals(List.of("Error setting up a connection accepted by server:7 / no protocol today"), reports);
    }

    /** Reads in a task: its result is what the read raised (or read), and {@code at} gets the time it ended. */
    private static Task<String> reading(StreamPair c, List<Double> at) {
        EventLoop loop = Aio.getRunningLoop();
        return Aio.createTask(() -> {
            try {
                return "read " + c.reader().read().length + "B";
            } catch (SocketException e) {
                return e.getMessage();
            } finally {
                at.add(loop.time());
            }
        });
    }

    /** Closes the clients' writers, then the server, and waits until it closed. */
    private static void closeAll(Server server, StreamPair... clients) {
        for (StreamPair c : clients) {
            c.writer().close();
        }
        server.close();
        server.waitClosed();
    }

    /** From {@code from} to {@code to} seconds from now, the link loses every transmission. */
    private static void lossBetween(SimNetwork net, double from, double to) {
        EventLoop loop = Aio.getRunningLoop();
        loop.callLater(from, () -> net.setLoss(SimNetwork.LOCAL, "server", 1.0));
        loop.callLater(to, () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
    }

    /** A connect to {@code port} fails with "Connection timed out" 5 s (the connect timeout these tests set) after it began. */
    private static void assertConnectTimesOutAfterFiveSeconds(SimNetwork net, int port) {
        EventLoop loop = Aio.getRunningLoop();
        double t0 = loop.time();
        ConnectException e = assertThrows(ConnectException.class, () -> Streams.openConnection("server", port));
        assertTrue(e.getMessage().contains("Connection timed out"), e.getMessage() + " " + net.trace());
        assertEquals(5.0, loop.time() - t0, 1e-9, net.trace().toString());
    }

    /** A server of {@link Unreading} ends on server:7 (its ends cleared first). */
    private static Server unreadingServer() throws IOException {
        Unreading.ENDS.clear();
        Unreading.EVENTS.clear();
        return Streams.createServer(Unreading::new, "server", 7);
    }

    /** Sends {@code data}, which the server's newest {@link Unreading} end leaves unread, and returns that end. */
    private static Transport leftUnread(StreamPair c, byte[] data) {
        c.writer().write(data);
        Aio.sleep(0.1);
        return Unreading.ENDS.get(Unreading.ENDS.size() - 1);
    }

    /** A connection to a server that leaves "never read\n" unread and closes over it after 1 s, while a task reads. */
    private record Resetting(Server server, StreamPair client, Task<String> read, List<Double> at) {
        /** Sets it up; then the link loses everything for 3 s, so the close's RST is lost. */
        static Resetting withItsRstLost(SimNetwork net) throws IOException {
            net.setLatency(0.010, 0);
            Server server = Streams.startServer(SimFidelityTest::resetsAfterOneSecond, "server", 7);
            StreamPair c = Streams.openConnection("server", 7);
            List<Double> at = new ArrayList<>();
            Task<String> read = reading(c, at);
            c.writer().write(bytes("never read\n"));
            Aio.sleep(0.05); // arrived, and waits unread
            net.setLoss(SimNetwork.LOCAL, "server", 1.0);
            Aio.sleep(3); // the close's RST is lost
            return new Resetting(server, c, read, at);
        }
    }

    /** A handler that stops reading, then after a second closes over what arrived meanwhile: a RST. */
    private static void resetsAfterOneSecond(StreamReader r, StreamWriter w) {
        w.transport().pauseReading();
        Aio.sleep(1);
        w.transport().abort();
    }

    // --------------------------------------------------------------- 1. RSTs and refusals lost

    /**
     * A server that stopped reading closes over unread bytes, so Linux resets (a plain abort would
     * send a FIN, as asyncio's does), while the link loses everything: its RST is lost and not
     * retransmitted, so the client, which only reads, hears nothing; its next send reaches the
     * closed end, which answers with a RST, and the read fails one round trip after that send.
     */
    @AioTest(network = "server")
    void aLostRstIsNotRetransmittedAndThePeerLearnsOfTheResetWhenItNextSends(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        Resetting r = Resetting.withItsRstLost(net);
        assertFalse(r.read().done(), "the RST was lost: the client does not know yet: " + net.trace());
        assertTrue(net.trace().stream().anyMatch(l -> l.contains("dropped server:7->local:") && l.contains(" rst (lost")),
                net.trace().toString());
        net.setLoss(SimNetwork.LOCAL, "server", 0);
        double sent = loop.time();
        r.client().writer().write(bytes("anyone?\n"));
        String got = r.read().await();
        assertTrue(got.startsWith("Connection reset by peer"), got + " " + net.trace());
        assertEquals(sent + 0.020, r.at().get(0), 1e-9, "one round trip after the send: " + net.trace());
        closeAll(r.server(), r.client());
    }

    /**
     * The RST a closed end sends in answer to data is lost too: the data was not acknowledged, so
     * the sender retransmits it after its retransmission timeout (200 ms), and the closed end
     * answers that with a RST that gets through.
     */
    @AioTest(network = "server")
    void aLostAnswerToDataForAClosedEndIsSentAgainWhenTheDataIsRetransmitted(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        Resetting r = Resetting.withItsRstLost(net);
        net.setLoss(SimNetwork.LOCAL, "server", 0);
        double sent = loop.time();
        r.client().writer().write(bytes("anyone?\n")); // crosses; the answer at +10 ms is lost
        lossBetween(net, 0.005, 0.015);
        String got = r.read().await();
        assertTrue(got.startsWith("Connection reset by peer"), got + " " + net.trace());
        assertEquals(sent + 0.220, r.at().get(0), 1e-9,
                "retransmitted at +200 ms, answered at +210 ms, the RST back at +220 ms: " + net.trace());
        assertEquals(2, net.trace().stream().filter(l -> l.contains(" rst (lost")).count(), net.trace().toString());
        closeAll(r.server(), r.client());
    }

    /** A refusal lost on the way back is a SYN without an answer: the client retransmits the SYN after 1 s. */
    @AioTest(network = "server")
    void aLostRefusalMakesTheClientRetransmitItsSyn(SimNetwork net) {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        double t0 = loop.time();
        lossBetween(net, 0.005, 0.015);
        ConnectException e = assertThrows(ConnectException.class, () -> Streams.openConnection("server", 8));
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
        assertEquals(1.020, loop.time() - t0, 1e-9, "the SYN again at 1 s, refused at 1.010, heard at 1.020: " + net.trace());
        assertTrue(net.trace().stream().anyMatch(l -> l.contains("SYN (refusal lost; retransmitted in 1.0 s)")), net.trace().toString());
    }

    // ------------------------------------------------------- 2. backlog retransmissions draw loss

    /**
     * A SYN that a full backlog dropped is retransmitted by the client like any lost SYN: the
     * retransmission crosses the link and draws its loss (here the link loses everything when it
     * is sent at 1 s), rather than reappearing at the listener.
     */
    @AioTest(network = "server")
    void aSynRetransmittedAfterAFullBacklogDrawsItsLoss(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        Unreading.ENDS.clear();
        Server server = Streams.createServer(Unreading::new, "server", 7, null, 1, false);
        net.pauseAccepting("server");
        // A backlog of 1 holds two (Linux's queue is full only past its backlog): the first two
        // wait in the accept queue (a half-open one would not count).
        Task<StreamPair> first = Aio.createTask(() -> Streams.openConnection("server", 7));
        Task<StreamPair> other = Aio.createTask(() -> Streams.openConnection("server", 7));
        first.await();
        other.await();
        Aio.sleep(0.030);
        Task<StreamPair> second = Aio.createTask(() -> Streams.openConnection("server", 7));
        loop.callLater(0.5 - loop.time(), () -> net.setLoss(SimNetwork.LOCAL, "server", 1.0));
        loop.callLater(2.5 - loop.time(), () -> {
            net.setLoss(SimNetwork.LOCAL, "server", 0);
            net.resumeAccepting("server");
        });
        second.await();
        assertEquals(3.070, loop.time(), 1e-9, "SYNs at 0.05 (backlog full), 1.05 (lost) and 3.05 s: " + net.trace());
        List<String> drops = net.trace().stream().filter(l -> l.contains(" dropped ") && l.contains(" SYN (")).map(l -> l.substring(0, 8) + l.substring(l.indexOf(" SYN (")))
                .toList();
        assertEquals(List.of("0.060000 SYN (backlog of 1 full; retransmitted in 1.0 s)", "1.050000 SYN (lost; retransmitted in 2.0 s)"), drops,
                net.trace().toString());
        Unreading.ENDS.forEach(Transport::close);
        closeAll(server, first.await(), other.await(), second.await());
    }

    // ------------------------------------------------------- 3. retransmissions take the bandwidth

    /**
     * 10 kB on a 10 kB/s link take 1 s to leave. Lost, they are retransmitted 200 ms after they
     * left, and the retransmission takes the link for 1 s again: they arrive at 2.21 s, not 1.21 s.
     */
    @AioTest(network = "server")
    void aRetransmissionQueuesBehindTheLinksBandwidthAsTheOriginalDid(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        net.setBandwidth(SimNetwork.LOCAL, "server", 10_000);
        Future<Double> arrived = loop.createFuture();
        Server server = Streams.startServer((r, w) -> {
            r.readexactly(10_000);
            arrived.setResult(loop.time());
            w.close();
        }, "server", 7);
        StreamPair c = Streams.openConnection("server", 7);
        net.setLoss(SimNetwork.LOCAL, "server", 1.0);
        double t0 = loop.time();
        c.writer().write(new byte[10_000]);
        loop.callLater(1.1, () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
        assertEquals(t0 + 2.210, arrived.await(), 1e-9, net.trace().toString());
        closeAll(server, c);
    }

    // ------------------------------------------------- 4. held SYN or SYN-ACK past the connect timeout

    /**
     * The SYN crosses, the SYN-ACK waits at a one-way partition: the connect fails with "Connection
     * timed out" at its connect timeout, as for a lost SYN-ACK. When the partition is repaired the
     * late SYN-ACK finds no socket and is answered with a RST, which resets the server's end.
     */
    @AioTest(network = "server")
    void aSynAckHeldPastTheConnectTimeoutTimesTheConnectOut(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        net.setTcpTimeouts(5, 60);
        List<String> serverSaw = new ArrayList<>();
        Server server = Streams.startServer((r, w) -> {
            try {
                serverSaw.add("read " + r.read().length + "B");
            } catch (SocketException e) {
                serverSaw.add(e.getMessage());
            }
            w.close();
        }, "server", 7);
        net.partitionOneWay("server", SimNetwork.LOCAL);
        loop.callLater(20, () -> net.repairOneWay("server", SimNetwork.LOCAL));
        assertConnectTimesOutAfterFiveSeconds(net, 7);
        Aio.sleep(20);
        // The handshake never completed (the SYN-ACK was held, then answered with a RST), so the
        // server never accepted the connection: Linux's accept() returns only completed ones. (It
        // used to be accepted at the SYN and then reset, which no real server sees.)
        assertEquals(List.of(), serverSaw, net.trace().toString());
        assertTrue(net.trace().stream().anyMatch(l -> l.endsWith("deliver-reset local:49152->server:7")), net.trace().toString());
        closeAll(server);
    }

    /**
     * A SYN-ACK lost for good times the connect out at its connect timeout counted from the
     * connect, as a held one does and as Linux's SYN retries count from the first SYN: the SYN was
     * lost once and got through on its retransmission 1 s later, so counting from the SYN-ACK's
     * first send would end the connect 1.01 s late.
     */
    @AioTest(network = "server")
    void aSynAckLostForGoodTimesTheConnectOutAtTheConnectTimeoutCountedFromTheConnect(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        net.setTcpTimeouts(5, 60);
        Server server = Streams.startServer((r, w) -> w.close(), "server", 7);
        net.setLoss(SimNetwork.LOCAL, "server", 1.0); // the first SYN is lost
        loop.callLater(0.5, () -> net.setLoss(SimNetwork.LOCAL, "server", 0)); // its retransmission at 1 s crosses
        loop.callLater(1.005, () -> net.setLoss(SimNetwork.LOCAL, "server", 1.0)); // every SYN-ACK is lost
        assertConnectTimesOutAfterFiveSeconds(net, 7);
        net.setLoss(SimNetwork.LOCAL, "server", 0);
        Aio.sleep(1);
        closeAll(server);
    }

    /**
     * The refusal of a connect to a port nothing listens on cannot cross a one-way partition from
     * the server either: the client hears nothing, retransmits its SYN, and its connect times out
     * at the connect timeout while the partition lasts, as for a held SYN-ACK.
     */
    @AioTest(network = "server")
    void aRefusalHeldByAPartitionDoesNotArrive(SimNetwork net) {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        net.setTcpTimeouts(5, 60);
        net.partitionOneWay("server", SimNetwork.LOCAL);
        assertConnectTimesOutAfterFiveSeconds(net, 8);
        net.repairOneWay("server", SimNetwork.LOCAL);
    }

    /** A SYN held by a partition past the connect timeout times the connect out too; released later, it is dropped. */
    @AioTest(network = "server")
    void aSynHeldPastTheConnectTimeoutTimesTheConnectOut(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        net.setTcpTimeouts(5, 60);
        List<String> accepted = new ArrayList<>();
        Server server = Streams.startServer((r, w) -> {
            accepted.add("accepted");
            w.close();
        }, "server", 7);
        net.partition(SimNetwork.LOCAL, "server", false);
        loop.callLater(20, () -> net.repair(SimNetwork.LOCAL, "server"));
        assertConnectTimesOutAfterFiveSeconds(net, 7);
        Aio.sleep(20);
        assertEquals(List.of(), accepted, "the connect had given up before the SYN crossed");
        closeAll(server);
    }

    /**
     * A connect after each timeout during a long partition: each attempt's SYN waits at the held
     * link, but the SYNs of connects that gave up go when the next one is held, so what the
     * network keeps does not grow with the attempts (it grew by one per attempt until repaired).
     */
    @AioTest(network = "server")
    void heldSynsOfConnectsThatGaveUpAreNotKept(SimNetwork net) throws IOException {
        net.setLatency(0.010, 0);
        net.setTcpTimeouts(5, 60);
        Server server = Streams.startServer((r, w) -> w.close(), "server", 7);
        net.partition(SimNetwork.LOCAL, "server", false);
        for (int i = 0; i < 20; i++) {
            assertConnectTimesOutAfterFiveSeconds(net, 7);
        }
        assertEquals(1, net.heldSynCountForTests(), "only the last attempt's SYN is still held");
        net.repair(SimNetwork.LOCAL, "server");
        Aio.sleep(1);
        assertEquals(0, net.heldSynCountForTests());
        closeAll(server);
    }

    // ------------------------------------------------------------ 5. close() with unread data

    /**
     * As asyncio on Linux: a transport closed while bytes it received wait unread (its reading
     * is paused) sends a RST, not a FIN; the peer's read fails with "Connection reset by peer"
     * (asyncio's ConnectionResetError), and the unread bytes are discarded.
     */
    @AioTest(network = "server")
    void closeWithUnreadDataSendsARstAsLinuxDoes(SimNetwork net) throws IOException {
        Server server = unreadingServer();
        StreamPair c = Streams.openConnection("server", 7);
        leftUnread(c, bytes("unread\n")).close();
        SocketException e = assertThrows(SocketException.class, () -> c.reader().read());
        assertTrue(e.getMessage().startsWith("Connection reset by peer"), e.getMessage());
        assertTrue(net.trace().stream().anyMatch(l -> l.matches("[0-9.]+ reset server:7->local:\\d+ \\(closed with 7 unread bytes\\)")),
                net.trace().toString());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains(" fin server:7")), net.trace().toString());
        Aio.sleep(0.1);
        assertEquals(List.of("lost null"), Unreading.EVENTS, "the closing end's protocol hears a clean close");
        closeAll(server, c);
    }

    /** What the closing end wrote before close() has left already: it arrives, then the RST. */
    @AioTest(network = "server")
    void closeWithUnreadDataStillDeliversWhatWasWrittenBefore(SimNetwork net) throws IOException {
        Server server = unreadingServer();
        StreamPair c = Streams.openConnection("server", 7);
        Transport end = leftUnread(c, bytes("unread\n"));
        end.write(bytes("bye\n"));
        end.close();
        assertArrayEquals(bytes("bye\n"), c.reader().readline());
        SocketException e = assertThrows(SocketException.class, () -> c.reader().read());
        assertTrue(e.getMessage().startsWith("Connection reset by peer"), e.getMessage());
        closeAll(server, c);
    }

    /**
     * What the closing end wrote but had not transmitted yet (it waited for the link's bandwidth)
     * is purged with the RST, as Linux's tcp_close purges its write queue: the RST follows only
     * what is on the wire, so it arrives one latency after close(), not after the time the purged
     * bytes would have taken to leave.
     */
    @AioTest(network = "server")
    void closeWithUnreadDataResetsAtOnceEvenBehindBytesThatNeverLeft(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        net.setBandwidth(SimNetwork.LOCAL, "server", 1_000); // 10,000 bytes take 10 s to leave
        Server server = unreadingServer();
        StreamPair c = Streams.openConnection("server", 7);
        List<Double> at = new ArrayList<>();
        Task<String> read = reading(c, at);
        Transport end = leftUnread(c, bytes("unread\n"));
        end.write(new byte[10_000]);
        double closed = loop.time();
        end.close();
        String got = read.await();
        assertTrue(got.startsWith("Connection reset by peer"), got + " " + net.trace());
        assertEquals(closed + 0.010, at.get(0), 1e-9, "one latency after close(): " + net.trace());
        closeAll(server, c);
    }

    /**
     * The purged bytes give the link's bandwidth back: a later connection between the same hosts
     * does not wait the 10 s those 10,000 bytes would have taken to leave.
     */
    @AioTest(network = "server")
    void bytesPurgedByAResetDoNotHoldTheLinksBandwidth(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        net.setBandwidth(SimNetwork.LOCAL, "server", 1_000);
        Server server = unreadingServer();
        StreamPair c = Streams.openConnection("server", 7);
        Transport end = leftUnread(c, new byte[1]);
        end.write(new byte[10_000]);
        end.close(); // a RST (1 byte unread), the 10,000 bytes purged before they left
        assertThrows(SocketException.class, () -> c.reader().read());
        StreamPair d = Streams.openConnection("server", 7);
        Aio.sleep(0.010); // the server accepts when the client's ACK arrives
        Transport end2 = Unreading.ENDS.get(1);
        double t = loop.time();
        end2.write(new byte[10]);
        d.reader().readexactly(10);
        assertEquals(0.010 + 0.010, loop.time() - t, 1e-9, "10 bytes at 1,000 B/s, then the latency: " + net.trace());
        end2.close();
        closeAll(server, c, d);
    }

    /** Without unread data close() still sends a FIN: the peer reads end of stream. */
    @AioTest(network = "server")
    void closeWithNothingUnreadSendsAFin(SimNetwork net) throws IOException {
        Server server = unreadingServer();
        StreamPair c = Streams.openConnection("server", 7);
        Aio.sleep(0.1);
        Unreading.ENDS.get(0).close();
        assertEquals(0, c.reader().read().length);
        closeAll(server, c);
        assertTrue(net.trace().stream().anyMatch(l -> l.contains(" fin server:7")), net.trace().toString());
    }

    // ------------------------------------------------------------ 6. the handshake's last ACK

    /** A protocol that records connectionMade, the first callback connectionMade schedules, and each dataReceived. */
    static final class Ordering implements Protocol {
        static final List<String> EVENTS = new ArrayList<>();
        static final List<Transport> ENDS = new ArrayList<>();

        @Override
        public void connectionMade(Transport transport) {
            EVENTS.add("made");
            ENDS.add(transport);
            Aio.getRunningLoop().callSoon(() -> EVENTS.add("step"));
        }

        @Override
        public void dataReceived(byte[] data) {
            EVENTS.add("data " + new String(data, StandardCharsets.UTF_8));
        }
    }

    /**
     * Three clients connect together to a server with a backlog of 1 that does not accept: all
     * three SYNs find the accept queue empty, so all three handshakes complete at the clients
     * (their connects return at 20 ms). The first two SYNs become requests (Linux's SYN queue is
     * full only past its backlog too) and the third gets a SYN cookie (tcp_conn_request:
     * inet_csk_reqsk_queue_is_full). The first two ACKs fill the accept queue (a backlog of 1
     * holds two: Linux's queue is full only past its backlog); the third, the cookie's, is dropped,
     * as cookie_v4_check drops a valid cookie's ACK while the accept queue is full
     * (tcp_get_cookie_sock finds no room), and so is the data the client sent, which carries the
     * ACK too (retransmitted on the client's timeout, 200 ms, then 400, 800...). Nothing is kept
     * for a cookie: no SYN-ACK is sent again, so the data's retransmission at 1.42 s, arriving at
     * 1.43 s after accepting resumed (1 s), makes the connection, accepted with its data. (Until
     * stop 31 the third SYN made a request too, whose SYN-ACK sent again at 1.01 s was answered by
     * an ACK that made the connection at 1.03 s; and until stop 30 the sim retransmitted the
     * client's ACK at 200 ms doubling.)
     */
    @AioTest(network = "server")
    void aCookieAckDroppedAtAFullBacklogIsCarriedAgainByTheClientsRetransmittedData(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        Ordering.EVENTS.clear();
        Ordering.ENDS.clear();
        Server server = Streams.createServer(Ordering::new, "server", 7, dev.aio4j.streams.ServerOptions.defaults().backlog(1));
        net.pauseAccepting("server");
        List<Task<StreamPair>> connects = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            connects.add(Aio.createTask(() -> Streams.openConnection("server", 7)));
        }
        StreamPair first = connects.get(0).await();
        StreamPair other = connects.get(1).await();
        StreamPair second = connects.get(2).await();
        assertEquals(0.020, loop.time(), 1e-9, net.trace().toString());
        assertTrue(net.trace().stream().anyMatch(l -> l.startsWith("0.010000 syncookie server:7->local:49154")), net.trace().toString());
        second.writer().write(bytes("hi"));
        loop.callLater(1.0 - loop.time(), () -> net.resumeAccepting("server"));
        Aio.sleep(2 - loop.time());
        assertEquals(2, net.trace().stream().filter(l -> l.contains(" queued ")).count(), net.trace().toString());
        List<String> drops = net.trace().stream().filter(l -> l.contains(" (backlog of 1 full)"))
                .map(l -> l.substring(0, 8) + l.substring(l.indexOf("7 ") + 1, l.indexOf(" (backlog"))).toList();
        assertEquals(List.of("0.030000 ACK", "0.030000 data 2B", "0.230000 data 2B", "0.630000 data 2B"), drops, net.trace().toString());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains(" retransmit server:7->local:49154 synack")), net.trace().toString());
        List<String> accepts = net.trace().stream().filter(l -> l.contains(" accept ")).map(l -> l.substring(0, 8)).toList();
        assertEquals(List.of("1.000000", "1.000000", "1.430000"), accepts, net.trace().toString());
        assertTrue(net.trace().contains("1.430000 deliver local:49154->server:7 2B"), net.trace().toString());
        assertEquals(List.of("made", "made", "step", "step", "made", "step", "data hi"), Ordering.EVENTS, net.trace().toString());
        Ordering.ENDS.forEach(Transport::close);
        closeAll(server, first, other, second);
    }

    /**
     * A connection accepted from the backlog gets the bytes that waited there only after the
     * callbacks its connectionMade scheduled (a stream handler's first step), as one accepted at
     * once does and as a real transport does (it reads its new socket when the selector next
     * reports it, after connectionMade ran from the loop's ready queue).
     */
    @AioTest(network = "server")
    void bytesThatWaitedInTheBacklogArriveAfterWhatConnectionMadeScheduled(SimNetwork net) throws IOException {
        net.setLatency(0.010, 0);
        Ordering.EVENTS.clear();
        Ordering.ENDS.clear();
        Server server = Streams.createServer(Ordering::new, "server", 7);
        StreamPair atOnce = Streams.openConnection("server", 7);
        atOnce.writer().write(bytes("a"));
        Aio.sleep(0.1);
        assertEquals(List.of("made", "step", "data a"), Ordering.EVENTS, net.trace().toString());
        Ordering.EVENTS.clear();
        net.pauseAccepting("server");
        StreamPair queued = Streams.openConnection("server", 7);
        queued.writer().write(bytes("b"));
        Aio.sleep(0.1);
        net.resumeAccepting("server");
        Aio.sleep(0.1);
        assertEquals(List.of("made", "step", "data b"), Ordering.EVENTS, net.trace().toString());
        Ordering.ENDS.forEach(Transport::close);
        closeAll(server, atOnce, queued);
    }

    /**
     * A client whose ACK a full accept queue keeps dropping gives up at the give-up time on the
     * data it sent (each segment carries the ACK and is dropped with it), and the server keeps
     * nothing of it meanwhile: of four clients connecting together to a backlog of 1, the first two
     * SYNs make requests and the other two get SYN cookies (tcp_conn_request:
     * inet_csk_reqsk_queue_is_full, > backlog), so the two whose ACKs the full accept queue drops
     * have no request at the server, no SYN-ACK timer and nothing to drop at 63 s, and nothing is
     * left among the network's connections when they give up. (Until stop 31 they were requests,
     * whose SYN-ACKs went again at 1, 3, 7, 15, 31 s and which were dropped at 63 s; until stop 30
     * the sim retransmitted the bare ACK until the give-up time and timed out even a client that
     * only read; Linux's client, established, never hears of it: without data to send it waits.)
     */
    @AioTest(network = "server")
    void aClientWhoseAckAFullQueueKeepsDroppingGivesUpAndLeavesNothingBehind(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        net.setTcpTimeouts(5, 60);
        Ordering.EVENTS.clear();
        Ordering.ENDS.clear();
        Server server = Streams.createServer(Ordering::new, "server", 7, dev.aio4j.streams.ServerOptions.defaults().backlog(1));
        net.pauseAccepting("server");
        List<Task<StreamPair>> connects = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            connects.add(Aio.createTask(() -> Streams.openConnection("server", 7)));
        }
        List<StreamPair> clients = new ArrayList<>();
        for (Task<StreamPair> t : connects) {
            clients.add(t.await());
        }
        // The two cookie clients are connected at their end only: the server has no socket for them.
        assertTrue(net.toString().contains("connections=2"), net.toString());
        for (StreamPair c : clients) {
            c.writer().write(bytes("x"));
        }
        Aio.sleep(70 - loop.time());
        for (StreamPair c : clients.subList(2, 4)) { // a backlog of 1 holds two
            SocketException e = assertThrows(SocketException.class, () -> c.reader().read());
            assertTrue(e.getMessage().startsWith("Connection timed out"), e.getMessage());
        }
        assertTrue(net.toString().contains("connections=2"), "only the queued two are left: " + net + " " + net.trace());
        assertEquals(2, net.trace().stream().filter(l -> l.contains(" syncookie ")).count(), net.trace().toString());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains("(handshake never completed") || l.contains(" retransmit server:7")),
                "no request was kept for them: " + net.trace());
        List<String> timedOut = net.trace().stream().filter(l -> l.contains(" timeout local") && l.contains("no acknowledgement"))
                .map(l -> l.substring(0, 9)).toList();
        assertEquals(List.of("60.020000", "60.020000"), timedOut, "the give-up time after the data first left: " + net.trace());
        net.resumeAccepting("server");
        Aio.sleep(0.1);
        assertEquals(List.of("made", "made", "step", "data x", "step", "data x"), Ordering.EVENTS,
                "the half-open ones are not accepted: " + net.trace());
        Ordering.ENDS.forEach(Transport::close);
        closeAll(server, clients.toArray(StreamPair[]::new));
    }

    /**
     * Two connects are cancelled after their SYNs reached the server, while the link loses
     * everything: the RST each client end sends as it goes is lost, and so is the RST that
     * answers the SYN-ACK arriving for the closed socket, and every SYN-ACK the request's timer
     * sends again (1, 3, 7, 15, 31 s after the first). Linux drops the request when its SYN-ACK
     * retries run out, 63 s after the first SYN-ACK: so does the simulated half-open end, without
     * any protocol hearing of it. (Until stop 30 the loss lasted only for the cancel: the SYN-ACK
     * that reached the closed socket then went unanswered, which Linux answers with a RST.)
     */
    @AioTest(network = "server")
    void aHalfOpenEndWhoseClientsResetWasLostIsFreed(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = countingEchoServer(made);
        List<Task<StreamPair>> connects = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            connects.add(Aio.createTask(() -> Streams.openConnection("server", 7)));
        }
        Aio.sleep(0.015); // the SYNs arrived at 10 ms; their SYN-ACKs are on their way
        net.setLoss(SimNetwork.LOCAL, "server", 1.0);
        for (Task<StreamPair> t : connects) {
            t.cancel();
            assertThrows(dev.aio4j.loop.CancelledError.class, t::await);
        }
        loop.callLater(64 - loop.time(), () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
        Aio.sleep(100 - loop.time());
        assertEquals(4, net.trace().stream().filter(l -> l.contains(" rst (lost")).count(), net.trace().toString());
        assertEquals(10, net.trace().stream().filter(l -> l.contains(" synack (lost")).count(), net.trace().toString());
        assertTrue(net.toString().contains("connections=0"), net + " " + net.trace());
        List<String> freed = net.trace().stream().filter(l -> l.contains("(handshake never completed")).map(l -> l.substring(0, 9))
                .toList();
        assertEquals(List.of("63.010000", "63.010000"), freed, net.trace().toString());
        assertEquals(List.of(), made, net.trace().toString());
        closeAll(server);
    }

    /**
     * The server closes while a handshake is half open (the SYN arrived, the SYN-ACK is on its
     * way): the client's connect still completes, but its ACK finds no listener and is answered
     * with a RST, as Linux drops a request whose listener closed and resets the ACK that then
     * finds no socket. The server's protocol never hears of it.
     */
    @AioTest(network = "server")
    void anAckAfterTheListenerClosedIsAnsweredWithARst(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = countingEchoServer(made);
        loop.callLater(0.015, server::close);
        StreamPair c = Streams.openConnection("server", 7);
        assertEquals(0.020, loop.time(), 1e-9, net.trace().toString());
        SocketException e = assertThrows(SocketException.class, () -> c.reader().read());
        assertTrue(e.getMessage().startsWith("Connection reset by peer"), e.getMessage());
        assertEquals(0.040, loop.time(), 1e-9, "the ACK at 30 ms, its RST back at 40 ms: " + net.trace());
        assertTrue(net.trace().contains("0.030000 reset server:7->local:49152 (listener closed during the handshake)"),
                net.trace().toString());
        assertEquals(List.of(), made, net.trace().toString());
        assertTrue(net.toString().contains("connections=0"), net.toString());
        closeAll(server, c);
    }

    /**
     * Two clients on a host that vanishes while their SYN-ACKs are on the way: nobody answers
     * those SYN-ACKs (nor would their retransmissions be), so the server's half-open ends go when
     * Linux drops such requests, 63 s after their SYNs, without any protocol hearing of them.
     */
    @AioTest(network = {"server", "c"})
    void halfOpenEndsOfAVanishedClientHostAreFreed(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = countingEchoServer(made);
        for (int i = 0; i < 2; i++) {
            net.spawn("c", () -> Streams.openConnection("server", 7));
        }
        loop.callLater(0.015, () -> net.vanish("c")); // the SYNs arrived at 10 ms
        Aio.sleep(100);
        assertTrue(net.toString().contains("connections=0"), net + " " + net.trace());
        List<String> freed = net.trace().stream().filter(l -> l.contains("(handshake never completed")).map(l -> l.substring(0, 9))
                .toList();
        assertEquals(List.of("63.010000", "63.010000"), freed, net.trace().toString());
        assertEquals(List.of(), made, net.trace().toString());
        closeAll(server);
    }
}
