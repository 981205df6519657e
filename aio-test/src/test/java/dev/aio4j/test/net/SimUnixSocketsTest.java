package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Schedule;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.ServerOptions;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;
import dev.aio4j.test.AioTest;
import dev.aio4j.test.Schedules;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unix domain sockets on {@link SimNetwork}: unmodified {@link Streams#startUnixServer} and
 * {@link Streams#openUnixConnection} code on the virtual clock, with no socket file made. A Unix
 * socket is local to its host. aio4j-only (issue 17).
 */
class SimUnixSocketsTest {
    /** A path no test creates on the real file system: the simulation never touches it. */
    private static final Path SOCK = Path.of("/nonexistent-aio4j-sim/app.sock");

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
    void echoOverASimulatedUnixSocketOnTheVirtualClock() throws IOException {
        SimNetwork net = network(1);
        net.setLatency(SimNetwork.LOCAL, SimNetwork.LOCAL, 0.010, 0);
        EventLoop loop = Aio.getRunningLoop();
        Server server = Streams.startUnixServer(SimNetworkTest::echo, SOCK);
        assertTrue(server.sockets().isEmpty(), "no real socket: " + server.sockets());
        assertEquals(List.of(UnixDomainSocketAddress.of(SOCK)), server.addresses());
        assertFalse(Files.exists(SOCK.getParent()), "the simulation made no file");

        double t0 = loop.time();
        StreamPair c = Streams.openUnixConnection(SOCK);
        assertEquals(0.0, loop.time() - t0, 1e-9, "a Unix connect has no handshake (unix_stream_connect): no loop time");
        assertEquals(UnixDomainSocketAddress.of(SOCK), c.writer().getExtraInfo("peername"));
        assertEquals("SimTransport[local:unix#49152->local:" + SOCK + ", open, in flight=0]", c.writer().transport().toString());

        double t1 = loop.time();
        c.writer().write(bytes("hello\n"));
        c.writer().drain();
        assertEquals("hello\n", text(c.reader().readline()));
        assertEquals(0.020, loop.time() - t1, 1e-9, "there and back: two latencies of loop time");

        c.writer().close();
        server.close();
        server.waitClosed();
        List<String> trace = net.trace();
        assertTrue(trace.contains("0.000000 listen local:" + SOCK), trace.toString());
        assertTrue(trace.contains("0.000000 connect local:unix#49152->local:" + SOCK), trace.toString());
        assertTrue(trace.stream().anyMatch(l -> l.endsWith("deliver local:unix#49152->local:" + SOCK + " 6B")), trace.toString());
        assertTrue(trace.stream().anyMatch(l -> l.endsWith("unlisten local:" + SOCK)), trace.toString());
    }

    /**
     * A Unix listener has no SYN queue and no SYN cookies: Linux's {@code unix_stream_connect}
     * puts a connection on the listener's queue at once, and when that queue holds more than the
     * backlog ({@code unix_recvq_full}: {@code skb_queue_len > sk_max_ack_backlog}) a non-blocking
     * connect fails at once with {@code EAGAIN}, which the JDK reports as a {@code SocketException}
     * "Resource temporarily unavailable" and aio-streams passes on as "Connect call failed to
     * path: ...", as over a real socket. A backlog of 1 holds two; the third connect fails in no
     * loop time; once the server accepts again both waiting connections are served. (Before stop
     * 32 the third got a SYN cookie and connected.)
     */
    @AioTest
    void aConnectToAFullUnixBacklogFailsAtOnceWithEagain() throws IOException {
        SimNetwork net = network(1);
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency(SimNetwork.LOCAL, SimNetwork.LOCAL, 0.010, 0);
        List<String> served = new ArrayList<>();
        Server server = Streams.startUnixServer((r, w) -> {
            served.add(text(r.readline()));
            w.close();
        }, SOCK, ServerOptions.defaults().backlog(1));
        net.pauseAccepting(SimNetwork.LOCAL);
        StreamPair a = Streams.openUnixConnection(SOCK);
        StreamPair b = Streams.openUnixConnection(SOCK);
        SocketException full = assertThrows(SocketException.class, () -> Streams.openUnixConnection(SOCK));
        assertFalse(full instanceof ConnectException, full.toString());
        assertTrue(full.getMessage().startsWith("Connect call failed to " + SOCK + ": Resource temporarily unavailable"),
                full.getMessage());
        assertEquals(0.0, loop.time(), 1e-9, "no handshake, no wait: " + net.trace());
        assertTrue(net.trace().contains("0.000000 refused local:unix#49154->local:" + SOCK + " (accept queue of 2 full, backlog 1: EAGAIN)"),
                net.trace().toString());
        assertTrue(net.trace().stream().noneMatch(l -> l.contains("syncookie") || l.contains(" SYN")), net.trace().toString());
        a.writer().write(bytes("a\n"));
        b.writer().write(bytes("b\n"));
        net.resumeAccepting(SimNetwork.LOCAL);
        assertEquals(0, a.reader().read().length);
        assertEquals(0, b.reader().read().length);
        assertEquals(List.of("a\n", "b\n"), served);
        StreamPair c = Streams.openUnixConnection(SOCK);
        c.writer().write(bytes("c\n"));
        assertEquals(0, c.reader().read().length, "room again once the server accepted");
        for (StreamPair p : List.of(a, b, c)) {
            p.writer().close();
        }
        server.close();
        server.waitClosed();
    }

    /**
     * A server that accepts still takes its connections only when its loop next runs (a real
     * loop's accept runs when the selector next reports the listener), so connects made in one
     * loop iteration wait in the listener's queue meanwhile and count against its backlog, as in
     * Linux's {@code unix_recvq_full}: three tasks connect in the same iteration to a backlog of 1;
     * two connect, the third fails at once with {@code EAGAIN}, though accepting was never paused.
     * On the next iteration both are accepted, and a connect after that finds room. Before, the
     * sim counted only connections queued while accepting was paused, and all three connected.
     */
    @AioTest
    void unixConnectsInOneIterationCountAgainstTheBacklogBeforeTheServerAccepts() throws IOException {
        SimNetwork net = network(1);
        List<String> served = new ArrayList<>();
        Server server = Streams.startUnixServer((r, w) -> {
            served.add(text(r.readline()));
            w.close();
        }, SOCK, ServerOptions.defaults().backlog(1));
        List<Task<String>> burst = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String line = i + "\n";
            burst.add(Aio.createTask(() -> {
                StreamPair p;
                try {
                    p = Streams.openUnixConnection(SOCK);
                } catch (SocketException e) {
                    return e.getMessage();
                }
                p.writer().write(bytes(line));
                p.reader().read();
                p.writer().close();
                return "served";
            }));
        }
        List<String> outcomes = new ArrayList<>();
        for (Task<String> t : burst) {
            outcomes.add(t.await());
        }
        assertEquals("served", outcomes.get(0), net.trace().toString());
        assertEquals("served", outcomes.get(1), net.trace().toString());
        assertTrue(outcomes.get(2).startsWith("Connect call failed to " + SOCK + ": Resource temporarily unavailable"), outcomes.get(2));
        assertTrue(net.trace().contains("0.000000 refused local:unix#49154->local:" + SOCK + " (accept queue of 2 full, backlog 1: EAGAIN)"),
                net.trace().toString());
        assertEquals(List.of("0\n", "1\n"), served);
        StreamPair later = Streams.openUnixConnection(SOCK);
        later.writer().write(bytes("3\n"));
        assertEquals(0, later.reader().read().length, "room again once the server accepted: " + net.trace());
        later.writer().close();
        server.close();
        server.waitClosed();
    }

    @AioTest
    void aMissingPathFailsAsTheRealOneAndAClosedServersPathIsGone() throws IOException {
        SimNetwork net = network(1);
        SocketException missing = assertThrows(SocketException.class, () -> Streams.openUnixConnection(SOCK));
        assertFalse(missing instanceof ConnectException, missing.toString());
        assertTrue(missing.getMessage().startsWith("Connect call failed to " + SOCK + ": No such file or directory"),
                missing.getMessage());

        Server server = Streams.startUnixServer((r, w) -> w.close(), SOCK);
        Streams.openUnixConnection(SOCK).writer().close();
        server.close();
        server.waitClosed();
        assertThrows(SocketException.class, () -> Streams.openUnixConnection(SOCK), "closing the server removed the path");
        assertTrue(net.trace().stream().anyMatch(l -> l.endsWith("refused local:" + SOCK + " (no such file)")), net.trace().toString());
    }

    @AioTest
    void aUnixSocketIsReachableOnlyFromItsHost() throws Exception {
        SimNetwork net = network(1);
        Task<Server> listening = net.spawn("server", () -> Streams.startUnixServer((r, w) -> {
            w.write(bytes("from server\n"));
            w.close();
        }, SOCK));
        Server server = listening.await();
        assertThrows(SocketException.class, () -> Streams.openUnixConnection(SOCK), "the path is on host server, not local");
        Task<String> onServer = net.spawn("server", () -> {
            StreamPair c = Streams.openUnixConnection(SOCK);
            String line = text(c.reader().readline());
            c.writer().close();
            return line;
        });
        assertEquals("from server\n", onServer.await());
        server.close();
        server.waitClosed();
    }

    @AioTest
    void aHostCrashResetsItsUnixConnectionsAndLeavesAStaleFile() throws Exception {
        SimNetwork net = network(1);
        Task<Server> listening = net.spawn("server", () -> Streams.startUnixServer(SimNetworkTest::waitForTheEnd, SOCK));
        Server server = listening.await();
        List<StreamPair> made = new ArrayList<>();
        Task<Object> client = net.spawn("server", () -> {
            made.add(Streams.openUnixConnection(SOCK));
            return made.get(0).reader().read();
        });
        Aio.sleep(0.1);
        assertEquals(1, made.size());
        assertFalse(made.get(0).writer().transport().isClosing());
        net.crash("server");
        Aio.sleep(0.1);
        assertTrue(client.cancelled(), "the crash cancelled the task on the host: " + client);
        assertTrue(made.get(0).writer().transport().isClosing(), "the crash reset the Unix connection");
        net.restart("server");
        Task<Object> after = net.spawn("server", () -> Streams.openUnixConnection(SOCK));
        Throwable refused = assertThrows(Exception.class, after::await);
        refused = refused instanceof java.util.concurrent.CompletionException ce ? ce.getCause() : refused;
        assertInstanceOf(ConnectException.class, refused, "a stale socket file refuses: " + refused);
        assertTrue(refused.getMessage().contains("Connection refused"), refused.getMessage());
        // Listening again takes the stale path over, as aio-streams removes a stale socket file.
        Task<Server> again = net.spawn("server", () -> Streams.startUnixServer((r, w) -> w.close(), SOCK));
        Server second = again.await();
        Task<byte[]> ok = net.spawn("server", () -> {
            StreamPair c = Streams.openUnixConnection(SOCK);
            byte[] got = c.reader().read();
            c.writer().close();
            return got;
        });
        assertEquals(0, ok.await().length);
        second.close();
        second.waitClosed();
        server.close();
        assertTrue(net.trace().stream().anyMatch(l -> l.endsWith("refused server:" + SOCK + " (stale socket file)")),
                net.trace().toString());
    }

    @AioTest
    void aResetOfTheHostsOwnLinkResetsAUnixConnection() throws IOException {
        SimNetwork net = network(1);
        Server server = Streams.startUnixServer(SimNetworkTest::waitForTheEnd, SOCK);
        StreamPair c = Streams.openUnixConnection(SOCK);
        Aio.getRunningLoop().callLater(0.5, () -> net.reset(SimNetwork.LOCAL, SimNetwork.LOCAL));
        SocketException e = assertThrows(SocketException.class, () -> c.reader().read());
        assertTrue(e.getMessage().startsWith("Connection reset by peer"), e.getMessage());
        c.writer().close();
        server.close();
        server.waitClosed();
    }

    @AioTest
    void writesPauseWhileTheUnixPeerDoesNotRead() throws IOException {
        network(1);
        EventLoop loop = Aio.getRunningLoop();
        int total = 1 << 20;
        Server server = Streams.startUnixServer((r, w) -> {
            Aio.sleep(5);
            int n = 0;
            while (n < total) {
                n += r.read(65536).length;
            }
            w.write(bytes("done\n"));
            w.close();
        }, SOCK);
        StreamPair c = Streams.openUnixConnection(SOCK);
        c.writer().write(new byte[total]);
        assertTrue(c.writer().transport().getWriteBufferSize() > 0);
        c.writer().drain();
        assertTrue(loop.time() >= 5, "drain() waited for the reader: t=" + loop.time());
        assertEquals("done\n", text(c.reader().readline()));
        c.writer().close();
        server.close();
        server.waitClosed();
    }

    /** Three clients on the server's host with jittery latency, a reset of the host's link in the middle. */
    private static String scenario(long seed) {
        return Schedules.run(Schedule.fifo(), () -> {
            SimNetwork net = network(seed);
            net.setLatency("server", "server", 0.005, 0.045);
            Server server = net.spawn("server", () -> Streams.startUnixServer(SimNetworkTest::echo, SOCK)).await();
            FaultPlan.of(new Fault.Reset(0.120, "server", "server")).apply(net);
            SimScenarios.echoingClients(net, server, List.of("a", "b", "c"), name -> "server",
                    () -> Streams.openUnixConnection(SOCK));
            net.uninstall();
            return net.traceHash();
        });
    }

    @org.junit.jupiter.api.Test
    void theSameSeedGivesTheSameUnixTraceTwentyTimes() {
        // Re-pinned when the server began to accept on the client's ACK of the SYN-ACK, not the SYN,
        // and again when a Unix connect lost its handshake (stop 32: AF_UNIX has none).
        SimScenarios.assertSameTraceTwentyTimes(SimUnixSocketsTest::scenario, "32896efa12f6703b");
    }
}
