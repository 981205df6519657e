package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.internal.LoopAccess;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.ServerOptions;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;
import dev.aio4j.test.AioTest;

import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handshake's timers at exact virtual times, as Linux runs them (stop 30): the connecting
 * end retransmits its SYN 1 s after the first, then 2, 4... s after each ({@code TCP_TIMEOUT_INIT},
 * {@code tcp_syn_retries} = 6: SYNs at 0, 1, 3, 7, 15, 31, 63 s, "Connection timed out" at
 * 127 s), whatever became of the last one; a half-open request answers a retransmitted SYN with
 * its SYN-ACK at once and retransmits the SYN-ACK on its own timer (1, 2, 4, 8, 16 s,
 * {@code tcp_synack_retries} = 5, dropped at 63 s); and the client's ACK is never retransmitted
 * by itself. All links 10 ms each way (an RTT of 20 ms). aio4j-only.
 */
class SimHandshakeTimersTest {

    private static double time(String line) {
        return Double.parseDouble(line.substring(0, line.indexOf(' ')));
    }

    /** When the connect from {@code local} sent each SYN, from the trace: its first, then each retransmission. */
    private static List<Double> synTimes(SimNetwork net, String local) {
        List<Double> times = new ArrayList<>();
        for (String l : net.trace()) {
            if (l.contains(" connect " + local + "->") || (l.contains(" retransmit " + local + "->") && l.contains(" SYN ("))) {
                times.add(time(l));
            }
        }
        return times;
    }

    /** One connection was made (connectionMade), at {@code at}. */
    private static void assertMadeAt(double at, List<Double> made, String message) {
        assertEquals(1, made.size(), message);
        assertEquals(at, made.get(0), 1e-9, message);
    }

    private static Server echoServer(List<Double> made) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        return Streams.startServer((r, w) -> {
            made.add(loop.time());
            w.write(r.readline());
            w.close();
        }, "server", 7);
    }

    private static void close(Server server, StreamPair... clients) throws IOException {
        for (StreamPair c : clients) {
            c.writer().close();
        }
        server.close();
        server.waitClosed();
    }

    /** A SYN lost once: the connect completes at 1 s + RTT, the retransmission answered at once. */
    @AioTest(network = "server")
    void aSynLostOnceConnectsAtOneSecondPlusTheRoundTrip(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = echoServer(made);
        net.setLoss(SimNetwork.LOCAL, "server", 1.0);
        loop.callLater(0.5, () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
        StreamPair c = Streams.openConnection("server", 7);
        assertEquals(1.020, loop.time(), 1e-9, net.trace().toString());
        assertEquals(List.of(0.0, 1.0), synTimes(net, "local:49152"), net.trace().toString());
        c.writer().write("hi\n".getBytes());
        c.reader().readline();
        assertMadeAt(1.030, made, "accepted when the ACK arrived: " + net.trace());
        close(server, c);
    }

    /**
     * A SYN-ACK lost once: the connect completes at 1 s + RTT, as on Linux, where the server's
     * SYN-ACK timer (1 s after the SYN-ACK, at 1.01 s) and the client's retransmitted SYN (sent
     * at 1 s, arriving at 1.01 s) fall due together; whichever comes first sends the SYN-ACK
     * that connects, and no second copy follows it while it is on its way.
     */
    @AioTest(network = "server")
    void aSynAckLostOnceConnectsAtOneSecondPlusTheRoundTrip(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = echoServer(made);
        loop.callLater(0.005, () -> net.setLoss(SimNetwork.LOCAL, "server", 1.0));
        loop.callLater(0.015, () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
        StreamPair c = Streams.openConnection("server", 7);
        assertEquals(1.020, loop.time(), 1e-9, net.trace().toString());
        assertEquals(List.of(0.0, 1.0), synTimes(net, "local:49152"), net.trace().toString());
        assertEquals(1, net.trace().stream().filter(l -> l.contains(" synack (lost)")).count(), net.trace().toString());
        assertEquals(1, net.trace().stream().filter(l -> l.contains(" retransmit server:7->local:49152 synack")).count(),
                net.trace().toString());
        c.writer().write("hi\n".getBytes());
        c.reader().readline();
        assertMadeAt(1.030, made, net.trace().toString());
        close(server, c);
    }

    /**
     * The client's retransmitted SYN is answered at once, ahead of the request's own timer: the
     * SYN at 0 is lost, the one at 1 s crosses (1.01 s) and its SYN-ACK is lost, and so is the
     * SYN-ACK the request's timer sends at 2.01 s (its next timeout would be at 4.01 s). The
     * client's SYN at 3 s reaches the half-open request at 3.01 s, which answers with the SYN-ACK
     * again: connected at 3.02 s, as on Linux (the sim used to wait for the server's timer, 4.02 s).
     */
    @AioTest(network = "server")
    void aRetransmittedSynToAHalfOpenRequestIsAnsweredWithItsSynAck(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = echoServer(made);
        net.setLoss(SimNetwork.LOCAL, "server", 1.0);
        loop.callLater(0.5, () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
        loop.callLater(1.005, () -> net.setLoss(SimNetwork.LOCAL, "server", 1.0));
        loop.callLater(2.5, () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
        StreamPair c = Streams.openConnection("server", 7);
        assertEquals(3.020, loop.time(), 1e-9, net.trace().toString());
        assertEquals(List.of(0.0, 1.0, 3.0), synTimes(net, "local:49152"), net.trace().toString());
        assertTrue(net.trace().contains("2.010000 retransmit server:7->local:49152 synack (timeout)"), net.trace().toString());
        assertTrue(net.trace().contains("3.010000 retransmit server:7->local:49152 synack (answering a retransmitted SYN)"),
                net.trace().toString());
        c.writer().write("hi\n".getBytes());
        c.reader().readline();
        assertEquals(1, made.size(), "one connection, made from the one request: " + net.trace());
        assertEquals(3.030, made.get(0), 1e-9, net.trace().toString());
        close(server, c);
    }

    /**
     * Nothing gets through: the connect fails with "Connection timed out" at 127 s, after six
     * retransmissions at 1, 3, 7, 15, 31 and 63 s (seven SYNs in all).
     */
    @AioTest(network = "server")
    void anUnansweredConnectTimesOutAt127SecondsAfterSixRetransmissions(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        Server server = echoServer(new ArrayList<>());
        net.setLoss(SimNetwork.LOCAL, "server", 1.0);
        ConnectException e = assertThrows(ConnectException.class, () -> Streams.openConnection("server", 7));
        assertTrue(e.getMessage().contains("Connection timed out"), e.getMessage());
        assertEquals(127.0, loop.time(), 1e-9, net.trace().toString());
        assertEquals(List.of(0.0, 1.0, 3.0, 7.0, 15.0, 31.0, 63.0), synTimes(net, "local:49152"), net.trace().toString());
        server.close();
        server.waitClosed();
    }

    /**
     * Every SYN-ACK is lost, every SYN crosses: the request's timer and the retransmitted SYNs
     * send SYN-ACKs until the request is dropped, and the next SYN (63 s) opens a new one, as on
     * Linux; the connect still fails at 127 s after seven SYNs, and no half-open end is left.
     */
    @AioTest(network = "server")
    void everySynAckLostTimesTheConnectOutAt127SecondsAndLeavesNothingBehind(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = echoServer(made);
        // The server answers at x.010 s for each SYN sent at x: lose what leaves the server then.
        double[] synsAt = {0, 1, 3, 7, 15, 31, 63};
        for (double at : synsAt) {
            loop.callLater(at + 0.005, () -> net.setLoss(SimNetwork.LOCAL, "server", 1.0));
            loop.callLater(at + 0.015, () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
        }
        // The request made at 63.01 s retransmits on its own timer at 64.01, 66.01, 70.01, 78.01
        // and 94.01 s: lose those too.
        for (double at : new double[] {64.01, 66.01, 70.01, 78.01, 94.01}) {
            loop.callLater(at - 0.005, () -> net.setLoss(SimNetwork.LOCAL, "server", 1.0));
            loop.callLater(at + 0.005, () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
        }
        ConnectException e = assertThrows(ConnectException.class, () -> Streams.openConnection("server", 7));
        assertTrue(e.getMessage().contains("Connection timed out"), e.getMessage());
        assertEquals(127.0, loop.time(), 1e-9, net.trace().toString());
        assertEquals(List.of(0.0, 1.0, 3.0, 7.0, 15.0, 31.0, 63.0), synTimes(net, "local:49152"), net.trace().toString());
        List<Double> dropped = net.trace().stream().filter(l -> l.contains("(handshake never completed)")).map(l -> time(l)).toList();
        assertEquals(List.of(63.010, 126.010), dropped, "each request when its SYN-ACK retries ran out: " + net.trace());
        Aio.sleep(1);
        assertTrue(net.toString().contains("connections=0"), net + " " + net.trace());
        assertEquals(List.of(), made, net.trace().toString());
        server.close();
        server.waitClosed();
    }

    /**
     * A client whose ACK was lost completes the handshake with its first data segment, which
     * carries the ACK: the server accepts when the data arrives (no 200 ms ACK retransmission).
     */
    @AioTest(network = "server")
    void aLostAckIsCarriedByTheFirstDataSegment(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = echoServer(made);
        loop.callLater(0.015, () -> net.setLoss(SimNetwork.LOCAL, "server", 1.0));
        StreamPair c = Streams.openConnection("server", 7); // the ACK leaves at 0.02 s and is lost
        net.setLoss(SimNetwork.LOCAL, "server", 0);
        Aio.sleep(0.1);
        assertEquals(List.of(), made, "half open: " + net.trace());
        c.writer().write("hi\n".getBytes()); // at 0.12 s
        c.reader().readline();
        assertMadeAt(0.130, made, net.trace().toString());
        assertTrue(net.trace().contains("0.020000 dropped local:49152->server:7 ack (lost)"), net.trace().toString());
        close(server, c);
    }

    /**
     * A client whose ACK was lost and that sends nothing: the request's timer sends the SYN-ACK
     * again at 1.01 s, the client answers with an ACK, and the server accepts at 1.03 s.
     */
    @AioTest(network = "server")
    void aLostAckIsSentAgainInAnswerToTheSynAcksRetransmission(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = Streams.startServer((r, w) -> {
            made.add(loop.time());
            w.close();
        }, "server", 7);
        loop.callLater(0.015, () -> net.setLoss(SimNetwork.LOCAL, "server", 1.0));
        StreamPair c = Streams.openConnection("server", 7);
        net.setLoss(SimNetwork.LOCAL, "server", 0);
        assertEquals(0, c.reader().read().length, net.trace().toString());
        assertMadeAt(1.030, made, net.trace().toString());
        assertTrue(net.trace().contains("1.010000 retransmit server:7->local:49152 synack (timeout)"), net.trace().toString());
        close(server, c);
    }

    /**
     * A half-open request answers retransmitted SYNs at most once per 500 ms (Linux's
     * {@code tcp_invalid_ratelimit}): the SYN at 1 s takes 1.8 s to cross (2.8 s) and is answered
     * (a SYN-ACK lost), the one at 3 s, on a fast link again, arrives 0.21 s later and is not; the
     * request's timer, restarted by the answer (2 s from 2.8 s), sends the SYN-ACK that connects.
     */
    @AioTest(network = "server")
    void aRequestAnswersRetransmittedSynsAtMostOncePerHalfSecond(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(SimNetwork.LOCAL, "server", 0.010, 0);
        Server server = echoServer(new ArrayList<>());
        for (double at : new double[] {0.010, 1.010, 2.800}) { // the SYN-ACKs sent then are lost
            loop.callLater(at - 0.005, () -> net.setLoss(SimNetwork.LOCAL, "server", 1.0));
            loop.callLater(at + 0.005, () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
        }
        loop.callLater(0.5, () -> net.setLatency(SimNetwork.LOCAL, "server", 1.8, 0));
        loop.callLater(2.9, () -> net.setLatency(SimNetwork.LOCAL, "server", 0.010, 0));
        StreamPair c = Streams.openConnection("server", 7);
        assertTrue(net.trace().contains("2.800000 retransmit server:7->local:49152 synack (answering a retransmitted SYN)"),
                net.trace().toString());
        assertTrue(net.trace().contains("3.010000 dropped local:49152->server:7 SYN (answered 0.210 s ago)"), net.trace().toString());
        assertTrue(net.trace().contains("4.800000 retransmit server:7->local:49152 synack (timeout)"), net.trace().toString());
        assertEquals(4.810, loop.time(), 1e-9, net.trace().toString());
        close(server, c);
    }

    /**
     * The listener closes while a request is half open (its SYN-ACK lost): Linux's request timer
     * finds the listener no longer listening and drops the request without a SYN-ACK
     * ({@code reqsk_timer_handler}), so the client's next SYN (1 s) finds no socket and is
     * refused. The sim used to send the SYN-ACK again after the close, connect the client at
     * 1.02 s and reset it when its ACK arrived.
     */
    @AioTest(network = "server")
    void aRequestWhoseListenerClosedIsDroppedByItsTimerAndTheNextSynIsRefused(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = echoServer(made);
        loop.callLater(0.005, () -> net.setLoss(SimNetwork.LOCAL, "server", 1.0));
        loop.callLater(0.015, () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
        loop.callLater(0.5, server::close);
        ConnectException e = assertThrows(ConnectException.class, () -> Streams.openConnection("server", 7));
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage() + " " + net.trace());
        assertEquals(1.020, loop.time(), 1e-9, net.trace().toString());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains(" retransmit server:7->")), "no SYN-ACK after the close: " + net.trace());
        assertTrue(net.trace().contains("1.010000 timeout server:7->local:49152 (handshake never completed; listener closed)"),
                net.trace().toString());
        assertTrue(net.toString().contains("connections=0"), net + " " + net.trace());
        assertEquals(List.of(), made, net.trace().toString());
        server.waitClosed();
    }

    /**
     * As above, but the client's retransmitted SYN reaches the request before its timer does (the
     * first SYN took 0.6 s to cross, so the timer is due at 1.6 s): Linux finds the request's
     * listener closed, drops the request and looks the SYN up again, finding no socket: refused.
     * The sim used to answer the SYN with the SYN-ACK.
     */
    @AioTest(network = "server")
    void aRetransmittedSynToARequestWhoseListenerClosedIsRefused(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.600, 0);
        List<Double> made = new ArrayList<>();
        Server server = echoServer(made);
        loop.callLater(0.595, () -> net.setLoss(SimNetwork.LOCAL, "server", 1.0)); // the SYN-ACK at 0.6 s
        loop.callLater(0.605, () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
        loop.callLater(0.700, () -> net.setLatency(0.010, 0));
        loop.callLater(0.800, server::close);
        ConnectException e = assertThrows(ConnectException.class, () -> Streams.openConnection("server", 7));
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage() + " " + net.trace());
        assertEquals(1.020, loop.time(), 1e-9, net.trace().toString());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains(" retransmit server:7->")), "no SYN-ACK after the close: " + net.trace());
        assertTrue(net.toString().contains("connections=0"), net + " " + net.trace());
        assertEquals(List.of(), made, net.trace().toString());
        server.waitClosed();
    }

    /**
     * A client connected, its ACK lost, and its host vanished and came back: the request's SYN-ACK
     * (1.01 s) reaches a rebooted machine with no such socket, which answers with a RST, as Linux
     * does, and the server never accepts the connection. The sim used to answer it with an ACK
     * from the dead socket, so the server accepted a connection whose client was gone.
     */
    @AioTest(network = {"server", "c"})
    void aSynAckReachingARestartedClientHostIsAnsweredWithAReset(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = echoServer(made);
        loop.callLater(0.015, () -> net.setLoss("c", "server", 1.0)); // the client's ACK leaves at 0.02 s
        loop.callLater(0.025, () -> net.setLoss("c", "server", 0));
        net.spawn("c", () -> Streams.openConnection("server", 7).reader().read());
        loop.callLater(0.5, () -> net.vanish("c"));
        loop.callLater(0.8, () -> net.restart("c"));
        Aio.sleep(5);
        assertTrue(net.trace().contains("1.020000 reset c:49152->server:7 (SYN-ACK for a socket that is gone)"), net.trace().toString());
        assertEquals(List.of(), made, "nothing accepted: " + net.trace());
        assertTrue(net.toString().contains("connections=0"), net + " " + net.trace());
        server.close();
        server.waitClosed();
    }

    /**
     * A connected client whose ACK a full accept queue kept dropping, and that sent nothing: its
     * request is dropped at 63.01 s (its SYN-ACK retries ran out), and the client learns of it when
     * it next sends: its data reaches no socket and is answered with a RST ("Connection reset by
     * peer" 70.02 s), as Linux's listener answers an ACK it has no request for (the ACK does not
     * hold a valid SYN cookie either: cookie_v4_check fails, and tcp_rcv_state_process resets it).
     * Changed in stop 31: the three clients used to connect together, and the third's request was
     * the one dropped; on Linux that third SYN finds two requests half open on a backlog of 1 and
     * gets a SYN cookie instead (tcp_conn_request: inet_csk_reqsk_queue_is_full, > backlog), so
     * nothing is kept for it to drop (SimSynFloodTest.aCookieClientIsResetWhenItsDataOutlivesTheCookie
     * has that case). Here the first client's ACK is lost, so its request is still half open when
     * the two others fill the accept queue (one request, one cookie); its answers to the request's
     * SYN-ACKs are dropped from 1.03 s on.
     */
    @AioTest(network = "server")
    void aClientWhoseRequestWasDroppedIsResetWhenItNextSends(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = Streams.startServer((r, w) -> {
            made.add(loop.time());
            w.close();
        }, "server", 7,
                dev.aio4j.streams.ServerOptions.defaults().backlog(1));
        net.pauseAccepting("server");
        loop.callLater(0.015, () -> net.setLoss(SimNetwork.LOCAL, "server", 1.0)); // the first client's ACK leaves at 0.02 s
        loop.callLater(0.025, () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
        StreamPair first = Streams.openConnection("server", 7);
        Aio.sleep(0.1 - loop.time());
        List<dev.aio4j.loop.Task<StreamPair>> connects = new ArrayList<>();
        for (int i = 0; i < 2; i++) { // the SYN queue holds one more request (full past 1), then a cookie
            connects.add(Aio.createTask(() -> Streams.openConnection("server", 7)));
        }
        List<StreamPair> clients = new ArrayList<>(List.of(first));
        for (dev.aio4j.loop.Task<StreamPair> t : connects) {
            clients.add(t.await());
        }
        assertTrue(net.trace().stream().anyMatch(l -> l.contains(" syncookie server:7->local:49154")), net.trace().toString());
        Aio.sleep(70 - loop.time());
        assertTrue(net.trace().contains("1.030000 dropped local:49152->server:7 ACK (backlog of 1 full)"), net.trace().toString());
        assertTrue(net.trace().contains("63.010000 timeout server:7->local:49152 (handshake never completed)"), net.trace().toString());
        first.writer().write("x".getBytes());
        java.net.SocketException e = assertThrows(java.net.SocketException.class, () -> first.reader().read());
        assertTrue(e.getMessage().startsWith("Connection reset by peer"), e.getMessage());
        assertEquals(70.020, loop.time(), 1e-9, net.trace().toString());
        net.resumeAccepting("server");
        Aio.sleep(0.1);
        assertEquals(2, made.size(), "the dropped request is never accepted: " + net.trace());
        close(server, clients.toArray(StreamPair[]::new));
    }

    /**
     * A connect that starts at 0.04 s, not at 0: still seven SYNs (0.04, 1.04, 3.04 ... 63.04 s)
     * and "Connection timed out" at 127.04 s. The sim compared 127.04 - 0.04 (126.99999999999999
     * in doubles) with the connect timeout and sent an eighth SYN at 127.04 s.
     */
    @AioTest(network = "server")
    void aConnectStartedLaterStillSendsSevenSyns(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        Server server = echoServer(new ArrayList<>());
        net.setLoss(SimNetwork.LOCAL, "server", 1.0);
        Aio.sleep(0.04);
        ConnectException e = assertThrows(ConnectException.class, () -> Streams.openConnection("server", 7));
        assertTrue(e.getMessage().contains("Connection timed out"), e.getMessage());
        assertEquals(127.04, loop.time(), 1e-9, net.trace().toString());
        List<Double> syns = synTimes(net, "local:49152");
        assertEquals(7, syns.size(), net.trace().toString());
        assertEquals(63.04, syns.get(6), 1e-9, net.trace().toString());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains("retransmitted in 64.0 s")), net.trace().toString());
        server.close();
        server.waitClosed();
    }

    /** The loop's timer count (LoopAccess.timerCount); a cancelled timer leaves the heap at once. */
    static int timerCount(EventLoop loop) {
        return LoopAccess.timerCount(loop);
    }

    /**
     * A connect that ended leaves none of its handshake's timers in the loop, as Linux deletes
     * the SYN timer when the connect leaves SYN-SENT and a request's timer with the request
     * (stop 30 review). A refused connect, then one whose first SYN is lost (connected at 1.02 s):
     * once the echo is back, the loop holds as many timers as before the connects. The sim left
     * the connecting end's next SYN timer (3 s, and the connect timeout after a refusal) and the
     * request's SYN-ACK timer (2.01 s) queued, to fire and do nothing.
     */
    @AioTest(network = "server")
    void aFinishedHandshakeLeavesNoTimerBehind(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        Server server = Streams.startServer((r, w) -> {
            w.write(r.readline());
            r.read(); // until the client's FIN: nothing in flight meanwhile
            w.close();
        }, "server", 7);
        int before = timerCount(loop);
        assertThrows(ConnectException.class, () -> Streams.openConnection("server", 8));
        Aio.sleep(0.001); // the connect's done callbacks
        assertEquals(before, timerCount(loop), "a refused connect keeps no SYN timer: " + net.trace());
        double t0 = loop.time();
        net.setLoss(SimNetwork.LOCAL, "server", 1.0);
        loop.callLater(0.5, () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
        StreamPair c = Streams.openConnection("server", 7);
        assertEquals(1.020, loop.time() - t0, 1e-9, net.trace().toString());
        c.writer().write("hi\n".getBytes());
        assertEquals("hi\n", new String(c.reader().readline()));
        assertEquals(1.040, loop.time() - t0, 1e-9, net.trace().toString());
        assertEquals(before, timerCount(loop), "no SYN timer and no request timer left: " + net.trace());
        close(server, c);
    }

    /**
     * The give-up timer of bytes nobody acknowledges goes with its connection when the connection
     * ends first (an abort here), as Linux stops a socket's retransmission timer when the socket
     * goes: before, it stayed queued until the give-up time and fired to do nothing.
     */
    @AioTest(network = "server")
    void aGiveUpTimerGoesWithItsConnection(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setTcpTimeouts(20, 60);
        Server server = Streams.startServer((r, w) -> r.read(), "server", 7);
        StreamPair c = Streams.openConnection("server", 7);
        Aio.sleep(0.5); // the handshake's timers are done
        int before = timerCount(loop);
        net.vanish("server");
        c.writer().write("anyone?\n".getBytes());
        Aio.sleep(1); // dropped: the give-up timer runs
        assertEquals(before + 1, timerCount(loop), "the give-up timer is set: " + net.trace());
        c.writer().transport().abort();
        Aio.sleep(0.001);
        assertEquals(before, timerCount(loop), "the aborted connection left its give-up timer: " + net.trace());
        net.restart("server");
        server.close();
        server.waitClosed();
    }

    /**
     * A crash sends nothing to the clients of the host's half-open requests (SYN-RCVD): the
     * request went with the host's memory, and a crashed host sends no segment, so a client that
     * got the SYN-ACK (connected, as far as it knows) is not told. One connection is accepted
     * (0.03 s); a second client connects at 0.1 s (connected at 0.12 s) and the host crashes at
     * 0.125 s, its ACK on the wire: the accepted connection is reset at both ends, as every crash
     * in the sim does, but the second client stays open and its ACK, at 0.13 s, is dropped. The
     * host restarts at 1 s with nothing listening; the client's data at 2 s is its first word to
     * the new boot: no socket, one RST at 2.01 s, "Connection reset by peer" at 2.02 s, as Linux's
     * tcp_v4_rcv answers a segment for no socket (tcp_v4_send_reset). Before, the crash reset the
     * client at once, as if the host had sent a RST for a request it no longer had.
     */
    @AioTest(network = "server")
    void aCrashSendsNothingToTheClientsOfItsHalfOpenRequestsWhoLearnOfItFromTheRestartedHost(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = echoServer(made);
        StreamPair settled = Streams.openConnection("server", 7);
        Aio.sleep(0.1 - loop.time());
        loop.callLater(0.125 - loop.time(), () -> net.crash("server"));
        StreamPair c = Streams.openConnection("server", 7);
        assertEquals(0.120, loop.time(), 1e-9, net.trace().toString());
        Aio.sleep(0.5 - loop.time());
        assertTrue(settled.writer().transport().isClosing(), "the accepted connection was reset: " + net.trace());
        assertTrue(!c.writer().transport().isClosing(), "the client of the half-open request heard nothing: " + net.trace());
        assertTrue(net.trace().contains("0.130000 dropped local:49153->server:7 ACK (host server is down)"), net.trace().toString());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains("reset") && l.contains("local:49153")), net.trace().toString());
        loop.callLater(1 - loop.time(), () -> net.restart("server"));
        Aio.sleep(2 - loop.time());
        c.writer().write("x\n".getBytes());
        java.net.SocketException e = assertThrows(java.net.SocketException.class, () -> c.reader().readline());
        assertTrue(e.getMessage().startsWith("Connection reset by peer"), e.getMessage());
        assertEquals(2.020, loop.time(), 1e-9, net.trace().toString());
        assertTrue(net.trace().contains("2.010000 reset server:7->local:49153 (no socket: its request was lost when host server crashed)"),
                net.trace().toString());
        assertEquals(1, net.trace().stream().filter(l -> l.contains(" deliver-reset server:7->local:49153")).count(),
                "one RST for the one segment: " + net.trace());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains("deliver local:49153->server:7")), net.trace().toString());
        assertEquals(1, made.size(), "only the first connection was ever accepted: " + net.trace());
        assertTrue(net.toString().contains("connections=0"), net + " " + net.trace());
        close(server, settled, c);
    }

    /**
     * The same crash with the host staying down: the client's data gets no answer at all (dropped
     * at 3.01, 3.21, 3.61, 4.41, 6.01 and 9.21 s, retransmitted 200 ms after it left and then at
     * doubling intervals), the next retransmission would leave past the give-up time of 10 s, and
     * the connection times out 10 s after the data first left: "Connection timed out" at 13 s, as
     * a Linux client whose server went down does. While it waits it is no connection of the
     * network's: the server kept nothing.
     */
    @AioTest(network = "server")
    void aClientOfAHalfOpenRequestOfAHostThatStaysDownTimesOut(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        net.setTcpTimeouts(127, 10);
        Server server = echoServer(new ArrayList<>());
        loop.callLater(0.025, () -> net.crash("server")); // the client's ACK left at 0.02 s
        StreamPair c = Streams.openConnection("server", 7);
        Aio.sleep(3 - loop.time());
        assertTrue(!c.writer().transport().isClosing(), net.trace().toString());
        assertTrue(net.toString().contains("connections=0"), net + " " + net.trace());
        c.writer().write("x\n".getBytes());
        java.net.SocketException e = assertThrows(java.net.SocketException.class, () -> c.reader().readline());
        assertTrue(e.getMessage().startsWith("Connection timed out"), e.getMessage() + " " + net.trace());
        assertEquals(13.0, loop.time(), 1e-9, net.trace().toString());
        List<Double> dropped = net.trace().stream().filter(l -> l.contains(" dropped local:49152->server:7 data 2B (host server is down)"))
                .map(SimHandshakeTimersTest::time).toList();
        assertEquals(List.of(3.01, 3.21, 3.61, 4.41, 6.01, 9.21), dropped, net.trace().toString());
        net.restart("server");
        close(server, c);
    }

    /**
     * The host crashes with its SYN-ACK on the wire (sent at 0.01 s, crash at 0.015 s): the
     * SYN-ACK still arrives, as a segment that left does, and the client connects at 0.02 s. The
     * host is back at 0.025 s, and the client's ACK (0.03 s) reaches no socket: one RST, and the
     * client, which sent nothing else, is reset at 0.04 s.
     */
    @AioTest(network = "server")
    void aClientsAckReachingTheRestartedHostOfItsRequestIsReset(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        Server server = echoServer(new ArrayList<>());
        loop.callLater(0.015, () -> net.crash("server"));
        loop.callLater(0.025, () -> net.restart("server"));
        StreamPair c = Streams.openConnection("server", 7);
        assertEquals(0.020, loop.time(), 1e-9, net.trace().toString());
        java.net.SocketException e = assertThrows(java.net.SocketException.class, () -> c.reader().read());
        assertTrue(e.getMessage().startsWith("Connection reset by peer"), e.getMessage());
        assertEquals(0.040, loop.time(), 1e-9, net.trace().toString());
        assertTrue(net.trace().contains("0.030000 reset server:7->local:49152 (no socket: its request was lost when host server crashed)"),
                net.trace().toString());
        close(server, c);
    }

    /**
     * A client still waiting for the SYN-ACK when the host crashes (the SYN-ACK of 0.01 s was
     * lost; crash at 0.5 s) is not told either: its connect goes on, and its next SYN, at 1 s,
     * reaches the host that is down and fails as every connect to it does ("Host is down", at
     * 1.02 s), or, once the host is back, is refused there (no listener). Before, the crash failed
     * the connect at once with a reset.
     */
    @AioTest(network = "server")
    void aClientWaitingForTheSynAckOfACrashedHostLearnsOfItFromItsNextSyn(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        Server server = echoServer(new ArrayList<>());
        loop.callLater(0.005, () -> net.setLoss(SimNetwork.LOCAL, "server", 1.0)); // the SYN-ACK leaves at 0.01 s
        loop.callLater(0.015, () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
        loop.callLater(0.5, () -> net.crash("server"));
        java.net.NoRouteToHostException down = assertThrows(java.net.NoRouteToHostException.class, () -> Streams.openConnection("server", 7));
        assertTrue(down.getMessage().contains("Host is down"), down.getMessage());
        assertEquals(1.020, loop.time(), 1e-9, net.trace().toString());
        net.restart("server");
        loop.callLater(0.005, () -> net.setLoss(SimNetwork.LOCAL, "server", 1.0));
        loop.callLater(0.015, () -> net.setLoss(SimNetwork.LOCAL, "server", 0));
        Server again = echoServer(new ArrayList<>());
        double t0 = loop.time();
        loop.callLater(0.5, () -> net.crash("server"));
        loop.callLater(0.8, () -> net.restart("server"));
        ConnectException refused = assertThrows(ConnectException.class, () -> Streams.openConnection("server", 7));
        assertTrue(refused.getMessage().contains("Connection refused"), refused.getMessage());
        assertEquals(1.020, loop.time() - t0, 1e-9, net.trace().toString());
        server.close();
        again.close();
        again.waitClosed();
    }

    /** When each trace line containing {@code what} was recorded. */
    private static List<Double> times(SimNetwork net, String what) {
        return net.trace().stream().filter(l -> l.contains(what)).map(SimHandshakeTimersTest::time).toList();
    }

    /**
     * A client host that crashes while its connect is half open at the server (SYN-RCVD: the
     * SYN-ACKs of 0.01 s are on the wire when "c" crashes at 0.015 s) sends nothing, so the server
     * knows nothing of the crash, as on Linux: each of its two requests keeps its slot in the
     * listener's SYN queue, sends its SYN-ACK again at 1.01, 3.01, 7.01, 15.01 and 31.01 s
     * ({@code tcp_synack_retries} = 5), each dropped unanswered by the host that is down, and is
     * dropped when the last timeout runs out, at 63.01 s. The slots are real ones: with a backlog
     * of 1 the two requests fill the SYN queue (full past the backlog), so a connect from "local"
     * at 10 s gets a SYN cookie, and one at 64 s, after the requests went, a request of its own.
     * Before stop 33 the crash reset the server's requests at once, as if the crashed host had
     * sent a RST.
     */
    @AioTest(network = {"server", "c"})
    void aCrashedClientsHalfOpenRequestHoldsItsSynQueueSlotUntilItsSynAckRetriesRunOut(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = Streams.startServer((r, w) -> {
            made.add(loop.time());
            w.write(r.readline());
            w.close();
        }, "server", 7, ServerOptions.defaults().backlog(1));
        net.spawn("c", () -> Streams.openConnection("server", 7));
        net.spawn("c", () -> Streams.openConnection("server", 7));
        loop.callLater(0.015, () -> net.crash("c"));
        Aio.sleep(10 - loop.time());
        assertEquals(2, net.synQueueLength("server", 7), "the crashed client's requests keep their slots: " + net.trace());
        assertEquals(2, net.halfOpen(), net.trace().toString());
        assertTrue(net.toString().contains("connections=0"), "no client for either: " + net + " " + net.trace());
        StreamPair cookie = Streams.openConnection("server", 7);
        assertTrue(net.trace().contains("10.010000 syncookie server:7->local:49152 (SYN queue of 2 full, backlog 1; no request kept)"),
                "the held slots fill the SYN queue of a backlog of 1: " + net.trace());
        Aio.sleep(63.005 - loop.time());
        assertEquals(2, net.synQueueLength("server", 7), "held until their last timeout runs out: " + net.trace());
        Aio.sleep(63.015 - loop.time());
        assertEquals(0, net.synQueueLength("server", 7), net.trace().toString());
        assertEquals(0, net.halfOpen(), net.trace().toString());
        assertEquals(List.of(63.01, 63.01), times(net, " (handshake never completed)"), net.trace().toString());
        assertEquals(List.of(1.01, 3.01, 7.01, 15.01, 31.01), times(net, " retransmit server:7->c:49152 synack (timeout)"),
                net.trace().toString());
        assertEquals(List.of(0.02, 1.02, 3.02, 7.02, 15.02, 31.02), times(net, " dropped server:7->c:49152 synack (host c is down)"),
                net.trace().toString());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains(" c:4915") && (l.contains(" reset ") || l.contains(" SYN"))),
                "the host that is down sent nothing: " + net.trace());
        Aio.sleep(64 - loop.time());
        StreamPair later = Streams.openConnection("server", 7);
        assertEquals(1, net.trace().stream().filter(l -> l.contains(" syncookie ")).count(), "a request again at 64 s: " + net.trace());
        assertEquals(2, net.synQueuePeak("server", 7), net.trace().toString());
        Aio.sleep(0.1); // the later connect's ACK arrives at 64.03 s
        assertEquals(2, made.size(), "the cookie's connection and the later one, not the crashed client's: " + net.trace());
        assertEquals(10.03, made.get(0), 1e-9, net.trace().toString());
        assertEquals(64.03, made.get(1), 1e-9, net.trace().toString());
        close(server, cookie, later);
    }

    /**
     * The crash's own loop iteration: its client ends are lost at once (their connectionLost runs
     * on the next iteration), so the two half-open requests of the crashed host's connects count
     * for nothing from the crash on, not only from the next iteration; before, each lost client
     * end still counted as half a connection until then ({@code connections=1} for the two).
     */
    @AioTest(network = {"server", "c"})
    void aCrashedClientsHalfOpenRequestsCountForNothingFromTheCrashOn(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        Server server = echoServer(new ArrayList<>());
        net.spawn("c", () -> Streams.openConnection("server", 7));
        net.spawn("c", () -> Streams.openConnection("server", 7));
        Aio.sleep(0.015 - loop.time()); // the SYNs arrived at 0.01 s, the SYN-ACKs are on the wire
        assertEquals(2, net.halfOpen(), net.trace().toString());
        net.crash("c");
        assertTrue(net.toString().contains("connections=0"), "at once: " + net + " " + net.trace());
        Aio.sleep(0.001);
        assertTrue(net.toString().contains("connections=0"), net + " " + net.trace());
        assertEquals(2, net.halfOpen(), net.trace().toString());
        server.close();
        server.waitClosed();
    }

    /**
     * The crashed client host comes back (at 2 s) with no socket for the request: the SYN-ACK the
     * request sends again at 3.01 s reaches it at 3.02 s and is answered with one RST, as Linux's
     * {@code tcp_v4_rcv} answers a segment for no socket, and the RST drops the request when it
     * arrives (3.03 s; {@code tcp_check_req}), freeing its SYN queue slot 60 s before its timer
     * would have. Nothing is accepted, and no SYN-ACK follows.
     */
    @AioTest(network = {"server", "c"})
    void aCrashedClientsRestartedHostResetsTheRequestWhenItsSynAckComesAgain(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = echoServer(made);
        net.spawn("c", () -> Streams.openConnection("server", 7));
        loop.callLater(0.015, () -> net.crash("c"));
        loop.callLater(2.0, () -> net.restart("c"));
        Aio.sleep(3.025 - loop.time());
        assertEquals(1, net.synQueueLength("server", 7), net.trace().toString());
        assertTrue(net.trace().contains("1.020000 dropped server:7->c:49152 synack (host c is down)"), net.trace().toString());
        assertTrue(net.trace().contains("3.020000 reset c:49152->server:7 (SYN-ACK for a connect that ended)"), net.trace().toString());
        Aio.sleep(3.035 - loop.time());
        assertEquals(0, net.synQueueLength("server", 7), "the RST freed the slot: " + net.trace());
        assertEquals(0, net.halfOpen(), net.trace().toString());
        assertTrue(net.trace().contains("3.030000 deliver-reset c:49152->server:7"), net.trace().toString());
        Aio.sleep(70 - loop.time());
        assertEquals(List.of(1.01, 3.01), times(net, " retransmit server:7->c:49152 synack"), net.trace().toString());
        assertEquals(List.of(3.02), times(net, " reset "), "one RST, one line: " + net.trace());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains("handshake never completed")), net.trace().toString());
        assertEquals(List.of(), made, net.trace().toString());
        assertTrue(net.toString().contains("connections=0"), net + " " + net.trace());
        server.close();
        server.waitClosed();
    }

    /**
     * A SYN queue more than half full prunes its old requests, as Linux's
     * {@code reqsk_timer_handler} does: when {@code qlen * 2 > max(8, backlog)}, a request whose
     * timer fires gets one SYN-ACK retry fewer (down to 2) for each doubling of twice the count of
     * young requests (those whose timer never fired) that the queue length still reaches. A client
     * host opens {@code n} connects to a listener of backlog 8 and crashes at 0.015 s, so their
     * requests are never ACKed. Four requests ({@code 4 * 2} is not more than 8) keep the full
     * schedule: SYN-ACKs at 1.01, 3.01, 7.01, 15.01, 31.01 s and the drop at 63.01 s. With five,
     * the queue is crowded: at 1.01 s the later timers see fewer young requests (3 retries for the
     * last), at 3.01 s none is young and each gets 2, so at 7.01 s the first request to fire has
     * had its 2 and is dropped; that leaves four, no longer more than half of 8, and the other
     * four get the full 5 again (SYN-ACKs at 7.01, 15.01, 31.01 s, dropped at 63.01 s). Before
     * stop 34 every request kept 5 retries whatever the queue held.
     */
    @AioTest(network = {"server", "c"})
    void aSynQueueMoreThanHalfFullPrunesItsOldRequests(SimNetwork net) throws IOException {
        for (int n : new int[] {4, 5}) {
            EventLoop loop = Aio.getRunningLoop();
            double t0 = loop.time();
            int port = 7 + n;
            Server server = Streams.startServer((r, w) -> w.close(), "server", port, ServerOptions.defaults().backlog(8));
            net.setLatency(0.010, 0);
            for (int i = 0; i < n; i++) {
                net.spawn("c", () -> Streams.openConnection("server", port));
            }
            loop.callLater(0.015, () -> net.crash("c"));
            Aio.sleep(0.5);
            assertEquals(n, net.synQueueLength("server", port), net.trace().toString());
            Aio.sleep(70);
            assertEquals(0, net.synQueueLength("server", port), net.trace().toString());
            List<Double> drops = new ArrayList<>();
            List<Double> synAcks = new ArrayList<>();
            for (String l : net.trace()) {
                double t = Math.round((time(l) - t0) * 1000) / 1000.0;
                if (t >= 0 && l.contains("->c:") && l.contains("server:" + port + "->")) {
                    if (l.contains(" (handshake never completed")) {
                        drops.add(t);
                    } else if (l.contains(" retransmit ") && l.contains(" synack (timeout)")) {
                        synAcks.add(t);
                    }
                }
            }
            List<Double> expectedSynAcks = new ArrayList<>();
            for (double at : List.of(1.01, 3.01, 7.01, 15.01, 31.01)) {
                for (int i = 0; i < (at > 7 || n == 4 ? 4 : n); i++) {
                    expectedSynAcks.add(at);
                }
            }
            assertEquals(expectedSynAcks, synAcks, n + " requests: " + net.trace());
            assertEquals(n == 4 ? List.of(63.01, 63.01, 63.01, 63.01) : List.of(7.01, 63.01, 63.01, 63.01, 63.01), drops,
                    n + " requests: " + net.trace());
            if (n == 5) {
                assertTrue(net.trace().stream().anyMatch(l -> l.endsWith(
                        "(handshake never completed; SYN queue more than half full: 2 SYN-ACK retries)")), net.trace().toString());
            }
            server.close();
            server.waitClosed();
            net.restart("c"); // down until now: each SYN-ACK was dropped unanswered
        }
    }

    /**
     * The crashed client host is back at 0.5 s and connects again from the port its crashed
     * connect used (c:49152), while the server still holds that connect's request (SYN-RCVD, its
     * SYN-ACK timer due at 1.01 s). As on Linux, the new SYN (0.51 s) reaches the request, not the
     * listener: out of its window, it is answered with an ACK for the old sequence
     * ({@code tcp_check_req}), which the connecting socket, in SYN-SENT, answers with a RST at
     * 0.52 s ({@code tcp_rcv_synsent_state_process}); the RST drops the request at 0.53 s, and
     * the connect's SYN retransmission at 1.5 s opens a new one: connected at 1.52 s, accepted at
     * 1.53 s. Before, the new SYN opened a second request beside the stale one (the same
     * four-tuple twice in the SYN queue) and the connect completed at 0.52 s.
     */
    @AioTest(network = {"server", "c"})
    void aRestartedClientsConnectFromTheSamePortIsAnsweredByTheStaleRequestAndSucceedsOnItsRetransmission(SimNetwork net)
            throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = echoServer(made);
        net.spawn("c", () -> Streams.openConnection("server", 7));
        loop.callLater(0.015, () -> net.crash("c"));
        Aio.sleep(0.5 - loop.time());
        net.restart("c");
        net.nextTcpPortForTests("c", 49152);
        assertEquals(1, net.synQueueLength("server", 7), net.trace().toString());
        StreamPair c = net.spawn("c", () -> Streams.openConnection("server", 7)).await();
        assertEquals(1.520, loop.time(), 1e-9, net.trace().toString());
        List<String> expected = List.of(
                "0.500000 connect c:49152->server:7",
                "0.510000 challenge-ack server:7->c:49152 (SYN-RCVD for an earlier SYN: this one is out of its window)",
                "0.520000 reset c:49152->server:7 (unacceptable ACK in SYN-SENT)",
                "0.530000 deliver-reset c:49152->server:7",
                "1.500000 retransmit c:49152->server:7 SYN (no answer for 1.0 s)",
                "1.520000 connected c:49152->server:7");
        List<String> trace = net.trace();
        assertEquals(expected, trace.subList(trace.indexOf(expected.get(0)), trace.size()), trace.toString());
        assertEquals(1, net.synQueueLength("server", 7), "the new request only: " + net.trace());
        assertEquals(1, net.synQueuePeak("server", 7), "never two requests for one four-tuple: " + net.trace());
        c.writer().write("x\n".getBytes());
        assertEquals("x\n", new String(c.reader().readline()));
        assertEquals(List.of(1.53), made, net.trace().toString());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains("handshake never completed")), net.trace().toString());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains(" retransmit server:7->c:49152 synack")),
                "the stale request went before its timer's SYN-ACK: " + net.trace());
        close(server, c);
    }

    /**
     * A RST lost on the way leaves the stale request in place until a later SYN meets it: here the
     * link between "c" and the server loses everything from 0.515 s to 1.1 s, so the RST of 0.52 s
     * is lost (never retransmitted) and so is the request's own SYN-ACK of 1.01 s; the SYN
     * retransmitted at 1.5 s meets the request again, is answered again (1.51 s), and the RST of
     * 1.52 s drops it at 1.53 s; the connect's next SYN, at 3.5 s, connects at 3.52 s.
     */
    @AioTest(network = {"server", "c"})
    void aStaleRequestWhoseResetIsLostAnswersTheNextRetransmissionAgain(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = echoServer(made);
        net.spawn("c", () -> Streams.openConnection("server", 7));
        loop.callLater(0.015, () -> net.crash("c"));
        Aio.sleep(0.5 - loop.time());
        net.restart("c");
        net.nextTcpPortForTests("c", 49152);
        loop.callLater(0.515 - loop.time(), () -> net.setLoss("c", "server", 1.0));
        loop.callLater(1.1 - loop.time(), () -> net.setLoss("c", "server", 0));
        StreamPair c = net.spawn("c", () -> Streams.openConnection("server", 7)).await();
        assertEquals(3.520, loop.time(), 1e-9, net.trace().toString());
        assertEquals(List.of(0.51, 1.51), times(net, " challenge-ack server:7->c:49152"), net.trace().toString());
        assertTrue(net.trace().contains("0.520000 dropped c:49152->server:7 rst (lost; a reset is not retransmitted)"),
                net.trace().toString());
        assertTrue(net.trace().contains("1.530000 deliver-reset c:49152->server:7"), net.trace().toString());
        assertTrue(net.trace().contains("1.010000 dropped server:7->c:49152 synack (lost)"),
                "the stale request's timer went on meanwhile: " + net.trace());
        assertEquals(1, net.synQueuePeak("server", 7), net.trace().toString());
        c.writer().close();
        server.close();
        server.waitClosed();
    }

    /**
     * The crashed client host is back at 0.5 s and vanishes at 0.8 s: the request's SYN-ACK of
     * 1.01 s reaches a host that vanished, and the trace says so, as for any segment reaching a
     * vanished host ({@code (host c vanished)}), not {@code (host c is down)}, the words for a
     * crashed one. The crashed connect's end was no longer a connection of the host's when it
     * vanished, so only the host tells which way it is down.
     */
    @AioTest(network = {"server", "c"})
    void aSynAckReachingACrashedClientsHostThatVanishedSinceIsTracedAsVanished(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = echoServer(made);
        net.spawn("c", () -> Streams.openConnection("server", 7));
        loop.callLater(0.015, () -> net.crash("c"));
        loop.callLater(0.5, () -> net.restart("c"));
        loop.callLater(0.8, () -> net.vanish("c"));
        Aio.sleep(1.05 - loop.time());
        assertTrue(net.trace().contains("0.020000 dropped server:7->c:49152 synack (host c is down)"), net.trace().toString());
        assertTrue(net.trace().contains("1.020000 dropped server:7->c:49152 synack (host c vanished)"), net.trace().toString());
        assertEquals(1, net.synQueueLength("server", 7), "nothing answered: " + net.trace());
        assertEquals(List.of(), made, net.trace().toString());
        server.close();
        server.waitClosed();
    }

    /**
     * A client that got the SYN-ACK (connected at 0.02 s) and crashed with its ACK on the wire
     * (0.025 s): the crash drops the ACK, as it drops what the host's connections had in flight,
     * so the server's request is still half open and keeps its slot. The host is back at 0.5 s,
     * and the request's SYN-ACK of 1.01 s finds a socket that is gone: one RST (1.02 s), the
     * request dropped when it arrives (1.03 s), nothing accepted.
     */
    @AioTest(network = {"server", "c"})
    void aClientThatCrashedWithItsAckOnTheWireLeavesTheRequestHalfOpenUntilItsHostAnswersWithAReset(SimNetwork net)
            throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Double> made = new ArrayList<>();
        Server server = echoServer(made);
        net.spawn("c", () -> Streams.openConnection("server", 7).reader().read());
        loop.callLater(0.025, () -> net.crash("c"));
        loop.callLater(0.5, () -> net.restart("c"));
        Aio.sleep(1.015 - loop.time());
        assertTrue(net.trace().contains("0.020000 connected c:49152->server:7"), net.trace().toString());
        assertEquals(1, net.synQueueLength("server", 7), "the ACK went with the crash: " + net.trace());
        Aio.sleep(1.035 - loop.time());
        assertTrue(net.trace().contains("1.020000 reset c:49152->server:7 (SYN-ACK for a socket that is gone)"), net.trace().toString());
        assertTrue(net.trace().contains("1.030000 deliver-reset c:49152->server:7"), net.trace().toString());
        assertEquals(0, net.synQueueLength("server", 7), net.trace().toString());
        assertEquals(List.of(), made, net.trace().toString());
        assertTrue(net.toString().contains("connections=0"), net + " " + net.trace());
        server.close();
        server.waitClosed();
    }
}
