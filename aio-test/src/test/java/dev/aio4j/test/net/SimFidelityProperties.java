package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Schedule;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.Transport;
import dev.aio4j.test.Schedules;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The invariants behind {@link SimFidelityTest}, for all inputs: under any loss a reset or a
 * refusal is learned or times out, never hangs, and replays from its seed; no SYN crosses a link
 * that loses everything, however a full backlog made it retransmit; a link never carries more
 * than its bandwidth, retransmissions included; a connect never completes after its connect
 * timeout, whatever holds it; close() with unread data resets the peer and without it ends the
 * stream, and what was written before arrives either way. aio4j-only.
 */
class SimFidelityProperties {

    /** The time a trace line starts with. */
    private static double time(String line) {
        return Double.parseDouble(line.substring(0, line.indexOf(' ')));
    }

    // ------------------------------------------------------------------------- 1. RST and refusal

    /**
     * A server that stops reading and, half a second later, closes over the line that arrived
     * meanwhile (a RST, as Linux sends): what the client ends with, and the trace hash.
     */
    private static List<String> abortedUnderLoss(long seed, double loss) {
        return Schedules.run(Schedule.fifo(), () -> {
            SimNetwork net = new SimNetwork(seed);
            net.addHost("server");
            net.install(Aio.getRunningLoop());
            net.setLatency(0.005, 0.005);
            net.setTcpTimeouts(20, 60);
            Server server = Streams.startServer((r, w) -> {
                w.transport().pauseReading();
                Aio.sleep(0.5);
                w.transport().abort();
            }, "server", 7);
            StreamPair c = Streams.openConnection("server", 7);
            c.writer().write("hello\n".getBytes());
            Aio.sleep(0.1); // arrived (no loss yet), and waits unread
            net.setLoss(SimNetwork.LOCAL, "server", loss);
            Task<String> read = Aio.createTask(() -> {
                try {
                    return "read " + c.reader().read().length + "B";
                } catch (SocketException e) {
                    return e.getMessage();
                }
            });
            for (int i = 0; i < 200 && !read.done(); i++) {
                Aio.sleep(1);
                c.writer().write("more\n".getBytes()); // a closed end answers with a RST
            }
            String ended = read.done() ? read.await() : "still reading";
            String refused;
            try {
                Streams.openConnection("server", 8);
                refused = "connected";
            } catch (ConnectException e) {
                refused = e.getMessage();
            }
            c.writer().close();
            server.close();
            server.abortClients(); // a server end whose peer timed out may still wait for its line: nobody tells it
            server.waitClosed();
            return List.of(ended, refused, net.traceHash(), net.replayReport());
        });
    }

    @Property(tries = 60)
    void aResetOrARefusalIsLearnedOrTimesOutUnderAnyLoss(@ForAll long seed, @ForAll @DoubleRange(min = 0, max = 0.9) double loss) {
        List<String> run = abortedUnderLoss(seed, loss);
        assertTrue(run.get(0).startsWith("Connection reset by peer") || run.get(0).startsWith("Connection timed out"), run.toString());
        assertTrue(run.get(1).contains("Connection refused") || run.get(1).contains("Connection timed out"), run.toString());
        if (loss == 0) {
            assertTrue(run.get(0).startsWith("Connection reset by peer") && run.get(1).contains("Connection refused"), run.toString());
        }
        assertEquals(run.get(2), abortedUnderLoss(seed, loss).get(2), "the same seed, the same trace");
    }

    // ---------------------------------------------------------------- 2. backlog retransmissions

    @Property(tries = 50)
    void noSynCrossesALinkThatLosesEverythingEvenAfterAFullBacklog(@ForAll @IntRange(min = 1, max = 3) int backlog,
                                                                   @ForAll @IntRange(min = 1, max = 3) int extra,
                                                                   @ForAll @DoubleRange(min = 0.02, max = 6) double lossAt) {
        List<String> trace = Schedules.run(Schedule.fifo(), () -> {
            SimNetwork net = new SimNetwork(1);
            net.addHost("server");
            net.install(Aio.getRunningLoop());
            net.setLatency(0.010, 0);
            net.setTcpTimeouts(10, 60);
            Server server = Streams.createServer(() -> new Protocol() { }, "server", 7, null, backlog, false);
            net.pauseAccepting("server");
            List<Task<Object>> clients = new ArrayList<>();
            for (int i = 0; i < backlog + extra; i++) {
                clients.add(Aio.createTask(() -> {
                    try {
                        Streams.openConnection("server", 7).writer().transport().abort();
                        return "connected";
                    } catch (ConnectException e) {
                        return e.getMessage();
                    }
                }));
            }
            Aio.getRunningLoop().callLater(lossAt, () -> net.setLoss(SimNetwork.LOCAL, "server", 1.0));
            for (Task<Object> t : clients) {
                t.await();
            }
            server.close();
            server.waitClosed();
            return net.trace();
        });
        for (String l : trace) {
            if (l.contains(" SYN (backlog") || l.contains(" queued ") || l.contains(" accept ")) {
                assertTrue(time(l) <= lossAt + 0.010 + 1e-6, "a SYN crossed after the link lost everything at " + lossAt + ": " + l + " in "
                        + trace);
            }
        }
    }

    // ------------------------------------------------------------------------------ 3. bandwidth

    @Provide
    Arbitrary<List<Integer>> sizes() {
        return Arbitraries.integers().between(1, 5_000).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 60)
    void aLinkNeverCarriesMoreThanItsBandwidthRetransmissionsIncluded(@ForAll long seed, @ForAll("sizes") List<Integer> sizes,
                                                                      @ForAll @DoubleRange(min = 2_000, max = 200_000) double bandwidth,
                                                                      @ForAll @DoubleRange(min = 0.05, max = 0.3) double loss) {
        int total = sizes.stream().mapToInt(Integer::intValue).sum();
        List<String> trace = Schedules.run(Schedule.fifo(), () -> {
            SimNetwork net = new SimNetwork(seed);
            net.addHost("server");
            net.install(Aio.getRunningLoop());
            net.setLatency(0.005, 0.010);
            net.setTcpTimeouts(127, 1e9); // never give up: every byte arrives
            net.setBandwidth(SimNetwork.LOCAL, "server", bandwidth);
            Server server = Streams.startServer((r, w) -> {
                r.readexactly(total);
                w.close();
            }, "server", 7);
            StreamPair c = Streams.openConnection("server", 7);
            net.setLoss(SimNetwork.LOCAL, "server", loss);
            for (int n : sizes) {
                c.writer().write(new byte[n]);
            }
            c.reader().read(); // the server's FIN, after it read everything
            c.writer().close();
            server.close();
            server.waitClosed();
            return net.trace();
        });
        double firstSend = Double.NaN;
        double lastDelivery = 0;
        long carried = 0;
        for (String l : trace) {
            String[] f = l.split(" ");
            if (f.length < 4 || !f[2].startsWith("local:")) {
                continue;
            }
            if (f[1].equals("send")) {
                firstSend = Double.isNaN(firstSend) ? time(l) : firstSend;
                carried += Long.parseLong(f[3].replace("B", ""));
            } else if (f[1].equals("retransmit") && f[3].equals("data")) {
                carried += Long.parseLong(f[4].replace("B", ""));
            } else if (f[1].equals("deliver")) {
                lastDelivery = time(l);
            }
        }
        assertTrue(lastDelivery - firstSend >= carried / bandwidth - 1e-5, "the link carried " + carried + " B (" + total
                + " B of data) at " + bandwidth + " B/s in " + (lastDelivery - firstSend) + " s: " + trace);
    }

    // ------------------------------------------------------------------------ 4. connect timeout

    @Property(tries = 60)
    void aConnectNeverCompletesAfterItsConnectTimeout(@ForAll @DoubleRange(min = 1, max = 30) double timeout,
                                                       @ForAll @DoubleRange(min = 0.01, max = 60) double cutFor,
                                                       @ForAll @IntRange(min = 0, max = 2) int kind) {
        Assume.that(Math.abs(cutFor - timeout) > 0.05);
        String outcome = Schedules.run(Schedule.fifo(), () -> {
            SimNetwork net = new SimNetwork(1);
            net.addHost("server");
            EventLoop loop = Aio.getRunningLoop();
            net.install(loop);
            net.setLatency(0.010, 0);
            net.setTcpTimeouts(timeout, 60);
            Server server = Streams.startServer((r, w) -> {
                try {
                    r.read();
                } catch (SocketException e) {
                    // the late SYN-ACK was answered with a RST
                }
                w.close();
            }, "server", 7);
            switch (kind) {
                case 0 -> {
                    net.partitionOneWay("server", SimNetwork.LOCAL);
                    loop.callLater(cutFor, () -> net.repairOneWay("server", SimNetwork.LOCAL));
                }
                case 1 -> {
                    net.partition(SimNetwork.LOCAL, "server", false);
                    loop.callLater(cutFor, () -> net.repair(SimNetwork.LOCAL, "server"));
                }
                default -> {
                    net.hold(SimNetwork.LOCAL, "server");
                    loop.callLater(cutFor, () -> net.release(SimNetwork.LOCAL, "server"));
                }
            }
            double t0 = loop.time();
            String result;
            try {
                Streams.openConnection("server", 7).writer().close();
                result = "connected " + (loop.time() - t0);
            } catch (ConnectException e) {
                result = (e.getMessage().contains("Connection timed out") ? "timed out " : e.getMessage()) + (loop.time() - t0);
            }
            Aio.sleep(Math.max(0, cutFor - (loop.time() - t0)) + 1);
            server.close();
            server.waitClosed();
            return result;
        });
        double at = Double.parseDouble(outcome.substring(outcome.lastIndexOf(' ') + 1));
        if (outcome.startsWith("connected")) {
            assertTrue(at < timeout, outcome + " with a connect timeout of " + timeout);
        } else {
            assertTrue(outcome.startsWith("timed out"), outcome);
            assertEquals(timeout, at, 1e-9, outcome);
        }
        assertEquals(cutFor + 0.010 < timeout, outcome.startsWith("connected"), outcome + ", cut for " + cutFor + " of " + timeout);
    }

    // ------------------------------------------------------------------ 5. close() with unread data

    @Property(tries = 60)
    void closeResetsThePeerExactlyWhenDataWasUnread(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3_000) int unread,
                                                    @ForAll @IntRange(min = 0, max = 3_000) int written) {
        byte[] want = new byte[written];
        Arrays.fill(want, (byte) 'w');
        List<Object> got = Schedules.run(Schedule.fifo(), () -> {
            SimNetwork net = new SimNetwork(seed);
            net.addHost("server");
            net.install(Aio.getRunningLoop());
            net.setLatency(0.005, 0.010);
            List<Transport> ends = new ArrayList<>();
            Server server = Streams.createServer(() -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    transport.pauseReading();
                    ends.add(transport);
                }
            }, "server", 7);
            // A protocol sees every byte that arrives; a StreamReader would raise the reset
            // before handing over what it buffered, as asyncio's does.
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            dev.aio4j.loop.Future<String> end = Aio.getRunningLoop().createFuture();
            Transport c = Streams.createConnection(() -> new Protocol() {
                @Override
                public void dataReceived(byte[] data) {
                    read.writeBytes(data);
                }

                @Override
                public boolean eofReceived() {
                    end.setResult("eof");
                    return false;
                }

                @Override
                public void connectionLost(Exception exc) {
                    if (!end.done()) {
                        end.setResult(exc == null ? "closed" : exc.getMessage());
                    }
                }
            }, "server", 7).transport();
            if (unread > 0) {
                c.write(new byte[unread]);
            }
            Aio.sleep(0.1);
            ends.get(0).write(want);
            ends.get(0).close();
            String ended = end.await();
            c.close();
            server.close();
            server.waitClosed();
            return List.<Object>of(read.toByteArray(), ended);
        });
        assertArrayEquals(want, (byte[]) got.get(0), "what the closing end wrote first arrives");
        if (unread > 0) {
            assertTrue(((String) got.get(1)).startsWith("Connection reset by peer"), got.get(1) + " with " + unread + " unread bytes");
        } else {
            assertEquals("eof", got.get(1));
        }
    }
}
