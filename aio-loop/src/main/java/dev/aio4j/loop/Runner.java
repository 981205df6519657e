package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs several coroutines, one after the other, on one event loop, then cleans up as
 * {@link Aio#run} does.
 *
 * <p><b>asyncio:</b> {@code asyncio.Runner} (Python 3.11+), used as
 * {@code with asyncio.Runner() as runner: runner.run(main())}. <b>Differences:</b> use
 * try-with-resources; the loop factory is a {@link Supplier} (for example
 * {@code () -> EventLoop.create(VirtualClock.autoJump())} in tests); no SIGINT handling.
 *
 * <pre>{@code
 * try (Runner runner = new Runner()) {
 *     runner.run(() -> { Aio.sleep(0.1); return null; });
 *     String s = runner.run(() -> "second, same loop");
 * }
 * }</pre>
 *
 * <p><b>Threading:</b> one thread at a time; {@link #run} refuses to start inside a running loop.
 *
 * @since 0.1
 */
public final class Runner implements AutoCloseable {
    private final Boolean debug;
    private final Supplier<EventLoop> loopFactory;
    private EventLoop loop;
    /** asyncio's Runner._context: what every run() without a context of its own runs in. */
    private Context context;
    private boolean closed;

    /** A runner with a default loop, debug mode as the loop's default. */
    public Runner() {
        this(null, null);
    }

    /**
     * A runner whose loop has debug mode on or off.
     *
     * @param debug whether debug mode is on
     */
    public Runner(boolean debug) {
        this(debug, null);
    }

    /**
     * A runner with every option.
     *
     * @param debug debug mode, or null to keep the loop's default
     * @param loopFactory makes the loop, or null for {@link EventLoop#create()}
     */
    public Runner(Boolean debug, Supplier<EventLoop> loopFactory) {
        this.debug = debug;
        this.loopFactory = loopFactory;
    }

    /**
     * A runner whose loop comes from {@code loopFactory}.
     *
     * @param loopFactory makes the loop
     * @return the runner
     */
    public static Runner withLoopFactory(Supplier<EventLoop> loopFactory) {
        return new Runner(null, Checks.notNull(loopFactory, "loopFactory"));
    }

    /**
     * The runner's loop, created on first use.
     *
     * @return the loop
     */
    public EventLoop getLoop() {
        lazyInit();
        return loop;
    }

    /**
     * Runs {@code coroutine} as a task on the runner's loop until it is done, in the runner's
     * context: one {@link Context}, a copy of the caller's taken when the runner created its
     * loop, shared by every {@code run} without a context of its own, so a {@link ContextVar}
     * one run sets is seen by the next (as {@code asyncio.Runner}).
     *
     * @param coroutine the body
     * @param <T> the result type
     * @param <E> the checked exception the body may throw, inferred from the lambda
     * @return its result
     * @throws E what the body threw, the same object, checked or not
     * @throws IllegalStateException if called inside a running loop, or after {@link #close()}
     */
    public <T, E extends Exception> T run(ThrowingCoroutine<T, E> coroutine) throws E {
        return run(coroutine, null);
    }

    private void lazyInit() {
        if (closed) {
            throw new IllegalStateException("Runner is closed");
        }
        if (loop == null) {
            loop = loopFactory != null ? Checks.notNull(loopFactory.get(), "loopFactory.get()") : EventLoop.create();
            if (debug != null) {
                loop.setDebug(debug);
            }
            context = Context.copyContext();
        }
    }

    /**
     * Cancels the tasks still pending and waits for them, reports their exceptions, shuts down
     * the default executor, and closes the loop. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        EventLoop l = loop;
        if (l == null) {
            return;
        }
        if (l.fatalError() != null) {
            l.close(); // out of memory: no graceful shutdown, which would need memory (EventLoop.closeAfterFatal)
            return;
        }
        try {
            cancelAllTasks(l);
            l.runUntilComplete(l.createTask(() -> {
                l.shutdownDefaultExecutor();
                return null;
            }, "shutdown-default-executor"));
        } finally {
            l.close();
        }
    }

    static void cancelAllTasks(EventLoop l) {
        List<Task<?>> pending = new ArrayList<>(l.allTasks());
        if (pending.isEmpty()) {
            return;
        }
        for (Task<?> t : pending) {
            t.cancel();
        }
        l.runUntilComplete(Aio.gatherReturnExceptions(l, pending));
        for (Task<?> t : pending) {
            if (t.cancelled()) {
                continue;
            }
            Throwable e = t.exception();
            if (e != null) {
                l.callExceptionHandler(new ExceptionContext("unhandled exception during Aio.run() shutdown", e, t, null,
                        t.sourceTraceback));
            }
        }
    }

    // =========================================================================================
    // Issue 13: contexts (the section ends at toString()).
    // =========================================================================================

    /**
     * Runs {@code coroutine} as the main task, in {@code context} (shared, not copied), and
     * returns its result.
     *
     * <p><b>asyncio:</b> {@code runner.run(coro, context=context)}.
     *
     * @param coroutine the main task's body
     * @param context the context it runs in, or null for the runner's own (see
     *     {@link #run(ThrowingCoroutine)})
     * @param <T> the result type
     * @param <E> the checked exception the body may throw, inferred from the lambda
     * @return its result
     * @throws E what the body threw, the same object, checked or not
     * @throws IllegalStateException as {@link #run(ThrowingCoroutine)}
     */
    public <T, E extends Exception> T run(ThrowingCoroutine<T, E> coroutine, Context context) throws E {
        Checks.notNull(coroutine, "coroutine");
        if (Aio.runningLoopOrNull() != null) {
            throw new IllegalStateException("Runner.run() cannot be called from a running event loop; "
                    + "inside a task, await the coroutine directly or use Aio.createTask(...)");
        }
        getLoop(); // creates the loop, or refuses a closed runner
        Coroutine<T> body = coroutine::call;
        Task<T> task = loop.createTask(body, null, context == null ? this.context : context);
        Runnable restoreSigint = SignalBridge.takeSigint(loop, task); // asyncio.Runner: SIGINT cancels the main task
        try {
            loop.runUntilDone(task);
            return task.resultUnchanged();
        } finally {
            if (restoreSigint != null) {
                restoreSigint.run();
            }
        }
    }

    @Override
    public String toString() {
        return "Runner[" + (closed ? "closed" : loop == null ? "not started" : loop.toString()) + "]";
    }

    // =================================================================================
    // Ergonomics (issue 12): void bodies.
    // =================================================================================

    /**
     * {@link #run(ThrowingCoroutine)} for a body without a result.
     *
     * @param coroutine the body
     * @param <E> the checked exception the body may throw, inferred from the lambda
     * @throws E what the body threw, the same object
     * @throws IllegalStateException if called inside a running loop, or after {@link #close()}
     * @since 0.1
     */
    public <E extends Exception> void run(ThrowingVoidCoroutine<E> coroutine) throws E {
        run(Aio.inlineValueless(coroutine, "coroutine"));
    }
}
