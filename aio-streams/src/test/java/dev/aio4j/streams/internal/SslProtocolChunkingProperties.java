package dev.aio4j.streams.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.test.Loops;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.test.TestCertificates;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * SslProtocol's copy-saving data path (a read's array unwrapped in place, a partial record kept,
 * several records unwrapped before one delivery, several records wrapped into one write) against
 * arbitrary cuts of the ciphertext stream: whatever the sizes of the writes and wherever the
 * stream is cut or glued between reads, the peer's app receives exactly the bytes written, in
 * order. No upstream twin (asyncio's SSLProtocol tests use fixed record boundaries).
 */
class SslProtocolChunkingProperties {

    /** One end of an in-memory pipe that re-cuts what it is given into reads of random sizes. */
    static final class CuttingEnd implements Transport {
        final EventLoop loop;
        final Random random;
        final int maxRead;
        Protocol protocol;
        CuttingEnd other;
        final ByteArrayOutputStream queued = new ByteArrayOutputStream();
        boolean flushScheduled;

        CuttingEnd(EventLoop loop, long seed, int maxRead) {
            this.loop = loop;
            this.random = new Random(seed);
            this.maxRead = maxRead;
        }

        @Override
        public void write(byte[] data) {
            queued.write(data, 0, data.length); // write() may not keep data: copied here
            if (!flushScheduled) {
                flushScheduled = true;
                loop.callSoon(this::flush);
            }
        }

        private void flush() {
            flushScheduled = false;
            byte[] all = queued.toByteArray();
            queued.reset();
            int at = 0;
            while (at < all.length) {
                int n = Math.min(all.length - at, 1 + random.nextInt(maxRead));
                byte[] read = new byte[n];
                System.arraycopy(all, at, read, 0, n);
                at += n;
                other.protocol.dataReceived(read);
            }
        }

        @Override
        public void writeEof() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean canWriteEof() {
            return false;
        }

        @Override
        public void close() {
        }

        @Override
        public void abort() {
        }

        @Override
        public boolean isClosing() {
            return false;
        }

        @Override
        public void pauseReading() {
        }

        @Override
        public void resumeReading() {
        }

        @Override
        public boolean isReading() {
            return true;
        }

        @Override
        public void setWriteBufferLimits(int high, int low) {
        }

        @Override
        public WriteBufferLimits getWriteBufferLimits() {
            return new WriteBufferLimits(0, 0);
        }

        @Override
        public long getWriteBufferSize() {
            return 0;
        }

        @Override
        public Object getExtraInfo(String name, Object defaultValue) {
            return defaultValue;
        }

        @Override
        public Protocol getProtocol() {
            return protocol;
        }

        @Override
        public void setProtocol(Protocol protocol) {
            this.protocol = protocol;
        }
    }

    /** Collects what it receives. */
    static final class Sink implements Protocol {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();

        @Override
        public void dataReceived(byte[] data) {
            received.write(data, 0, data.length);
        }
    }

    @Property(tries = 40)
    void everyByteArrivesInOrderWhereverTheCiphertextIsCut(
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 70_000) Integer> writes,
            @ForAll @IntRange(min = 1, max = 300_000) int maxRead,
            @ForAll long seed) throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Sink clientApp = new Sink();
            Sink serverApp = new Sink();
            Future<Void> handshake = loop.createFuture();
            SslProtocol client = new SslProtocol(loop, clientApp, TestCertificates.client(), false, "localhost", 443, handshake, true);
            SslProtocol server = new SslProtocol(loop, serverApp, TestCertificates.server(), true, null, -1, null, true);
            CuttingEnd c = new CuttingEnd(loop, seed, maxRead);
            CuttingEnd s = new CuttingEnd(loop, ~seed, maxRead);
            c.other = s;
            s.other = c;
            c.protocol = client;
            s.protocol = server;
            server.connectionMade(s);
            client.connectionMade(c);
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            Random content = new Random(seed);
            for (int size : writes) {
                byte[] w = new byte[size];
                content.nextBytes(w);
                client.appTransport().write(w); // the first ones before the handshake ends
                sent.write(w, 0, w.length);
            }
            Aio.waitFor(handshake, 10.0);
            byte[] expected = sent.toByteArray();
            for (int i = 0; i < 10_000 && serverApp.received.size() < expected.length; i++) {
                Aio.sleep(0);
            }
            assertArrayEquals(expected, serverApp.received.toByteArray());
        });
    }
}
