package dev.aio4j.streams.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.RecordingExceptionHandler;
import dev.aio4j.streams.StreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.SocketException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The protocol behind the streams: the connection_lost tests of Lib/test/test_asyncio/test_streams.py. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamReaderProtocolTest {
    @Test
    void connectionLostTwiceIsIdempotent_issue13() {
        // asyncio guards with `if not self._closed.done()`; a second call used to raise
        // InvalidStateError from the loop callback, which reached the exception handler.
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        Loops.runVirtual(handler, () -> {
            EventLoop loop = Aio.getRunningLoop();
            StreamReader reader = new StreamReader();
            StreamReaderProtocol p = new StreamReaderProtocol(loop, reader, null);
            loop.callSoon(() -> p.connectionLost(null));
            loop.callSoon(() -> p.connectionLost(null));
            Loops.ticks(2);
            assertTrue(p.closedFuture().done());
            assertNull(p.closedFuture().result());
            assertTrue(reader.atEof());
            return null;
        });
        handler.assertNothingReported();
    }

    @Test
    void connectionLostWithAnErrorThenAgainKeepsTheFirstOutcome_issue13() {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        Loops.runVirtual(handler, () -> {
            EventLoop loop = Aio.getRunningLoop();
            StreamReader reader = new StreamReader();
            StreamReaderProtocol p = new StreamReaderProtocol(loop, reader, null);
            SocketException reset = new SocketException("Connection reset");
            p.connectionLost(reset);
            p.connectionLost(null);
            p.connectionLost(new SocketException("later"));
            assertSame(reset, p.closedFuture().exception());
            assertThrows(SocketException.class, () -> p.drainHelper());
            return null;
        });
        handler.assertNothingReported();
    }
}
