package dev.aio4j.streams.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.test.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes from one reused array (stop 30: how a WebSocket lends its frames, and TLS its records):
 * a socket transport and TLS's app transport copy what they keep before writeBorrowed returns, so
 * the caller may overwrite the array at once, also when the socket is full and the rest waits in
 * the transport's buffer (or TLS's backlog). Over a real loopback socket, plain and TLS, with
 * slices at varying offsets and sizes on both sides of the transport's staging threshold.
 * aio4j-only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BorrowedWriteTransportTest {

    private static void lentWritesArriveWhole(SSLContext serverSsl, SSLContext clientSsl) throws Exception {
        Aio.run(() -> {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            Server srv = Streams.startServer((r, w) -> {
                while (true) {
                    byte[] b = r.read(1 << 20);
                    if (b.length == 0) {
                        break;
                    }
                    got.write(b, 0, b.length);
                }
                w.close();
            }, "127.0.0.1", 0, serverSsl);
            Transport[] t = new Transport[1];
            Streams.createConnection(() -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    t[0] = transport;
                }
            }, clientSsl == null ? "127.0.0.1" : "localhost", srv.port(), clientSsl);
            BorrowedWriteTransport lender = assertInstanceOf(BorrowedWriteTransport.class, t[0]);
            // the kernel then holds a few hundred KiB at most, whatever the machine's autotuning
            dev.aio4j.streams.test.SmallSocketBuffers.shrink(t[0]);
            Random random = new Random(30);
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            byte[] reused = new byte[SocketTransport.WRITE_STAGE * 2 + 16];
            for (int i = 0; i < 400; i++) { // about 13 MB written without waiting: the socket fills
                int offset = random.nextInt(16);
                int length = i % 20 == 0 ? SocketTransport.WRITE_STAGE + 1 + random.nextInt(SocketTransport.WRITE_STAGE)
                        : 1 + random.nextInt(SocketTransport.WRITE_STAGE);
                random.nextBytes(reused);
                sent.write(reused, offset, length);
                lender.writeBorrowed(reused, offset, length);
                Arrays.fill(reused, (byte) 0x5a); // the next write's bytes overwrite it
            }
            assertTrue(lender.getWriteBufferSize() > 0, "the socket took everything at once; the test proves nothing");
            lender.close();
            for (int i = 0; i < 6000 && got.size() < sent.size(); i++) {
                Aio.sleep(0.005);
            }
            assertArrayEquals(sent.toByteArray(), got.toByteArray());
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    @Test
    void aSocketCopiesWhatItKeepsOfALentWrite() throws Exception {
        lentWritesArriveWhole(null, null);
    }

    @Test
    void tlsCopiesWhatItKeepsOfALentWrite() throws Exception {
        lentWritesArriveWhole(TestCertificates.server(), TestCertificates.client());
    }
}
