package dev.aio4j.loop;

import dev.aio4j.loop.test.RecordingExceptionHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "exception was never retrieved" is reported no later than when the failed future is
 * garbage-collected, while the loop still runs (asyncio reports it from Future.__del__).
 * aio4j-only: the close-time report is covered by FuturesTest and TasksTest.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NeverRetrievedTest {

    private static void failAndForget(EventLoop loop) {
        Future<Void> f = loop.createFuture();
        f.setException(new IllegalStateException("dropped on the floor"));
    }

    private static void failTaskAndForget() {
        Aio.createTask(() -> {
            throw new IllegalArgumentException("task failure nobody awaited");
        }, "forgotten");
    }

    @Test
    void aCollectedFailedFutureIsReportedWhileTheLoopRuns() {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        List<String> seenBeforeClose = Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            loop.setExceptionHandler(handler);
            failAndForget(loop);
            failTaskAndForget();
            Aio.sleep(0.01); // the task runs and fails; the loop then drops its reference
            for (int i = 0; i < 500 && handler.messages().size() < 2; i++) {
                System.gc();
                Aio.sleep(0.005); // the Cleaner posts the report with callSoonThreadsafe
            }
            return handler.messages();
        });
        assertEquals(2, seenBeforeClose.size(), "reported before the loop closed: " + seenBeforeClose);
        assertTrue(seenBeforeClose.stream().anyMatch(m -> m.startsWith("Future exception was never retrieved: Future[finished "
                + "exception=java.lang.IllegalStateException: dropped on the floor]")), seenBeforeClose.toString());
        assertTrue(seenBeforeClose.stream().anyMatch(m -> m.startsWith("Task exception was never retrieved: Task[name=forgotten, "
                + "finished exception=java.lang.IllegalArgumentException: task failure nobody awaited]")), seenBeforeClose.toString());
        assertEquals(2, handler.messages().size(), "and not reported a second time at close");
    }
}
