package dev.aio4j.loop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A busy loop polls its selector every other iteration (docs/architecture.md, "One loop
 * iteration", step 4): I/O is seen at most two iterations after it arrives, and a callback chain
 * that never waits cannot starve it. aio4j-only: asyncio polls on every iteration.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class BusyPollingTest {

    /**
     * A chain of callbacks, one per iteration ("c1", "c2", ...); the one of iteration {@code
     * writeAt} writes a byte into a pipe the loop watches, whose reader records "io". Returns the
     * number of the last chain callback that ran before "io".
     */
    private static int chainCallbackBeforeIo(int writeAt) throws Exception {
        try (EventLoop loop = EventLoop.create()) {
            Pipe pipe = Pipe.open();
            try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
                source.configureBlocking(false);
                List<String> order = new ArrayList<>();
                Future<Void> done = loop.createFuture();
                loop.addReader(source, () -> {
                    order.add("io");
                    loop.removeReader(source);
                });
                Runnable[] step = new Runnable[1];
                int[] n = {0};
                step[0] = () -> {
                    n[0]++;
                    order.add("c" + n[0]);
                    if (n[0] == writeAt) {
                        try {
                            sink.write(ByteBuffer.wrap(new byte[] {1}));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    if (n[0] < writeAt + 6) {
                        loop.callSoon(step[0]);
                    } else {
                        done.setResult(null);
                    }
                };
                loop.callSoon(step[0]);
                loop.runUntilComplete(done);
                int io = order.indexOf("io");
                assertTrue(io > 0, "the reader ran: " + order);
                return Integer.parseInt(order.get(io - 1).substring(1));
            }
        }
    }

    @Test
    void ioArrivingWhileTheLoopIsBusyIsSeenWithinTwoIterations() throws Exception {
        for (int writeAt = 1; writeAt <= 6; writeAt++) {
            int before = chainCallbackBeforeIo(writeAt);
            assertTrue(before > writeAt && before <= writeAt + 2,
                    "written in iteration " + writeAt + ", seen after c" + before);
        }
    }

    @Test
    void aBusyIterationAfterAPollDoesNotPollAgain() throws Exception {
        // The run's first iteration polls (c1), the second does not (c2), the third does (c3)...
        // A byte written by c1 is first seen by the poll of iteration 3, so its reader runs after
        // c3; one written by c2 is seen by that same poll. Polling every iteration (asyncio's
        // rule, and this loop's before) would run the first reader after c2.
        assertEquals(3, chainCallbackBeforeIo(1));
        assertEquals(3, chainCallbackBeforeIo(2));
        assertEquals(5, chainCallbackBeforeIo(3));
    }

    @Test
    void aRunStoppedByANonPollingIterationLeavesItsIoToTheNextRun() throws Exception {
        // Where the skipped poll shows: asyncio's second iteration would poll, see the
        // byte the first wrote and run the reader after stop(); here that iteration does not
        // poll, so the run ends without the reader, and the next run's first iteration (which
        // always polls) runs it.
        try (EventLoop loop = EventLoop.create()) {
            Pipe pipe = Pipe.open();
            try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
                source.configureBlocking(false);
                List<String> order = new ArrayList<>();
                loop.addReader(source, () -> {
                    order.add("io");
                    loop.removeReader(source);
                });
                loop.callSoon(() -> {
                    try {
                        sink.write(ByteBuffer.wrap(new byte[] {1}));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    loop.callSoon(loop::stop);
                });
                loop.runForever();
                assertEquals(List.of(), order);
                loop.callSoon(() -> order.add("stop"));
                loop.callSoon(loop::stop);
                loop.runForever();
                assertEquals(List.of("stop", "io"), order);
            }
        }
    }
}
