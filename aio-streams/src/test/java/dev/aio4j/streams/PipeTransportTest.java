package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.loop.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code connect_read_pipe} and {@code connect_write_pipe}: mirrors test_events.py's
 * {@code test_read_pipe}, {@code test_write_pipe}, {@code test_write_pipe_disconnect_on_close}
 * and the unix_events tests of the pipe transports' close, over a JDK {@link Pipe} (an OS pipe).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipeTransportTest {
    private final List<Pipe> pipes = new ArrayList<>();

    /** A new OS pipe, both ends closed after the test (most tests leave one end to the transport). */
    private Pipe pipe() throws IOException {
        Pipe p = Pipe.open();
        pipes.add(p);
        return p;
    }

    @org.junit.jupiter.api.AfterEach
    void closePipes() throws IOException {
        for (Pipe p : pipes) {
            p.source().close();
            p.sink().close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** test_events.py's MyWritePipeProto: records its states. */
    static class WritePipeProto implements Protocol {
        final List<String> state = new ArrayList<>(List.of("INITIAL"));
        final Future<Exception> done = Aio.getRunningLoop().createFuture();
        Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            state.add("CONNECTED");
        }

        @Override
        public void connectionLost(Exception exc) {
            state.add("CLOSED");
            done.setResult(exc);
        }
    }

    /** test_events.py's MyReadPipeProto: also the bytes it got and the end of the stream. */
    static final class ReadPipeProto extends WritePipeProto {
        final StringBuilder got = new StringBuilder();
        Future<Void> more;

        @Override
        public void dataReceived(byte[] data) {
            got.append(new String(data, StandardCharsets.US_ASCII));
            if (more != null && !more.done()) {
                more.setResult(null);
            }
        }

        @Override
        public boolean eofReceived() {
            state.add("EOF");
            return false;
        }

        void awaitBytes(int n) {
            while (got.length() < n) {
                more = Aio.getRunningLoop().createFuture();
                Aio.waitFor(more, 10);
            }
        }
    }

    private static void writeAll(Pipe.SinkChannel sink, String s) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b(s));
        while (buf.hasRemaining()) {
            sink.write(buf);
        }
    }

    @Test
    void readPipe() throws Exception { // test_read_pipe
        Pipe pipe = pipe();
        Aio.run(() -> {
            ReadPipeProto proto = new ReadPipeProto();
            TransportAndProtocol<ReadPipeProto> tp = Streams.connectReadPipe(() -> proto, Channels.newInputStream(pipe.source()));
            assertSame(proto, tp.protocol());
            assertSame(proto, tp.transport().getProtocol());
            assertEquals(List.of("INITIAL", "CONNECTED"), proto.state);
            writeAll(pipe.sink(), "1");
            proto.awaitBytes(1);
            writeAll(pipe.sink(), "2345");
            proto.awaitBytes(5);
            assertEquals("12345", proto.got.toString());
            pipe.sink().close();
            assertNull(proto.done.await(), "end of stream is a clean connectionLost");
            assertEquals(List.of("INITIAL", "CONNECTED", "EOF", "CLOSED"), proto.state);
            assertThrows(UnsupportedOperationException.class, () -> tp.transport().write(b("x")));
            return null;
        });
    }

    @Test
    void closingAReadPipeLosesTheConnectionOnTheNextIteration() throws Exception { // test_unix_events ReadPipe test_close
        Pipe pipe = pipe();
        Aio.run(() -> {
            ReadPipeProto proto = new ReadPipeProto();
            Transport t = Streams.connectReadPipe(() -> proto, Channels.newInputStream(pipe.source())).transport();
            t.close();
            assertTrue(t.isClosing());
            assertEquals(List.of("INITIAL", "CONNECTED"), proto.state, "connectionLost is not called inside close()");
            assertNull(proto.done.await());
            assertEquals(List.of("INITIAL", "CONNECTED", "CLOSED"), proto.state, "closed, not at end of stream: no EOF");
            return null;
        });
        pipe.sink().close();
    }

    @Test
    void pauseReadingStopsTheReads() throws Exception { // test_unix_events ReadPipe test_pause_reading / test_resume_reading
        Pipe pipe = pipe();
        Aio.run(() -> {
            ReadPipeProto proto = new ReadPipeProto();
            Transport t = Streams.connectReadPipe(() -> proto, Channels.newInputStream(pipe.source())).transport();
            writeAll(pipe.sink(), "a");
            proto.awaitBytes(1);
            t.pauseReading();
            assertFalse(t.isReading());
            writeAll(pipe.sink(), "b");
            for (int i = 0; i < 20; i++) {
                Aio.sleep(0.005); // real time: the pump thread would have read "b" by now if it were allowed to
            }
            // the pump may hold one chunk read ahead, but does not deliver it while paused
            assertEquals("a", proto.got.toString());
            t.resumeReading();
            proto.awaitBytes(2);
            assertEquals("ab", proto.got.toString());
            t.close();
            proto.done.await();
            return null;
        });
        pipe.sink().close();
    }

    @Test
    void aThrowingProtocolGoesToTheExceptionHandler() throws Exception {
        Pipe pipe = pipe();
        List<ExceptionContext> reported = new ArrayList<>();
        Aio.run(() -> {
            Aio.getRunningLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            Future<Exception> lost = Aio.getRunningLoop().createFuture();
            Streams.connectReadPipe(() -> new Protocol() {
                @Override
                public void dataReceived(byte[] data) {
                    throw new IllegalStateException("boom in dataReceived");
                }

                @Override
                public void connectionLost(Exception exc) {
                    lost.setResult(exc);
                }
            }, Channels.newInputStream(pipe.source()));
            writeAll(pipe.sink(), "x");
            pipe.sink().close();
            assertNull(lost.await(), "the pipe goes on to its end after a failing callback");
            return null;
        });
        assertEquals(1, reported.size(), reported.toString());
        assertTrue(reported.get(0).message().contains("dataReceived"), reported.get(0).message());
        assertEquals("boom in dataReceived", reported.get(0).exception().getMessage());
    }

    @Test
    void aThrowingConnectionLostOfAWritePipeGoesToTheExceptionHandler() throws Exception {
        Pipe pipe = Pipe.open();
        List<ExceptionContext> reported = new ArrayList<>();
        Aio.run(() -> {
            Aio.getRunningLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            Future<Void> lost = Aio.getRunningLoop().createFuture();
            Transport t = Streams.connectWritePipe(() -> new Protocol() {
                @Override
                public void connectionLost(Exception exc) {
                    lost.setResult(null);
                    throw new IllegalStateException("boom in connectionLost");
                }
            }, Channels.newOutputStream(pipe.sink())).transport();
            t.close();
            lost.await();
            return null;
        });
        assertEquals(1, reported.size(), reported.toString());
        assertTrue(reported.get(0).message().contains("connectionLost"), reported.get(0).message());
        assertEquals("boom in connectionLost", reported.get(0).exception().getMessage());
        pipe.source().close();
    }

    @Test
    void theLoopsCloseClosesAnOpenReadPipe() throws Exception {
        Pipe pipe = pipe();
        Aio.run(() -> {
            Streams.connectReadPipe(ReadPipeProto::new, Channels.newInputStream(pipe.source()));
            return null;
        });
        assertFalse(pipe.source().isOpen(), "the pump's stream was closed when its loop closed");
        pipe.sink().close();
    }

    @Test
    void writePipe() throws Exception { // test_write_pipe
        Pipe pipe = pipe();
        Aio.run(() -> {
            WritePipeProto proto = new WritePipeProto();
            Transport t = Streams.connectWritePipe(() -> proto, Channels.newOutputStream(pipe.sink())).transport();
            assertEquals(List.of("INITIAL", "CONNECTED"), proto.state);
            assertTrue(t.canWriteEof());
            t.write(b("1"));
            InputStream in = Channels.newInputStream(pipe.source());
            assertEquals((int) '1', (int) Aio.toThread(() -> in.read()));
            t.write(b("2345"));
            assertArrayEquals(b("2345"), Aio.toThread(() -> in.readNBytes(4)));
            t.close();
            assertNull(proto.done.await());
            assertEquals(List.of("INITIAL", "CONNECTED", "CLOSED"), proto.state);
            assertEquals(-1, (int) Aio.toThread(() -> in.read()), "close() closed the stream: the reader sees its end");
            assertEquals(0, t.getWriteBufferSize());
            return null;
        });
    }

    @Test
    void writePipeDisconnectOnClose() throws Exception { // test_write_pipe_disconnect_on_close
        Pipe pipe = pipe();
        Aio.run(() -> {
            WritePipeProto proto = new WritePipeProto();
            Transport t = Streams.connectWritePipe(() -> proto, Channels.newOutputStream(pipe.sink())).transport();
            pipe.source().close(); // the reading end goes away
            t.write(b("1"));
            Exception e = proto.done.await();
            assertNotNull(e, "a broken pipe is a connectionLost with the error");
            assertTrue(e instanceof IOException, e.toString());
            return null;
        });
    }

    @Test
    void writePipeFlowControl() throws Exception { // test_unix_events WritePipe: watermarks
        Pipe pipe = pipe();
        Aio.run(() -> {
            List<String> events = new ArrayList<>();
            Future<Void> resumed = Aio.getRunningLoop().createFuture();
            Transport t = Streams.connectWritePipe(() -> new Protocol() {
                @Override
                public void pauseWriting() {
                    events.add("pause");
                }

                @Override
                public void resumeWriting() {
                    events.add("resume");
                    resumed.setResult(null);
                }
            }, Channels.newOutputStream(pipe.sink())).transport();
            t.setWriteBufferLimits(100, 10);
            t.write(new byte[1000]);
            assertEquals(List.of("pause"), events, "over the high watermark at once");
            InputStream in = Channels.newInputStream(pipe.source());
            assertEquals(1000, Aio.toThread(() -> in.readNBytes(1000)).length);
            resumed.await();
            assertEquals(List.of("pause", "resume"), events);
            t.close();
            return null;
        });
    }

    @Test
    void openReadPipeReadsLines() throws Exception { // the StreamReaderProtocol(reader) + connect_read_pipe idiom
        Pipe pipe = pipe();
        Aio.run(() -> {
            StreamReader reader = Streams.openReadPipe(Channels.newInputStream(pipe.source()), 1 << 16);
            writeAll(pipe.sink(), "first line\nsecond");
            assertEquals("first line\n", new String(reader.readline(), StandardCharsets.US_ASCII));
            pipe.sink().close();
            assertEquals("second", new String(reader.read(-1), StandardCharsets.US_ASCII));
            assertTrue(reader.atEof());
            return null;
        });
    }

    @Test
    void openWritePipeDrainsAndCloses() throws Exception { // connect_write_pipe(FlowControlMixin) + StreamWriter
        Pipe pipe = pipe();
        byte[] big = Net.payload(1 << 20, 3);
        Aio.run(() -> {
            OutputStream sink = Channels.newOutputStream(pipe.sink());
            StreamWriter w = Streams.openWritePipe(sink);
            InputStream in = Channels.newInputStream(pipe.source());
            dev.aio4j.loop.Task<byte[]> reading = Aio.createTask(() -> Aio.toThread(() -> in.readAllBytes()));
            w.write(big);
            w.drain(); // suspends while more than the high watermark is queued
            w.close();
            w.waitClosed();
            assertArrayEquals(big, reading.await(), "every byte arrived, then the end of the stream");
            return null;
        });
    }

    @Test
    void aThrowingConnectionMadeClosesTheReadPipe() throws Exception {
        // as a socket transport's: connectionMade failing fails the call and the transport owns
        // (and closes) the pipe; it was left open, its thread reading for a protocol nobody holds
        Pipe pipe = Pipe.open();
        Aio.run(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Streams.connectReadPipe(() -> new Protocol() {
                @Override
                public void connectionMade(Transport t) {
                    throw new IllegalStateException("boom in connectionMade");
                }
            }, Channels.newInputStream(pipe.source())));
            assertEquals("boom in connectionMade", e.getMessage());
            assertFalse(pipe.source().isOpen(), "the pipe is closed when the call fails");
            return null;
        });
        pipe.sink().close();
    }

    @Test
    void aThrowingConnectionMadeClosesTheWritePipe() throws Exception {
        Pipe pipe = Pipe.open();
        Aio.run(() -> {
            assertThrows(IllegalStateException.class, () -> Streams.connectWritePipe(() -> new Protocol() {
                @Override
                public void connectionMade(Transport t) {
                    throw new IllegalStateException("boom in connectionMade");
                }
            }, Channels.newOutputStream(pipe.sink())));
            ReadPipeProto reader = new ReadPipeProto();
            Streams.connectReadPipe(() -> reader, Channels.newInputStream(pipe.source()));
            // the limit is a safety net only: the writer thread closes the pipe at once
            assertNull(Aio.waitFor(reader.done, 20), "the other end sees the pipe's end");
            assertEquals(List.of("INITIAL", "CONNECTED", "EOF", "CLOSED"), reader.state);
            return null;
        });
    }

    @Test
    void aReadErrorIsConnectionLostWithItAndReported() throws Exception { // test_unix_events ReadPipe test__read_ready_error
        IOException boom = new IOException("boom in read");
        List<ExceptionContext> reported = new ArrayList<>();
        Aio.run(() -> {
            Aio.getRunningLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            ReadPipeProto proto = new ReadPipeProto();
            Streams.connectReadPipe(() -> proto, new InputStream() {
                @Override
                public int read() throws IOException {
                    throw boom;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    throw boom;
                }
            });
            assertSame(boom, proto.done.await());
            assertEquals(List.of("INITIAL", "CONNECTED", "CLOSED"), proto.state, "an error is no end of stream");
            return null;
        });
        assertEquals(1, reported.size(), reported.toString());
        assertTrue(reported.get(0).message().contains("Fatal read error on pipe transport"), reported.get(0).message());
        assertSame(boom, reported.get(0).exception());
    }

    @Test
    void readPipeTransportQueries() throws Exception { // the ReadTransport half of test_unix_events' ReadPipe tests
        Pipe pipe = Pipe.open();
        InputStream in = Channels.newInputStream(pipe.source());
        Aio.run(() -> {
            ReadPipeProto proto = new ReadPipeProto();
            Transport t = Streams.connectReadPipe(() -> proto, in).transport();
            assertSame(in, t.getExtraInfo("pipe", null));
            assertEquals("dflt", t.getExtraInfo("peername", "dflt"));
            assertFalse(t.canWriteEof());
            assertThrows(UnsupportedOperationException.class, t::writeEof);
            assertEquals(0, t.getWriteBufferSize());
            assertEquals(new Transport.WriteBufferLimits(0, 0), t.getWriteBufferLimits());
            assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(1, 2), "low above high");
            assertTrue(t.isReading());
            assertFalse(t.isClosing());
            assertTrue(t.toString().contains("reading"), t.toString());
            t.pauseReading();
            t.pauseReading(); // twice: still one pause
            assertFalse(t.isReading());
            assertTrue(t.toString().contains("paused"), t.toString());
            t.resumeReading();
            t.resumeReading();
            assertTrue(t.isReading());
            ReadPipeProto other = new ReadPipeProto();
            t.setProtocol(other);
            assertSame(other, t.getProtocol());
            assertThrows(NullPointerException.class, () -> t.setProtocol(null));
            t.abort(); // a read pipe's abort is its close
            assertTrue(t.isClosing());
            assertFalse(t.isReading());
            t.pauseReading(); // after close: nothing happens
            t.resumeReading();
            assertFalse(t.isReading());
            assertTrue(t.toString().contains("closed"), t.toString());
            assertNull(other.done.await(), "the protocol set last hears connectionLost");
            assertEquals(List.of("INITIAL", "CONNECTED"), proto.state);
            t.close(); // again: nothing more
            Aio.sleep(0);
            assertEquals(List.of("INITIAL", "CLOSED"), other.state);
            return null;
        });
        pipe.sink().close();
    }

    @Test
    void writePipeTransportQueries() throws Exception { // the WriteTransport half of test_unix_events' WritePipe tests
        Pipe pipe = Pipe.open();
        OutputStream out = Channels.newOutputStream(pipe.sink());
        Aio.run(() -> {
            WritePipeProto proto = new WritePipeProto();
            Transport t = Streams.connectWritePipe(() -> proto, out).transport();
            assertSame(out, t.getExtraInfo("pipe", null));
            assertEquals("dflt", t.getExtraInfo("peername", "dflt"));
            assertFalse(t.isClosing());
            assertThrows(UnsupportedOperationException.class, t::pauseReading);
            assertThrows(UnsupportedOperationException.class, t::resumeReading);
            assertFalse(t.isReading());
            t.setWriteBufferLimits(200, 50);
            assertEquals(new Transport.WriteBufferLimits(50, 200), t.getWriteBufferLimits());
            t.write(new byte[0]); // test_write_no_data
            assertEquals(0, t.getWriteBufferSize());
            assertTrue(t.toString().contains("open"), t.toString());
            WritePipeProto other = new WritePipeProto();
            t.setProtocol(other);
            assertSame(other, t.getProtocol());
            assertThrows(NullPointerException.class, () -> t.setProtocol(null));
            t.writeEof(); // test_write_eof: the pipe closes once written
            assertTrue(t.isClosing());
            assertTrue(t.toString().contains("clos"), t.toString());
            t.write(b("dropped")); // test_write_after_closing
            assertEquals(0, t.getWriteBufferSize(), "a write after close is dropped");
            assertNull(other.done.await());
            assertEquals(List.of("INITIAL", "CONNECTED"), proto.state, "connectionLost went to the protocol set last");
            assertTrue(t.toString().contains("closed"), t.toString());
            return null;
        });
        assertEquals(-1, Channels.newInputStream(pipe.source()).read());
    }

    @Test
    void abortDropsTheQueueAndLosesTheConnectionOnTheNextIteration() throws Exception { // test_unix_events WritePipe test_abort
        Pipe pipe = Pipe.open();
        Aio.run(() -> {
            WritePipeProto proto = new WritePipeProto();
            Transport t = Streams.connectWritePipe(() -> proto, Channels.newOutputStream(pipe.sink())).transport();
            t.setWriteBufferLimits(1 << 30, 0); // no pause: this test looks at the queue only
            for (int i = 0; i < 8; i++) {
                t.write(new byte[1 << 16]); // more than an OS pipe holds: nobody reads, so most stays queued
            }
            assertTrue(t.getWriteBufferSize() > 0);
            t.abort();
            assertEquals(0, t.getWriteBufferSize(), "abort drops what is queued");
            assertTrue(t.isClosing());
            assertEquals(List.of("INITIAL", "CONNECTED"), proto.state, "connectionLost is not called inside abort()");
            assertNull(proto.done.await(), "told at once, not after the write in progress (nobody reads)");
            assertEquals(List.of("INITIAL", "CONNECTED", "CLOSED"), proto.state);
            t.abort(); // again: connectionLost stays one call
            t.close();
            Aio.sleep(0);
            assertEquals(List.of("INITIAL", "CONNECTED", "CLOSED"), proto.state);
            InputStream in = Channels.newInputStream(pipe.source());
            int got = Aio.toThread(() -> in.readAllBytes()).length;
            assertTrue(got < 8 << 16, "only what the thread had taken before the abort arrives, then the end: " + got);
            return null;
        });
    }

    @Test
    void theLoopsCloseDropsWhatAnOpenWritePipeHasQueued() throws Exception {
        Pipe pipe = Pipe.open();
        Aio.run(() -> {
            Transport t = Streams.connectWritePipe(WritePipeProto::new, Channels.newOutputStream(pipe.sink())).transport();
            t.setWriteBufferLimits(1 << 30, 0);
            for (int i = 0; i < 8; i++) {
                t.write(new byte[1 << 16]); // nobody reads: most stays queued
            }
            return null; // the loop closes with the pipe open
        });
        int got = Channels.newInputStream(pipe.source()).readAllBytes().length;
        assertTrue(got < 8 << 16, "the queue was dropped and the pipe closed: " + got);
        pipe.source().close();
    }

    @Test
    void argumentErrors() throws Exception {
        Aio.run(() -> {
            assertThrows(NullPointerException.class, () -> Streams.connectReadPipe(ReadPipeProto::new, null));
            assertThrows(NullPointerException.class, () -> Streams.connectWritePipe(WritePipeProto::new, null));
            assertThrows(NullPointerException.class, () -> Streams.connectReadPipe(() -> null, InputStream.nullInputStream()));
            return null;
        });
    }
}
