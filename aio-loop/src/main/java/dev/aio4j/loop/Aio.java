package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The asyncio module's functions: run a program, create tasks, sleep, gather, shield, time out.
 *
 * <p><b>asyncio:</b> the top-level functions of {@code asyncio} ({@code run}, {@code create_task},
 * {@code sleep}, {@code gather}, {@code shield}, {@code wait_for}, {@code get_running_loop},
 * {@code current_task}, {@code all_tasks}, {@code run_coroutine_threadsafe},
 * {@code ensure_future}, {@code wrap_future}). <b>Differences:</b> what is a coroutine in asyncio
 * suspends the calling task here and returns the value ({@link #sleep}, {@link #waitFor}); what
 * returns a future in asyncio returns a {@link Future} here ({@link #createTask}, {@link #gather},
 * {@link #shield}). {@code return_exceptions=True} is {@link #gatherReturnExceptions}.
 *
 * <pre>{@code
 * String page = Aio.run(() -> {
 *     Task<String> a = Aio.createTask(() -> fetch("a"));
 *     Task<String> b = Aio.createTask(() -> fetch("b"));
 *     List<String> both = Aio.gather(a, b).await();
 *     Aio.sleep(0.5);
 *     return String.join(",", both);
 * });
 * }</pre>
 *
 * @since 0.1
 */
public final class Aio {
    static final ThreadLocal<Task<?>> CURRENT_TASK = new ThreadLocal<>();
    static final ThreadLocal<EventLoop> RUNNING_LOOP = new ThreadLocal<>();

    private Aio() {}

    // --------------------------------------------------------------------------------- run

    /**
     * Runs {@code main} on a new event loop and returns its result: the loop is created, main
     * runs as a task, then tasks still pending are cancelled and awaited, the default executor
     * is shut down, and the loop is closed.
     *
     * @param main the program's main coroutine
     * @param <T> the result type
     * @return what main returned
     * @param <E> the checked exception main may throw, inferred from the lambda
     * @throws E what main threw, the same object, checked or not
     * @throws IllegalStateException if called from a running loop (a task or a callback)
     */
    public static <T, E extends Exception> T run(ThrowingCoroutine<T, E> main) throws E {
        return run(main, null);
    }

    /**
     * {@link #run(ThrowingCoroutine)} with debug mode on or off.
     *
     * @param main the program's main coroutine
     * @param debug debug mode for the loop, or null for the default
     * @param <T> the result type
     * @param <E> the checked exception main may throw
     * @return what main returned
     * @throws E what main threw, the same object
     */
    public static <T, E extends Exception> T run(ThrowingCoroutine<T, E> main, Boolean debug) throws E {
        Checks.notNull(main, "main");
        if (runningLoopOrNull() != null) {
            throw new IllegalStateException("Aio.run() cannot be called from a running event loop; inside a task, "
                    + "call the coroutine directly or use Aio.createTask(...)");
        }
        try (Runner runner = new Runner(debug, null)) {
            return runner.run(main);
        }
    }

    /**
     * A new event loop (not running). Close it when done.
     *
     * @return the loop
     */
    public static EventLoop newEventLoop() {
        return EventLoop.create();
    }

    static EventLoop runningLoopOrNull() {
        Task<?> t = CURRENT_TASK.get();
        if (t != null && !t.done()) {
            return t.loop;
        }
        return RUNNING_LOOP.get();
    }

    /**
     * The loop running in the calling thread or task.
     *
     * @return the loop
     * @throws IllegalStateException if no loop is running here
     */
    public static EventLoop getRunningLoop() {
        EventLoop l = runningLoopOrNull();
        if (l == null) {
            throw new IllegalStateException("no running event loop in thread '" + Thread.currentThread().getName()
                    + "'; Aio.getRunningLoop() works inside Aio.run(...), in a task, or in a loop callback");
        }
        return l;
    }

    /**
     * The task running this code.
     *
     * @return the task, or null outside a task (in a loop callback or another thread)
     */
    public static Task<?> currentTask() {
        Task<?> t = CURRENT_TASK.get();
        return t != null && !t.done() ? t : null;
    }

    private static Task<?> requireTask(String what) {
        Task<?> t = CURRENT_TASK.get();
        if (t == null || t.done()) {
            EventLoop l = RUNNING_LOOP.get();
            if (l != null) {
                throw new IllegalStateException(what + " called from a loop callback, not from a task; create a task with "
                        + "Aio.createTask(...) or schedule with EventLoop.callLater(...)");
            }
            throw new IllegalStateException(what + " called outside a task (thread '" + Thread.currentThread().getName()
                    + "'); run it inside Aio.run(...) or a task, or use EventLoop.runUntilComplete(...)");
        }
        return t;
    }

    /**
     * The pending tasks of the running loop.
     *
     * @return a snapshot
     */
    public static Set<Task<?>> allTasks() {
        return getRunningLoop().allTasks();
    }

    /**
     * A report of every pending task of the running loop: name, state, what it awaits, who awaits
     * it, and its stack.
     *
     * @return the report
     */
    public static String dumpTasks() {
        return getRunningLoop().dumpTasks();
    }

    // ------------------------------------------------------------------------------ tasks

    /**
     * Schedules {@code coro} as a task of the running loop.
     *
     * @param coro the body
     * @param <T> the result type
     * @return the task; it starts on the loop's next iteration
     * @throws IllegalStateException if no loop is running here
     */
    public static <T> Task<T> createTask(Coroutine<T> coro) {
        return getRunningLoop().createTask(coro, null);
    }

    /**
     * Schedules {@code coro} as a named task of the running loop.
     *
     * @param coro the body
     * @param name the task's name
     * @param <T> the result type
     * @return the task
     */
    public static <T> Task<T> createTask(Coroutine<T> coro, String name) {
        return getRunningLoop().createTask(coro, name);
    }

    /**
     * {@code asyncio.ensure_future} for a coroutine: the same as {@link #createTask(Coroutine)}.
     *
     * @param coro the body
     * @param <T> the result type
     * @return a new task
     */
    public static <T> Task<T> ensureFuture(Coroutine<T> coro) {
        return createTask(coro);
    }

    /**
     * {@code asyncio.ensure_future} for a future: returns it unchanged.
     *
     * @param future a future
     * @param <T> the result type
     * @return {@code future}
     */
    public static <T> Future<T> ensureFuture(Future<T> future) {
        return Checks.notNull(future, "future");
    }

    /**
     * A future of the running loop that completes when {@code cf} does: the state is handed to
     * the loop, so the returned future completes on a later iteration, never inside
     * {@code cf.complete(...)}, even when that runs on the loop.
     *
     * @param cf a CompletableFuture completed on any thread
     * @param <T> the result type
     * @return a loop future; cancelling it cancels {@code cf}
     */
    public static <T> Future<T> wrapFuture(CompletableFuture<T> cf) {
        Checks.notNull(cf, "cf");
        EventLoop loop = getRunningLoop();
        Future<T> f = loop.createFuture();
        f.addDoneCallback(done -> {
            if (done.cancelled()) {
                cf.cancel(false);
            }
        });
        cf.whenComplete((v, e) -> {
            Runnable copy = () -> {
                if (f.done()) {
                    return;
                }
                if (e == null) {
                    f.setResultInternal(v);
                } else if (cf.isCancelled()) {
                    f.cancelInternal(null);
                } else {
                    f.setExceptionInternal(e instanceof CompletionException && e.getCause() != null
                            ? e.getCause() : e);
                }
            };
            // Always through the loop, as asyncio's _chain_future does: the loop future completes
            // on a later iteration (so it can still be cancelled), never inside cf.complete().
            if (loop.onLoopContext()) {
                loop.callSoonInternal(copy);
            } else if (!loop.isClosed()) {
                loop.callSoonThreadsafe(copy);
            }
        });
        return f;
    }

    /**
     * Schedules {@code coro} on {@code loop} from any other thread.
     *
     * @param coro the body
     * @param loop a loop, usually running in another thread
     * @param <T> the result type
     * @return a CompletableFuture for the result; cancelling it cancels the task
     */
    public static <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coro, EventLoop loop) {
        Checks.notNull(coro, "coro");
        Checks.notNull(loop, "loop");
        CompletableFuture<T> cf = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> {
            if (cf.isDone()) {
                return;
            }
            Task<T> task;
            try {
                task = loop.createTask(coro);
            } catch (Throwable e) {
                cf.completeExceptionally(e);
                return;
            }
            task.addDoneCallback(t -> {
                if (t.cancelled()) {
                    cf.cancel(false);
                } else if (t.exception() != null) {
                    cf.completeExceptionally(t.exception());
                } else {
                    cf.complete(t.resultUnchecked());
                }
            });
            cf.whenComplete((v, e) -> {
                if (cf.isCancelled() && !task.done() && !loop.isClosed()) {
                    loop.callSoonThreadsafe(() -> task.cancel());
                }
            });
        });
        return cf;
    }

    // ------------------------------------------------------------------------------ sleep

    /**
     * Suspends the current task for {@code seconds}; {@code sleep(0)} (or less) yields to the
     * loop once, letting every other ready callback run.
     *
     * <p><b>Cancellation:</b> this method suspends. If the task is cancelled while it sleeps,
     * {@link CancelledError} is thrown here at once and the timer is dropped.
     *
     * @param seconds how long, finite
     * @throws IllegalStateException if called outside a task
     */
    public static void sleep(double seconds) {
        Checks.finiteSeconds(seconds, "seconds");
        Task<?> t = requireTask("Aio.sleep()");
        if (seconds <= 0) {
            t.yieldNow();
        } else {
            t.sleepFor(seconds);
        }
    }

    /**
     * Suspends the current task for {@code delay}.
     *
     * <p><b>Cancellation:</b> as {@link #sleep(double)}.
     *
     * @param delay how long
     */
    public static void sleep(Duration delay) {
        sleep(Checks.seconds(delay, "delay"));
    }

    /**
     * Suspends for {@code seconds}, then returns {@code result} ({@code asyncio.sleep(delay, result)}).
     *
     * <p><b>Cancellation:</b> as {@link #sleep(double)}.
     *
     * @param seconds how long
     * @param result what to return
     * @param <T> the result type
     * @return {@code result}
     */
    public static <T> T sleep(double seconds, T result) {
        sleep(seconds);
        return result;
    }

    // ----------------------------------------------------------------------------- gather

    /**
     * A future for the results of {@code fs}, in argument order. The first failure (or
     * cancellation) of a child completes the returned future with that error at once; the other
     * children go on running. Cancelling the returned future cancels every child that is not
     * done.
     *
     * @param fs futures or tasks of one loop
     * @param <T> the common result type
     * @return a future of the list of results
     */
    @SafeVarargs
    public static <T> Future<List<T>> gather(Future<? extends T>... fs) {
        return gather(Arrays.asList(fs));
    }

    /**
     * Runs each coroutine as a task of the running loop and gathers them, as
     * {@link #gather(Future[])}.
     *
     * @param cs the bodies
     * @param <T> the common result type
     * @return a future of the list of results, in argument order
     */
    @SafeVarargs
    public static <T> Future<List<T>> gather(Coroutine<? extends T>... cs) {
        EventLoop loop = getRunningLoop();
        List<Future<? extends T>> fs = new ArrayList<>(cs.length);
        for (Coroutine<? extends T> c : cs) {
            fs.add(loop.createTask(Checks.notNull(c, "coroutine")));
        }
        return gather(fs);
    }

    /**
     * Gathers a collection of futures, as {@link #gather(Future[])}.
     *
     * @param fs futures or tasks of one loop
     * @param <T> the common result type
     * @return a future of the list of results, in iteration order
     */
    @SuppressWarnings("unchecked")
    public static <T> Future<List<T>> gather(Collection<? extends Future<? extends T>> fs) {
        Checks.notNull(fs, "fs");
        EventLoop loop = fs.isEmpty() ? getRunningLoop() : loopOf(fs, "gather()");
        return (Future<List<T>>) (Future<?>) new GatheringFuture(loop, new ArrayList<>(fs), false);
    }

    /**
     * {@code gather(..., return_exceptions=True)}: waits for every child; the list holds each
     * child's result, or its exception (a {@link CancelledError} for a cancelled child), in
     * argument order.
     *
     * @param fs futures or tasks of one loop
     * @return a future of the list of results and exceptions
     */
    public static Future<List<Object>> gatherReturnExceptions(Future<?>... fs) {
        return gatherReturnExceptions(Arrays.asList(fs));
    }

    /**
     * {@code gather(..., return_exceptions=True)} over a collection.
     *
     * @param fs futures or tasks of one loop
     * @return a future of the list of results and exceptions
     */
    public static Future<List<Object>> gatherReturnExceptions(Collection<? extends Future<?>> fs) {
        Checks.notNull(fs, "fs");
        EventLoop loop = fs.isEmpty() ? getRunningLoop() : loopOf(fs, "gather()");
        return gatherReturnExceptions(loop, fs);
    }

    static Future<List<Object>> gatherReturnExceptions(EventLoop loop, Collection<? extends Future<?>> fs) {
        return new GatheringFuture(loop, new ArrayList<>(fs), true);
    }

    private static EventLoop loopOf(Collection<? extends Future<?>> fs, String what) {
        EventLoop loop = null;
        for (Future<?> f : fs) {
            Checks.notNull(f, "future");
            if (loop == null) {
                loop = f.loop;
            } else if (f.loop != loop) {
                throw new IllegalArgumentException(what + " was given futures of different loops: " + f + " belongs to "
                        + f.loop + ", the first one to " + loop);
            }
        }
        return loop;
    }

    /** asyncio's _GatheringFuture: the outer future of gather(). */
    private static final class GatheringFuture extends Future<List<Object>> {
        private final List<Future<?>> children;
        private final boolean returnExceptions;
        private final int distinct;
        private int finished;
        private boolean cancelRequested;

        GatheringFuture(EventLoop loop, List<Future<?>> children, boolean returnExceptions) {
            super(loop);
            this.children = children;
            this.returnExceptions = returnExceptions;
            Map<Future<?>, Boolean> seen = new IdentityHashMap<>();
            for (Future<?> c : children) {
                seen.put(c, Boolean.TRUE);
            }
            this.distinct = seen.size();
            if (children.isEmpty()) {
                setResultInternal(Collections.emptyList());
                return;
            }
            Consumer<Future<?>> onChildDone = this::childDone;
            for (Future<?> c : seen.keySet()) {
                c.addCallbackObject(onChildDone);
                if (c.done()) {
                    // already done: schedule the callback like asyncio's add_done_callback would
                    c.removeCallbackObject(onChildDone);
                    loop.callSoonInternal(() -> childDone(c));
                }
            }
        }

        private void childDone(Future<?> child) {
            finished++;
            if (done()) {
                if (!child.cancelled()) {
                    child.exception(); // mark retrieved
                }
                return;
            }
            if (!returnExceptions) {
                if (child.cancelled()) {
                    setExceptionInternal(child.makeCancelledError());
                    return;
                }
                Throwable e = child.exception();
                if (e != null) {
                    setExceptionInternal(e);
                    return;
                }
            }
            if (finished == distinct) {
                List<Object> results = new ArrayList<>(children.size());
                for (Future<?> c : children) {
                    if (c.cancelled()) {
                        results.add(c.makeCancelledError());
                    } else {
                        Throwable e = c.exception();
                        results.add(e != null ? e : c.resultUnchecked());
                    }
                }
                if (cancelRequested) {
                    setExceptionInternal(new CancelledError(cancelMessage));
                } else {
                    setResultInternal(results);
                }
            }
        }

        @Override
        public boolean cancel(String msg) {
            loop.checkThread("Future.cancel()");
            markRetrieved(); // as Future.cancel(): silences "exception was never retrieved"
            if (done()) {
                return false;
            }
            boolean ret = false;
            for (Future<?> c : children) {
                if (c.cancel(msg)) {
                    ret = true;
                }
            }
            if (ret) {
                cancelRequested = true;
                cancelMessage = msg;
            }
            return ret;
        }

        @Override
        public String toString() {
            return "GatheringFuture[" + stateString() + ", " + finished + "/" + distinct + " children done]";
        }
    }

    // ----------------------------------------------------------------------------- shield

    /**
     * Protects {@code inner} from cancellation: cancelling the returned future (or the task that
     * awaits it) leaves {@code inner} running. If {@code inner} is done, returns it.
     *
     * @param inner the future to protect
     * @param <T> the result type
     * @return an outer future that mirrors {@code inner}
     */
    public static <T> Future<T> shield(Future<T> inner) {
        Checks.notNull(inner, "inner");
        if (inner.done()) {
            return inner;
        }
        Future<T> outer = inner.loop.createFuture();
        Consumer<Future<T>> innerDone = i -> {
            if (outer.cancelled()) {
                if (!i.cancelled()) {
                    i.exception(); // mark retrieved
                }
                return;
            }
            if (outer.done()) {
                return;
            }
            if (i.cancelled()) {
                outer.cancelInternal(i.cancelMessage);
            } else if (i.exception() != null) {
                outer.setExceptionInternal(i.exception());
            } else {
                outer.setResultInternal(i.resultUnchecked());
            }
        };
        inner.addCallbackObject(innerDone);
        outer.addCallbackObject((Consumer<Future<T>>) o -> {
            if (!inner.done()) {
                inner.removeCallbackObject(innerDone);
            }
        });
        return outer;
    }

    /**
     * Runs {@code coro} as a task and shields it, as {@link #shield(Future)}.
     *
     * @param coro the body
     * @param <T> the result type
     * @return the outer future
     */
    public static <T> Future<T> shield(Coroutine<T> coro) {
        return shield(createTask(coro));
    }

    // ---------------------------------------------------------------------------- waitFor

    /**
     * Awaits {@code f} for at most {@code timeoutSeconds}. On timeout, {@code f} is cancelled,
     * its cancellation is awaited, and {@link TimeoutError} is thrown (with the cancellation as
     * its cause). Built on {@link #timeout(double, ThrowingCoroutine)}, as asyncio 3.12 builds
     * {@code wait_for} on {@code timeout}.
     *
     * <p><b>Cancellation:</b> this method suspends. If the calling task is cancelled while it
     * waits, {@code f} is cancelled too and {@link CancelledError} (not TimeoutError) is thrown.
     *
     * @param f the future
     * @param timeoutSeconds the timeout; {@code Double.POSITIVE_INFINITY} waits forever; zero or
     *     less cancels {@code f} at once unless it is done
     * @param <T> the result type
     * @return the result of {@code f}
     * @throws TimeoutError if the timeout expired first
     */
    public static <T> T waitFor(Future<T> f, double timeoutSeconds) {
        Checks.notNull(f, "f");
        return waitForFuture(f, timeoutSeconds, false);
    }

    /**
     * waitFor on a future; {@code unchanged}: a checked exception is thrown as it was set (the
     * future is the task of a ThrowingCoroutine, whose checked exceptions are all its E).
     */
    private static <T> T waitForFuture(Future<T> f, double timeoutSeconds, boolean unchanged) {
        Checks.timeoutSeconds(timeoutSeconds, "timeoutSeconds");
        requireTask("Aio.waitFor()");
        if (timeoutSeconds <= 0) {
            if (!f.done()) {
                // asyncio's _cancel_and_wait: wait on a separate future, not on f, so that a
                // cancellation of the calling task ends this wait at once (as CancelledError),
                // even while f is slow to finish its own cancellation.
                Future<Void> waiter = f.loop.createFuture();
                Consumer<Future<T>> release = x -> {
                    if (!waiter.done()) {
                        waiter.setResultInternal(null);
                    }
                };
                f.addCallbackObject(release);
                try {
                    f.cancel();
                    waiter.await();
                } finally {
                    f.removeCallbackObject(release);
                }
                if (f.cancelled()) {
                    throw new TimeoutError(waitForMessage(timeoutSeconds), f.makeCancelledError());
                }
            }
            return unchanged ? f.resultUnchanged() : f.result();
        }
        if (timeoutSeconds == Double.POSITIVE_INFINITY) {
            return unchanged ? f.awaitUnchanged("Aio.waitFor()") : f.await();
        }
        return new Timeout(f.loop.time() + timeoutSeconds, waitForMessage(timeoutSeconds))
                .run(t -> unchanged ? f.awaitUnchanged("Aio.waitFor()") : f.await());
    }

    private static String waitForMessage(double timeoutSeconds) {
        return "Aio.waitFor() timed out after " + timeoutSeconds + " seconds";
    }

    /**
     * Runs {@code c} in the calling task with a deadline, as Python 3.12's
     * {@code await asyncio.wait_for(coro, timeout)} does (no new task is created, except for a
     * timeout of zero or less, where the coroutine runs as a task that is cancelled at once).
     *
     * <p><b>Cancellation:</b> as {@link #waitFor(Future, double)}.
     *
     * @param c the body
     * @param timeoutSeconds the timeout
     * @param <T> the result type
     * @param <E> the checked exception the body may throw, inferred from the lambda
     * @return its result
     * @throws E what the body threw, the same object, checked or not
     * @throws TimeoutError if the timeout expired first (the body got a CancelledError at its
     *     await point, and this error has it as its cause)
     */
    public static <T, E extends Exception> T waitFor(ThrowingCoroutine<T, E> c, double timeoutSeconds) throws E {
        Checks.notNull(c, "c");
        Checks.timeoutSeconds(timeoutSeconds, "timeoutSeconds");
        if (timeoutSeconds <= 0) {
            return waitForFuture(createTask(c::call), timeoutSeconds, true);
        }
        Task<?> task = requireTask("Aio.waitFor()");
        double when = timeoutSeconds == Double.POSITIVE_INFINITY ? timeoutSeconds : task.loop.time() + timeoutSeconds;
        return new Timeout(when, waitForMessage(timeoutSeconds)).run(t -> c.call());
    }

    /**
     * {@link #waitFor(Future, double)} with a {@link Duration}.
     *
     * @param f the future
     * @param timeout the timeout
     * @param <T> the result type
     * @return its result
     */
    public static <T> T waitFor(Future<T> f, Duration timeout) {
        return waitFor(f, Checks.seconds(timeout, "timeout"));
    }

    /**
     * {@link #waitFor(ThrowingCoroutine, double)} with a {@link Duration}.
     *
     * @param c the body
     * @param timeout the timeout
     * @param <T> the result type
     * @param <E> the checked exception the body may throw
     * @return its result
     * @throws E what the body threw
     */
    public static <T, E extends Exception> T waitFor(ThrowingCoroutine<T, E> c, Duration timeout) throws E {
        return waitFor(c, Checks.seconds(timeout, "timeout"));
    }

    // ------------------------------------------------------------------- timeout, task group

    /**
     * Runs {@code body} with a deadline {@code delay} seconds from now; when it passes, the body
     * is cancelled and this method throws {@link TimeoutError}.
     *
     * <p><b>Cancellation:</b> the body may suspend. A cancellation from outside (not caused by
     * this deadline) propagates as {@link CancelledError}.
     *
     * @param delay seconds until the deadline; {@code Double.POSITIVE_INFINITY} for none
     * @param body the block
     * @param <T> the result type
     * @param <E> the checked exception the body may throw, inferred from the lambda
     * @return what the body returned
     * @throws E what the body threw, the same object, checked or not
     * @throws TimeoutError if the deadline passed
     */
    public static <T, E extends Exception> T timeout(double delay, ThrowingCoroutine<T, E> body) throws E {
        Checks.notNull(body, "body");
        return timeout(delay, t -> body.call());
    }

    /**
     * {@code async with asyncio.timeout(delay) as cm:} -- the body receives the {@link Timeout}
     * to {@linkplain Timeout#reschedule reschedule} it or check {@linkplain Timeout#expired()
     * expired()}.
     *
     * <p><b>Cancellation:</b> as {@link #timeout(double, ThrowingCoroutine)}.
     *
     * @param delay seconds until the deadline; {@code Double.POSITIVE_INFINITY} for none
     * @param body the block
     * @param <T> the result type
     * @param <E> the checked exception the body may throw, inferred from the lambda
     * @return what the body returned
     * @throws E what the body threw, the same object
     * @throws TimeoutError if the deadline passed
     */
    public static <T, E extends Exception> T timeout(double delay, Timeout.Body<T, E> body) throws E {
        Checks.timeoutSeconds(delay, "delay");
        Checks.notNull(body, "body");
        EventLoop loop = getRunningLoop();
        double when = delay == Double.POSITIVE_INFINITY ? delay : loop.time() + delay;
        return new Timeout(when).run(body);
    }

    /**
     * {@link #timeout(double, ThrowingCoroutine)} with a {@link Duration}.
     *
     * @param delay until the deadline
     * @param body the block
     * @param <T> the result type
     * @param <E> the checked exception the body may throw
     * @return what the body returned
     * @throws E what the body threw
     */
    public static <T, E extends Exception> T timeout(Duration delay, ThrowingCoroutine<T, E> body) throws E {
        return timeout(Checks.seconds(delay, "delay"), body);
    }

    /**
     * {@code async with asyncio.timeout_at(when):} -- a deadline in loop time
     * ({@link EventLoop#time()}).
     *
     * <p><b>Cancellation:</b> as {@link #timeout(double, ThrowingCoroutine)}.
     *
     * @param when the deadline in loop time; {@code Double.POSITIVE_INFINITY} for none
     * @param body the block
     * @param <T> the result type
     * @param <E> the checked exception the body may throw, inferred from the lambda
     * @return what the body returned
     * @throws E what the body threw, the same object
     * @throws TimeoutError if the deadline passed
     */
    public static <T, E extends Exception> T timeoutAt(double when, Timeout.Body<T, E> body) throws E {
        Checks.timeoutSeconds(when, "when");
        Checks.notNull(body, "body");
        getRunningLoop();
        return new Timeout(when).run(body);
    }

    /**
     * {@code async with asyncio.TaskGroup() as tg:} -- runs {@code body}, then waits for every
     * task it created in the group. If a child fails, the body and the other children are
     * cancelled and an {@link ExceptionGroup} listing every failure is thrown.
     *
     * <p><b>Cancellation:</b> the body and the final wait suspend. A cancellation of the calling
     * task from outside cancels every child and propagates as {@link CancelledError} once they
     * are done.
     *
     * @param body the block; it receives the group
     * @param <T> the result type
     * @return what the body returned
     * @throws ExceptionGroup if any child (or the body) failed
     */
    public static <T> T taskGroup(TaskGroup.Body<T> body) {
        Checks.notNull(body, "body");
        return new TaskGroup().run(body);
    }

    // --------------------------------------------------------------------- wait, as_completed

    /**
     * Waits until {@code returnWhen} is satisfied or the timeout passes, and returns the done and
     * pending futures. Never cancels anything and never throws TimeoutError: on timeout it just
     * returns.
     *
     * <p><b>Cancellation:</b> this method suspends; cancelling the calling task leaves the
     * futures untouched.
     *
     * @param fs the futures, not empty; they may have different result types ({@code T} is then
     *     a common supertype, {@code Object} for a {@code List<Future<?>>})
     * @param timeoutSeconds the timeout, {@code Double.POSITIVE_INFINITY} for none
     * @param returnWhen when to return
     * @param <T> the common result type
     * @return (done, pending)
     * @throws IllegalArgumentException if {@code fs} is empty
     */
    public static <T> WaitResult<T> wait(Collection<? extends Future<? extends T>> fs, double timeoutSeconds, ReturnWhen returnWhen) {
        Checks.notNull(fs, "fs");
        Checks.notNull(returnWhen, "returnWhen");
        Checks.timeoutSeconds(timeoutSeconds, "timeoutSeconds");
        if (fs.isEmpty()) {
            throw new IllegalArgumentException("Aio.wait() was given an empty collection of futures");
        }
        Task<?> task = requireTask("Aio.wait()");
        EventLoop loop = loopOf(fs, "Aio.wait()");
        if (loop != task.loop) {
            throw new IllegalArgumentException("Aio.wait() was given futures of another loop: " + loop);
        }
        @SuppressWarnings("unchecked") // read-only use: each Future<? extends T> is seen as a Future<T>
        Set<Future<T>> all = new LinkedHashSet<>((Collection<? extends Future<T>>) fs);
        Future<Void> waiter = loop.createFuture();
        int[] counter = {all.size()};
        TimerHandle timer = timeoutSeconds == Double.POSITIVE_INFINITY ? null
                : loop.callLaterInternal(timeoutSeconds, () -> {
                    if (!waiter.done()) {
                        waiter.setResult(null);
                    }
                });
        Consumer<Future<T>> onCompletion = f -> {
            counter[0]--;
            if (counter[0] <= 0 || returnWhen == ReturnWhen.FIRST_COMPLETED
                    || (returnWhen == ReturnWhen.FIRST_EXCEPTION && !f.cancelled() && f.exception() != null)) {
                if (timer != null) {
                    timer.cancel();
                }
                if (!waiter.done()) {
                    waiter.setResult(null);
                }
            }
        };
        for (Future<T> f : all) {
            f.addDoneCallback(onCompletion);
        }
        try {
            waiter.await();
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            for (Future<T> f : all) {
                f.removeDoneCallback(onCompletion);
            }
        }
        Set<Future<T>> done = new LinkedHashSet<>();
        Set<Future<T>> pending = new LinkedHashSet<>();
        for (Future<T> f : all) {
            (f.done() ? done : pending).add(f);
        }
        return new WaitResult<>(Collections.unmodifiableSet(done), Collections.unmodifiableSet(pending));
    }

    /**
     * {@link #wait(Collection, double, ReturnWhen)} with no timeout, until all are done.
     *
     * @param fs the futures
     * @param <T> the result type
     * @return (done, pending)
     */
    public static <T> WaitResult<T> wait(Collection<? extends Future<? extends T>> fs) {
        return wait(fs, Double.POSITIVE_INFINITY, ReturnWhen.ALL_COMPLETED);
    }

    /**
     * The futures in the order they complete: each {@code next()} of the returned iterable's
     * iterator suspends until another future is done and returns it (call {@code result()} on
     * it). Single use.
     *
     * <p><b>Cancellation:</b> {@code next()} suspends; cancelling the task leaves the futures
     * running and the iterator usable.
     *
     * @param fs the futures
     * @param timeoutSeconds an overall deadline from now, {@code Double.POSITIVE_INFINITY} for none
     * @param <T> the result type
     * @return a single-use iterable; its iterator's {@code next()} throws {@link TimeoutError}
     *     once the deadline has passed with futures still pending
     */
    public static <T> Iterable<Future<T>> asCompleted(Collection<? extends Future<? extends T>> fs, double timeoutSeconds) {
        Checks.notNull(fs, "fs");
        Checks.timeoutSeconds(timeoutSeconds, "timeoutSeconds");
        EventLoop loop = fs.isEmpty() ? getRunningLoop() : loopOf(fs, "Aio.asCompleted()");
        @SuppressWarnings("unchecked") // read-only use: each Future<? extends T> is seen as a Future<T>
        AsCompleted<T> it = new AsCompleted<>(loop, new LinkedHashSet<>((Collection<? extends Future<T>>) fs), timeoutSeconds);
        boolean[] used = {false};
        return () -> {
            if (used[0]) {
                throw new IllegalStateException("Aio.asCompleted() returns a single-use iterable; call it again for a new one");
            }
            used[0] = true;
            return it;
        };
    }

    /**
     * {@link #asCompleted(Collection, double)} with no deadline.
     *
     * @param fs the futures
     * @param <T> the result type
     * @return a single-use iterable in completion order
     */
    public static <T> Iterable<Future<T>> asCompleted(Collection<? extends Future<? extends T>> fs) {
        return asCompleted(fs, Double.POSITIVE_INFINITY);
    }

    private static final class AsCompleted<T> implements Iterator<Future<T>> {
        private final EventLoop loop;
        private final Set<Future<T>> pending;
        private final ArrayDeque<Future<T>> completed = new ArrayDeque<>();
        private final Consumer<Future<T>> onDone = this::onDone;
        private final TimerHandle timer;
        private final double timeoutSeconds;
        private int remaining;
        private boolean timedOut;
        private Future<Void> waiter;

        AsCompleted(EventLoop loop, Set<Future<T>> fs, double timeoutSeconds) {
            this.loop = loop;
            this.pending = fs;
            this.remaining = fs.size();
            this.timeoutSeconds = timeoutSeconds;
            for (Future<T> f : fs) {
                f.addDoneCallback(onDone);
            }
            this.timer = timeoutSeconds == Double.POSITIVE_INFINITY || fs.isEmpty() ? null
                    : loop.callLaterInternal(timeoutSeconds, this::onTimeout);
        }

        private void onDone(Future<T> f) {
            if (!pending.remove(f)) {
                return;
            }
            completed.addLast(f);
            wake();
        }

        private void onTimeout() {
            timedOut = true;
            for (Future<T> f : pending) {
                f.removeDoneCallback(onDone);
            }
            wake();
        }

        private void wake() {
            if (waiter != null && !waiter.done()) {
                waiter.setResult(null);
            }
        }

        @Override
        public boolean hasNext() {
            return remaining > 0;
        }

        @Override
        public Future<T> next() {
            if (remaining == 0) {
                throw new NoSuchElementException("Aio.asCompleted(): every future has been returned");
            }
            while (completed.isEmpty()) {
                if (timedOut) {
                    throw new TimeoutError("Aio.asCompleted() timed out after " + timeoutSeconds + " seconds with "
                            + remaining + " future(s) still pending");
                }
                waiter = loop.createFuture();
                waiter.await();
            }
            remaining--;
            if (remaining == 0 && timer != null) {
                timer.cancel();
            }
            return completed.pollFirst();
        }
    }

    /**
     * Runs blocking {@code fn} on the loop's default executor and suspends until it returns.
     *
     * <p><b>Asyncio:</b> {@code await asyncio.to_thread(fn)}.
     *
     * <p><b>Cancellation:</b> this method suspends. If the task is cancelled, a job that has not
     * started never starts; a running one runs to its end on its thread (its result is dropped).
     *
     * @param fn the blocking work
     * @param <T> the result type
     * @param <E> the checked exception {@code fn} may throw, inferred from the lambda
     * @return what {@code fn} returned
     * @throws E what {@code fn} threw, the same object, checked or not
     */
    public static <T, E extends Exception> T toThread(ThrowingCoroutine<T, E> fn) throws E {
        Checks.notNull(fn, "fn");
        requireTask("Aio.toThread()");
        return getRunningLoop().runInExecutor(null, fn::call).awaitUnchanged("Aio.toThread()");
    }

    // =================================================================================
    // Ergonomics (issue 12): void bodies, collections of coroutines, Duration forms.
    // Kept together in this one section; each method delegates to its Coroutine/double twin.
    // =================================================================================

    /** A {@link ThrowingVoidCoroutine} as a {@link ThrowingCoroutine} whose result is null. */
    static <E extends Exception> ThrowingCoroutine<Void, E> inlineValueless(ThrowingVoidCoroutine<E> body, String name) {
        Checks.notNull(body, name);
        return () -> {
            body.call();
            return null;
        };
    }

    /** A {@link VoidCoroutine} as a {@link Coroutine} whose result is null. */
    static Coroutine<Void> valueless(VoidCoroutine body, String name) {
        Checks.notNull(body, name);
        return () -> {
            body.call();
            return null;
        };
    }

    /**
     * {@link #run(ThrowingCoroutine)} for a body without a result: {@code asyncio.run(main())}
     * where {@code main} returns {@code None}.
     *
     * @param main the program's main body
     * @param <E> the checked exception main may throw, inferred from the lambda
     * @throws E what main threw, the same object, checked or not
     * @throws IllegalStateException if called from a running loop (a task or a callback)
     * @since 0.1
     */
    public static <E extends Exception> void run(ThrowingVoidCoroutine<E> main) throws E {
        run(inlineValueless(main, "main"), null);
    }

    /**
     * {@link #run(ThrowingVoidCoroutine)} with debug mode on or off.
     *
     * @param main the program's main body
     * @param debug debug mode for the loop, or null for the default
     * @param <E> the checked exception main may throw
     * @throws E what main threw, the same object
     * @since 0.1
     */
    public static <E extends Exception> void run(ThrowingVoidCoroutine<E> main, Boolean debug) throws E {
        run(inlineValueless(main, "main"), debug);
    }

    /**
     * {@link #createTask(Coroutine)} for a body without a result; the task's result is null.
     *
     * @param coro the body
     * @return the task; it starts on the loop's next iteration
     * @throws IllegalStateException if no loop is running here
     * @since 0.1
     */
    public static Task<Void> createTask(VoidCoroutine coro) {
        return createTask(valueless(coro, "coro"));
    }

    /**
     * {@link #createTask(Coroutine, String)} for a body without a result.
     *
     * @param coro the body
     * @param name the task's name
     * @return the task
     * @since 0.1
     */
    public static Task<Void> createTask(VoidCoroutine coro, String name) {
        return createTask(valueless(coro, "coro"), name);
    }

    /**
     * {@link #ensureFuture(Coroutine)} for a body without a result: the same as
     * {@link #createTask(VoidCoroutine)}.
     *
     * @param coro the body
     * @return a new task
     * @since 0.1
     */
    public static Task<Void> ensureFuture(VoidCoroutine coro) {
        return createTask(valueless(coro, "coro"));
    }

    /**
     * {@link #gather(Coroutine[])} for bodies without a result: each runs as a task.
     *
     * @param cs the bodies
     * @return a future of a list of nulls, one per body, completed when all are done
     * @since 0.1
     */
    public static Future<List<Void>> gather(VoidCoroutine... cs) {
        EventLoop loop = getRunningLoop();
        List<Future<Void>> fs = new ArrayList<>(cs.length);
        for (VoidCoroutine c : cs) {
            fs.add(loop.createTask(valueless(c, "coroutine")));
        }
        return gather(fs);
    }

    /**
     * Runs each coroutine of a collection as a task and gathers them, as
     * {@link #gather(Coroutine[])} does for an argument list ({@code asyncio.gather(*coros)}).
     * A separate name because {@link #gather(Collection)} takes a collection of futures, and
     * Java cannot overload on the element type of a collection.
     *
     * <pre>{@code
     * List<Coroutine<String>> fetches = urls.stream().map(u -> (Coroutine<String>) () -> fetch(u)).toList();
     * List<String> pages = Aio.gatherCoroutines(fetches).await();
     * }</pre>
     *
     * @param cs the bodies
     * @param <T> the common result type
     * @return a future of the list of results, in iteration order
     * @throws IllegalStateException if no loop is running here
     * @since 0.1
     */
    public static <T> Future<List<T>> gatherCoroutines(Collection<? extends Coroutine<? extends T>> cs) {
        Checks.notNull(cs, "cs");
        EventLoop loop = getRunningLoop();
        List<Future<? extends T>> fs = new ArrayList<>(cs.size());
        for (Coroutine<? extends T> c : cs) {
            fs.add(loop.createTask(Checks.notNull(c, "coroutine")));
        }
        return gather(fs);
    }

    /**
     * {@link #shield(Coroutine)} for a body without a result.
     *
     * @param coro the body
     * @return the shielding future
     * @since 0.1
     */
    public static Future<Void> shield(VoidCoroutine coro) {
        return shield(createTask(valueless(coro, "coro")));
    }

    /**
     * {@link #waitFor(ThrowingCoroutine, double)} for a body without a result.
     *
     * <p><b>Cancellation:</b> as {@link #waitFor(Future, double)}.
     *
     * @param c the body
     * @param timeoutSeconds the timeout
     * @param <E> the checked exception the body may throw, inferred from the lambda
     * @throws E what the body threw, the same object
     * @throws TimeoutError if the timeout expired first
     * @since 0.1
     */
    public static <E extends Exception> void waitFor(ThrowingVoidCoroutine<E> c, double timeoutSeconds) throws E {
        waitFor(inlineValueless(c, "c"), timeoutSeconds);
    }

    /**
     * {@link #waitFor(ThrowingVoidCoroutine, double)} with a {@link Duration}.
     *
     * @param c the body
     * @param timeout the timeout
     * @param <E> the checked exception the body may throw
     * @throws E what the body threw
     * @since 0.1
     */
    public static <E extends Exception> void waitFor(ThrowingVoidCoroutine<E> c, Duration timeout) throws E {
        waitFor(inlineValueless(c, "c"), Checks.seconds(timeout, "timeout"));
    }

    /**
     * {@link #timeout(double, ThrowingCoroutine)} for a body without a result:
     * {@code async with asyncio.timeout(delay): ...}.
     *
     * <p><b>Cancellation:</b> as {@link #timeout(double, ThrowingCoroutine)}.
     *
     * @param delay seconds until the deadline; {@code Double.POSITIVE_INFINITY} for none
     * @param body the block
     * @param <E> the checked exception the body may throw, inferred from the lambda
     * @throws E what the body threw, the same object
     * @throws TimeoutError if the deadline passed
     * @since 0.1
     */
    public static <E extends Exception> void timeout(double delay, ThrowingVoidCoroutine<E> body) throws E {
        timeout(delay, inlineValueless(body, "body"));
    }

    /**
     * {@link #timeout(double, ThrowingVoidCoroutine)} with a {@link Duration}.
     *
     * @param delay until the deadline
     * @param body the block
     * @param <E> the checked exception the body may throw
     * @throws E what the body threw
     * @since 0.1
     */
    public static <E extends Exception> void timeout(Duration delay, ThrowingVoidCoroutine<E> body) throws E {
        timeout(Checks.seconds(delay, "delay"), inlineValueless(body, "body"));
    }

    /**
     * {@link #timeout(double, Timeout.Body)} with a {@link Duration}.
     *
     * @param delay until the deadline
     * @param body the block; it receives the {@link Timeout}
     * @param <T> the result type
     * @param <E> the checked exception the body may throw
     * @return what the body returned
     * @throws E what the body threw
     * @since 0.1
     */
    public static <T, E extends Exception> T timeout(Duration delay, Timeout.Body<T, E> body) throws E {
        return timeout(Checks.seconds(delay, "delay"), body);
    }

    /**
     * {@link #timeoutAt(double, Timeout.Body)} for a body that does not need the
     * {@link Timeout}.
     *
     * <p><b>Cancellation:</b> as {@link #timeout(double, ThrowingCoroutine)}.
     *
     * @param when the deadline in loop time ({@link EventLoop#time()}); {@code Double.POSITIVE_INFINITY} for none
     * @param body the block
     * @param <T> the result type
     * @param <E> the checked exception the body may throw, inferred from the lambda
     * @return what the body returned
     * @throws E what the body threw, the same object
     * @throws TimeoutError if the deadline passed
     * @since 0.1
     */
    public static <T, E extends Exception> T timeoutAt(double when, ThrowingCoroutine<T, E> body) throws E {
        Checks.notNull(body, "body");
        return timeoutAt(when, t -> body.call());
    }

    /**
     * {@link #timeoutAt(double, ThrowingCoroutine)} for a body without a result.
     *
     * @param when the deadline in loop time; {@code Double.POSITIVE_INFINITY} for none
     * @param body the block
     * @param <E> the checked exception the body may throw, inferred from the lambda
     * @throws E what the body threw, the same object
     * @throws TimeoutError if the deadline passed
     * @since 0.1
     */
    public static <E extends Exception> void timeoutAt(double when, ThrowingVoidCoroutine<E> body) throws E {
        timeoutAt(when, inlineValueless(body, "body"));
    }

    /**
     * {@link #runCoroutineThreadsafe(Coroutine, EventLoop)} for a body without a result.
     *
     * @param coro the body
     * @param loop a loop, usually running in another thread
     * @return a CompletableFuture completed with null when the task ends; cancelling it cancels the task
     * @since 0.1
     */
    public static CompletableFuture<Void> runCoroutineThreadsafe(VoidCoroutine coro, EventLoop loop) {
        return runCoroutineThreadsafe(valueless(coro, "coro"), loop);
    }

    /**
     * {@link #toThread(ThrowingCoroutine)} for blocking work without a result
     * ({@code await asyncio.to_thread(fn)} where {@code fn} returns {@code None}).
     *
     * <p><b>Cancellation:</b> as {@link #toThread(ThrowingCoroutine)}.
     *
     * @param fn the blocking work
     * @param <E> the checked exception {@code fn} may throw, inferred from the lambda
     * @throws E what {@code fn} threw, the same object
     * @since 0.1
     */
    public static <E extends Exception> void toThread(ThrowingVoidCoroutine<E> fn) throws E {
        toThread(inlineValueless(fn, "fn"));
    }

    /**
     * {@link #sleep(double, Object)} with a {@link Duration}.
     *
     * <p><b>Cancellation:</b> as {@link #sleep(double)}.
     *
     * @param delay how long
     * @param result what to return
     * @param <T> the result type
     * @return {@code result}
     * @since 0.1
     */
    public static <T> T sleep(Duration delay, T result) {
        sleep(Checks.seconds(delay, "delay"));
        return result;
    }

    /**
     * {@link #wait(Collection, double, ReturnWhen)} with a {@link Duration} timeout.
     *
     * <p><b>Cancellation:</b> as {@link #wait(Collection, double, ReturnWhen)}.
     *
     * @param fs the futures, not empty, of any result types
     * @param timeout the timeout
     * @param returnWhen when to return
     * @param <T> the common result type
     * @return (done, pending)
     * @since 0.1
     */
    public static <T> WaitResult<T> wait(Collection<? extends Future<? extends T>> fs, Duration timeout, ReturnWhen returnWhen) {
        return wait(fs, Checks.seconds(timeout, "timeout"), returnWhen);
    }

    /**
     * {@link #asCompleted(Collection, double)} with a {@link Duration} deadline.
     *
     * @param fs the futures, of any result types
     * @param timeout an overall deadline from now
     * @param <T> the common result type
     * @return a single-use iterable in completion order
     * @since 0.1
     */
    public static <T> Iterable<Future<T>> asCompleted(Collection<? extends Future<? extends T>> fs, Duration timeout) {
        return asCompleted(fs, Checks.seconds(timeout, "timeout"));
    }

    /**
     * {@link #wrapFuture(CompletableFuture)} for any {@link CompletionStage}: a future of the
     * running loop that completes (on a later loop iteration) when {@code stage} does.
     * Cancelling the loop future cancels {@code stage} if it is also a
     * {@link java.util.concurrent.Future}; a stage completed with a
     * {@link java.util.concurrent.CancellationException} cancels the loop future.
     *
     * @param stage a stage completed on any thread
     * @param <T> the result type
     * @return a loop future
     * @throws IllegalStateException if no loop is running here
     * @since 0.1
     */
    public static <T> Future<T> wrapFuture(CompletionStage<T> stage) {
        Checks.notNull(stage, "stage");
        if (stage.getClass() == CompletableFuture.class) {
            return wrapFuture((CompletableFuture<T>) stage);
        }
        // Any other stage (a minimalCompletionStage(), a subclass, another library's stage)
        // is observed only through the CompletionStage interface.
        CompletableFuture<T> bridge = new CompletableFuture<>();
        stage.whenComplete((v, e) -> {
            if (e == null) {
                bridge.complete(v);
            } else {
                bridge.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
        });
        if (stage instanceof java.util.concurrent.Future<?> jf) {
            bridge.whenComplete((v, e) -> {
                if (bridge.isCancelled()) {
                    try {
                        jf.cancel(false);
                    } catch (UnsupportedOperationException ignored) {
                        // a read-only stage (minimalCompletionStage()) cannot be cancelled
                    }
                }
            });
        }
        return wrapFuture(bridge);
    }

    // =========================================================================================
    // Issue 13: contexts, eager tasks (the section ends with the class).
    // =========================================================================================

    private static final TaskFactory EAGER_TASK_FACTORY = createEagerTaskFactory(Task::create);

    /**
     * Schedules {@code coro} as a named task of the running loop, running in {@code context}.
     *
     * <p><b>asyncio:</b> {@code asyncio.create_task(coro, name=name, context=context)}.
     *
     * @param coro the body
     * @param name the task's name, or null
     * @param context the context the body runs in (shared, not copied), or null for a copy of
     *     the current one
     * @param <T> the result type
     * @return the task
     * @throws IllegalStateException if no loop is running here
     */
    public static <T> Task<T> createTask(Coroutine<T> coro, String name, Context context) {
        return getRunningLoop().createTask(coro, name, context);
    }

    /**
     * The task factory that starts every task eagerly: the body runs inside
     * {@code createTask}, until its first suspension, within the creating task's turn; a task
     * that finishes without suspending is done when {@code createTask} returns and never touches
     * the loop. Its done-callbacks still run through the loop.
     *
     * <p><b>asyncio:</b> {@code asyncio.eager_task_factory} (Python 3.12); install it with
     * {@link EventLoop#setTaskFactory}.
     *
     * @return the factory
     */
    public static TaskFactory eagerTaskFactory() {
        return EAGER_TASK_FACTORY;
    }

    /**
     * A task factory that starts tasks eagerly through {@code constructor}.
     *
     * <p><b>asyncio:</b> {@code asyncio.create_eager_task_factory(custom_task_constructor)}.
     *
     * @param constructor makes each task; it gets {@code eagerStart = true}
     * @return the factory
     */
    public static TaskFactory createEagerTaskFactory(TaskFactory.TaskConstructor constructor) {
        Checks.notNull(constructor, "constructor");
        return (loop, coro, name, context) -> constructor.create(loop, coro, name, context, true);
    }
}
