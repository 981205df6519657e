package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.ServerOptions;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;
import dev.aio4j.test.AioTest;

import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A SYN flood against a listener that does not accept, and what Linux does about it with its
 * defaults ({@code tcp_syncookies} = 1, {@code tcp_abort_on_overflow} = 0; kernel 6.13 and the
 * stable kernels since January 2025, where both queue checks compare with {@code >}):
 * {@code tcp_conn_request} keeps a half-open request only while the listener holds at most
 * {@code backlog} of them ({@code inet_csk_reqsk_queue_is_full}: full past the backlog) and answers
 * every other SYN with a SYN cookie, a SYN-ACK it keeps no state for; it drops a SYN while the
 * accept queue is full ({@code sk_acceptq_is_full}, also {@code >}); {@code cookie_v4_check} turns a
 * valid cookie's ACK (or the data that carries it) into a connection in the accept queue, drops it
 * quietly while that queue is full, and answers it with a RST once the cookie is stale (its minute
 * counter two periods old, or no SYN queue overflow in the last 120 s). All links 10 ms each way.
 * aio4j-only (the shape of a SYN flood test, on the virtual clock).
 */
class SimSynFloodTest {

    private static double time(String line) {
        return Double.parseDouble(line.substring(0, line.indexOf(' ')));
    }

    private static Server lineEchoServer(int backlog) throws IOException {
        return Streams.startServer((r, w) -> {
            w.write(r.readline());
            w.close();
        }, "server", 7, ServerOptions.defaults().backlog(backlog));
    }

    /**
     * Forty clients connect at once to a backlog of 3 that does not accept: the first four SYNs
     * become requests (a SYN queue of 3 is full only past 3), the other 36 get SYN cookies; all 40
     * connects complete at 20 ms. The four requests' ACKs fill the accept queue (full past 3 too),
     * so the 36 cookie ACKs and the data each client sends at once are dropped, and nothing is kept
     * for them: no SYN-ACK is sent again, no request times out. Accepting resumes at 5 s; each
     * client's data, retransmitted 200 ms after it left and then 400, 800, 1600, 3200 ms apart,
     * reaches the listener again at 6.23 s with the cookie's ACK, which is still valid: every one
     * of the 40 connections is made and echoes its line.
     */
    @AioTest(network = "server")
    void aSynFloodKeepsAtMostBacklogPlusOneRequestsAndTheRestConnectByCookies(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        Server server = lineEchoServer(3);
        net.pauseAccepting("server");
        List<Task<StreamPair>> connects = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            connects.add(Aio.createTask(() -> Streams.openConnection("server", 7)));
        }
        List<StreamPair> clients = new ArrayList<>();
        for (Task<StreamPair> t : connects) {
            clients.add(t.await());
        }
        assertEquals(0.020, loop.time(), 1e-9, "every connect completes at the client: " + net.trace());
        assertEquals(4, net.synQueuePeak("server", 7), "at most backlog + 1 half-open requests: " + net.trace());
        assertEquals(36, net.trace().stream().filter(l -> l.contains(" syncookie server:7->")).count(), net.trace().toString());
        for (int i = 0; i < clients.size(); i++) {
            clients.get(i).writer().write(("hello " + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Aio.sleep(0.5);
        assertEquals(0, net.synQueueLength("server", 7), "the four requests completed into the accept queue: " + net.trace());
        assertEquals(0, net.halfOpen(), net.trace().toString());
        loop.callLater(5.0 - loop.time(), () -> net.resumeAccepting("server"));
        for (int i = 0; i < clients.size(); i++) {
            assertEquals("hello " + i + "\n", new String(clients.get(i).reader().readline(), StandardCharsets.UTF_8), net.trace().toString());
        }
        assertEquals(6.240, loop.time(), 1e-9, "the cookie clients' data crossed again at 6.23 s: " + net.trace());
        assertEquals(40, net.trace().stream().filter(l -> l.contains(" accept server:7->")).count(), net.trace().toString());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains(" retransmit server:7->") || l.contains("handshake never completed")),
                "nothing was kept for a cookie: " + net.trace());
        assertEquals(4, net.synQueuePeak("server", 7), net.trace().toString());
        for (StreamPair c : clients) {
            c.writer().close();
        }
        server.close();
        server.waitClosed();
    }

    /**
     * A SYN while the accept queue is full is dropped before any cookie is thought of
     * ({@code tcp_conn_request} checks {@code sk_acceptq_is_full} after the SYN queue): no SYN-ACK,
     * and the client retransmits its SYN on its own timer (1, 3, 7... s), connecting once there is
     * room. Two connects fill the accept queue of a backlog of 1; the third, 0.1 s later, sends SYNs
     * at 0.1, 1.1 and 3.1 s; accepting resumes at 2 s, so the one at 3.1 s makes a request and
     * connects at 3.12 s.
     */
    @AioTest(network = "server")
    void aSynWhileTheAcceptQueueIsFullIsDroppedNotAnsweredWithACookie(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        Server server = lineEchoServer(1);
        net.pauseAccepting("server");
        Task<StreamPair> a = Aio.createTask(() -> Streams.openConnection("server", 7));
        Task<StreamPair> b = Aio.createTask(() -> Streams.openConnection("server", 7));
        a.await();
        b.await();
        Aio.sleep(0.1 - loop.time());
        loop.callLater(2.0 - loop.time(), () -> net.resumeAccepting("server"));
        StreamPair c = Streams.openConnection("server", 7);
        assertEquals(3.120, loop.time(), 1e-9, net.trace().toString());
        List<Double> dropped = net.trace().stream().filter(l -> l.contains(" dropped local:49154->server:7 SYN (backlog of 1 full"))
                .map(SimSynFloodTest::time).toList();
        assertEquals(List.of(0.11, 1.11), dropped, net.trace().toString());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains(" syncookie ")), "no cookie for a SYN the full queue dropped: "
                + net.trace());
        for (StreamPair p : List.of(a.await(), b.await(), c)) {
            p.writer().close();
        }
        server.close();
        server.waitClosed();
    }

    /**
     * A cookie's ACK reaches a listener whose accept queue has room: the connection is made at
     * once, as a request's would be. A backlog of 1, accepting: two SYNs together become requests,
     * and the third, sent while both are still half open, gets a cookie; all three ACKs arrive at
     * 30 ms and all three connections are accepted then, each echoing its line.
     */
    @AioTest(network = "server")
    void aCookieAckWithRoomInTheAcceptQueueMakesTheConnection(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        Server server = lineEchoServer(1);
        List<Task<StreamPair>> connects = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            connects.add(Aio.createTask(() -> Streams.openConnection("server", 7)));
        }
        List<StreamPair> clients = new ArrayList<>();
        for (Task<StreamPair> t : connects) {
            clients.add(t.await());
        }
        assertEquals(1, net.trace().stream().filter(l -> l.contains(" syncookie server:7->local:49154")).count(), net.trace().toString());
        Aio.sleep(0.030 - loop.time());
        List<Double> accepts = net.trace().stream().filter(l -> l.contains(" accept server:7->")).map(SimSynFloodTest::time).toList();
        assertEquals(List.of(0.03, 0.03, 0.03), accepts, net.trace().toString());
        for (StreamPair c : clients) {
            c.writer().write("hi\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("hi\n", new String(c.reader().readline(), StandardCharsets.UTF_8));
            c.writer().close();
        }
        server.close();
        server.waitClosed();
    }

    /**
     * A cookie client whose ACK and data the full accept queue keeps dropping is answered with a
     * RST once the cookie is stale: its minute counter two periods old ({@code MAX_SYNCOOKIE_AGE},
     * {@code TCP_SYNCOOKIE_PERIOD} = 60 s; the sim's counter is the virtual time in whole minutes),
     * here also past 120 s since the last SYN queue overflow. Its data at 70 s is dropped (the cookie
     * of 0.01 s is one period old: valid), retransmitted at 70.2, 70.6, 71.4, 73, 76.2, 82.6, 95.4
     * and 121 s; the last finds the cookie two periods old and is reset: "Connection reset by peer"
     * at 121.02 s. Nothing of it was ever kept by the listener. (The setup of
     * SimHandshakeTimersTest.aClientWhoseRequestWasDroppedIsResetWhenItNextSends before stop 31,
     * whose third client was a request dropped at 63 s and reset at 70 s.)
     */
    @AioTest(network = "server")
    void aCookieClientIsResetWhenItsDataOutlivesTheCookie(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        Server server = lineEchoServer(1);
        net.pauseAccepting("server");
        List<Task<StreamPair>> connects = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            connects.add(Aio.createTask(() -> Streams.openConnection("server", 7)));
        }
        List<StreamPair> clients = new ArrayList<>();
        for (Task<StreamPair> t : connects) {
            clients.add(t.await());
        }
        Aio.sleep(70 - loop.time());
        StreamPair third = clients.get(2);
        third.writer().write("x\n".getBytes(StandardCharsets.UTF_8));
        SocketException e = assertThrows(SocketException.class, () -> third.reader().read());
        assertTrue(e.getMessage().startsWith("Connection reset by peer"), e.getMessage());
        assertEquals(121.020, loop.time(), 1e-9, net.trace().toString());
        assertTrue(net.trace().contains("121.010000 reset server:7->local:49154 (SYN cookie no longer valid)"), net.trace().toString());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains("handshake never completed")), net.trace().toString());
        for (StreamPair p : clients) {
            p.writer().close();
        }
        server.close();
        server.waitClosed();
    }

    /**
     * A SYN cookie is valid for the boot that sent it only: Linux draws its cookie secret
     * ({@code syncookie_secret}, syncookies.c) once per boot, so after a reboot
     * {@code cookie_v4_check} finds an old cookie's hash wrong, even on a listener that overflowed
     * recently, and the ACK (here the data carrying it) is answered with a RST. The third of three
     * clients gets a cookie at 10 ms from a backlog of 1 that does not accept; the server vanishes
     * at 1 s and comes back at 2 s (a reboot), its server listens again on the same port, and a new
     * flood of three connects at 2 s makes it send a cookie again (its overflow stamp is recent,
     * and the old cookie's minute counter is still 0). The old cookie client's data, sent at 3 s,
     * is answered with a RST at 3.01 s: "Connection reset by peer" at 3.02 s, and no connection is
     * made for it. Before, the sim checked only the time and the listener now on the port, and
     * accepted it.
     */
    @AioTest(network = "server")
    void aCookieFromBeforeTheServerRebootedIsRefusedEvenByAListenerUnderAFlood(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        Server before = lineEchoServer(1);
        net.pauseAccepting("server");
        List<Task<StreamPair>> connects = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            connects.add(Aio.createTask(() -> Streams.openConnection("server", 7)));
        }
        List<StreamPair> old = new ArrayList<>();
        for (Task<StreamPair> t : connects) {
            old.add(t.await());
        }
        assertTrue(net.trace().contains("0.010000 syncookie server:7->local:49154 (SYN queue of 2 full, backlog 1; no request kept)"),
                net.trace().toString());
        Aio.sleep(1 - loop.time());
        net.vanish("server");
        Aio.sleep(2 - loop.time());
        net.restart("server");
        Server after = lineEchoServer(1);
        connects.clear();
        for (int i = 0; i < 3; i++) {
            connects.add(Aio.createTask(() -> Streams.openConnection("server", 7)));
        }
        List<StreamPair> fresh = new ArrayList<>();
        for (Task<StreamPair> t : connects) {
            fresh.add(t.await());
        }
        assertEquals(1, net.trace().stream().filter(l -> l.startsWith("2.010000 syncookie server:7->")).count(),
                "the new listener overflowed: " + net.trace());
        Aio.sleep(3 - loop.time());
        StreamPair third = old.get(2);
        third.writer().write("x\n".getBytes(StandardCharsets.UTF_8));
        SocketException e = assertThrows(SocketException.class, () -> third.reader().readline());
        assertTrue(e.getMessage().startsWith("Connection reset by peer"), e.getMessage() + " " + net.trace());
        assertEquals(3.020, loop.time(), 1e-9, net.trace().toString());
        assertTrue(net.trace().contains("3.010000 reset server:7->local:49154 (SYN cookie from before host server restarted)"),
                net.trace().toString());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains(" accept server:7->local:49154")), net.trace().toString());
        for (StreamPair p : fresh) {
            p.writer().write("y\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("y\n", new String(p.reader().readline(), StandardCharsets.UTF_8), net.trace().toString());
        }
        for (StreamPair p : old) {
            p.writer().transport().abort();
        }
        for (StreamPair p : fresh) {
            p.writer().close();
        }
        before.close();
        after.close();
        after.waitClosed();
    }
}
