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
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bursts of Unix connects against any backlog, any {@code somaxconn} and an accept schedule with
 * stalls ({@link SimUnixSocketsTest} has the exact example): as Linux's {@code unix_stream_connect},
 * every connect either completes at once or fails at once with "Resource temporarily unavailable"
 * ({@code EAGAIN}), only when the listener's queue holds more than the backlog, which is
 * {@code min(backlog, somaxconn)}: while accepting is paused, or within a burst larger than
 * backlog + 1 (a burst's connects come in one loop iteration, and the server accepts on the next); every connection made is accepted exactly once (its line is
 * served once), so connected + refused = attempted and, once accepting resumes for good, accepted
 * = connected (none pending). aio4j-only (stop 32).
 */
class SimUnixBacklogProperties {
    private static final Path SOCK = Path.of("/nonexistent-aio4j-sim/burst.sock");

    @Property(tries = 80)
    void everyUnixConnectIsAcceptedOnceOrRefusedAtOnce(
            @ForAll @IntRange(min = 0, max = 1_000_000) int seed,
            @ForAll @IntRange(min = 1, max = 8) int backlog,
            @ForAll @IntRange(min = 0, max = 8) int somaxconn,
            @ForAll @IntRange(min = 1, max = 4) int bursts,
            @ForAll @IntRange(min = 1, max = 12) int burstSize,
            @ForAll @DoubleRange(min = 0, max = 3) double resumeAt,
            @ForAll @DoubleRange(min = 0, max = 4) double pauseAgainAt) {
        String outcome = Schedules.run(Schedule.fifo(), () -> {
            EventLoop loop = Aio.getRunningLoop();
            SimNetwork net = new SimNetwork(seed);
            net.install(loop);
            net.setLatency(0.002, 0.003);
            net.setSomaxconn(somaxconn);
            int effective = Math.min(backlog, somaxconn);
            List<String> served = new ArrayList<>();
            Server server = Streams.startUnixServer((r, w) -> {
                served.add(new String(r.readline(), StandardCharsets.UTF_8).trim());
                w.close();
            }, SOCK, ServerOptions.defaults().backlog(backlog));
            boolean[] paused = {true};
            net.pauseAccepting(SimNetwork.LOCAL);
            loop.callLater(resumeAt, () -> {
                paused[0] = false;
                net.resumeAccepting(SimNetwork.LOCAL);
            });
            if (pauseAgainAt > resumeAt) {
                loop.callLater(pauseAgainAt, () -> {
                    paused[0] = true;
                    net.pauseAccepting(SimNetwork.LOCAL);
                });
            }
            Random random = new Random(seed);
            List<Task<String>> connects = new ArrayList<>();
            int attempted = 0;
            for (int b = 0; b < bursts; b++) {
                double at = random.nextDouble() * 4;
                for (int i = 0; i < burstSize; i++) {
                    String id = b + "." + i;
                    attempted++;
                    connects.add(Aio.createTask(() -> {
                        Aio.sleep(at);
                        double t0 = loop.time();
                        boolean pausedThen = paused[0];
                        StreamPair p;
                        try {
                            p = Streams.openUnixConnection(SOCK);
                        } catch (SocketException e) {
                            assertTrue(e.getMessage().contains("Resource temporarily unavailable"), e + " " + net.replayReport());
                            assertEquals(t0, loop.time(), 1e-12, "refused at once: " + net.replayReport());
                            // While the server accepts, only a burst larger than the queue fills it:
                            // its connects come in one loop iteration, before the server's accepts.
                            assertTrue(pausedThen || burstSize > effective + 1,
                                    "refused while the server accepted, in a burst of " + burstSize + ": " + net.replayReport());
                            return "refused";
                        }
                        assertEquals(t0, loop.time(), 1e-12, "made at once, with no handshake: " + net.replayReport());
                        p.writer().write((id + "\n").getBytes(StandardCharsets.UTF_8));
                        byte[] rest = p.reader().read(); // the server hangs up once it served the line
                        assertEquals(0, rest.length, net.replayReport());
                        p.writer().close();
                        return id;
                    }));
                }
            }
            loop.callLater(5, () -> {
                paused[0] = false;
                net.resumeAccepting(SimNetwork.LOCAL);
            });
            Set<String> connected = new HashSet<>();
            int refused = 0;
            for (Task<String> t : connects) {
                String r = t.await();
                if (r.equals("refused")) {
                    refused++;
                } else {
                    connected.add(r);
                }
            }
            assertEquals(attempted, connected.size() + refused, "connected + refused = attempted: " + net.replayReport());
            assertEquals(connected.size(), served.size(), "every connection accepted once, none pending: " + net.replayReport());
            assertEquals(connected, new HashSet<>(served), "each served line is a connection's: " + net.replayReport());
            assertTrue(refused == 0 || connected.size() >= effective + 1,
                    "refused before the queue held backlog + 1 = " + (effective + 1) + ": " + net.replayReport());
            server.close();
            server.waitClosed();
            net.uninstall();
            return refused == 0 ? "none refused" : "some refused";
        });
        Statistics.label("outcome").collect(outcome);
    }
}
