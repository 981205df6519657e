package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.loop.Future;
import dev.aio4j.streams.test.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code asyncio.BufferedProtocol}: Lib/test/test_asyncio/test_buffered_proto.py
 * ({@code test_buffered_proto_create_connection}, over plain TCP and TLS), the buffered-protocol
 * cases of test_selector_events.py's {@code SelectorSocketTransportBufferedProtocolTests}
 * ({@code test_get_buffer_zerosized}, {@code test_get_buffer_error}, {@code test_buffer_updated_error},
 * {@code test_proto_type_switch}) over a real loopback socket, and test_protocols.py's
 * {@code _feed_data_to_buffered_proto} cases.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BufferedProtocolTest {
    private static final byte[] NOISE = "12345678+".repeat(1024).getBytes(StandardCharsets.US_ASCII);
    static SSLContext serverCtx;
    static SSLContext clientCtx;

    @BeforeAll
    static void certificates() throws Exception {
        serverCtx = TestCertificates.server();
        clientCtx = TestCertificates.client();
    }

    /** test_buffered_proto.py's ReceiveStuffProto: a fresh 100-byte buffer per read. */
    static final class ReceiveStuffProto implements BufferedProtocol {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final Future<Exception> lost = Aio.getRunningLoop().createFuture();
        final List<Integer> hints = new ArrayList<>();
        Transport transport;
        ByteBuffer buffer;
        Runnable onData = () -> { };

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public ByteBuffer getBuffer(int sizehint) {
            hints.add(sizehint);
            buffer = ByteBuffer.allocate(100);
            return buffer;
        }

        @Override
        public void bufferUpdated(int nbytes) {
            assertEquals(nbytes, buffer.position(), "the position moved past the bytes written");
            got.write(buffer.array(), 0, nbytes);
            onData.run();
        }

        @Override
        public void connectionLost(Exception exc) {
            lost.setResult(exc);
        }
    }

    private static Server noiseServer(SSLContext ssl) throws Exception {
        return Streams.startServer((r, w) -> { // on_server_client
            w.write(NOISE);
            r.readexactly(1);
            w.close();
            w.waitClosed();
        }, Net.HOST, 0, ssl);
    }

    private static void bufferedProtoCreateConnection(SSLContext serverSsl, SSLContext clientSsl) throws Exception {
        Aio.run(() -> {
            Server srv = noiseServer(serverSsl);
            ReceiveStuffProto p = new ReceiveStuffProto();
            p.onData = () -> {
                if (p.got.size() == NOISE.length) {
                    p.transport.write("1".getBytes(StandardCharsets.US_ASCII));
                }
            };
            Streams.createConnection(() -> p, clientSsl == null ? Net.HOST : "localhost", srv.port(), clientSsl);
            Aio.waitFor(p.lost, 10);
            assertArrayEquals(NOISE, p.got.toByteArray());
            assertTrue(p.got.size() / 100 <= p.hints.size(), "at most 100 bytes per buffer");
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    @Test
    void bufferedProtoCreateConnection() throws Exception { // test_buffered_proto_create_connection
        bufferedProtoCreateConnection(null, null);
    }

    @Test
    void bufferedProtoOverTls() throws Exception { // test_sslproto.py: a buffered app protocol under TLS
        bufferedProtoCreateConnection(serverCtx, clientCtx);
    }

    @Test
    void aSocketReadAsksWithoutAHint() throws Exception { // selector_events: get_buffer(-1)
        Aio.run(() -> {
            Server srv = noiseServer(null);
            ReceiveStuffProto p = new ReceiveStuffProto();
            p.onData = () -> {
                if (p.got.size() == NOISE.length) {
                    p.transport.write(new byte[] {1});
                }
            };
            Streams.createConnection(() -> p, Net.HOST, srv.port());
            Aio.waitFor(p.lost, 10);
            assertTrue(p.hints.stream().allMatch(h -> h == -1), p.hints.toString());
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    /** A buffered protocol whose getBuffer/bufferUpdated are given; records how the connection ended. */
    private static List<Object> failingConnection(IntFunction<ByteBuffer> getBuffer, Runnable updated) throws Exception {
        List<Object> out = new ArrayList<>();
        Aio.run(() -> {
            Aio.getRunningLoop().setExceptionHandler((loop, ctx) -> out.add(ctx));
            Server srv = Streams.startServer((r, w) -> {
                w.write(NOISE);
                r.read(-1);
            }, Net.HOST, 0);
            Future<Exception> lost = Aio.getRunningLoop().createFuture();
            Streams.createConnection(() -> new BufferedProtocol() {
                @Override
                public ByteBuffer getBuffer(int sizehint) {
                    return getBuffer.apply(sizehint);
                }

                @Override
                public void bufferUpdated(int nbytes) {
                    updated.run();
                }

                @Override
                public void connectionLost(Exception exc) {
                    lost.setResult(exc);
                }
            }, Net.HOST, srv.port());
            out.add(Aio.waitFor(lost, 10));
            srv.close();
            srv.waitClosed();
            return null;
        });
        return out;
    }

    @Test
    void getBufferZeroSized() throws Exception { // test_get_buffer_zerosized
        List<Object> out = failingConnection(hint -> ByteBuffer.allocate(0), () -> { });
        ExceptionContext ctx = (ExceptionContext) out.get(0);
        assertTrue(ctx.message().contains("getBuffer()"), ctx.message());
        assertTrue(ctx.exception().getMessage().contains("empty buffer"), ctx.exception().getMessage());
        assertInstanceOf(IllegalStateException.class, out.get(1), "connectionLost gets the error");
    }

    @Test
    void getBufferReadOnly() throws Exception {
        List<Object> out = failingConnection(hint -> ByteBuffer.allocate(10).asReadOnlyBuffer(), () -> { });
        assertTrue(((ExceptionContext) out.get(0)).exception().getMessage().contains("read-only"), out.toString());
    }

    @Test
    void getBufferError() throws Exception { // test_get_buffer_error
        List<Object> out = failingConnection(hint -> {
            throw new ArithmeticException("oops");
        }, () -> { });
        ExceptionContext ctx = (ExceptionContext) out.get(0);
        assertTrue(ctx.message().startsWith("Fatal error: protocol.getBuffer() call failed."), ctx.message());
        assertInstanceOf(ArithmeticException.class, ctx.exception());
        assertInstanceOf(ArithmeticException.class, out.get(1));
    }

    @Test
    void bufferUpdatedError() throws Exception { // test_buffer_updated_error
        List<Object> out = failingConnection(hint -> ByteBuffer.allocate(100), () -> {
            throw new ArithmeticException("oops");
        });
        ExceptionContext ctx = (ExceptionContext) out.get(0);
        assertTrue(ctx.message().contains("bufferUpdated()"), ctx.message());
        assertInstanceOf(ArithmeticException.class, out.get(1));
    }

    @Test
    void protoTypeSwitch() throws Exception { // test_proto_type_switch: setProtocol between the two kinds
        Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> {
                w.write("first".getBytes(StandardCharsets.US_ASCII));
                w.drain();
                r.readexactly(1); // the client switched its protocol
                w.write("second".getBytes(StandardCharsets.US_ASCII));
                w.close();
            }, Net.HOST, 0);
            RecordingProtocol plain = new RecordingProtocol();
            Transport t = Streams.createConnection(() -> plain, Net.HOST, srv.port()).transport();
            plain.awaitBytes(5);
            assertEquals("first", plain.received.toString(StandardCharsets.US_ASCII));
            ReceiveStuffProto buffered = new ReceiveStuffProto();
            buffered.transport = t;
            t.setProtocol(buffered);
            t.write(new byte[] {1});
            Aio.waitFor(buffered.lost, 10);
            assertEquals("second", buffered.got.toString(StandardCharsets.US_ASCII));
            assertTrue(buffered.hints.contains(-1), "the socket read straight into its buffer");
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    /** A protocol handing out the buffers of a script, for the feed's cases. */
    private static final class Scripted implements BufferedProtocol {
        final List<ByteBuffer> buffers;
        final List<Integer> hints = new ArrayList<>();
        final List<Integer> updates = new ArrayList<>();
        int next;

        Scripted(ByteBuffer... buffers) {
            this.buffers = List.of(buffers);
        }

        @Override
        public ByteBuffer getBuffer(int sizehint) {
            hints.add(sizehint);
            return buffers.get(next++);
        }

        @Override
        public void bufferUpdated(int nbytes) {
            updates.add(nbytes);
        }
    }

    @Test
    void feedDataToBufferedProto() { // test_protocols.py / sslproto: _feed_data_to_buffered_proto
        ByteBuffer big = ByteBuffer.allocate(10);
        Scripted one = new Scripted(big);
        one.dataReceived("abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals(List.of(3), one.hints);
        assertEquals(List.of(3), one.updates);
        assertEquals("abc", new String(big.array(), 0, big.position(), StandardCharsets.US_ASCII));

        ByteBuffer a = ByteBuffer.allocate(2);
        ByteBuffer b = ByteBuffer.allocate(2);
        ByteBuffer c = ByteBuffer.allocate(5);
        Scripted split = new Scripted(a, b, c);
        split.dataReceived("abcde".getBytes(StandardCharsets.US_ASCII));
        assertEquals(List.of(5, 3, 1), split.hints, "each hint is what is left");
        assertEquals(List.of(2, 2, 1), split.updates);
        assertEquals("ab", new String(a.array(), StandardCharsets.US_ASCII));
        assertEquals("cd", new String(b.array(), StandardCharsets.US_ASCII));
        assertEquals('e', (char) c.get(0));

        ByteBuffer offset = ByteBuffer.allocate(4).position(2); // written from the position on
        new Scripted(offset).dataReceived("xy".getBytes(StandardCharsets.US_ASCII));
        assertEquals("xy", new String(offset.array(), 2, 2, StandardCharsets.US_ASCII));

        IllegalStateException empty = assertThrows(IllegalStateException.class,
                () -> new Scripted(ByteBuffer.allocate(0)).dataReceived(new byte[1]));
        assertTrue(empty.getMessage().contains("empty buffer"), empty.getMessage());
        assertThrows(IllegalStateException.class, () -> new Scripted(ByteBuffer.allocate(4).asReadOnlyBuffer()).dataReceived(new byte[1]));
    }
}
