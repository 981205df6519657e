package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.LoopAccess;
import dev.aio4j.loop.internal.TaskWaiter;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * A single-threaded event loop: runs callbacks, timers and tasks, one at a time, in asyncio's
 * order.
 *
 * <p><b>asyncio:</b> {@code asyncio.AbstractEventLoop} as implemented by
 * {@code BaseEventLoop}/{@code SelectorEventLoop}. <b>Differences:</b> task bodies run on
 * virtual threads handed the loop's one baton (see {@code docs/architecture.md}); the clock can be
 * a {@link VirtualClock}; {@code set_debug} also names tasks that block the loop inside a JDK
 * call. Most programs never touch a loop directly: {@link Aio#run} creates, runs and closes one.
 *
 * <h2>One iteration</h2>
 * Like asyncio's {@code _run_once}: callbacks that other threads sent with
 * {@link #callSoonThreadsafe} join the ready queue; the loop waits in its
 * {@link Selector} until the first timer is due (not at all if callbacks are
 * ready); due timers join the ready queue in (deadline, scheduling order); then exactly the
 * callbacks that are ready at that moment run, in FIFO order. Callbacks they schedule run in the
 * next iteration.
 *
 * <h2>Threading</h2>
 * Loop-confined: call its methods from the loop's thread or from its tasks. From other threads
 * use {@link #callSoonThreadsafe}, {@link Aio#runCoroutineThreadsafe} or {@link Future#get()}.
 * Calls from the wrong thread while the loop runs throw {@link IllegalStateException}.
 *
 * <h2>Testing</h2>
 * {@code EventLoop.create(VirtualClock.autoJump())} gives a loop whose timers fire instantly, in
 * order.
 *
 * @since 0.1
 */
public final class EventLoop extends SelectorEventLoop implements AutoCloseable {
    /**
     * One datagram and its sender: the {@code (data, address)} pair asyncio's
     * {@code loop.sock_recvfrom} returns.
     *
     * @param data the datagram's bytes (cut at the size asked for)
     * @param address the sender
     * @since 0.2
     */
    public record Datagram(byte[] data, java.net.SocketAddress address) {
    }

    /*
     * Maintainer notes. The loop is three classes, in asyncio's layers: BaseEventLoop
     * (base_events.py: running and stopping, one iteration, the ready queue and the timer heap,
     * scheduling, thread confinement, the exception handler, debug mode), SelectorEventLoop
     * (selector_events.py and unix_events.py: the selector, readiness callbacks, the sock*
     * coroutines, name lookups, signal handlers) and this class: creation, close(), futures and
     * tasks, the executor methods, dumps. The two layers above are package-private and sealed;
     * their public methods are this class's public API (api/aio-loop.api lists them here).
     *
     * Each other concern has its own package-private class, reached through one field: `sockets`
     * (SelectorSockets: the sock* coroutines, getaddrinfo), `executors` (ExecutorBridge:
     * runInExecutor, the default executor), `unretrieved` (UnretrievedReporter), `tasks`
     * (TaskRegistry), `virtualTime` (VirtualTimePolicy: when an idle virtual-clock loop jumps) and
     * `slowCallbacks` (debug mode's slow-callback rule); `readiness` (Readiness) holds the selector
     * registrations. `closeHooks` holds what other aio4j modules asked to run at close
     * (LoopAccess.onClose: a subprocess still running is killed, its pipe threads end).
     */

    static {
        LoopAccess.install(new LoopAccess.Ops() {
            @Override
            public Runnable onClose(EventLoop loop, Runnable hook) {
                return loop.onClose(hook);
            }

            @Override
            public void releaseChannel(EventLoop loop, SelectableChannel channel) {
                loop.releaseChannel(channel);
            }

            @Override
            public void checkThread(EventLoop loop, String what) {
                loop.checkThread(what);
            }

            @Override
            public TaskWaiter newWaiter(EventLoop loop, String what) {
                return new ReusableWaiter(loop, what);
            }

            @Override
            public int timerCount(EventLoop loop) {
                return loop.timerCount();
            }
        });
    }

    /** Shared advice for errors about blocking the loop. */
    static final String BLOCKING_ADVICE = "inside a task use Future.await(); from a loop callback use "
            + "Future.addDoneCallback(...); call Future.get() only from other threads";

    private final UnretrievedReporter unretrieved = new UnretrievedReporter(this);
    private final Executor asExecutor = new LoopExecutor(this);
    private TaskFactory taskFactory;
    /** LoopAccess.onClose's hooks, in registration order; guarded by itself. */
    private final Set<Runnable> closeHooks = new LinkedHashSet<>();
    /** Set under closeHooks' lock when close() took them: later registrations are refused. */
    private boolean closeHooksTaken;

    private EventLoop(VirtualClock clock, Schedule schedule) {
        super(clock, schedule);
        if (clock != null) {
            try {
                clock.attach(this);
            } catch (RuntimeException e) {
                try {
                    closeSelector();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    /**
     * A new loop on the real monotonic clock. Close it when done (try-with-resources).
     *
     * @return a new, not running loop
     */
    public static EventLoop create() {
        return new EventLoop(null, null);
    }

    /**
     * A new loop whose time is {@code clock}'s.
     *
     * @param clock a virtual clock not used by another loop
     * @return a new, not running loop
     */
    public static EventLoop create(VirtualClock clock) {
        return new EventLoop(Checks.notNull(clock, "clock"), null);
    }

    /**
     * A new loop whose time is {@code clock}'s and whose free choices (timer lateness, the
     * order of simultaneous I/O events) follow {@code schedule}, for exploring interleavings in
     * tests. The same schedule on the same program gives the same run.
     *
     * @param clock a virtual clock not used by another loop
     * @param schedule the decisions
     * @return a new, not running loop
     */
    public static EventLoop create(VirtualClock clock, Schedule schedule) {
        return new EventLoop(Checks.notNull(clock, "clock"), Checks.notNull(schedule, "schedule"));
    }

    /**
     * The schedule this loop follows, or null.
     *
     * @return the schedule or null
     */
    public Schedule schedule() {
        return schedule;
    }

    // --------------------------------------------------------------------------------- closing

    /**
     * Closes the loop: tasks still pending are reported ("Task was destroyed but it is
     * pending!") and unwound (their {@code finally} blocks run, their awaits throw
     * {@link CancelledError}); then what other aio4j modules tied to the loop is freed (a
     * subprocess still running is killed and reported); exceptions never retrieved are reported;
     * the default executor is shut down without waiting; the selector is closed. Idempotent.
     *
     * @throws IllegalStateException if the loop is running
     */
    @Override
    public void close() {
        if (running) {
            throw new IllegalStateException("Cannot close a running event loop: " + this + "; call stop() first");
        }
        if (closed || closing) {
            return;
        }
        closing = true;
        removeAllSignalHandlers();
        if (fatalError() != null) {
            closeAfterFatal();
            return;
        }
        try {
            List<Task<?>> pending = tasks.snapshot();
            if (!pending.isEmpty()) {
                for (Task<?> t : pending) {
                    callExceptionHandler(new ExceptionContext("Task was destroyed but it is pending!", null, t, null,
                            t.sourceTraceback));
                }
                scheduler.runLoop(() -> {
                    Aio.RUNNING_LOOP.set(this);
                    try {
                        scheduler.drainForeign();
                        for (Task<?> t : pending) {
                            if (!t.done()) {
                                t.destroy();
                            }
                        }
                    } finally {
                        Aio.RUNNING_LOOP.remove();
                    }
                });
            }
            tasks.clear();
            dropScheduled();
            runCloseHooks();
            unretrieved.reportAll();
            executors.shutdownWithoutWaiting();
        } finally {
            closed = true;
            try {
                closeSelector();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the selector of " + this + " failed", e);
            }
        }
    }

    /**
     * close() after a VirtualMachineError: no per-task reports and no snapshot (each needs memory
     * the program may not have); started tasks are unwound in creation order as far as memory
     * allows, tasks that never ran are dropped; one report names the error and the count.
     */
    private void closeAfterFatal() {
        int pending = tasks.size();
        try {
            dropScheduled();
            scheduler.runLoop(() -> {
                Aio.RUNNING_LOOP.set(this);
                try {
                    int failures = 0;
                    for (Task<?> t = tasks.first(); t != null && failures < 100; ) {
                        Task<?> next = t.nextTask;
                        try {
                            if (t.fiber != null && !t.done()) {
                                t.destroy(); // its finally blocks run and free what it held
                            }
                        } catch (VirtualMachineError again) {
                            failures++; // as far as memory allows; later tasks may still succeed
                        }
                        t = next;
                    }
                } finally {
                    Aio.RUNNING_LOOP.remove();
                }
            });
        } catch (VirtualMachineError again) {
            // as far as memory allows
        } finally {
            tasks.clear();
            closed = true;
            try {
                runCloseHooks(); // a child process must not outlive a loop that died of a fatal error
                executors.shutdownWithoutWaiting();
                closeSelector();
                callExceptionHandler(new ExceptionContext("Event loop closed after a fatal error; " + pending
                        + " pending task(s) were dropped", fatalError(), null, null, null));
            } catch (Throwable again) {
                // nothing more can be done without memory
            }
        }
    }

    /** LoopAccess.onClose for this loop. */
    private Runnable onClose(Runnable hook) {
        Checks.notNull(hook, "hook");
        Runnable entry = hook::run; // a new identity per registration, whatever the hook
        synchronized (closeHooks) {
            if (closeHooksTaken || closing || closed) {
                throw new IllegalStateException("Event loop is closed: " + this);
            }
            closeHooks.add(entry);
        }
        return () -> {
            synchronized (closeHooks) {
                closeHooks.remove(entry);
            }
        };
    }

    /** close(): runs each hook once, in registration order; one that throws does not stop the rest. */
    private void runCloseHooks() {
        List<Runnable> hooks;
        synchronized (closeHooks) {
            closeHooksTaken = true;
            hooks = List.copyOf(closeHooks);
            closeHooks.clear();
        }
        for (Runnable hook : hooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                callExceptionHandler(new ExceptionContext("Exception in a close hook of " + this, e, null, null, null));
            }
        }
    }

    // ------------------------------------------------------------------------ futures and tasks

    /**
     * A new pending future attached to this loop.
     *
     * @param <T> the result type
     * @return the future
     */
    public <T> Future<T> createFuture() {
        return new Future<>(this);
    }

    /**
     * Schedules {@code coroutine} as a task; its first step runs on the next iteration.
     *
     * @param coroutine the body
     * @param <T> the result type
     * @return the task
     * @throws IllegalStateException if the loop is closed, or the call comes from another thread
     *     while it runs (use {@link Aio#runCoroutineThreadsafe})
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(coroutine, null);
    }

    /**
     * Schedules {@code coroutine} as a task with a name.
     *
     * @param coroutine the body
     * @param name the task's name, or null for {@code "Task-N"}
     * @param <T> the result type
     * @return the task
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        return createTask(coroutine, name, null);
    }

    /**
     * Schedules {@code coroutine} as a named task that runs in {@code context}.
     *
     * <p><b>asyncio:</b> {@code loop.create_task(coro, name=name, context=context)}. Goes through
     * the {@linkplain #setTaskFactory task factory} if one is set.
     *
     * @param coroutine the body
     * @param name the task's name, or null for {@code "Task-N"}
     * @param context the context the body runs in (shared, not copied), or null for a copy of the
     *     current one
     * @param <T> the result type
     * @return the task
     * @throws IllegalStateException if the loop is closed, or the call comes from another thread
     *     while it runs
     */
    @SuppressWarnings("unchecked")
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name, Context context) {
        TaskFactory f = taskFactory;
        if (f == null) {
            return createTaskDirect(coroutine, name, context);
        }
        Checks.notNull(coroutine, "coroutine");
        Task<?> t = f.createTask(this, coroutine, name, context);
        if (t == null || t.loop != this) {
            throw new IllegalStateException("the task factory " + f + " returned " + t + ", not a task of " + this);
        }
        return (Task<T>) t;
    }

    /**
     * {@link #createTask(Coroutine)} for a body without a result; the task's result is null.
     *
     * @param coroutine the body
     * @return the task
     * @throws IllegalStateException if the loop is closed, or the call comes from another thread
     *     while it runs (use {@link Aio#runCoroutineThreadsafe(VoidCoroutine, EventLoop)})
     * @since 0.1
     */
    public Task<Void> createTask(VoidCoroutine coroutine) {
        return createTask(Aio.valueless(coroutine, "coroutine"), null);
    }

    /**
     * {@link #createTask(Coroutine, String)} for a body without a result.
     *
     * @param coroutine the body
     * @param name the task's name, or null for {@code "Task-N"}
     * @return the task
     * @since 0.1
     */
    public Task<Void> createTask(VoidCoroutine coroutine, String name) {
        return createTask(Aio.valueless(coroutine, "coroutine"), name);
    }

    private <T> Task<T> createTaskDirect(Coroutine<T> coroutine, String name, Context context) {
        Checks.notNull(coroutine, "coroutine");
        checkThread("EventLoop.createTask()");
        checkClosed();
        Task<T> t = new Task<>(this, coroutine, name, context != null ? context : Context.copyContext());
        tasks.add(t);
        t.markScheduled();
        enqueueReady(t.stepHandle);
        return t;
    }

    /** Task.create: a task, started eagerly when asked and the loop runs (asyncio's Task(..., eager_start)). */
    <T> Task<T> newTask(Coroutine<T> coroutine, String name, Context context, boolean eagerStart) {
        if (!eagerStart || !running) {
            return createTaskDirect(coroutine, name, context);
        }
        Checks.notNull(coroutine, "coroutine");
        checkThread("EventLoop.createTask()");
        checkClosed();
        Task<T> t = new Task<>(this, coroutine, name, context != null ? context : Context.copyContext());
        tasks.add(t);
        t.startEagerly();
        return t;
    }

    /**
     * Runs {@code coroutine} as a task until it is done, then returns its result.
     *
     * @param coroutine the body
     * @param <T> the result type
     * @param <E> the checked exception the body may throw, inferred from the lambda
     * @return the body's result
     * @throws E what the body threw, the same object, checked or not
     */
    public <T, E extends Exception> T runUntilComplete(ThrowingCoroutine<T, E> coroutine) throws E {
        Checks.notNull(coroutine, "coroutine");
        Task<T> task = createTask(coroutine::call);
        runUntilDone(task);
        return task.resultUnchanged();
    }

    /**
     * {@link #runUntilComplete(ThrowingCoroutine)} for a body without a result.
     *
     * @param coroutine the body
     * @param <E> the checked exception the body may throw, inferred from the lambda
     * @throws E what the body threw, the same object
     * @since 0.1
     */
    public <E extends Exception> void runUntilComplete(ThrowingVoidCoroutine<E> coroutine) throws E {
        runUntilComplete(Aio.inlineValueless(coroutine, "coroutine"));
    }

    /**
     * The tasks of this loop that are not done, in creation order.
     *
     * @return a snapshot
     */
    public Set<Task<?>> allTasks() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(tasks.snapshot()));
    }

    /**
     * Sets the factory that {@link #createTask} (and so {@link Aio#createTask}) uses; null
     * restores the default, which is {@link Task#create} without eager start.
     *
     * <p><b>asyncio:</b> {@code loop.set_task_factory(factory)}; {@link Aio#eagerTaskFactory()}
     * is {@code asyncio.eager_task_factory}.
     *
     * @param factory the factory, or null
     */
    public void setTaskFactory(TaskFactory factory) {
        checkThread("EventLoop.setTaskFactory()");
        this.taskFactory = factory;
    }

    /**
     * The factory set with {@link #setTaskFactory}, or null for the default.
     *
     * <p><b>asyncio:</b> {@code loop.get_task_factory()}.
     *
     * @return the factory or null
     */
    public TaskFactory getTaskFactory() {
        return taskFactory;
    }

    /** A failed future's exception, reported at close() or when collected unless retrieved first. */
    UnretrievedReporter.Unretrieved trackUnretrieved(Future<?> f, Throwable error) {
        return unretrieved.track(f, error);
    }

    // ------------------------------------------------------------------------------- executors

    /**
     * Runs {@code fn} on {@code executor} (or the loop's default executor) and returns a future
     * of this loop for its result. Cancelling the future keeps a job that has not started from
     * starting; a running job is not interrupted.
     *
     * <p>The default executor has at most {@code min(32, cores + 4)} daemon threads, as Python's
     * {@code ThreadPoolExecutor}; {@link Aio#run} shuts it down at the end.
     *
     * @param executor the executor, or null for the default one
     * @param fn the blocking work
     * @param <T> the result type
     * @return a future completed on this loop; failed with the executor's
     *     {@link java.util.concurrent.RejectedExecutionException} if it refuses the job
     * @throws IllegalStateException if the loop is closed, if called from another thread, or if
     *     {@code executor} is null after {@link #shutdownDefaultExecutor()} was called (asyncio's
     *     {@code RuntimeError('Executor shutdown has been called')})
     */
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> fn) {
        Checks.notNull(fn, "fn");
        checkThread("EventLoop.runInExecutor()");
        checkClosed();
        return executors.runInExecutor(executor, fn);
    }

    /**
     * {@link #runInExecutor(Executor, Callable)} for blocking work without a result.
     *
     * @param executor the executor, or null for the default one
     * @param fn the blocking work
     * @return a future of this loop, completed with null when {@code fn} returns
     * @since 0.1
     */
    public Future<Void> runInExecutor(Executor executor, Runnable fn) {
        Checks.notNull(fn, "fn");
        return runInExecutor(executor, () -> {
            fn.run();
            return null;
        });
    }

    /**
     * Makes {@code executor} the default executor: {@link #runInExecutor} with a null executor,
     * {@link Aio#toThread} and {@link #getaddrinfo} use it, and {@link #shutdownDefaultExecutor}
     * (so {@link Aio#run} at its end) shuts it down. The previous default executor is not shut
     * down.
     *
     * <p><b>asyncio:</b> {@code loop.set_default_executor(executor)}. <b>Differences:</b> any
     * {@link ExecutorService} (asyncio requires a {@code ThreadPoolExecutor}); its threads inherit
     * what its thread factory says (the built-in default executor's threads inherit no
     * {@code InheritableThreadLocal} values).
     *
     * @param executor the new default executor
     * @throws IllegalStateException if the loop is closed
     */
    public void setDefaultExecutor(ExecutorService executor) {
        Checks.notNull(executor, "executor");
        checkThread("EventLoop.setDefaultExecutor()");
        checkClosed();
        executors.setDefaultExecutor(executor);
    }

    /**
     * Shuts down the default executor and waits (suspending the calling task) until its
     * threads have finished, at most 300 seconds. From then on the loop has no default executor:
     * {@link #runInExecutor} with a null executor, {@link Aio#toThread} and {@link #getaddrinfo}
     * throw {@link IllegalStateException}, even if none had been made yet or one is set later
     * (asyncio's {@code shutdown_default_executor}).
     *
     * <p><b>Cancellation:</b> this method suspends; if the task is cancelled while it waits, the
     * executor stays shut down and its running jobs go on.
     */
    public void shutdownDefaultExecutor() {
        shutdownDefaultExecutor(300);
    }

    /**
     * Shuts down the default executor and waits at most {@code timeout} seconds for its threads;
     * a warning is logged if they did not finish in time.
     *
     * @param timeout seconds to wait
     */
    public void shutdownDefaultExecutor(double timeout) {
        executors.shutdownDefaultExecutor(timeout);
    }

    /**
     * {@link #shutdownDefaultExecutor(double)} with a {@link Duration}.
     *
     * <p><b>Cancellation:</b> as {@link #shutdownDefaultExecutor()}.
     *
     * @param timeout how long to wait for the executor's threads
     * @since 0.1
     */
    public void shutdownDefaultExecutor(Duration timeout) {
        shutdownDefaultExecutor(Checks.seconds(timeout, "timeout"));
    }

    /**
     * This loop as a {@link java.util.concurrent.Executor}, for APIs that take one
     * ({@code CompletableFuture.thenApplyAsync(fn, loop.asExecutor())}, a JDK HTTP client's
     * callbacks...): {@code execute(r)} is {@link #callSoonThreadsafe(Runnable) callSoonThreadsafe(r)},
     * so it may be called from any thread and {@code r} runs as a loop callback.
     *
     * <p><b>asyncio:</b> none; the nearest is handing {@code loop.call_soon_threadsafe} to code
     * that expects a callable scheduler. An exception thrown by {@code r} goes to the loop's
     * exception handler, as for any callback.
     *
     * @return an executor bound to this loop (the same object on every call); after
     *     {@link #close()} its {@code execute} throws
     *     {@link java.util.concurrent.RejectedExecutionException}
     * @since 0.1
     */
    public Executor asExecutor() {
        return asExecutor;
    }

    // ----------------------------------------------------------------------------------- dumps

    /**
     * A printable report of every pending task: its name, state, what it awaits, which tasks
     * await it, and its stack at the await point. For debugging hangs.
     *
     * @return the report
     */
    public String dumpTasks() {
        return tasks.dump(this);
    }

    @Override
    public String toString() {
        return "EventLoop[id=" + id + ", " + scheduler.name() + ", "
                + (closed ? "closed" : running ? "running" : "idle")
                + (clock != null ? ", " + clock : "") + (schedule != null ? ", " + schedule : "") + ", debug=" + debug + "]";
    }
}
