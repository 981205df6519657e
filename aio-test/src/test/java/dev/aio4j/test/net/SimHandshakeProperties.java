package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Schedule;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.ServerOptions;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;
import dev.aio4j.test.Schedules;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Provide;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.statistics.Statistics;

import java.net.ConnectException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handshake's timers for all seeds and losses ({@link SimHandshakeTimersTest} has the exact
 * examples): the connecting end sends its SYNs on Linux's schedule alone (0, 1, 3, 7, 15, 31,
 * 63 s: never more than 1 + {@code tcp_syn_retries} = 7), and fails with "Connection timed out"
 * at exactly 127 s or not at all; a loss that ends before the last SYN never fails a connect;
 * and a connection whose ACK a full accept queue dropped (a SYN cookie's, stop 31) is accepted,
 * once accepting resumes, when its client's data next arrives at the latest.
 * aio4j-only.
 */
class SimHandshakeProperties {
    /** When Linux sends a connect's SYNs, from its first: TCP_TIMEOUT_INIT, doubling, 6 retries. */
    private static final List<Double> SYN_SCHEDULE = List.of(0.0, 1.0, 3.0, 7.0, 15.0, 31.0, 63.0);
    /** When data nobody acknowledges is sent again, after it first left: 200 ms, doubling (the sim's RTO from its first send). */
    private static final List<Double> DATA_RETRANSMISSIONS = List.of(0.0, 0.2, 0.6, 1.4, 3.0, 6.2, 12.6, 25.4, 51.0);

    /** Any loss, half the time a heavy one (most runs under a long heavy loss time out). */
    @Provide
    Arbitrary<Double> losses() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0, 0.95), Arbitraries.doubles().between(0.9, 1.0));
    }

    private static double time(String line) {
        return Double.parseDouble(line.substring(0, line.indexOf(' ')));
    }

    @Property(tries = 150)
    void aConnectUnderLossThatEndsConnectsOrTimesOutOnLinuxsSchedule(@ForAll @IntRange(min = 0, max = 1_000_000) int seed,
                                                                   @ForAll("losses") double loss,
                                                                   @ForAll @DoubleRange(min = 0, max = 200) double lossFor,
                                                                   @ForAll @DoubleRange(min = 0.001, max = 0.6) @Scale(3) double latency,
                                                                   @ForAll @DoubleRange(min = 0, max = 0.2) double jitter,
                                                                   @ForAll @DoubleRange(min = 0, max = 1) @Scale(3) double startAt) {
        List<String> run = connectUnderLoss(seed, loss, lossFor, latency, jitter, startAt);
        assertEquals(run, connectUnderLoss(seed, loss, lossFor, latency, jitter, startAt), "the same seed, the same trace");
        Statistics.label("outcome").collect(run.get(0));
    }

    /** One connect under a loss that lasts {@code lossFor} s, checked; its outcome and the trace hash. */
    private static List<String> connectUnderLoss(int seed, double loss, double lossFor, double latency, double jitter, double startAt) {
        return Schedules.run(Schedule.fifo(), () -> {
            EventLoop loop = Aio.getRunningLoop();
            SimNetwork net = new SimNetwork(seed);
            net.addHost("server");
            net.install(loop);
            net.setLatency(latency, jitter);
            Server server = Streams.startServer((r, w) -> {
                r.read(); // nothing sent until the client closes: no timer of its own meanwhile
                w.close();
            }, "server", 7);
            Aio.sleep(startAt); // a connect at any time, not only at 0 (the timer counts from its first SYN)
            net.setLoss(SimNetwork.LOCAL, "server", loss);
            boolean[] lossEnded = {false};
            loop.callLater(lossFor, () -> {
                lossEnded[0] = true;
                net.setLoss(SimNetwork.LOCAL, "server", 0);
            });
            int timersBefore = SimHandshakeTimersTest.timerCount(loop);
            double t0 = loop.time();
            Task<StreamPair> connect = Aio.createTask(() -> Streams.openConnection("server", 7));
            StreamPair c = null;
            String failure = null;
            try {
                c = connect.await();
            } catch (Exception e) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                if (!(cause instanceof ConnectException)) {
                    throw e;
                }
                failure = cause.getMessage();
            }
            double took = loop.time() - t0;
            List<Double> syns = new ArrayList<>();
            for (String l : net.trace()) {
                if (l.contains(" connect local:") || (l.contains(" retransmit local:") && l.contains(" SYN ("))) {
                    syns.add(Math.round((time(l) - t0) * 1000) / 1000.0); // the trace has microseconds
                }
            }
            assertTrue(syns.size() <= 7, "at most 1 + tcp_syn_retries SYNs: " + syns + " " + net.replayReport());
            assertEquals(SYN_SCHEDULE.subList(0, syns.size()), syns, "SYNs on Linux's schedule: " + net.replayReport());
            if (failure != null) {
                assertTrue(failure.contains("Connection timed out"), failure);
                assertEquals(127.0, took, 1e-9, net.replayReport());
                assertEquals(7, syns.size(), net.replayReport());
            } else {
                double t = took;
                assertEquals(SYN_SCHEDULE.stream().filter(s -> s < t).toList(), syns, "every SYN due before the connect was sent, "
                        + "and no other: " + net.replayReport());
            }
            if (lossFor < 63) {
                // The first SYN sent after the loss ended crosses, and is answered at once.
                double s = SYN_SCHEDULE.stream().filter(x -> x > lossFor).findFirst().orElseThrow(); // one at lossFor may leave first
                assertTrue(failure == null, "a loss that ended at " + lossFor + " s failed the connect: " + net.replayReport());
                assertTrue(took <= s + 2 * (latency + jitter) + 1e-9, "connected at " + took + ", not by the SYN at " + s + " s: "
                        + net.replayReport());
            }
            if (c != null) {
                // Once no request is half open (accepted, or dropped when the loss kept eating the
                // ACKs) and what was on its way has landed (the client's ACK, a SYN-ACK the
                // request's timer sent until then, and the ACK answering it: three crossings), the
                // loop holds the timers it held before the connect, less the loss's end if it
                // came: no SYN timer, no timer of a request that is gone.
                while (net.halfOpen() > 0) {
                    Aio.sleep(0.5);
                }
                Aio.sleep(3 * (latency + jitter) + 0.001);
                assertEquals(timersBefore - (lossEnded[0] ? 1 : 0), SimHandshakeTimersTest.timerCount(loop),
                        "timers left after the connect: " + net.replayReport());
                c.writer().close();
            }
            Aio.sleep(Math.max(lossFor, 127) + 200 - loop.time());
            assertTrue(net.toString().contains("connections=0"), "nothing half open is left: " + net + " " + net.replayReport());
            assertTrue(net.trace().stream().noneMatch(l -> l.contains(" retransmit ") && l.contains(" ack")),
                    "a pure ACK is never retransmitted: " + net.replayReport());
            server.close();
            server.waitClosed();
            net.uninstall();
            return List.of(failure == null ? "connected" : "timed out", net.traceHash());
        });
    }

    /**
     * Clients connecting together to a backlog of 1 that does not accept: the first two SYNs make
     * requests, whose ACKs fill the accept queue (it holds two), and the others get SYN cookies
     * (Linux's tcp_conn_request: more than backlog requests half open), whose ACKs the full queue
     * drops with nothing kept (cookie_v4_check). Once accepting resumes, every connection is
     * accepted: the requests' at once, a cookie's when its client's data next arrives (at the
     * latest its next retransmission, 200 ms doubling after it left, or when it is written after
     * the resume). Until stop 31 every one of them made a request, and a dropped ACK was answered
     * again by the request's next SYN-ACK retransmission (1, 3, 7, 15, 31 s after its first).
     */
    @Property(tries = 100)
    void anAckAFullAcceptQueueDroppedIsCarriedAgainByTheCookieClientsData(
            @ForAll @IntRange(min = 0, max = 1_000_000) int seed,
            @ForAll @IntRange(min = 3, max = 6) int clients,
            @ForAll @DoubleRange(min = 0.05, max = 30) double stallFor,
            @ForAll boolean writeAtOnce) {
        Schedules.run(Schedule.fifo(), () -> {
            EventLoop loop = Aio.getRunningLoop();
            SimNetwork net = new SimNetwork(seed);
            net.addHost("server");
            net.install(loop);
            net.setLatency(0.010, 0);
            Server server = Streams.createServer(() -> new EchoOnce(), "server", 7, ServerOptions.defaults().backlog(1));
            net.pauseAccepting("server");
            loop.callLater(stallFor, () -> net.resumeAccepting("server"));
            List<Task<StreamPair>> connects = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                connects.add(Aio.createTask(() -> Streams.openConnection("server", 7)));
            }
            List<StreamPair> pairs = new ArrayList<>();
            for (Task<StreamPair> t : connects) {
                pairs.add(t.await()); // every handshake completes at the client (20 ms)
            }
            if (writeAtOnce) {
                for (StreamPair p : pairs) {
                    p.writer().write("x".getBytes());
                }
            }
            Aio.sleep(stallFor + 40 - loop.time());
            for (StreamPair p : pairs) {
                if (!writeAtOnce) {
                    p.writer().write("x".getBytes());
                }
            }
            for (StreamPair p : pairs) {
                try {
                    assertEquals("x", new String(Aio.waitFor(() -> p.reader().readexactly(1), 5.0)), net.replayReport());
                } catch (SocketException e) {
                    throw new AssertionError("every connection is accepted: " + e + " " + net.replayReport(), e);
                }
            }
            // The requests wait in the accept queue until the resume. A cookie client's data left at
            // 20 ms and is sent again 0.2, 0.6, 1.4, 3, 6.2, 12.6, 25.4, 51 s after (arriving 10 ms
            // later, the cookie valid throughout: its counter is at most one minute old), or it
            // is written 40 s after the resume.
            double resumedAt = stallFor;
            double latest = !writeAtOnce ? stallFor + 40 + 0.010
                    : DATA_RETRANSMISSIONS.stream().map(x -> 0.020 + x + 0.010).filter(x -> x >= resumedAt - 1e-9).findFirst().orElseThrow();
            assertEquals(clients - 2, net.trace().stream().filter(l -> l.contains(" syncookie ")).count(), net.replayReport());
            List<Double> accepts = net.trace().stream().filter(l -> l.contains(" accept server:")).map(l -> time(l)).toList();
            assertEquals(clients, accepts.size(), net.replayReport());
            for (double a : accepts) {
                assertTrue(a >= resumedAt - 1e-9 && a <= latest + 1e-9, "accepted at " + a + ", resumed at " + resumedAt
                        + ", next SYN-ACK answered by " + latest + ": " + net.replayReport());
            }
            assertTrue(net.trace().stream().noneMatch(l -> l.contains(" retransmit ") && l.contains(" ack")), net.replayReport());
            assertTrue(net.trace().stream().noneMatch(l -> l.contains("handshake never completed")), net.replayReport());
            for (StreamPair p : pairs) {
                p.writer().close();
            }
            server.close();
            server.waitClosed();
            net.uninstall();
            return null;
        });
    }

    /** Echoes what it receives. */
    private static final class EchoOnce implements dev.aio4j.streams.Protocol {
        private dev.aio4j.streams.Transport transport;

        @Override
        public void connectionMade(dev.aio4j.streams.Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(byte[] data) {
            transport.write(data);
        }

        @Override
        public boolean eofReceived() {
            return false;
        }
    }
}
