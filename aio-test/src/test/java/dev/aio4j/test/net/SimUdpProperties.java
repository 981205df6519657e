package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Coroutine;
import dev.aio4j.loop.Schedule;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.test.RecordingDatagramProtocol;
import dev.aio4j.streams.test.UdpBurstScenarios;
import dev.aio4j.test.Schedules;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of simulated UDP under generated fault plans (every kind: partitions, one-way
 * cuts, loss, latency and bandwidth changes, crashes, hosts that vanish) and schedules: a
 * datagram arrives at most once and never altered; without a fault that can drop one, each
 * arrives exactly once; and the trace accounts for every datagram sent, delivered or dropped
 * with a reason. And aio-streams' burst property ({@link UdpBurstScenarios}, which aio-streams'
 * UdpProperties checks on real loopback) on a {@link SimNetwork} without faults. aio4j-only
 * (issue 17).
 */
class SimUdpProperties extends UdpBurstScenarios {
    /** Faults that may drop a datagram; the others (resets, latency, bandwidth, accept stalls) only delay or miss UDP. */
    private static final Set<Class<? extends Fault>> DROPPING = Set.of(Fault.Partition.class, Fault.OneWayPartition.class,
            Fault.Loss.class, Fault.Crash.class, Fault.Vanish.class);

    @Override
    protected <T> T run(Coroutine<T> body) {
        return SimLoopback.run(body);
    }

    @Provide
    Arbitrary<List<byte[]>> payloads() {
        return Arbitraries.integers().between(0, 2000)
                .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<FaultPlan> plans() {
        return FaultPlans.arbitrary(List.of("a", "b"), 0.200, FaultPlans.ALL_KINDS);
    }

    @Provide
    Arbitrary<Schedule> schedules() {
        return Schedules.arbitrary();
    }

    @Property(tries = 100)
    void eachDatagramArrivesAtMostOnceIntactAndExactlyOnceWithoutDroppingFaults(@ForAll("payloads") List<byte[]> payloads,
                                                                                 @ForAll("plans") FaultPlan plan,
                                                                                 @ForAll("schedules") Schedule schedule,
                                                                                 @ForAll @net.jqwik.api.constraints.IntRange(
                                                                                         min = 0, max = 60) int closeAfter) {
        Schedules.run(schedule, () -> {
            SimNetwork net = new SimNetwork(11);
            net.addHost("a");
            net.addHost("b");
            net.setLatency(0.005, 0.020);
            net.install(Aio.getRunningLoop());
            // The receiver closes once it has taken closeAfter datagrams (never if there are fewer):
            // what waits in its receive buffer then must still be accounted for.
            var rx = net.spawn("b", () -> Streams.createDatagramEndpoint(() -> new RecordingDatagramProtocol() {
                @Override
                public void datagramReceived(byte[] data, java.net.SocketAddress addr) {
                    super.datagramReceived(data, addr);
                    if (received.size() == closeAfter) {
                        transport.close();
                    }
                }
            }, new InetSocketAddress(9000), null)).await();
            plan.apply(net);
            InetSocketAddress to = new InetSocketAddress(net.address("b"), 9000);
            Task<Void> sender = net.spawn("a", () -> {
                var tx = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, new InetSocketAddress(0), null);
                for (int i = 0; i < payloads.size(); i++) {
                    tx.transport().sendto(tagged(i, payloads.get(i)), to);
                    if (i % 2 == 1) {
                        Aio.sleep(0.005); // in pairs: two sent at once may wait in the receive buffer together
                    }
                }
                tx.transport().close();
                return null;
            });
            try {
                sender.await();
            } catch (CancelledError crashed) {
                // a Crash or Vanish of "a" cancelled the sender: what it sent so far still counts
            }
            Aio.sleep(120); // past every fault, every bandwidth queue and every latency
            Set<Integer> seen = new HashSet<>();
            for (RecordingDatagramProtocol.Received r : rx.protocol().received) {
                ByteBuffer b = ByteBuffer.wrap(r.data());
                int id = b.getInt();
                assertTrue(seen.add(id), "datagram " + id + " arrived twice");
                assertArrayEquals(tagged(id, payloads.get(id)), r.data(), "datagram " + id + " altered");
            }
            boolean mayDrop = plan.faults().stream().anyMatch(f -> DROPPING.contains(f.getClass()));
            if (!mayDrop && closeAfter >= payloads.size()) {
                assertEquals(payloads.size(), seen.size(), "without a dropping fault every datagram arrives: " + net.replayReport());
            }
            List<String> trace = net.trace();
            long sent = trace.stream().filter(l -> l.contains(" udp-send a:")).count();
            long delivered = trace.stream().filter(l -> l.contains(" udp-deliver a:")).count();
            long dropped = trace.stream().filter(l -> l.contains(" udp-drop a:")).count();
            assertEquals(seen.size(), delivered);
            assertEquals(sent, delivered + dropped, "every datagram sent is delivered or dropped with a reason: " + net.replayReport());
            rx.transport().close();
            net.uninstall();
            return null;
        });
    }

    /** {@code payload} after a 4-byte id. */
    private static byte[] tagged(int id, byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(id).put(payload).array();
    }
}
