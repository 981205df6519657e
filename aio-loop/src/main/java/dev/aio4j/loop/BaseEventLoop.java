package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Throwables;
import dev.aio4j.loop.internal.sched.Fiber;
import dev.aio4j.loop.internal.sched.LoopDriver;
import dev.aio4j.loop.internal.sched.Scheduler;
import dev.aio4j.loop.internal.sched.Schedulers;
import dev.aio4j.loop.internal.timer.TimerHeap;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The first layer of {@link EventLoop}, asyncio's {@code base_events.py} {@code BaseEventLoop}
 * without its I/O: running and stopping, one iteration, the ready queue and the timer heap, the
 * scheduling methods ({@code callSoon}, {@code callLater}, {@code callAt} and their threadsafe
 * and context forms), thread confinement, the exception handler and debug mode. Package-private;
 * its public methods are {@link EventLoop}'s public API and are documented there.
 */
abstract sealed class BaseEventLoop permits SelectorEventLoop {
    /*
     * Maintainer notes. EventLoop's own notes describe the three layers. Invariant: at most one of
     * {this loop's own code, one task body} runs at any instant; `currentTask` is the task holding
     * the baton (null while loop code runs). `ready` and `timers` are touched only by the baton
     * holder; other threads reach the loop only through `threadsafe` (+ selector wakeup) and the
     * scheduler's foreign continuation queue. The hierarchy is sealed, so every BaseEventLoop is an
     * EventLoop (self()).
     */
    static final System.Logger LOG = System.getLogger("dev.aio4j.loop");
    private static final AtomicLong LOOP_IDS = new AtomicLong();
    private static final double CLOCK_RESOLUTION = 1e-9;

    final Scheduler scheduler;
    final VirtualClock clock;
    final Schedule schedule;
    /** The schedule's free choices, or null for a plain FIFO loop. */
    final Schedule.Decisions decisions;
    final long id = LOOP_IDS.incrementAndGet();
    /** Callbacks to run; the baton holder's only. */
    final ArrayDeque<Handle> ready = new ArrayDeque<>(256);
    /** Callbacks other threads sent; moved to {@code ready} by the loop. */
    final ConcurrentLinkedQueue<Handle> threadsafe = new ConcurrentLinkedQueue<>();
    private final TimerHeap<TimerHandle> timers = new TimerHeap<>(TimerHandle.HEAP_ACCESS);
    private long timerSeq;
    volatile boolean running;
    volatile boolean closed;
    /** True from the start of close(): nothing new may be scheduled. */
    volatile boolean closing;
    boolean stopping;
    /** True while the loop waits in its selector with a timeout or none (a wake-up is needed). */
    volatile boolean sleeping;
    Task<?> currentTask;
    /** Pending tasks in creation order. */
    final TaskRegistry tasks = new TaskRegistry();
    private ExceptionHandler exceptionHandler;
    volatile boolean debug;
    final SlowCallbacks slowCallbacks = new SlowCallbacks();
    final ExecutorBridge executors = new ExecutorBridge(self(), id);
    final VirtualTimePolicy virtualTime = new VirtualTimePolicy();
    /** Debug mode's blocked-loop watchdog (see BlockedLoopWatchdog and architecture.md). */
    final BlockedLoopWatchdog.Watch blockedLoopWatch = new BlockedLoopWatchdog.Watch(self());
    /** The first VirtualMachineError a task or callback threw; the loop stops and rethrows it. */
    private volatile VirtualMachineError fatalError;

    BaseEventLoop(VirtualClock clock, Schedule schedule) {
        this.scheduler = Schedulers.create();
        this.batonPassing = scheduler.passesBaton();
        if (batonPassing) {
            scheduler.setDriver(new Driver());
        }
        this.clock = clock;
        this.schedule = schedule;
        this.decisions = schedule == null || schedule.isFifo() ? null : schedule.start();
        this.debug = Boolean.getBoolean("aio4j.debug");
    }

    /** This loop as what it always is (the hierarchy is sealed). */
    final EventLoop self() {
        return (EventLoop) this;
    }

    // ------------------------------------------------------------- the selector layer's hooks

    /**
     * Waits for I/O (timeoutNanos: 0 polls, -1 waits without a deadline; while callbacks sent by
     * other threads are queued it only polls) and adds the callbacks of ready channels to
     * {@code ready}.
     */
    abstract void select(long timeoutNanos);

    /** Whether any channel is registered with the selector. */
    abstract boolean hasIoInterest();

    /** Wakes the selector, closed or not. */
    abstract void wakeSelector();

    // ------------------------------------------------------------------ running and stopping

    /**
     * Runs the loop until {@code future} is done, then returns its result.
     *
     * @param future a future of this loop
     * @param <T> the result type
     * @return the future's result
     * @throws IllegalStateException if the loop is closed or running, if another loop runs in
     *     this thread, or if {@link #stop()} was called before the future was done
     * @throws RuntimeException the future's exception, as {@link Future#result()} throws it
     */
    public <T> T runUntilComplete(Future<T> future) {
        runUntilDone(future);
        return future.result();
    }

    /** {@link #runUntilComplete(Future)} without reading the result. */
    final <T> void runUntilDone(Future<T> future) {
        Checks.notNull(future, "future");
        checkClosed();
        checkNotRunning();
        if (future.loop != this) {
            throw new IllegalArgumentException("runUntilComplete() was given a future of another loop: " + future
                    + " belongs to " + future.loop + ", not to " + this);
        }
        Consumer<Future<T>> stopper = f -> stop();
        if (!future.done()) {
            future.addCallbackObject(stopper);
            try {
                runForever();
            } finally {
                future.removeCallbackObject(stopper);
            }
        }
        if (!future.done()) {
            throw new IllegalStateException("Event loop stopped before Future completed: " + future);
        }
    }

    /**
     * Runs the loop until {@link #stop()} is called.
     *
     * @throws IllegalStateException if the loop is closed or already running, or another loop
     *     is running in this thread
     */
    public void runForever() {
        checkClosed();
        checkNotRunning();
        scheduler.runLoop(this::loopBody);
        throwIfFatal();
    }

    /** asyncio's _check_running: neither this loop nor another one may be running here. */
    private void checkNotRunning() {
        if (running) {
            throw new IllegalStateException("This event loop is already running: " + this);
        }
        EventLoop other = Aio.runningLoopOrNull();
        if (other != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running in this thread ("
                    + other + "); use Aio.createTask(...) to run more work on the running loop");
        }
    }

    private void loopBody() {
        Aio.RUNNING_LOOP.set(self());
        loopContext = Context.current();
        synchronized (idleTimers) {
            running = true; // from here on only the baton holder touches the timer heap
        }
        polledLast = false; // a run's first iteration always polls
        try {
            while (true) {
                boolean passed = runOnce();
                while (passed && runnerTakesOver) {
                    // Debug mode came on while a task's thread ran the loop's code: the runner goes
                    // on with the iteration it left (debug mode's measurements need the classic protocol).
                    runnerTakesOver = false;
                    passed = runReady();
                }
                if (passed) {
                    // Baton passing: the baton came back to this thread because the run ended.
                    Throwable f = driveFailure;
                    if (f != null) {
                        driveFailure = null;
                        Throwables.throwIfUnchecked(f);
                        throw new IllegalStateException(f);
                    }
                }
                if (stopping) {
                    break;
                }
            }
        } catch (VirtualMachineError e) {
            fatal(e); // thrown by the loop's own code: the run ends with it all the same
            throw e;
        } finally {
            stopping = false;
            running = false;
            Aio.RUNNING_LOOP.remove();
            if (interruptSeen) {
                interruptSeen = false;
                Thread.currentThread().interrupt(); // restored for whoever runs on this thread next
            }
        }
    }

    /**
     * Set when the loop's thread was found interrupted before a blocking select: the flag is
     * cleared so that the selector can block (an interrupted thread's select returns at once, and
     * the loop would spin), and restored when the loop stops. An interrupt does not stop a loop,
     * as nothing interrupts asyncio's; stop it with {@link #stop()} or by cancelling its task.
     */
    boolean interruptSeen;

    /**
     * Stops the loop after the callbacks of the current iteration (or, if it is not running,
     * makes the next {@link #runForever()} run one iteration and return).
     */
    public void stop() {
        stopping = true;
    }

    /**
     * Whether the loop is running.
     *
     * @return true while {@code runForever}/{@code runUntilComplete} runs
     */
    public boolean isRunning() {
        return running;
    }

    /**
     * Whether {@link EventLoop#close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    void checkClosed() {
        if (closed || closing) {
            throw new IllegalStateException("Event loop is closed: " + this);
        }
    }

    /**
     * The baton holder saw a VirtualMachineError (OutOfMemoryError, StackOverflowError...): keep
     * the first, stop after this iteration; runForever (and so runUntilComplete, Aio.run) throws it.
     */
    void fatal(VirtualMachineError e) {
        if (fatalError == null) {
            fatalError = e;
        }
        stopping = true;
    }

    /** The error that ended the last run, or null (Runner.close skips its graceful shutdown). */
    VirtualMachineError fatalError() {
        return fatalError;
    }

    private void throwIfFatal() {
        VirtualMachineError e = fatalError;
        if (e != null) {
            throw e;
        }
    }

    /** close(): drops every scheduled callback and timer, run or not. */
    void dropScheduled() {
        ready.clear();
        threadsafe.clear();
        synchronized (idleTimers) { // a timer cancelled from another thread meanwhile
            while (timers.poll() != null) {
                // drop
            }
        }
    }

    /**
     * Guards the timer heap while the loop is not running, when a timer may be cancelled from
     * any thread ({@link Handle#cancel()} promises that); {@code running} becomes true under it.
     * Package-private for a test that holds it.
     */
    final Object idleTimers = new Object();

    // ------------------------------------------------------------------------- one iteration

    /** Whether the scheduler passes the baton from task to task (see Driver). */
    private final boolean batonPassing;
    /** Ready callbacks of the current iteration not run yet: a field, so any baton holder can go on with it. */
    private int remaining;
    /** The context loop callbacks without their own see: the runner thread's. */
    private Context loopContext;
    /** Set with the baton given back to the runner in the middle of a run: it goes on running the loop. */
    private boolean runnerTakesOver;
    /** What the loop's own code threw on a task's thread while passing the baton; rethrown by the runner. */
    private Throwable driveFailure;

    /**
     * Test hook, loop thread only: run once, by the next idle iteration of a virtual clock,
     * between its drain of the threadsafe queue and its look at the executor jobs still running
     * (a test ends a job there). Null but in tests.
     */
    Runnable beforeIdleTimeoutForTests;

    /** Whether the previous iteration polled the selector (see runOnce). */
    private boolean polledLast;

    /** One iteration; returns true if the baton passed to another thread and came back (see Driver). */
    private boolean runOnce() {
        scheduler.drainForeign();
        drainThreadsafe();
        long timeoutNanos; // -1: no deadline
        if (!ready.isEmpty() || stopping) {
            timeoutNanos = 0;
        } else if (!timers.isEmpty()) {
            timeoutNanos = secondsToNanos(timers.peek().when - time());
        } else {
            timeoutNanos = -1;
        }
        if (clock != null && timeoutNanos != 0) {
            timeoutNanos = virtualTimeout(timeoutNanos);
        }
        if (timeoutNanos == 0 && polledLast && !stopping) {
            polledLast = false;
        } else {
            select(timeoutNanos);
            polledLast = true;
        }
        drainThreadsafe();
        if (!timers.isEmpty()) {
            // Read the clock only when a timer could be due: an iteration without timers (a
            // callSoon chain, task switches) then costs no System.nanoTime() call.
            double end = time() + CLOCK_RESOLUTION;
            while (!timers.isEmpty() && timers.peek().when <= end) {
                TimerHandle h = timers.poll();
                if (!h.cancelled) {
                    ready.add(h);
                }
            }
        }
        remaining = ready.size();
        return runReady();
    }

    /** Runs the rest of the iteration's ready callbacks; true if a task step passed the baton on. */
    private boolean runReady() {
        if (debug) {
            while (remaining > 0) {
                if (batonPassing && !scheduler.onRunner()) {
                    // A task's thread must not resume bodies the classic way (it could be its own):
                    // the runner takes the loop back.
                    runnerTakesOver = true;
                    scheduler.passToRunner();
                    return true;
                }
                remaining--;
                Handle h = ready.poll();
                if (h.cancelled) {
                    continue;
                }
                long t0 = System.nanoTime();
                blockedLoopWatch.enter(h, t0);
                h.run();
                blockedLoopWatch.exit();
                slowCallbacks.callbackRan(h, System.nanoTime() - t0);
            }
        } else if (batonPassing) {
            while (remaining > 0) {
                remaining--;
                Handle h = ready.poll();
                if (h.cancelled) {
                    continue;
                }
                if (h.callback instanceof Task<?>.Step step) {
                    if (step.runPassing(h)) {
                        return true; // the baton went on from here: touch nothing
                    }
                } else {
                    h.run();
                }
            }
        } else {
            // Nobody else goes on with this iteration: a local counter keeps the field out of the loop.
            int n = remaining;
            remaining = 0;
            for (int i = 0; i < n; i++) {
                Handle h = ready.poll();
                if (!h.cancelled) {
                    h.run();
                }
            }
        }
        return false;
    }

    /**
     * A new task's fiber. Its thread inherits the {@code InheritableThreadLocal} values of the
     * thread that creates it, which must be the loop's runner (docs/architecture.md, "Context
     * variables"): with baton passing the loop's code may run on a task's thread, so the fiber is
     * then made on the runner.
     */
    Fiber newTaskFiber(Runnable body, String name) {
        if (!batonPassing || scheduler.onRunner()) {
            return scheduler.newFiber(body, name);
        }
        // A first step on a task's thread: one trip to the runner makes this fiber and those of
        // every first step queued behind it (spawning many tasks costs one trip, not one each).
        Fiber[] out = new Fiber[1];
        scheduler.runOnRunner(() -> {
            out[0] = scheduler.newFiber(body, name);
            prepareQueuedFibers();
        });
        return out[0];
    }

    /** Runner thread: fibers for every task whose first step is queued (Task.preparedFiber). */
    private void prepareQueuedFibers() {
        for (Handle h : ready) {
            if (!h.cancelled && h.callback instanceof Task<?>.Step step) {
                step.task().prepareFiber();
            }
        }
    }

    /**
     * Baton passing (the portable scheduler): a task that awaits runs the loop's code on its own
     * thread, from where the previous baton holder left it, until a task step passes the baton
     * on. {@code currentTask}, {@code remaining} and the queues are plain fields handed over with
     * the baton. At the end of the run the baton goes back to the runner thread (loopBody).
     */
    private final class Driver implements LoopDriver {
        @Override
        public void drive() {
            try {
                if (runReady()) {
                    return;
                }
                while (!stopping) {
                    if (runOnce()) {
                        return;
                    }
                }
            } catch (Throwable e) {
                // The loop's own code failed (a callback's failure goes to the exception handler):
                // the run ends, and the runner rethrows it from runForever.
                if (e instanceof VirtualMachineError vme) {
                    fatal(vme);
                }
                driveFailure = e;
                stopping = true;
            }
            scheduler.passToRunner();
        }

        @Override
        public void enterLoopRole(Fiber f) {
            currentTask = null;
            if (!f.loopMarked) {
                f.loopMarked = true;
                Aio.RUNNING_LOOP.set(self());
            }
            f.savedTask = Aio.CURRENT_TASK.get();
            f.savedContext = Context.CURRENT.get();
            f.savedInterrupt = Thread.interrupted();
            Aio.CURRENT_TASK.set(null);
            Context.CURRENT.set(loopContext);
        }

        @Override
        public void leaveLoopRole(Fiber f) {
            Aio.CURRENT_TASK.set((Task<?>) f.savedTask);
            Context.CURRENT.set((Context) f.savedContext);
            f.savedTask = null;
            f.savedContext = null;
            if (f.savedInterrupt) {
                f.savedInterrupt = false;
                Thread.currentThread().interrupt();
            }
        }
    }

    /** With a virtual clock and nothing ready: jump to the next timer, or say how long to really wait. */
    private long virtualTimeout(long realTimeout) {
        Runnable hook = beforeIdleTimeoutForTests;
        if (hook != null) {
            beforeIdleTimeoutForTests = null;
            hook.run();
        }
        long t = virtualTime.idleTimeout(clock.isAutoJump(), executors.hasPendingWork(), hasIoInterest(),
                !timers.isEmpty(), realTimeout);
        if (t == VirtualTimePolicy.JUMP && !threadsafe.isEmpty()) {
            // An executor job ended after this iteration drained the threadsafe queue and before
            // its count was read here: its result is queued (a job queues it before the count
            // drops), so it belongs to this instant. Without this look the clock jumped past it
            // to the next timer (a FileResponse over SimNetwork took 60 s, its server's
            // read-head timer, instead of 0.4 s about once in 3000 runs).
            return 0;
        }
        if (t == VirtualTimePolicy.JUMP) {
            clock.jumpTo(timers.peek().when);
            return 0;
        }
        return t;
    }

    private static long secondsToNanos(double seconds) {
        // The cast saturates at Long.MAX_VALUE (JLS 5.1.3); a deadline already past waits 0.
        return Math.max(0L, (long) Math.ceil(seconds * 1e9));
    }

    void drainThreadsafe() {
        Handle h;
        while ((h = threadsafe.poll()) != null) {
            ready.add(h);
        }
    }

    // ---------------------------------------------------------------------------- scheduling

    /**
     * The loop's time in seconds: monotonic, or the virtual clock's time.
     *
     * @return the current loop time
     */
    public double time() {
        return clock != null ? clock.time() : System.nanoTime() / 1e9;
    }

    /**
     * The loop's virtual clock, or null if it runs on real time.
     *
     * @return the clock or null
     */
    public VirtualClock virtualClock() {
        return clock;
    }

    /**
     * Schedules {@code callback} to run on the next iteration, after the callbacks already
     * scheduled (FIFO).
     *
     * @param callback the callback
     * @return a handle that can cancel it
     * @throws IllegalStateException if the loop is closed, or the call comes from another thread
     *     while the loop runs (use {@link #callSoonThreadsafe})
     */
    public Handle callSoon(Runnable callback) {
        Checks.notNull(callback, "callback");
        checkThread("EventLoop.callSoon()");
        Handle h = callSoonInternal(callback);
        h.context = Context.copyContext();
        return h;
    }

    /**
     * Schedules {@code callback} to run in {@code context} (shared, not copied) on the next
     * iteration.
     *
     * <p><b>asyncio:</b> {@code loop.call_soon(callback, context=context)}.
     *
     * @param callback the callback
     * @param context the context it runs in
     * @return a handle that can cancel it
     * @throws IllegalStateException as {@link #callSoon(Runnable)}
     */
    public Handle callSoon(Runnable callback, Context context) {
        Checks.notNull(context, "context");
        Handle h = callSoon(callback);
        h.context = context;
        return h;
    }

    Handle callSoonInternal(Runnable callback) {
        checkClosed();
        Handle h = new Handle(self(), callback);
        enqueueReady(h);
        return h;
    }

    /** Every loop-side addition to the ready queue (callbacks and task wake-ups) goes through here. */
    void enqueueReady(Handle h) {
        if (!threadsafe.isEmpty()) {
            // Callbacks sent earlier with callSoonThreadsafe go first: asyncio keeps both in one
            // FIFO queue, so call_soon_threadsafe(a) then call_soon(b) -- or a task wake-up --
            // runs a before b.
            drainThreadsafe();
        }
        ready.add(h);
    }

    /**
     * Schedules {@code callback} from any thread and wakes the loop.
     *
     * @param callback the callback
     * @return a handle that can cancel it (from any thread)
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callSoonThreadsafe(Runnable callback) {
        Checks.notNull(callback, "callback");
        checkClosed();
        Handle h = new Handle(self(), callback);
        h.context = Context.copyContext();
        threadsafe.add(h);
        if (sleeping) {
            // Only a loop in select() needs waking: one that is not running, or running but not
            // waiting, drains the threadsafe queue before it next waits (select() looks at the
            // queue after setting sleeping, so a callback added in between is not missed).
            wakeSelector();
        }
        return h;
    }

    /**
     * Schedules {@code callback} from any thread, to run in {@code context} (shared, not copied).
     *
     * <p><b>asyncio:</b> {@code loop.call_soon_threadsafe(callback, context=context)}.
     *
     * @param callback the callback
     * @param context the context it runs in
     * @return a handle that can cancel it (from any thread)
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callSoonThreadsafe(Runnable callback, Context context) {
        Checks.notNull(callback, "callback");
        Checks.notNull(context, "context");
        return callSoonThreadsafe(() -> context.run(callback));
    }

    /**
     * Schedules {@code callback} to run {@code delay} seconds from now; a negative delay means
     * as soon as possible (after the callbacks already ready).
     *
     * @param delay seconds, finite
     * @param callback the callback
     * @return a handle that can cancel it
     */
    public TimerHandle callLater(double delay, Runnable callback) {
        Checks.finiteSeconds(delay, "delay");
        Checks.notNull(callback, "callback");
        checkThread("EventLoop.callLater()");
        TimerHandle h = callAtInternal(time() + delay, callback);
        h.context = Context.copyContext();
        return h;
    }

    /**
     * Schedules {@code callback} after {@code delay}.
     *
     * @param delay the delay
     * @param callback the callback
     * @return a handle that can cancel it
     */
    public TimerHandle callLater(Duration delay, Runnable callback) {
        return callLater(Checks.seconds(delay, "delay"), callback);
    }

    /**
     * Schedules {@code callback} to run in {@code context} (shared, not copied) {@code delay}
     * seconds from now.
     *
     * <p><b>asyncio:</b> {@code loop.call_later(delay, callback, context=context)}.
     *
     * @param delay seconds, finite
     * @param callback the callback
     * @param context the context it runs in
     * @return a handle that can cancel it
     */
    public TimerHandle callLater(double delay, Runnable callback, Context context) {
        Checks.notNull(context, "context");
        TimerHandle h = callLater(delay, callback);
        h.context = context;
        return h;
    }

    /**
     * {@link #callLater(double, Runnable, Context)} with a {@link Duration}.
     *
     * @param delay the delay
     * @param callback the callback
     * @param context the context it runs in
     * @return a handle that can cancel it
     * @since 0.2
     */
    public TimerHandle callLater(Duration delay, Runnable callback, Context context) {
        return callLater(Checks.seconds(delay, "delay"), callback, context);
    }

    /**
     * Schedules {@code callback} at loop time {@code when} (see {@link #time()}). Timers with
     * equal deadlines run in the order they were scheduled.
     *
     * @param when the deadline in loop time, finite
     * @param callback the callback
     * @return a handle that can cancel it
     */
    public TimerHandle callAt(double when, Runnable callback) {
        Checks.finiteSeconds(when, "when");
        Checks.notNull(callback, "callback");
        checkThread("EventLoop.callAt()");
        TimerHandle h = callAtInternal(when, callback);
        h.context = Context.copyContext();
        return h;
    }

    /**
     * Schedules {@code callback} to run in {@code context} (shared, not copied) at loop time
     * {@code when}.
     *
     * <p><b>asyncio:</b> {@code loop.call_at(when, callback, context=context)}.
     *
     * @param when the deadline in loop time, finite
     * @param callback the callback
     * @param context the context it runs in
     * @return a handle that can cancel it
     */
    public TimerHandle callAt(double when, Runnable callback, Context context) {
        Checks.notNull(context, "context");
        TimerHandle h = callAt(when, callback);
        h.context = context;
        return h;
    }

    TimerHandle callLaterInternal(double delay, Runnable callback) {
        return callAtInternal(time() + delay, callback);
    }

    TimerHandle callAtInternal(double when, Runnable callback) {
        checkClosed();
        if (decisions != null) {
            when += decisions.timerJitter(); // later, never earlier
        }
        TimerHandle h = new TimerHandle(self(), when, timerSeq++, callback);
        timers.add(h);
        return h;
    }

    void timerCancelled(TimerHandle h) {
        if (h.heapIndex < 0) {
            return;
        }
        if (running && onLoopContext()) {
            timers.remove(h);
            return;
        }
        // Not running: another thread, or the loop's own code outside a run (close() unwinding
        // pending tasks, whose finally blocks cancel their timers) racing a foreign cancel.
        synchronized (idleTimers) {
            if (!running) {
                // Another thread, the loop idle: remove at once, and a loop starting meanwhile
                // waits for it (loopBody sets running under the same lock).
                timers.remove(h);
                return;
            }
        }
        if (!closing) {
            threadsafe.add(new Handle(self(), () -> timers.remove(h)));
            wakeSelector();
        }
    }

    /** Number of timers in the heap (tests check that cancelled timers leave at once). */
    int timerCount() {
        return timers.size();
    }

    int timerCapacity() {
        return timers.capacity();
    }

    // ------------------------------------------------------------------- thread confinement

    /** Whether the calling thread holds this loop's baton: the loop thread, or the running task. */
    boolean onLoopContext() {
        if (scheduler.onLoopThread()) {
            return true;
        }
        Task<?> t = currentTask;
        return t != null && t.fiber != null && t.fiber.thread() == Thread.currentThread();
    }

    void checkThread(String what) {
        if (running && !onLoopContext()) {
            throw new IllegalStateException(what + " called from thread '" + Thread.currentThread().getName()
                    + "', which is neither the event loop's thread nor one of its running tasks; "
                    + "from other threads use EventLoop.callSoonThreadsafe(...) or Aio.runCoroutineThreadsafe(...)");
        }
    }

    /** The task that may await on behalf of {@code what}, or a clear error saying why not. */
    Task<?> taskForAwait(String what, Object subject) {
        Task<?> t = currentTask;
        Thread me = Thread.currentThread();
        if (t != null && t.fiber.thread() == me) {
            return t;
        }
        Task<?> mine = Aio.CURRENT_TASK.get();
        if (mine != null && mine.loop != this) {
            throw new IllegalStateException(what + " in " + mine + " on a future attached to a different loop: "
                    + subject + " belongs to " + this + "; a task can only await futures of its own loop");
        }
        if (scheduler.onLoopThread()) {
            throw new IllegalStateException(what + " called from a loop callback, not from a task; create a task with "
                    + "Aio.createTask(...) or add a done-callback with Future.addDoneCallback(...)");
        }
        throw new IllegalStateException(what + " called from thread '" + me.getName() + "', which is not running a task of "
                + this + "; from outside the loop call Future.get(), EventLoop.runUntilComplete(...) or "
                + "Aio.runCoroutineThreadsafe(...)");
    }

    // --------------------------------------------------------------------------- errors, debug

    /**
     * Sets the handler for errors no caller can receive; null restores the default, which logs
     * through {@link System.Logger} (logger {@code dev.aio4j.loop}) with the stack trace.
     *
     * @param handler the handler, or null
     */
    public void setExceptionHandler(ExceptionHandler handler) {
        this.exceptionHandler = handler;
    }

    /**
     * The handler set with {@link #setExceptionHandler}, or null for the default.
     *
     * @return the handler or null
     */
    public ExceptionHandler getExceptionHandler() {
        return exceptionHandler;
    }

    /**
     * Passes {@code context} to the exception handler (or the default one). An exception thrown
     * by the handler is logged.
     *
     * @param context what happened
     */
    public void callExceptionHandler(ExceptionContext context) {
        ExceptionHandler h = exceptionHandler;
        if (h == null) {
            defaultExceptionHandler(context);
            return;
        }
        try {
            h.handle(self(), context);
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.ERROR, () -> "Unhandled error in exception handler (context: " + context.message() + ")", e);
        }
    }

    /**
     * The default handling: log the context at ERROR on the {@code System.Logger} named
     * {@code dev.aio4j.loop}, with its exception attached as the record's throwable, so the
     * exception and its stack trace are printed once, by the logging backend (the message lists
     * the other keys of the context, as asyncio's {@code default_exception_handler} does).
     *
     * @param context what happened
     */
    public void defaultExceptionHandler(ExceptionContext context) {
        Throwable e = context.exception();
        if (e == null) {
            LOG.log(System.Logger.Level.ERROR, context::toString);
        } else {
            LOG.log(System.Logger.Level.ERROR, () -> new ExceptionContext(context.message(), null, context.future(),
                    context.handle(), context.sourceTraceback()).toString(), e);
        }
    }

    /**
     * Turns debug mode on or off. In debug mode the loop records where futures and tasks were
     * created, and logs callbacks and task steps that run longer than
     * {@link #getSlowCallbackDuration()} (naming the task, and how long it was blocked inside a
     * JDK call). The system property {@code aio4j.debug=true} turns it on for new loops.
     *
     * @param enabled whether debug mode is on
     */
    public void setDebug(boolean enabled) {
        this.debug = enabled;
    }

    /**
     * Whether debug mode is on.
     *
     * @return true in debug mode
     */
    public boolean getDebug() {
        return debug;
    }

    /**
     * Sets the duration above which debug mode logs a callback or task step as slow.
     *
     * @param seconds the threshold, &gt; 0 (default 0.1)
     */
    public void setSlowCallbackDuration(double seconds) {
        slowCallbacks.setThreshold(seconds);
    }

    /**
     * {@link #setSlowCallbackDuration(double)} with a {@link Duration}.
     *
     * @param threshold the threshold, &gt; 0 (default 100 ms)
     * @since 0.1
     */
    public void setSlowCallbackDuration(Duration threshold) {
        setSlowCallbackDuration(Checks.seconds(threshold, "threshold"));
    }

    /**
     * The slow-callback threshold of debug mode.
     *
     * @return seconds
     */
    public double getSlowCallbackDuration() {
        return slowCallbacks.threshold();
    }

    /**
     * Which scheduler back-end runs this loop's tasks: {@code "carrier"} (task threads mounted
     * on the loop thread; needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}) or
     * {@code "portable"}.
     *
     * @return the back-end's name
     */
    public String schedulerName() {
        return scheduler.name();
    }
}
