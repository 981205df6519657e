package dev.aio4j.streams.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Future;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.test.SmallSocketBuffers;
import dev.aio4j.streams.test.TestCertificates;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lent writes (stop 30's review), for any sequence of sizes: zero, around the socket transport's
 * 64 KiB staging threshold, and past it, at any offset, from one array overwritten after each
 * call, to a plain and a TLS transport, written without waiting (the socket fills, the rest waits
 * in the transport's buffer or TLS's backlog). Re-entrant: the protocol's pauseWriting, called
 * from inside a write, overwrites the same array and lends a write to a second transport of the
 * same loop (which stages it in the loop's one direct write buffer), then one more to the first.
 * Every byte arrives at each end exactly once and in order. aio4j-only.
 */
class BorrowedWriteProperties {

    @Provide
    Arbitrary<Integer> sizes() {
        int stage = SocketTransport.WRITE_STAGE;
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(stage - 1, stage, stage + 1)),
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 2000)),
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 3 * stage)));
    }

    @Property(tries = 15)
    void lentWritesArriveOnceAndInOrder(@ForAll @Size(min = 30, max = 80) List<@net.jqwik.api.From("sizes") Integer> sizes,
                                        @ForAll long seed) throws Exception {
        run(sizes, seed, null, null);
    }

    @Property(tries = 10)
    void lentWritesArriveOnceAndInOrderOverTls(@ForAll @Size(min = 30, max = 80) List<@net.jqwik.api.From("sizes") Integer> sizes,
                                               @ForAll long seed) throws Exception {
        run(sizes, seed, TestCertificates.server(), TestCertificates.client());
    }

    /** Collects what a connection receives until its end. */
    /** Collects what a connection receives until its end; its socket's buffers are small (ready once they are). */
    private static Server collector(ByteArrayOutputStream got, Future<Void> ready, Future<Void> done, SSLContext ssl) throws Exception {
        return Streams.startServer((r, w) -> {
            SmallSocketBuffers.shrink(w.transport());
            ready.setResult(null);
            try {
                while (true) {
                    byte[] b = r.read(1 << 20);
                    if (b.length == 0) {
                        break;
                    }
                    got.write(b, 0, b.length);
                }
                w.close();
            } finally {
                done.setResult(null); // a broken stream shows as different bytes
            }
        }, "127.0.0.1", 0, ssl);
    }

    private static void run(List<Integer> sizes, long seed, SSLContext serverSsl, SSLContext clientSsl) throws Exception {
        Aio.run(() -> {
            Random random = new Random(seed);
            byte[] reused = new byte[3 * SocketTransport.WRITE_STAGE + 16];
            ByteArrayOutputStream gotA = new ByteArrayOutputStream();
            ByteArrayOutputStream gotB = new ByteArrayOutputStream();
            ByteArrayOutputStream sentA = new ByteArrayOutputStream();
            ByteArrayOutputStream sentB = new ByteArrayOutputStream();
            Future<Void> doneA = Aio.getRunningLoop().createFuture();
            Future<Void> doneB = Aio.getRunningLoop().createFuture();
            Future<Void> readyA = Aio.getRunningLoop().createFuture();
            Future<Void> readyB = Aio.getRunningLoop().createFuture();
            Server a = collector(gotA, readyA, doneA, serverSsl);
            Server b = collector(gotB, readyB, doneB, null);
            Transport[] t = new Transport[2];
            Streams.createConnection(() -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    t[1] = transport;
                }
            }, "127.0.0.1", b.port());
            Streams.createConnection(() -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    t[0] = transport;
                }

                @Override
                public void pauseWriting() { // from inside a write to t[0]
                    BorrowedWriteTransport other = (BorrowedWriteTransport) t[1];
                    BorrowedWriteTransport self = (BorrowedWriteTransport) t[0];
                    int n = 1 + random.nextInt(SocketTransport.WRITE_STAGE);
                    random.nextBytes(reused);
                    sentB.write(reused, 3, n);
                    other.writeBorrowed(reused, 3, n);
                    random.nextBytes(reused);
                    int m = 1 + random.nextInt(100);
                    sentA.write(reused, 5, m);
                    self.writeBorrowed(reused, 5, m);
                    java.util.Arrays.fill(reused, (byte) 0x5a);
                }
            }, clientSsl == null ? "127.0.0.1" : "localhost", a.port(), clientSsl);
            BorrowedWriteTransport lender = assertInstanceOf(BorrowedWriteTransport.class, t[0]);
            SmallSocketBuffers.shrink(t[0]);
            SmallSocketBuffers.shrink(t[1]);
            Aio.waitFor(readyA, 30);
            Aio.waitFor(readyB, 30);
            for (int size : sizes) {
                int offset = random.nextInt(16);
                random.nextBytes(reused);
                sentA.write(reused, offset, size);
                lender.writeBorrowed(reused, offset, size);
                java.util.Arrays.fill(reused, (byte) 0x5a); // the next write's bytes overwrite it
            }
            if (sentA.size() > 1 << 20) { // the kernel holds a few dozen KiB: the rest waits in the transport
                assertTrue(lender.getWriteBufferSize() > 0, "the socket took " + sentA.size() + " bytes at once; the property proves nothing");
            }
            lender.close();
            t[1].close();
            Aio.waitFor(doneA, 30);
            Aio.waitFor(doneB, 30);
            assertArrayEquals(sentA.toByteArray(), gotA.toByteArray(), "the first connection's bytes");
            assertArrayEquals(sentB.toByteArray(), gotB.toByteArray(), "the second connection's bytes");
            a.close();
            b.close();
            a.waitClosed();
            b.waitClosed();
            return null;
        });
    }
}
