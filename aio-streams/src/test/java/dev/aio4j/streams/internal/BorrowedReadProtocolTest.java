package dev.aio4j.streams.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Future;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.test.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one "consume the read within the call" path (stop 30): a socket transport lends a
 * {@link BorrowedReadProtocol} each read in the loop's reused heap array, and TLS lends its app
 * protocol the loop's plaintext buffer, instead of an array per read. Over a real loopback socket,
 * plain and TLS: every byte arrives, in order, only as loans; pause and resume hold; the end of the
 * stream and the loss of the connection come after the last read, in asyncio's order. aio4j-only
 * (asyncio has no such path); the cases mirror test_selector_events.py's
 * {@code SelectorSocketTransportBufferedProtocolTests} ({@code test_read_ready},
 * {@code test_read_ready_eof}, {@code test_pause_resume_reading}, {@code test_proto_type_switch}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BorrowedReadProtocolTest {
    private static final byte[] NOISE = "12345678+".repeat(30_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Records loans (and owned arrays, which a socket must not hand it); junks each loan after the call. */
    static final class Borrower implements BorrowedReadProtocol {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final List<String> events = new ArrayList<>();
        final Future<Exception> lost = Aio.getRunningLoop().createFuture();
        Transport transport;
        int loans;
        int owned;
        Runnable onData = () -> { };

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            events.add("made");
        }

        @Override
        public void dataBorrowed(byte[] data, int offset, int length) {
            loans++;
            data(data, offset, length);
            Arrays.fill(data, offset, offset + length, (byte) 0x5a); // the lender reuses it anyway
        }

        @Override
        public void dataReceived(byte[] data) {
            owned++;
            data(data, 0, data.length);
        }

        private void data(byte[] data, int offset, int length) {
            got.write(data, offset, length);
            if (!events.getLast().equals("data")) {
                events.add("data");
            }
            onData.run();
        }

        @Override
        public boolean eofReceived() {
            events.add("eof");
            return false;
        }

        @Override
        public void connectionLost(Exception exc) {
            events.add("lost");
            lost.setResult(exc);
        }
    }

    private static Server noiseServer(SSLContext ssl) throws Exception {
        return Streams.startServer((r, w) -> {
            w.write(NOISE);
            w.close();
            w.waitClosed();
        }, "127.0.0.1", 0, ssl);
    }

    private static void lentUntilEof(SSLContext serverSsl, SSLContext clientSsl) throws Exception {
        Aio.run(() -> {
            Server srv = noiseServer(serverSsl);
            Borrower p = new Borrower();
            Streams.createConnection(() -> p, clientSsl == null ? "127.0.0.1" : "localhost", srv.port(), clientSsl);
            assertNull(Aio.waitFor(p.lost, 10));
            assertArrayEquals(NOISE, p.got.toByteArray());
            assertTrue(p.loans > 0, "no read was lent");
            assertEquals(0, p.owned, "a read came as an array of its own");
            assertEquals(List.of("made", "data", "eof", "lost"), p.events);
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    @Test
    void aSocketLendsEveryReadThenEofThenConnectionLost() throws Exception { // test_read_ready, test_read_ready_eof
        lentUntilEof(null, null);
    }

    @Test
    void tlsLendsEveryPlaintextReadThenEofThenConnectionLost() throws Exception {
        lentUntilEof(TestCertificates.server(), TestCertificates.client());
    }

    private static void pauseResume(SSLContext serverSsl, SSLContext clientSsl) throws Exception {
        Aio.run(() -> {
            Server srv = noiseServer(serverSsl);
            Borrower p = new Borrower();
            p.onData = () -> {
                if (p.loans == 1) {
                    p.transport.pauseReading();
                }
            };
            Streams.createConnection(() -> p, clientSsl == null ? "127.0.0.1" : "localhost", srv.port(), clientSsl);
            while (p.loans == 0 && !p.lost.done()) {
                Aio.sleep(0.001);
            }
            assertTrue(!p.transport.isReading(), "paused");
            for (int i = 0; i < 20; i++) {
                Aio.sleep(0.001);
            }
            int atPause = p.loans;
            for (int i = 0; i < 50; i++) {
                Aio.sleep(0.001); // the server has written everything by now; none of it may come
            }
            assertEquals(atPause, p.loans, "a read was lent while reading was paused");
            assertTrue(p.got.size() < NOISE.length, "everything arrived in the first read; the test proves nothing");
            assertTrue(!p.events.contains("eof"), "EOF seen while paused: " + p.events);
            p.transport.resumeReading();
            assertNull(Aio.waitFor(p.lost, 10));
            assertArrayEquals(NOISE, p.got.toByteArray());
            assertEquals(List.of("made", "data", "eof", "lost"), p.events);
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    @Test
    void noLoanWhilePausedAndTheRestAfterResume() throws Exception { // test_pause_resume_reading
        pauseResume(null, null);
    }

    @Test
    void noLoanWhilePausedAndTheRestAfterResumeOverTls() throws Exception {
        pauseResume(TestCertificates.server(), TestCertificates.client());
    }

    /** Owns its arrays; hands the transport over to a Borrower after the first 100 bytes. */
    static final class Owner implements Protocol {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        Transport transport;
        Borrower next;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(byte[] data) {
            got.write(data, 0, data.length);
            if (got.size() == 100) { // the server sends the rest after our answer
                transport.setProtocol(next);
                next.connectionMade(transport);
            }
        }
    }

    @Test
    void setProtocolToABorrowerLendsTheNextReads() throws Exception { // test_proto_type_switch, as the WebSocket client switches
        Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> {
                w.write(Arrays.copyOf(NOISE, 100));
                r.readexactly(1);
                w.write(NOISE);
                w.close();
                w.waitClosed();
            }, "127.0.0.1", 0);
            Owner first = new Owner();
            first.next = new Borrower();
            Streams.createConnection(() -> first, "127.0.0.1", srv.port());
            while (first.got.size() < 100) {
                Aio.sleep(0.001);
            }
            first.transport.write(new byte[] {1});
            assertNull(Aio.waitFor(first.next.lost, 10));
            assertArrayEquals(NOISE, first.next.got.toByteArray());
            assertEquals(0, first.next.owned);
            srv.close();
            srv.waitClosed();
            return null;
        });
    }
}
