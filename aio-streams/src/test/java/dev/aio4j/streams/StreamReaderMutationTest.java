package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.test.Loops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Flow control and waiter bookkeeping of {@link StreamReader} that its mutants (issue 11) showed
 * untested: every read path that drains a paused reader to its limit resumes the transport, and a
 * cancelled read leaves no waiter behind. aio4j-only; complements {@link StreamsTest}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamReaderMutationTest {
    private static final int LIMIT = 10;

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private static void run(Body body) throws Exception {
        Loops.runVirtual(() -> {
            body.run();
            return null;
        });
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A reader with limit 10, paused by 21 buffered bytes (more than twice the limit). */
    private static StreamReader paused(FlowRecorder t, byte[] data) {
        assertEquals(21, data.length);
        StreamReader stream = new StreamReader(LIMIT);
        stream.setTransport(t);
        stream.feedData(data);
        assertEquals(List.of("pause"), t.calls);
        return stream;
    }

    @Test
    void readexactlyDownToTheLimitResumes_issue11() throws Exception {
        run(() -> {
            FlowRecorder t = new FlowRecorder();
            StreamReader stream = paused(t, new byte[21]);
            assertEquals(11, stream.readexactly(11).length);
            assertEquals(List.of("pause", "resume"), t.calls, "10 bytes left = limit");
        });
    }

    @Test
    void readexactlyCutByEofResumes_issue11() throws Exception {
        run(() -> {
            FlowRecorder t = new FlowRecorder();
            StreamReader stream = paused(t, new byte[21]);
            stream.feedEof();
            IncompleteReadError e = assertThrows(IncompleteReadError.class, () -> stream.readexactly(30));
            assertEquals(21, e.partial().length);
            assertEquals(List.of("pause", "resume"), t.calls);
        });
    }

    @Test
    void waitingForMoreThanAPausedReaderHoldsResumesFirst_issue11() throws Exception {
        run(() -> {
            FlowRecorder t = new FlowRecorder();
            StreamReader stream = paused(t, new byte[21]);
            Task<byte[]> read = Aio.createTask(() -> stream.readexactly(30));
            Aio.sleep(0);
            assertEquals(List.of("pause", "resume"), t.calls, "resumed, or the 9 missing bytes would never come");
            stream.feedData(new byte[9]);
            assertEquals(30, read.await().length);
            assertEquals(List.of("pause", "resume", "pause", "resume"), t.calls, "30 > 20 paused again; emptied, resumed");
        });
    }

    @Test
    void readlineOverTheLimitClearsAndResumes_issue11() throws Exception {
        run(() -> {
            FlowRecorder t = new FlowRecorder();
            StreamReader stream = paused(t, b("x".repeat(21)));
            assertThrows(LimitOverrunError.class, stream::readline);
            assertEquals(0, stream.bufferSize());
            assertEquals(List.of("pause", "resume"), t.calls);
        });
    }

    @Test
    void readlineDownToTheLimitResumes_issue11() throws Exception {
        run(() -> {
            FlowRecorder t = new FlowRecorder();
            StreamReader stream = paused(t, b("a".repeat(10) + "\n" + "b".repeat(10)));
            assertArrayEquals(b("a".repeat(10) + "\n"), stream.readline());
            assertEquals(List.of("pause", "resume"), t.calls, "10 bytes left = limit");
        });
    }

    @Test
    void readuntilCutByEofResumes_issue11() throws Exception {
        run(() -> {
            FlowRecorder t = new FlowRecorder();
            StreamReader stream = paused(t, new byte[21]);
            stream.feedEof();
            // A 12-byte separator: 21 + 1 - 12 = 10 bytes searched, not over the limit, so EOF decides.
            IncompleteReadError e = assertThrows(IncompleteReadError.class, () -> stream.readuntil(b("SEPARATOR-12")));
            assertEquals(21, e.partial().length);
            assertEquals(List.of("pause", "resume"), t.calls);
        });
    }

    @Test
    void aCancelledReadLeavesNoWaiterBehind_issue11() throws Exception {
        run(() -> {
            StreamReader stream = new StreamReader();
            Task<byte[]> first = Aio.createTask(() -> stream.read(5));
            Aio.sleep(0);
            first.cancel();
            assertThrows(CancelledError.class, first::await);
            assertEquals("StreamReader[0 bytes, limit=65536]", stream.toString());
            Task<byte[]> second = Aio.createTask(() -> stream.read(5));
            Aio.sleep(0);
            stream.feedData(b("hello"));
            assertArrayEquals(b("hello"), second.await());
        });
    }
}
