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

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SYN floods of any size against any backlog and accept schedule ({@link SimSynFloodTest} has the
 * exact examples): a listener never holds more than backlog + 1 half-open requests (Linux's
 * {@code inet_csk_reqsk_queue_is_full}, {@code >} since 6.13; every other SYN gets a cookie or,
 * while the accept queue is full, is dropped), and every connect completes or fails with
 * "Connection timed out" within the connect timeout of 127 s of virtual time; connected + timed
 * out = attempted, and no connection is accepted twice, nor more accepted than connected (a cookie
 * client that sends nothing is connected and never accepted, as on Linux). aio4j-only.
 */
class SimSynFloodProperties {

    @Property(tries = 60)
    void everyConnectEndsBy127SecondsAndTheSynQueueStaysWithinTheBacklog(
            @ForAll @IntRange(min = 0, max = 1_000_000) int seed,
            @ForAll @IntRange(min = 1, max = 40) int clients,
            @ForAll @IntRange(min = 1, max = 6) int backlog,
            @ForAll @DoubleRange(min = 0, max = 3) double spread,
            @ForAll @DoubleRange(min = 0, max = 200) double stallFor,
            @ForAll @DoubleRange(min = 0, max = 30) double stallAgainAt,
            @ForAll @DoubleRange(min = 0, max = 0.3) double loss) {
        String outcome = Schedules.run(Schedule.fifo(), () -> {
            EventLoop loop = Aio.getRunningLoop();
            SimNetwork net = new SimNetwork(seed);
            net.addHost("server");
            net.install(loop);
            net.setLatency(0.010, 0.005);
            net.setLoss(SimNetwork.LOCAL, "server", loss);
            // A server that hangs up on what it accepts, with no task of its own: nothing is left
            // pending or open when the body returns.
            List<dev.aio4j.streams.Transport> accepted = new ArrayList<>();
            Server server = Streams.createServer(() -> new dev.aio4j.streams.Protocol() {
                @Override
                public void connectionMade(dev.aio4j.streams.Transport t) {
                    accepted.add(t);
                    t.close();
                }
            }, "server", 7, ServerOptions.defaults().backlog(backlog));
            // Accepting stops at once and resumes after stallFor; it stops again at stallAgainAt for
            // a while if that falls after the resume (an accept schedule with two stalls).
            net.pauseAccepting("server");
            loop.callLater(stallFor, () -> net.resumeAccepting("server"));
            if (stallAgainAt > stallFor) {
                loop.callLater(stallAgainAt, () -> net.pauseAccepting("server"));
                loop.callLater(stallAgainAt + 20, () -> net.resumeAccepting("server"));
            }
            Random random = new Random(seed);
            List<Task<String>> connects = new ArrayList<>();
            int[] peak = {0};
            for (int i = 0; i < clients; i++) {
                double at = random.nextDouble() * spread;
                boolean writes = random.nextBoolean();
                connects.add(Aio.createTask(() -> {
                    Aio.sleep(at);
                    double t0 = loop.time();
                    StreamPair p;
                    try {
                        p = Streams.openConnection("server", 7);
                    } catch (ConnectException e) {
                        double took = loop.time() - t0;
                        assertTrue(e.getMessage().contains("Connection timed out"), e + " " + net.replayReport());
                        assertEquals(127.0, took, 1e-6, "a connect fails at the connect timeout: " + net.replayReport());
                        return "timed out";
                    }
                    double took = loop.time() - t0;
                    assertTrue(took <= 127.0 + 1e-6, "connected after " + took + " s: " + net.replayReport());
                    if (writes) {
                        p.writer().write("x\n".getBytes());
                    }
                    p.writer().transport().abort();
                    return "connected";
                }));
            }
            // The half-open ends after every step, sampled each 5 ms of virtual time
            // until the last connect ends, next to the listener's own high-water mark.
            dev.aio4j.loop.TimerHandle[] sampler = {null};
            Runnable sample = new Runnable() {
                @Override
                public void run() {
                    peak[0] = Math.max(peak[0], net.halfOpen());
                    sampler[0] = loop.callLater(0.005, this);
                }
            };
            sample.run();
            int connected = 0;
            int timedOut = 0;
            for (Task<String> t : connects) {
                String r = t.await();
                connected += r.equals("connected") ? 1 : 0;
                timedOut += r.equals("timed out") ? 1 : 0;
            }
            sampler[0].cancel();
            assertEquals(clients, connected + timedOut, "connected + timed out = attempted: " + net.replayReport());
            assertTrue(loop.time() <= spread + 127.0 + 1e-6, "every connect ended by 127 s after it began: " + net.replayReport());
            assertTrue(net.synQueuePeak("server", 7) <= backlog + 1, "the SYN queue reached " + net.synQueuePeak("server", 7)
                    + " with a backlog of " + backlog + ": " + net.replayReport());
            assertTrue(peak[0] <= backlog + 1, "half-open ends: " + peak[0] + " " + net.replayReport());
            Aio.sleep(1); // the last FINs and data cross
            java.util.Set<dev.aio4j.streams.Transport> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            distinct.addAll(accepted);
            assertEquals(accepted.size(), distinct.size(), "a connection accepted twice: " + net.replayReport());
            assertTrue(accepted.size() <= connected, accepted.size() + " accepted, " + connected + " connected: " + net.replayReport());
            server.close();
            net.uninstall();
            return connected == clients ? "all connected" : connected == 0 ? "none connected" : "some connected";
        });
        Statistics.label("outcome").collect(outcome);
    }
}
