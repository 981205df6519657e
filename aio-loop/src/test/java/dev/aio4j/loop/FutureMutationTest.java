package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.aio4j.loop.test.Loops.inLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edges of {@link Future} that its mutants (issue 11) showed untested: {@code get(timeout)} on and
 * off the loop, where {@code toCompletableFuture()} registers its callback and how cancelling the
 * bridge cancels the future, and the 80-character cut of the result in {@code toString()}.
 * aio4j-only; complements {@link FuturesTest}.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FutureMutationTest {

    @Test
    void getWithTimeoutOfADoneFutureFromOutsideTheLoopReturnsTheResult_issue11() throws Exception {
        EventLoop loop = Loops.virtualLoop();
        try {
            Future<String> f = loop.createFuture();
            f.setResult("done");
            assertEquals("done", f.get(1, TimeUnit.SECONDS));
        } finally {
            loop.close();
        }
    }

    @Test
    void getWithTimeoutInsideATaskIsABlockingOperationError_issue11() throws Exception {
        inLoop(() -> {
            Future<String> f = Aio.getRunningLoop().createFuture();
            f.setResult("done");
            BlockingOperationError e = assertThrows(BlockingOperationError.class, () -> f.get(1, TimeUnit.SECONDS));
            assertTrue(e.getMessage().startsWith("Future.get(timeout) called on the event loop's own thread or from one of its "
                    + "tasks, where it would wait forever: "), e.getMessage());
        });
    }

    @Test
    void toCompletableFutureRegistersAtOnceOnTheLoopOrOnAnIdleLoop_issue11() throws Exception {
        inLoop(() -> {
            Future<String> f = Aio.getRunningLoop().createFuture();
            f.toCompletableFuture();
            assertEquals(1, f.callbackCount(), "on the loop: registered now, not in a later callback");
        });
        EventLoop idle = Loops.virtualLoop();
        try {
            Future<String> f = idle.createFuture();
            f.toCompletableFuture();
            assertEquals(1, f.callbackCount(), "the loop is not running: registered now");
        } finally {
            idle.close();
        }
    }

    @Test
    void cancellingTheBridgeOnTheLoopCancelsTheFutureAtOnce_issue11() throws Exception {
        inLoop(() -> {
            Future<String> f = Aio.getRunningLoop().createFuture();
            CompletableFuture<String> cf = f.toCompletableFuture();
            assertTrue(cf.cancel(false));
            assertTrue(f.cancelled(), "cancelled now, not in a later callback");
        });
    }

    @Test
    void awaitingAFailedFutureRetrievesItsException_issue11() throws Exception {
        Object[] kept = new Object[1]; // still referenced at close, so the close-time check sees it
        inLoop(() -> {
            Future<String> f = Aio.getRunningLoop().createFuture();
            kept[0] = f;
            f.setException(new IllegalStateException("seen"));
            IllegalStateException e = assertThrows(IllegalStateException.class, f::await);
            assertEquals("seen", e.getMessage());
        }); // inLoop: nothing reported, so no "exception was never retrieved"
        assertTrue(((Future<?>) kept[0]).done());
    }

    @Test
    void toStringCutsResultsLongerThan80Characters_issue11() throws Exception {
        inLoop(() -> {
            Future<String> exact = Aio.getRunningLoop().createFuture();
            exact.setResult("x".repeat(80));
            assertEquals("Future[finished result=" + "x".repeat(80) + "]", exact.toString());
            Future<String> longer = Aio.getRunningLoop().createFuture();
            longer.setResult("y".repeat(81));
            assertEquals("Future[finished result=" + "y".repeat(77) + "...]", longer.toString());
            assertFalse(longer.cancelled());
        });
    }
}
