package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.ServerOptions;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.spi.Network;
import dev.aio4j.test.AioTest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        List<StreamPair> clients = connectAll(40);
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
        List<StreamPair> clients = connectAll(3);
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
     * at 121.02 s. Nothing of it was ever kept by the listener. Linux's {@code cookie_v4_check} asks
     * {@code tcp_synq_no_recent_overflow} first, so the trace gives that reason (the last overflow
     * was at 0.01 s), and the segment gets one RST (stop 32: before, the data was also handed to the
     * end the RST had closed, which answered it with a second RST). (The setup of
     * SimHandshakeTimersTest.aClientWhoseRequestWasDroppedIsResetWhenItNextSends before stop 31,
     * whose third client was a request dropped at 63 s and reset at 70 s.)
     */
    @AioTest(network = "server")
    void aCookieClientIsResetWhenItsDataOutlivesTheCookie(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        Server server = lineEchoServer(1);
        net.pauseAccepting("server");
        List<StreamPair> clients = connectAll(3);
        Aio.sleep(70 - loop.time());
        StreamPair third = clients.get(2);
        third.writer().write("x\n".getBytes(StandardCharsets.UTF_8));
        SocketException e = assertThrows(SocketException.class, () -> third.reader().read());
        assertTrue(e.getMessage().startsWith("Connection reset by peer"), e.getMessage());
        assertEquals(121.020, loop.time(), 1e-9, net.trace().toString());
        assertTrue(net.trace().contains("121.010000 reset server:7->local:49154 (SYN cookie not checked: no SYN queue overflow since 0.010 s)"),
                net.trace().toString());
        assertEquals(1, net.trace().stream().filter(l -> l.contains(" deliver-reset server:7->local:49154")).count(),
                "one RST for the one segment: " + net.trace());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains("deliver local:49154->server:7") || l.contains("data for a closed socket")),
                "nothing was delivered to a socket that does not exist: " + net.trace());
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
        List<StreamPair> old = connectAll(3);
        assertTrue(net.trace().contains("0.010000 syncookie server:7->local:49154 (SYN queue of 2 full, backlog 1; no request kept)"),
                net.trace().toString());
        Aio.sleep(1 - loop.time());
        net.vanish("server");
        Aio.sleep(2 - loop.time());
        net.restart("server");
        Server after = lineEchoServer(1);
        List<StreamPair> fresh = connectAll(3);
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

    /**
     * A cookie whose minute counter is two periods old is refused even by a listener that sent
     * cookies a moment ago: {@code check_tcp_syn_cookie} (syncookies.c) fails it on its age alone
     * ({@code diff >= MAX_SYNCOOKIE_AGE}), after {@code tcp_synq_no_recent_overflow} let it be
     * checked. Three clients against a backlog of 1 that does not accept: the third gets a cookie
     * at 10 ms and never sends. Accepting resumes at 99 s; at 100 s three more connects overflow the
     * SYN queue again (a cookie at 100.01 s, which connects at once). The old cookie's data at
     * 125 s finds the overflow recent and the counter at 2 (minute 2 against minute 0): one RST at
     * 125.01 s, its trace saying the cookie expired (before stop 32 every refusal said "no longer
     * valid", whatever had failed).
     */
    @AioTest(network = "server")
    void aCookieTwoPeriodsOldIsExpiredWhileTheListenerStillOverflows(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        Server server = lineEchoServer(1);
        net.pauseAccepting("server");
        List<StreamPair> old = connectAll(3);
        loop.callLater(99 - loop.time(), () -> net.resumeAccepting("server"));
        Aio.sleep(100 - loop.time());
        List<StreamPair> fresh = connectAll(3);
        assertTrue(net.trace().stream().anyMatch(l -> l.startsWith("100.010000 syncookie server:7->")), net.trace().toString());
        Aio.sleep(125 - loop.time());
        StreamPair third = old.get(2);
        third.writer().write("x\n".getBytes(StandardCharsets.UTF_8));
        SocketException e = assertThrows(SocketException.class, () -> third.reader().readline());
        assertTrue(e.getMessage().startsWith("Connection reset by peer"), e.getMessage());
        assertEquals(125.020, loop.time(), 1e-9, net.trace().toString());
        assertTrue(net.trace().contains("125.010000 reset server:7->local:49154 (SYN cookie expired: sent at 0.010 s, its counter 2 periods of 60 s old)"),
                net.trace().toString());
        for (StreamPair p : fresh) {
            p.writer().write("y\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("y\n", new String(p.reader().readline(), StandardCharsets.UTF_8), net.trace().toString());
        }
        closeAll(server, old, fresh);
    }

    /**
     * A crash sends nothing to the clients of the host's SYN cookies: it kept nothing for them
     * ({@code tcp_conn_request} frees the request of a cookie once its SYN-ACK is sent), so there
     * is nothing to reset, and a crashed host sends no segment. The crash at 1 s resets the two
     * connections in the accept queue at both ends, as every crash in the sim does, but the cookie
     * client stays open; the host restarts at 2 s with nothing listening, and the cookie client's
     * data at 3 s is its first word to the new boot: no listener, one RST at 3.01 s, "Connection
     * reset by peer" at 3.02 s (before stop 32, the crash reset it at once).
     */
    @AioTest(network = "server")
    void aCrashSendsNothingToItsCookieClientsWhoLearnOfItFromTheRestartedHost(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        Server server = lineEchoServer(1);
        net.pauseAccepting("server");
        List<StreamPair> clients = connectAll(3);
        assertTrue(net.trace().contains("0.010000 syncookie server:7->local:49154 (SYN queue of 2 full, backlog 1; no request kept)"),
                net.trace().toString());
        Aio.sleep(1 - loop.time());
        net.crash("server");
        Aio.sleep(0.5);
        assertTrue(clients.get(0).writer().transport().isClosing() && clients.get(1).writer().transport().isClosing(),
                "the queued connections were reset: " + net.trace());
        StreamPair third = clients.get(2);
        assertFalse(third.writer().transport().isClosing(), "the cookie client heard nothing: " + net.trace());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains("reset") && l.contains("local:49154")), net.trace().toString());
        loop.callLater(2 - loop.time(), () -> net.restart("server"));
        Aio.sleep(3 - loop.time());
        third.writer().write("x\n".getBytes(StandardCharsets.UTF_8));
        SocketException e = assertThrows(SocketException.class, () -> third.reader().readline());
        assertTrue(e.getMessage().startsWith("Connection reset by peer"), e.getMessage());
        assertEquals(3.020, loop.time(), 1e-9, net.trace().toString());
        assertTrue(net.trace().contains("3.010000 reset server:7->local:49154 (no listener for a SYN cookie's ACK)"), net.trace().toString());
        server.close();
        closeAll(null, clients, List.of());
    }

    /**
     * The same crash, and the host stays down: the cookie client's data gets no answer at all
     * (dropped at 3.01, 3.21, 3.61, 4.41, 6.01 and 9.21 s, retransmitted 200 ms after it left and
     * then at doubling intervals), the next retransmission would leave past the give-up time of
     * 10 s, and the connection times out 10 s after the data first left: "Connection timed out"
     * at 13 s, as a Linux client whose server vanished does.
     */
    @AioTest(network = "server")
    void aCookieClientOfAHostThatStaysDownTimesOut(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        net.setTcpTimeouts(127, 10);
        Server server = lineEchoServer(1);
        net.pauseAccepting("server");
        List<StreamPair> clients = connectAll(3);
        Aio.sleep(1 - loop.time());
        net.crash("server");
        Aio.sleep(3 - loop.time());
        StreamPair third = clients.get(2);
        assertFalse(third.writer().transport().isClosing(), net.trace().toString());
        third.writer().write("x\n".getBytes(StandardCharsets.UTF_8));
        SocketException e = assertThrows(SocketException.class, () -> third.reader().readline());
        assertTrue(e.getMessage().startsWith("Connection timed out"), e.getMessage() + " " + net.trace());
        assertEquals(13.0, loop.time(), 1e-9, net.trace().toString());
        List<Double> dropped = net.trace().stream().filter(l -> l.contains(" dropped local:49154->server:7 data 2B (host server is down)"))
                .map(SimSynFloodTest::time).toList();
        assertEquals(List.of(3.01, 3.21, 3.61, 4.41, 6.01, 9.21), dropped, net.trace().toString());
        server.close();
        closeAll(null, clients, List.of());
    }

    /**
     * A backlog of 0 still lets one connection wait, as on Linux: {@code __sys_listen} keeps 0
     * (only a backlog above {@code net.core.somaxconn} is cut), and {@code sk_acceptq_is_full}
     * compares with {@code >}, so the accept queue is full only once it holds one; the SYN queue
     * ({@code inet_csk_reqsk_queue_is_full}, also {@code >}) keeps one request. Three connects to a
     * listener with backlog 0 that does not accept: the first becomes a request and is queued at
     * 30 ms, the other two get cookies and their ACKs are dropped. (Streams refuses a backlog of 0,
     * as aio-streams does for a real socket, whose JDK would take 0 as its default of 50: the
     * seam's listen is called directly.) Before stop 32 the sim took 0 as 1 and queued two.
     */
    @AioTest(network = "server")
    void aBacklogOfZeroLetsOneConnectionWait(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        List<Transport> accepted = new ArrayList<>();
        Network.Listener listener = net.listen(loop, new InetSocketAddress(net.address("server"), 7), 0, hangingUp(accepted));
        net.pauseAccepting("server");
        List<StreamPair> clients = connectAll(3);
        Aio.sleep(0.5);
        List<String> queued = net.trace().stream().filter(l -> l.contains(" queued server:7->")).toList();
        assertEquals(List.of("0.030000 queued server:7->local:49152 (accept queue 1, backlog 0)"), queued, net.trace().toString());
        assertEquals(2, net.trace().stream().filter(l -> l.contains(" ACK (backlog of 0 full)")).count(), net.trace().toString());
        net.resumeAccepting("server");
        Aio.sleep(0.1);
        assertEquals(1, accepted.size(), net.trace().toString());
        listener.close();
        closeAll(null, clients, List.of());
    }

    /**
     * A backlog above {@code net.core.somaxconn} (4096 since Linux 5.4) is cut to it when the
     * listener is made ({@code __sys_listen}: {@code min(backlog, somaxconn)}): a server asking for
     * 5000 gets 4096, which the trace of a queued connection shows. Before stop 32 the sim took
     * the backlog as given.
     */
    @AioTest(network = "server")
    void aBacklogAboveSomaxconnIsCutToIt(SimNetwork net) throws IOException {
        net.setLatency(0.010, 0);
        Server server = lineEchoServer(5000);
        net.pauseAccepting("server");
        StreamPair c = Streams.openConnection("server", 7);
        Aio.sleep(0.1);
        assertTrue(net.trace().contains("0.030000 queued server:7->local:49152 (accept queue 1, backlog 4096)"), net.trace().toString());
        assertEquals(4096, SimNetwork.DEFAULT_SOMAXCONN);
        closeAll(server, List.of(c), List.of());
    }

    /**
     * {@code setSomaxconn} sets the cap for listeners made from then on, as writing
     * {@code net.core.somaxconn} does (a listener keeps the backlog it got). With a cap of 2, a
     * server asking for 100 holds 3 connections (the first three SYNs are requests, the next three
     * get cookies, whose ACKs the full queue drops), while one made before keeps its 100. Bad
     * values are refused with the rule in the message.
     */
    @AioTest(network = "server")
    void setSomaxconnCapsListenersMadeAfterIt(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(0.010, 0);
        Server before = lineEchoServer(100);
        net.setSomaxconn(2);
        Server after = Streams.startServer((r, w) -> w.close(), "server", 8, ServerOptions.defaults().backlog(100));
        net.pauseAccepting("server");
        List<Task<StreamPair>> connects = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            connects.add(Aio.createTask(() -> Streams.openConnection("server", 8)));
        }
        connects.add(Aio.createTask(() -> Streams.openConnection("server", 7)));
        List<StreamPair> clients = new ArrayList<>();
        for (Task<StreamPair> t : connects) {
            clients.add(t.await());
        }
        Aio.sleep(0.5);
        assertEquals(3, net.trace().stream().filter(l -> l.contains(" queued server:8->")).count(), net.trace().toString());
        assertTrue(net.trace().contains("0.030000 queued server:8->local:49154 (accept queue 3, backlog 2)"), net.trace().toString());
        assertTrue(net.trace().contains("0.030000 queued server:7->local:49158 (accept queue 1, backlog 100)"), net.trace().toString());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> net.setSomaxconn(-1));
        assertEquals("somaxconn must be >= 0 (Linux's net.core.somaxconn range), got -1", bad.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> net.listen(loop, new InetSocketAddress(net.address("server"), 9), -1, hangingUp(new ArrayList<>())));
        assertTrue(negative.getMessage().startsWith("backlog must be >= 0"), negative.getMessage());
        net.resumeAccepting("server");
        closeAll(before, clients, List.of());
        after.close();
        after.waitClosed();
    }

    private static List<StreamPair> connectAll(int n) throws IOException {
        List<Task<StreamPair>> connects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            connects.add(Aio.createTask(() -> Streams.openConnection("server", 7)));
        }
        List<StreamPair> made = new ArrayList<>();
        for (Task<StreamPair> t : connects) {
            made.add(t.await());
        }
        return made;
    }

    /** An acceptor whose protocol hangs up on each connection it is given, recording it. */
    private static Network.Acceptor hangingUp(List<Transport> accepted) {
        return new Network.Acceptor() {
            @Override
            public Protocol accepted(Transport transport) {
                accepted.add(transport);
                return new Protocol() {
                    @Override
                    public void connectionMade(Transport t) {
                        t.close();
                    }
                };
            }

            @Override
            public void finished(Transport transport) {
            }
        };
    }

    /** Closes the clients' writers (a reset one is closed already), then the server, if any. */
    private static void closeAll(Server server, List<StreamPair> some, List<StreamPair> more) throws IOException {
        for (List<StreamPair> list : List.of(some, more)) {
            for (StreamPair p : list) {
                p.writer().close();
            }
        }
        if (server != null) {
            server.close();
            server.waitClosed();
        }
    }
}
