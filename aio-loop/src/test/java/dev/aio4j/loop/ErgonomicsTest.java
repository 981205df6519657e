package dev.aio4j.loop;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.aio4j.loop.test.Loops.inLoop;
import static dev.aio4j.loop.test.Loops.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * aio4j-only (issue 12): collections of coroutines and futures without casts, the
 * {@link Duration} twins of methods that take seconds, {@link Condition#awaitFor(java.util.function.Supplier)}
 * returning the predicate's value, {@link Aio#wrapFuture(CompletionStage)}, and
 * {@link EventLoop#asExecutor()}. Times are virtual ({@code Loops.inLoop}), so they are exact.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ErgonomicsTest {

    // ======================================================================= collections

    @Test
    void gatherCoroutinesInfersTheElementType_issue12() throws Exception {
        inLoop(() -> {
            List<Coroutine<String>> fetches = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                fetches.add(() -> Aio.sleep(0.1, name));
            }
            List<String> pages = Aio.gatherCoroutines(fetches).await();
            assertEquals(List.of("a", "b", "c"), pages);
            assertEquals(0.1, now(), 1e-9);
            List<Task<Integer>> tasks = List.of(Aio.createTask(() -> 1), Aio.createTask(() -> 2));
            List<Integer> fromTasks = Aio.gather(tasks).await();
            assertEquals(List.of(1, 2), fromTasks);
            Future<List<Number>> widened = Aio.gatherCoroutines(List.<Coroutine<Integer>>of(() -> 3));
            assertEquals(List.of(3), widened.await());
            assertEquals(List.of(), Aio.gatherCoroutines(List.<Coroutine<String>>of()).await());
        });
    }

    @Test
    void waitAndAsCompletedTakeFuturesOfMixedTypes_issue12() throws Exception {
        inLoop(() -> {
            Task<String> s = Aio.createTask(() -> Aio.sleep(0.2, "s"));
            Task<Integer> i = Aio.createTask(() -> Aio.sleep(0.1, 1));
            List<Future<?>> mixed = List.of(s, i);
            WaitResult<Object> r = Aio.wait(mixed);
            assertEquals(Set.of(s, i), r.done());
            WaitResult<?> inferred = Aio.wait(List.of(Aio.createTask(() -> "x"), Aio.createTask(() -> 2)));
            assertEquals(2, inferred.done().size());

            Task<String> late = Aio.createTask(() -> Aio.sleep(0.2, "late"));
            Task<Integer> early = Aio.createTask(() -> Aio.sleep(0.1, 7));
            List<Object> order = new ArrayList<>();
            for (Future<Object> f : Aio.asCompleted(List.<Future<?>>of(late, early))) {
                order.add(f.result());
            }
            assertEquals(List.of(7, "late"), order);
        });
    }

    @Test
    void wrapFutureTakesAnyCompletionStage_issue12() throws Exception {
        inLoop(() -> {
            CompletableFuture<String> source = new CompletableFuture<>();
            CompletionStage<String> minimal = source.minimalCompletionStage();
            Future<String> f = Aio.wrapFuture(minimal);
            Thread.ofPlatform().start(() -> source.complete("from another thread"));
            assertEquals("from another thread", f.await());

            CompletableFuture<String> failing = new CompletableFuture<>();
            Future<String> g = Aio.wrapFuture(failing.thenApply(x -> x).minimalCompletionStage());
            failing.completeExceptionally(new IllegalArgumentException("bad"));
            assertEquals("bad", assertThrows(IllegalArgumentException.class, g::await).getMessage());

            CompletableFuture<String> cancelled = new CompletableFuture<>();
            Future<String> h = Aio.wrapFuture((CompletionStage<String>) cancelled.minimalCompletionStage());
            cancelled.cancel(false);
            assertThrows(CancelledError.class, h::await);
            assertTrue(h.cancelled());

            // a loop future of a read-only stage can be cancelled; the stage stays as it is
            CompletableFuture<String> untouched = new CompletableFuture<>();
            Future<String> k = Aio.wrapFuture(untouched.minimalCompletionStage());
            k.cancel();
            Aio.sleep(0);
            assertTrue(k.cancelled());
            assertFalse(untouched.isDone());

            // a plain CompletableFuture typed as a stage keeps the CompletableFuture behaviour
            CompletableFuture<String> cf = new CompletableFuture<>();
            Future<String> m = Aio.wrapFuture((CompletionStage<String>) cf);
            m.cancel();
            Aio.sleep(0);
            assertTrue(cf.isCancelled());
        });
    }

    // ========================================================================= durations

    @Test
    void durationTwins_issue12() throws Exception {
        inLoop(() -> {
            assertEquals("r", Aio.sleep(Duration.ofMillis(250), "r"));
            assertEquals(0.25, now(), 1e-9);

            Task<String> slow = Aio.createTask(() -> Aio.sleep(10, "slow"));
            WaitResult<String> r = Aio.wait(List.of(slow), Duration.ofSeconds(1), ReturnWhen.ALL_COMPLETED);
            assertEquals(Set.of(slow), r.pending());
            assertEquals(1.25, now(), 1e-9);
            slow.cancel();

            Task<String> slower = Aio.createTask(() -> Aio.sleep(10, "slower"));
            Iterator<Future<String>> it = Aio.asCompleted(List.of(slower), Duration.ofSeconds(2)).iterator();
            TimeoutError e = assertThrows(TimeoutError.class, it::next);
            assertTrue(e.getMessage().startsWith("Aio.asCompleted() timed out after 2.0 seconds"), e.getMessage());
            assertEquals(3.25, now(), 1e-9);
            slower.cancel();

            Integer inTime = Aio.timeout(Duration.ofSeconds(1), cm -> {
                assertEquals(Aio.getRunningLoop().time() + 1, cm.when(), 1e-9);
                return 5;
            });
            assertEquals(5, inTime);
            assertThrows(TimeoutError.class, () -> Aio.timeout(Duration.ofSeconds(1), cm -> Aio.sleep(2, 0)));
            assertEquals(4.25, now(), 1e-9);

            NullPointerException npe = assertThrows(NullPointerException.class,
                    () -> Aio.wait(List.of(Aio.createTask(() -> 1)), (Duration) null, ReturnWhen.ALL_COMPLETED));
            assertEquals("timeout must not be null", npe.getMessage());

            EventLoop loop = Aio.getRunningLoop();
            loop.setSlowCallbackDuration(Duration.ofMillis(50));
            assertEquals(0.05, loop.getSlowCallbackDuration(), 1e-12);
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                    () -> loop.setSlowCallbackDuration(Duration.ZERO));
            assertEquals("seconds must be a finite number > 0, got 0.0", zero.getMessage());
            loop.runInExecutor(null, () -> 1).await();
            loop.shutdownDefaultExecutor(Duration.ofSeconds(5));
        });
    }

    @Test
    void callLaterWithAContextTakesADuration() throws Exception { // aio4j-only: the Duration twin of call_later(delay, cb, context=)
        inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            ContextVar<String> var = new ContextVar<>("var", "outside");
            Context ctx = new Context();
            ctx.run(() -> {
                var.set("inside");
            });
            List<String> seen = new ArrayList<>();
            double start = loop.time();
            TimerHandle viaDuration = loop.callLater(Duration.ofMillis(1500), () -> seen.add("duration:" + var.get()), ctx);
            TimerHandle viaSeconds = loop.callLater(1.5, () -> seen.add("seconds:" + var.get()), ctx);
            assertEquals(viaSeconds.when(), viaDuration.when(), 0.0);
            assertEquals(start + 1.5, viaDuration.when(), 1e-9);
            Aio.sleep(2);
            assertEquals(List.of("duration:inside", "seconds:inside"), seen);

            // a negative delay means "as soon as possible", as call_later(-1, ...) does
            TimerHandle late = loop.callLater(Duration.ofSeconds(-1), () -> seen.add("negative"), ctx);
            assertEquals(loop.callLater(-1, () -> { }, ctx).when(), late.when(), 0.0);
            Aio.sleep(0.01);
            assertEquals(List.of("duration:inside", "seconds:inside", "negative"), seen);

            NullPointerException npe = assertThrows(NullPointerException.class,
                    () -> loop.callLater((Duration) null, () -> { }, ctx));
            assertEquals("delay must not be null", npe.getMessage());
            NullPointerException noContext = assertThrows(NullPointerException.class,
                    () -> loop.callLater(Duration.ofSeconds(1), () -> { }, null));
            assertEquals("context must not be null", noContext.getMessage());
        });
    }

    @Test
    void aNegativeDurationBecomesTheSecondsItSays() { // aio4j-only: the one Duration-to-seconds conversion
        assertEquals(-0.05, dev.aio4j.loop.internal.Checks.seconds(Duration.ofMillis(-50), "d"), 0.0);
        assertEquals(-1.25, dev.aio4j.loop.internal.Checks.seconds(Duration.ofMillis(-1250), "d"), 0.0);
        assertEquals(-2.0, dev.aio4j.loop.internal.Checks.seconds(Duration.ofSeconds(-2), "d"), 0.0);
        assertEquals(-1e-9, dev.aio4j.loop.internal.Checks.seconds(Duration.ofNanos(-1), "d"), 0.0);
        assertEquals(0.05, dev.aio4j.loop.internal.Checks.seconds(Duration.ofMillis(50), "d"), 0.0);
        assertEquals(1.25, dev.aio4j.loop.internal.Checks.seconds(Duration.ofMillis(1250), "d"), 0.0);
        assertEquals(0.0, dev.aio4j.loop.internal.Checks.seconds(Duration.ZERO, "d"), 0.0);
        assertEquals("d must not be null",
                assertThrows(NullPointerException.class, () -> dev.aio4j.loop.internal.Checks.seconds(null, "d")).getMessage());
    }

    // ========================================================================= awaitFor

    @Test
    void conditionAwaitForReturnsThePredicatesValue_issue12() throws Exception {
        inLoop(() -> {
            Condition cond = new Condition();
            ArrayDeque<String> items = new ArrayDeque<>();
            Task<String> consumer = Aio.createTask(() -> {
                try (Acquired held = cond.hold()) {
                    return cond.awaitFor(() -> items.poll());
                }
            });
            Task<Boolean> flag = Aio.createTask(() -> {
                try (Acquired held = cond.hold()) {
                    Boolean value = cond.awaitFor(() -> items.isEmpty() && consumer.done() ? Boolean.TRUE : Boolean.FALSE);
                    return value;
                }
            });
            Aio.sleep(0.1);
            assertFalse(consumer.done());
            try (Acquired held = cond.hold()) {
                items.add("item");
                cond.signalAll();
            }
            assertEquals("item", consumer.await());
            try (Acquired held = cond.hold()) {
                cond.signalAll();
            }
            assertSame(Boolean.TRUE, flag.await());
            try (Acquired held = cond.hold()) {
                assertTrue(cond.awaitFor(() -> true)); // a boolean predicate picks the BooleanSupplier form
                assertEquals("ready", cond.awaitFor(() -> "ready"));
            }
            assertThrows(IllegalStateException.class, () -> cond.awaitFor(() -> (String) null));
        });
    }

    // ======================================================================= asExecutor

    @Test
    void asExecutorRunsCommandsOnTheLoopFromAnyThread_issue12() throws Exception {
        EventLoop loop = EventLoop.create();
        Executor executor = loop.asExecutor();
        assertSame(executor, loop.asExecutor());
        Thread loopThread = Thread.ofPlatform().start(loop::runForever);
        try {
            CompletableFuture<Boolean> onLoop = CompletableFuture.supplyAsync(() -> {
                try {
                    return Aio.getRunningLoop() == loop;
                } catch (IllegalStateException e) {
                    return false;
                }
            }, executor);
            assertTrue(onLoop.get(10, TimeUnit.SECONDS));
            CountDownLatch ran = new CountDownLatch(1);
            Thread.ofPlatform().start(() -> executor.execute(ran::countDown)).join();
            assertTrue(ran.await(10, TimeUnit.SECONDS));
        } finally {
            loop.callSoonThreadsafe(loop::stop);
            loopThread.join();
        }
        loop.close();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> executor.execute(() -> { }));
        assertTrue(e.getMessage().startsWith("EventLoop.asExecutor().execute() called after the loop was closed: EventLoop[id="),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("; keep the loop open (or create a new one) while others may hand it work"),
                e.getMessage());
        assertThrows(NullPointerException.class, () -> executor.execute(null));
    }
}
