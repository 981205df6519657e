package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Future;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.DoubleRange;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The byte-stream invariants of simulated TCP under generated fault plans and schedules: whatever
 * the network does short of ending a connection (partitions that hold, one-way cuts, latency and
 * bandwidth changes, accept stalls, loss), every byte written arrives, in order, exactly once,
 * both ways; with loss on the link for the whole run as well, retransmission still delivers the
 * stream in order. Real TCP's promise, and turmoil's. aio4j-only.
 */
class SimTcpProperties {
    /** The kinds of fault that delay bytes but never end a connection (partitions are filtered to those that hold). */
    private static final List<Class<? extends Fault>> KEEPING = List.of(Fault.Partition.class, Fault.Latency.class,
            Fault.OneWayPartition.class, Fault.Loss.class, Fault.Bandwidth.class, Fault.AcceptStall.class);

    @Provide
    Arbitrary<SimRun> runs() {
        return FaultPlans.runs(List.of("client", "server"), 0.300, KEEPING)
                .filter(r -> r.plan().faults().stream().noneMatch(f -> f instanceof Fault.Partition p && p.reset()));
    }

    @Provide
    Arbitrary<List<byte[]>> chunks() {
        return Arbitraries.integers().between(1, 20_000)
                .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n))
                .list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 100)
    void everyByteArrivesInOrderExactlyOnce(@ForAll("runs") SimRun run, @ForAll("chunks") List<byte[]> chunks) {
        echoes(run, chunks, 0);
    }

    @Property(tries = 100)
    void underLossRetransmissionStillDeliversTheStreamInOrder(@ForAll("runs") SimRun run, @ForAll("chunks") List<byte[]> chunks,
                                                              @ForAll @DoubleRange(min = 0.05, max = 0.3) double loss) {
        echoes(run, chunks, loss);
    }

    /**
     * The client (on "client") sends {@code chunks}, then a FIN; the server echoes what it reads
     * and keeps a copy; both must equal what was sent, byte for byte.
     */
    private static void echoes(SimRun run, List<byte[]> chunks, double loss) {
        for (Fault f : run.plan().faults()) {
            Statistics.label("faults").collect(f.getClass().getSimpleName());
        }
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        chunks.forEach(sent::writeBytes);
        byte[] want = sent.toByteArray();
        run.run(net -> {
            net.setLatency(0.002, 0.003);
            if (loss > 0) {
                net.setLoss("client", "server", loss);
            }
            Future<byte[]> serverGot = Aio.getRunningLoop().createFuture();
            Server server = Streams.startServer((r, w) -> {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                try {
                    for (byte[] b = r.read(8192); b.length > 0; b = r.read(8192)) {
                        got.writeBytes(b);
                        w.write(b);
                        w.drain();
                    }
                } finally {
                    w.close();
                    serverGot.setResult(got.toByteArray());
                }
            }, "server", 7);
            byte[] echoed = Aio.waitFor(() -> net.spawn("client", () -> {
                StreamPair c = Streams.openConnection("server", 7);
                var reader = Aio.createTask(() -> {
                    ByteArrayOutputStream back = new ByteArrayOutputStream();
                    for (byte[] b = c.reader().read(8192); b.length > 0; b = c.reader().read(8192)) {
                        back.writeBytes(b);
                    }
                    return back.toByteArray();
                });
                for (byte[] chunk : chunks) {
                    c.writer().write(chunk);
                    c.writer().drain();
                }
                c.writer().writeEof();
                byte[] back = reader.await();
                c.writer().close();
                return back;
            }).await(), 3600.0);
            assertArrayEquals(want, serverGot.await(), "the server got the stream, in order, once: " + net.replayReport());
            assertArrayEquals(want, echoed, "the echo came back, in order, once: " + net.replayReport());
            server.close();
            server.waitClosed();
            assertTrue(net.trace().stream().noneMatch(l -> l.contains(" lost ") || l.contains(" timeout ")), net.replayReport());
            return null;
        });
    }
}
