package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.DatagramProtocol;
import dev.aio4j.streams.DatagramTransport;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever a run's faults, traffic and timing, {@code uninstall()} leaves nothing of the network
 * pending (stop 34): TCP clients that connect, send and close (some through a loss, so with
 * retransmissions and SYN-ACK timers), a UDP sender, and a fault plan of every kind, stopped at a
 * random moment. Once the run's tasks are cancelled and unwound, the loop holds no timer at all
 * (counted by the loop itself, not by the network's own bookkeeping), the network names none, and
 * 1,000 s of virtual time later its trace has not grown. aio4j-only.
 */
class SimUninstallProperties {

    @Provide
    Arbitrary<SimRun> runs() {
        return FaultPlans.runs(List.of("client", "server"), 20, FaultPlans.ALL_KINDS);
    }

    @Property(tries = 80)
    void afterUninstallNothingTheNetworkSetIsPending(@ForAll("runs") SimRun run,
                                                     @ForAll @IntRange(min = 1, max = 6) int clients,
                                                     @ForAll @DoubleRange(min = 0, max = 0.4) double loss,
                                                     @ForAll @DoubleRange(min = 0, max = 30) double stopAt) {
        run.run(net -> {
            EventLoop loop = Aio.getRunningLoop();
            net.setLatency(0.010, 0.020);
            net.setLoss("client", "server", loss);
            Server server = net.spawn("server", () -> Streams.startServer((r, w) -> {
                try {
                    for (byte[] line = r.readline(); line.length > 0; line = r.readline()) {
                        w.write(line);
                    }
                } catch (java.io.IOException reset) {
                    // a fault ended the connection: the handler is done
                } finally {
                    w.transport().abort(); // also when cancelled after the stop: the connection goes nowhere
                }
            }, null, 7)).await();
            List<Task<?>> tasks = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                double at = i * 0.3;
                tasks.add(net.spawn("client", () -> {
                    Aio.sleep(at);
                    StreamPair p = Streams.openConnection("server", 7);
                    try {
                        for (int m = 0; m < 5; m++) {
                            p.writer().write(("m" + m + "\n").getBytes());
                            p.reader().readline();
                            Aio.sleep(0.5);
                        }
                    } finally {
                        p.writer().transport().abort();
                    }
                    return null;
                }));
            }
            tasks.add(net.spawn("client", () -> {
                var udp = Streams.createDatagramEndpoint(() -> new DatagramProtocol() {
                    @Override
                    public void datagramReceived(byte[] data, SocketAddress addr) {}
                }, null, new InetSocketAddress(net.address("server"), 9));
                DatagramTransport t = udp.transport();
                try {
                    for (int m = 0; m < 40; m++) {
                        t.sendto(new byte[1000]);
                        Aio.sleep(0.25);
                    }
                } finally {
                    t.close();
                }
                return null;
            }));
            Aio.sleep(stopAt);
            net.uninstall();
            double stoppedAt = loop.time();
            // What was due at the stop runs first (a connectionLost, a connect's failure and the
            // task it wakes), so that each task is cancelled while it waits rather than between a
            // wake-up and its step (a cancel there drops the awaited future's exception unread).
            for (int i = 0; i < 20; i++) {
                Aio.sleep(0);
            }
            List<Task<?>> all = new ArrayList<>(tasks); // those done already too: their errors are retrieved below
            for (Task<?> t : loop.allTasks()) {
                if (t != Aio.currentTask() && !all.contains(t)) {
                    all.add(t); // the server's handlers
                }
            }
            for (Task<?> t : all) {
                t.cancel();
            }
            for (Task<?> t : all) {
                try {
                    t.await();
                } catch (RuntimeException ended) {
                    // cancelled, or failed by a fault before the stop
                }
            }
            server.close();
            assertEquals(List.of(), net.pendingTimers(), net.replayReport());
            assertEquals(0, SimHandshakeTimersTest.timerCount(loop), "timers left on the loop: " + net.replayReport());
            int events = net.trace().size();
            Aio.sleep(1000);
            List<String> trace = net.trace();
            assertEquals(events, trace.size(), "the network traced events after uninstall(): " + trace.subList(events, trace.size()));
            for (String l : trace) {
                assertTrue(Double.parseDouble(l.substring(0, l.indexOf(' '))) <= stoppedAt + 1e-6, l);
            }
            return null;
        });
    }
}
