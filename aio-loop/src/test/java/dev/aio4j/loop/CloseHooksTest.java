package dev.aio4j.loop;

import dev.aio4j.loop.internal.LoopAccess;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LoopAccess.onClose: what aio-streams frees when a loop closes (a subprocess still running, its
 * pipe threads). aio4j-only: asyncio frees those resources when their transport is collected.
 */
class CloseHooksTest {

    @Test
    void hooksRunOnceInRegistrationOrderAfterPendingTasksUnwound() {
        List<String> seen = new ArrayList<>();
        EventLoop loop = EventLoop.create();
        loop.setExceptionHandler((l, c) -> { }); // "Task was destroyed but it is pending!"
        loop.runUntilComplete(loop.createTask(() -> {
            LoopAccess.onClose(loop, () -> seen.add("first"));
            LoopAccess.onClose(loop, () -> seen.add("second"));
            Aio.getRunningLoop().createTask(() -> {
                try {
                    Aio.sleep(1000);
                } finally {
                    seen.add("task unwound");
                }
                return null;
            });
            Aio.sleep(0);
            return null;
        }));
        assertEquals(List.of(), seen, "nothing runs before close()");
        loop.close();
        assertEquals(List.of("task unwound", "first", "second"), seen);
        loop.close();
        assertEquals(3, seen.size(), "close() is idempotent: hooks run once");
    }

    @Test
    void aRemovedHookNeverRuns() {
        List<String> seen = new ArrayList<>();
        EventLoop loop = EventLoop.create();
        Runnable remove = LoopAccess.onClose(loop, () -> seen.add("removed"));
        LoopAccess.onClose(loop, () -> seen.add("kept"));
        remove.run();
        remove.run(); // idempotent
        loop.close();
        assertEquals(List.of("kept"), seen);
    }

    @Test
    void theSameHookTwiceRunsTwiceAndEachRegistrationIsRemovedAlone() {
        List<String> seen = new ArrayList<>();
        Runnable hook = () -> seen.add("x");
        EventLoop loop = EventLoop.create();
        Runnable first = LoopAccess.onClose(loop, hook);
        LoopAccess.onClose(loop, hook);
        first.run();
        loop.close();
        assertEquals(List.of("x"), seen);
    }

    @Test
    void registeringOnAClosedOrClosingLoopIsRefused() {
        EventLoop loop = EventLoop.create();
        List<Throwable> fromHook = new ArrayList<>();
        LoopAccess.onClose(loop, () -> {
            try {
                LoopAccess.onClose(loop, () -> { });
            } catch (IllegalStateException e) {
                fromHook.add(e);
            }
        });
        loop.close();
        assertEquals(1, fromHook.size(), "a hook registered while the loop closes would never run");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LoopAccess.onClose(loop, () -> { }));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void aHookThatThrowsIsReportedAndTheOthersStillRun() {
        List<String> seen = new ArrayList<>();
        List<ExceptionContext> reported = new ArrayList<>();
        RuntimeException boom = new IllegalStateException("boom");
        EventLoop loop = EventLoop.create();
        loop.setExceptionHandler((l, c) -> reported.add(c));
        LoopAccess.onClose(loop, () -> {
            throw boom;
        });
        LoopAccess.onClose(loop, () -> seen.add("after"));
        loop.close();
        assertEquals(List.of("after"), seen);
        assertEquals(1, reported.size());
        assertSame(boom, reported.get(0).exception());
        assertTrue(reported.get(0).message().contains("close hook"), reported.get(0).message());
        assertTrue(loop.isClosed());
    }
}
