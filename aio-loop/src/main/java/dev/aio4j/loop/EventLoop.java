package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.sched.Scheduler;
import dev.aio4j.loop.internal.sched.Schedulers;
import dev.aio4j.loop.internal.timer.TimerHeap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
 * {@link java.nio.channels.Selector} until the first timer is due (not at all if callbacks are
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
public final class EventLoop implements AutoCloseable {
    /*
     * Maintainer notes. Invariant: at most one of {this loop's own code, one task body} runs at
     * any instant; `currentTask` is the task holding the baton (null while loop code runs).
     * `ready` and `timers` are touched only by the baton holder; other threads reach the loop only
     * through `threadsafe` (+ selector wakeup) and the scheduler's foreign continuation queue.
     */
    private static final System.Logger LOG = System.getLogger("dev.aio4j.loop");
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicLong LOOP_IDS = new AtomicLong();
    private static final double CLOCK_RESOLUTION = 1e-9;
    private static final double VIRTUAL_IO_GRACE_SECONDS = 0.005;

    /** Shared advice for errors about blocking the loop. */
    static final String BLOCKING_ADVICE = "inside a task use Future.await(); from a loop callback use "
            + "Future.addDoneCallback(...); call Future.get() only from other threads";

    final Scheduler scheduler;
    private final VirtualClock clock;
    private final Schedule schedule;
    private final Schedule.Decisions decisions;
    private final long id = LOOP_IDS.incrementAndGet();
    private final ArrayDeque<Handle> ready = new ArrayDeque<>(256);
    private final ConcurrentLinkedQueue<Handle> threadsafe = new ConcurrentLinkedQueue<>();
    private final TimerHeap<TimerHandle> timers = new TimerHeap<>(TIMER_ACCESS);
    private long timerSeq;
    private final Selector selector;
    private final Readiness readiness;
    private volatile boolean running;
    private volatile boolean closed;
    /** True from the start of close(): nothing new may be scheduled. */
    volatile boolean closing;
    private boolean stopping;
    private volatile boolean sleeping;
    /** Virtual clock: the last idle iteration already waited the real I/O grace period. */
    private boolean ioGraceSpent;
    Task<?> currentTask;
    /** Pending tasks in creation order: an intrusive doubly linked list through Task.prev/next. */
    private Task<?> firstTask;
    private Task<?> lastTask;
    private int taskCount;
    private final Set<Unretrieved> unretrieved = new LinkedHashSet<>();
    private ExceptionHandler exceptionHandler;
    volatile boolean debug;
    private double slowCallbackDuration = 0.1;
    private volatile ExecutorService defaultExecutor;
    private final AtomicInteger externalPending = new AtomicInteger();
    private final AtomicInteger executorThreads = new AtomicInteger();

    private EventLoop(VirtualClock clock, Schedule schedule) {
        this.scheduler = Schedulers.create();
        this.clock = clock;
        this.schedule = schedule;
        this.decisions = schedule == null || schedule.isFifo() ? null : schedule.start();
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the event loop's selector", e);
        }
        this.readiness = new Readiness(this, selector);
        this.scheduler.setWakeup(selector::wakeup);
        this.debug = Boolean.getBoolean("aio4j.debug");
        if (clock != null) {
            try {
                clock.attach(this);
            } catch (RuntimeException e) {
                try {
                    selector.close();
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
        Checks.notNull(future, "future");
        checkClosed();
        checkNotRunning();
        if (future.loop != this) {
            throw new IllegalArgumentException("runUntilComplete() was given a future of another loop: " + future
                    + " belongs to " + future.loop + ", not to " + this);
        }
        java.util.function.Consumer<Future<T>> stopper = f -> stop();
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
        return future.result();
    }

    /**
     * Runs {@code coroutine} as a task until it is done, then returns its result.
     *
     * @param coroutine the body
     * @param <T> the result type
     * @return the body's result
     */
    public <T> T runUntilComplete(Coroutine<T> coroutine) {
        return runUntilComplete(createTask(coroutine));
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
        Aio.RUNNING_LOOP.set(this);
        running = true;
        try {
            while (true) {
                runOnce();
                if (stopping) {
                    break;
                }
            }
        } finally {
            stopping = false;
            running = false;
            Aio.RUNNING_LOOP.remove();
        }
    }

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
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the loop: tasks still pending are reported ("Task was destroyed but it is
     * pending!") and unwound (their {@code finally} blocks run, their awaits throw
     * {@link CancelledError}); exceptions never retrieved are reported; the default executor is
     * shut down without waiting; the selector is closed. Idempotent.
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
        try {
            List<Task<?>> pending = taskList();
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
            firstTask = null;
            lastTask = null;
            taskCount = 0;
            ready.clear();
            threadsafe.clear();
            while (timers.poll() != null) {
                // drop
            }
            for (Unretrieved u : new ArrayList<>(unretrieved)) {
                report(u);
            }
            unretrieved.clear();
            ExecutorService ex = defaultExecutor;
            if (ex != null) {
                ex.shutdown();
            }
        } finally {
            closed = true;
            try {
                selector.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the selector of " + this + " failed", e);
            }
        }
    }

    private void checkClosed() {
        if (closed || closing) {
            throw new IllegalStateException("Event loop is closed: " + this);
        }
    }

    // ------------------------------------------------------------------------- one iteration

    private void runOnce() {
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
        select(timeoutNanos);
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
        int n = ready.size();
        if (debug) {
            for (int i = 0; i < n; i++) {
                Handle h = ready.poll();
                if (h.cancelled) {
                    continue;
                }
                long t0 = System.nanoTime();
                h.run();
                long dt = System.nanoTime() - t0;
                if (!(h.callback instanceof Task<?>.Step) && dt >= slowCallbackDuration * 1e9) {
                    LOG.log(System.Logger.Level.WARNING, String.format("Executing %s took %.3f seconds", h, dt / 1e9));
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                Handle h = ready.poll();
                if (!h.cancelled) {
                    h.run();
                }
            }
        }
    }

    /** With a virtual clock and nothing ready: jump to the next timer, or say how long to really wait. */
    private long virtualTimeout(long realTimeout) {
        if (!clock.isAutoJump()) {
            return -1; // wait (really) for advance(), a threadsafe callback or I/O
        }
        if (externalPending.get() > 0) {
            return -1; // work on another thread will call back through callSoonThreadsafe
        }
        if (hasIoInterest() && !ioGraceSpent) {
            // Give pending I/O one short real wait; if nothing arrives, the next idle
            // iteration jumps to the next timer.
            ioGraceSpent = true;
            return secondsToNanos(VIRTUAL_IO_GRACE_SECONDS);
        }
        ioGraceSpent = false;
        if (!timers.isEmpty()) {
            clock.jumpTo(timers.peek().when);
            return 0;
        }
        return realTimeout;
    }

    boolean hasIoInterest() {
        return !selector.keys().isEmpty();
    }

    /** Registered selector keys, including cancelled ones not yet flushed (tests count them). */
    int selectorKeyCount() {
        return selector.keys().size();
    }

    private static long secondsToNanos(double seconds) {
        if (seconds <= 0) {
            return 0;
        }
        double n = Math.ceil(seconds * 1e9);
        return n >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) n;
    }

    private void select(long timeoutNanos) {
        try {
            if (timeoutNanos == 0) {
                if (hasIoInterest()) {
                    selector.selectNow();
                }
            } else {
                sleeping = true;
                try {
                    if (!threadsafe.isEmpty()) {
                        if (hasIoInterest()) {
                            selector.selectNow();
                        }
                    } else if (timeoutNanos < 0) {
                        selector.select();
                    } else {
                        long ms = Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
                        selector.select(ms);
                    }
                } finally {
                    sleeping = false;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("select() failed on " + this, e);
        }
        if (hasIoInterest()) {
            Set<java.nio.channels.SelectionKey> keys = selector.selectedKeys();
            if (!keys.isEmpty()) {
                ioGraceSpent = false; // I/O arrived: the next idle spell gets its grace period again
            }
            if (decisions != null && keys.size() > 1) {
                java.nio.channels.SelectionKey[] order = keys.toArray(new java.nio.channels.SelectionKey[0]);
                decisions.permute(order, order.length);
                readiness.dispatch(order, order.length, ready);
            } else {
                readiness.dispatch(keys, ready);
            }
            keys.clear();
        }
    }

    private void drainThreadsafe() {
        Handle h;
        while ((h = threadsafe.poll()) != null) {
            ready.add(h);
        }
    }

    void wakeup() {
        if (!closed) {
            selector.wakeup();
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
        return callSoonInternal(callback);
    }

    Handle callSoonInternal(Runnable callback) {
        checkClosed();
        Handle h = new Handle(this, callback);
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
        Handle h = new Handle(this, callback);
        threadsafe.add(h);
        if (sleeping || !running) {
            selector.wakeup();
        }
        return h;
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
        return callAtInternal(time() + delay, callback);
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
        return callAtInternal(when, callback);
    }

    TimerHandle callLaterInternal(double delay, Runnable callback) {
        return callAtInternal(time() + delay, callback);
    }

    private TimerHandle callAtInternal(double when, Runnable callback) {
        checkClosed();
        if (decisions != null) {
            when += decisions.timerJitter(); // later, never earlier
        }
        TimerHandle h = new TimerHandle(this, when, timerSeq++, callback);
        timers.add(h);
        return h;
    }

    void timerCancelled(TimerHandle h) {
        if (h.heapIndex < 0) {
            return;
        }
        if (onLoopContext() || !running) {
            timers.remove(h);
        } else if (!closing) {
            threadsafe.add(new Handle(this, () -> timers.remove(h)));
            selector.wakeup();
        }
    }

    /** Number of timers in the heap (tests check that cancelled timers leave at once). */
    int timerCount() {
        return timers.size();
    }

    int timerCapacity() {
        return timers.capacity();
    }

    // ------------------------------------------------------------------------ I/O readiness

    /**
     * Calls {@code callback} on the loop whenever {@code channel} is readable (or, for a server
     * channel, has a connection to accept), until {@link #removeReader}. Replaces an earlier
     * reader of the same channel.
     *
     * <p><b>asyncio:</b> {@code loop.add_reader(fd, callback)}.
     *
     * @param channel a channel in non-blocking mode
     * @param callback the callback
     * @throws IllegalArgumentException if the channel is in blocking mode
     * @throws IllegalStateException if the channel is closed, or the call comes from another thread
     */
    public void addReader(java.nio.channels.SelectableChannel channel, Runnable callback) {
        addReadiness(channel, callback, true, "EventLoop.addReader()");
    }

    private void addReadiness(java.nio.channels.SelectableChannel channel, Runnable callback, boolean read, String what) {
        Checks.notNull(channel, "channel");
        Checks.notNull(callback, "callback");
        checkThread(what);
        checkClosed();
        readiness.add(channel, callback, read);
    }

    /**
     * Stops watching {@code channel} for readability.
     *
     * <p><b>asyncio:</b> {@code loop.remove_reader(fd)}.
     *
     * @param channel the channel
     * @return whether a reader was registered
     */
    public boolean removeReader(java.nio.channels.SelectableChannel channel) {
        Checks.notNull(channel, "channel");
        checkThread("EventLoop.removeReader()");
        return !closed && readiness.remove(channel, true);
    }

    /**
     * Calls {@code callback} on the loop whenever {@code channel} is writable (or, while a
     * non-blocking connect is pending, when it completes), until {@link #removeWriter}.
     *
     * <p><b>asyncio:</b> {@code loop.add_writer(fd, callback)}.
     *
     * @param channel a channel in non-blocking mode
     * @param callback the callback
     * @throws IllegalArgumentException if the channel is in blocking mode
     * @throws IllegalStateException if the channel is closed, or the call comes from another thread
     */
    public void addWriter(java.nio.channels.SelectableChannel channel, Runnable callback) {
        addReadiness(channel, callback, false, "EventLoop.addWriter()");
    }

    /**
     * Stops watching {@code channel} for writability.
     *
     * <p><b>asyncio:</b> {@code loop.remove_writer(fd)}.
     *
     * @param channel the channel
     * @return whether a writer was registered
     */
    public boolean removeWriter(java.nio.channels.SelectableChannel channel) {
        Checks.notNull(channel, "channel");
        checkThread("EventLoop.removeWriter()");
        return !closed && readiness.remove(channel, false);
    }

    /** Suspends the current task until {@code channel} is readable (read) or writable. */
    private void waitReady(java.nio.channels.SelectableChannel channel, boolean read, String what) {
        Future<Void> f = new Future<>(this);
        taskForAwait(what, channel);
        Runnable wake = () -> {
            if (!f.done()) {
                f.setResultInternal(null);
            }
        };
        readiness.add(channel, wake, read);
        try {
            f.await();
        } finally {
            if (!closed) {
                readiness.remove(channel, read);
            }
        }
    }

    private static void checkNonBlocking(java.nio.channels.SelectableChannel ch, String what) {
        if (ch.isBlocking()) {
            throw new IllegalArgumentException(what + ": the channel must be in non-blocking mode; call "
                    + "configureBlocking(false) first: " + ch);
        }
    }

    /**
     * Reads what is available into {@code dst}, suspending until at least one byte (or EOF)
     * arrives.
     *
     * <p><b>asyncio:</b> {@code await loop.sock_recv_into(sock, buf)}.
     *
     * <p><b>Cancellation:</b> this method suspends. If the task is cancelled while it waits,
     * nothing has been read and the channel is no longer watched.
     *
     * @param channel a connected channel in non-blocking mode
     * @param dst where to put the bytes
     * @return how many bytes were read; 0 at end of stream (or if {@code dst} is full)
     * @throws IOException if the read fails (a reset connection, a closed channel)
     */
    public int sockRecvInto(java.nio.channels.SocketChannel channel, java.nio.ByteBuffer dst) throws IOException {
        Checks.notNull(channel, "channel");
        Checks.notNull(dst, "dst");
        checkNonBlocking(channel, "EventLoop.sockRecvInto()");
        while (true) {
            if (!dst.hasRemaining()) {
                return 0;
            }
            int n = channel.read(dst);
            if (n != 0) {
                return Math.max(n, 0);
            }
            waitReady(channel, true, "EventLoop.sockRecvInto()");
        }
    }

    /**
     * Reads up to {@code n} bytes, suspending until at least one byte (or EOF) arrives.
     *
     * <p><b>asyncio:</b> {@code await loop.sock_recv(sock, n)}.
     *
     * <p><b>Cancellation:</b> as {@link #sockRecvInto}.
     *
     * @param channel a connected channel in non-blocking mode
     * @param n the most bytes to return, &gt; 0
     * @return the bytes; empty at end of stream
     * @throws IOException if the read fails
     */
    public byte[] sockRecv(java.nio.channels.SocketChannel channel, int n) throws IOException {
        Checks.positive(n, "n");
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(n);
        int got = sockRecvInto(channel, buf);
        return java.util.Arrays.copyOf(buf.array(), got);
    }

    /**
     * Writes all of {@code src}, suspending whenever the socket's send buffer is full.
     *
     * <p><b>asyncio:</b> {@code await loop.sock_sendall(sock, data)}.
     *
     * <p><b>Cancellation:</b> this method may suspend. If the task is cancelled, the bytes not
     * yet sent stay in {@code src} (from its position on).
     *
     * @param channel a connected channel in non-blocking mode
     * @param src the bytes to send
     * @throws IOException if the write fails (a reset connection, a closed channel)
     */
    public void sockSendall(java.nio.channels.SocketChannel channel, java.nio.ByteBuffer src) throws IOException {
        Checks.notNull(channel, "channel");
        Checks.notNull(src, "src");
        checkNonBlocking(channel, "EventLoop.sockSendall()");
        while (src.hasRemaining()) {
            if (channel.write(src) == 0) {
                waitReady(channel, false, "EventLoop.sockSendall()");
            }
        }
    }

    /**
     * Writes all of {@code data}.
     *
     * <p><b>Cancellation:</b> as {@link #sockSendall(java.nio.channels.SocketChannel, java.nio.ByteBuffer)}.
     *
     * @param channel a connected channel in non-blocking mode
     * @param data the bytes to send
     * @throws IOException if the write fails
     */
    public void sockSendall(java.nio.channels.SocketChannel channel, byte[] data) throws IOException {
        sockSendall(channel, java.nio.ByteBuffer.wrap(Checks.notNull(data, "data")));
    }

    /**
     * Connects {@code channel} to {@code address}, suspending until the connection is
     * established.
     *
     * <p><b>asyncio:</b> {@code await loop.sock_connect(sock, address)}. <b>Differences:</b>
     * {@code address} must be resolved (see {@link #getaddrinfo}).
     *
     * <p><b>Cancellation:</b> this method may suspend; if the task is cancelled, the channel is
     * left with its connection pending: close it.
     *
     * @param channel an unconnected channel in non-blocking mode
     * @param address where to connect
     * @throws IOException if the connection fails ({@link java.net.ConnectException} when refused)
     */
    public void sockConnect(java.nio.channels.SocketChannel channel, java.net.SocketAddress address) throws IOException {
        Checks.notNull(channel, "channel");
        Checks.notNull(address, "address");
        checkNonBlocking(channel, "EventLoop.sockConnect()");
        if (channel.connect(address)) {
            return;
        }
        while (true) {
            waitReady(channel, false, "EventLoop.sockConnect()");
            if (channel.finishConnect()) {
                return;
            }
        }
    }

    /**
     * Accepts a connection, suspending until one arrives. The accepted channel is in
     * non-blocking mode.
     *
     * <p><b>asyncio:</b> {@code await loop.sock_accept(sock)}; returns the channel (its peer is
     * {@code getRemoteAddress()}).
     *
     * <p><b>Cancellation:</b> this method suspends; if the task is cancelled, no connection is
     * taken from the backlog.
     *
     * @param server a bound server channel in non-blocking mode
     * @return the accepted connection
     * @throws IOException if accepting fails
     */
    public java.nio.channels.SocketChannel sockAccept(java.nio.channels.ServerSocketChannel server) throws IOException {
        Checks.notNull(server, "server");
        checkNonBlocking(server, "EventLoop.sockAccept()");
        while (true) {
            java.nio.channels.SocketChannel c = server.accept();
            if (c != null) {
                c.configureBlocking(false);
                return c;
            }
            waitReady(server, true, "EventLoop.sockAccept()");
        }
    }

    /**
     * Resolves {@code host} without blocking the loop: IP literals at once, names on the
     * default executor.
     *
     * <p><b>asyncio:</b> {@code await loop.getaddrinfo(host, port)}. <b>Differences:</b> returns
     * socket addresses, in the resolver's order.
     *
     * <p><b>Cancellation:</b> this method may suspend; a lookup already running on the executor
     * finishes there and its result is dropped.
     *
     * @param host a host name or IP literal
     * @param port the port for the returned addresses
     * @return one or more resolved addresses
     * @throws java.net.UnknownHostException if the name does not resolve
     */
    public List<java.net.InetSocketAddress> getaddrinfo(String host, int port) throws java.net.UnknownHostException {
        Checks.notNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        java.net.InetAddress[] addresses;
        if (isIpLiteral(host)) {
            addresses = java.net.InetAddress.getAllByName(host); // no lookup for a literal
        } else {
            try {
                addresses = runInExecutor(null, () -> java.net.InetAddress.getAllByName(host)).await();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof java.net.UnknownHostException u) {
                    throw u;
                }
                throw e;
            }
        }
        List<java.net.InetSocketAddress> out = new ArrayList<>(addresses.length);
        for (java.net.InetAddress a : addresses) {
            out.add(new java.net.InetSocketAddress(a, port));
        }
        return out;
    }

    static boolean isIpLiteral(String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            return true; // IPv6 literal (InetAddress never looks those up)
        }
        int dots = 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dots == 3;
    }

    // ------------------------------------------------------------------ futures, tasks, threads

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
        Checks.notNull(coroutine, "coroutine");
        checkThread("EventLoop.createTask()");
        checkClosed();
        Task<T> t = new Task<>(this, coroutine, name);
        linkTask(t);
        t.markScheduled();
        enqueueReady(t.stepHandle);
        return t;
    }

    void taskDone(Task<?> t) {
        if (t.linked) {
            t.linked = false;
            Task<?> p = t.prevTask;
            Task<?> n = t.nextTask;
            if (p == null) {
                firstTask = n;
            } else {
                p.nextTask = n;
            }
            if (n == null) {
                lastTask = p;
            } else {
                n.prevTask = p;
            }
            t.prevTask = null;
            t.nextTask = null;
            taskCount--;
        }
    }

    private void linkTask(Task<?> t) {
        t.linked = true;
        t.prevTask = lastTask;
        if (lastTask == null) {
            firstTask = t;
        } else {
            lastTask.nextTask = t;
        }
        lastTask = t;
        taskCount++;
    }

    /** A snapshot of the pending tasks, in creation order. */
    List<Task<?>> taskList() {
        List<Task<?>> out = new ArrayList<>(taskCount);
        for (Task<?> t = firstTask; t != null; t = t.nextTask) {
            out.add(t);
        }
        return out;
    }

    /**
     * The tasks of this loop that are not done, in creation order.
     *
     * @return a snapshot
     */
    public Set<Task<?>> allTasks() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(taskList()));
    }

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
     * @return a future completed on this loop
     */
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> fn) {
        Checks.notNull(fn, "fn");
        checkThread("EventLoop.runInExecutor()");
        checkClosed();
        Executor ex = executor != null ? executor : defaultExecutor();
        Future<T> f = new Future<>(this);
        AtomicBoolean cancelled = new AtomicBoolean();
        f.addCallbackObject((java.util.function.Consumer<Future<T>>) done -> {
            if (done.cancelled()) {
                cancelled.set(true);
            }
        });
        externalPending.incrementAndGet();
        try {
            ex.execute(() -> {
                T value = null;
                Throwable error = null;
                if (!cancelled.get()) {
                    try {
                        value = fn.call();
                    } catch (Throwable e) {
                        error = e;
                    }
                }
                T v = value;
                Throwable err = error;
                try {
                    callSoonThreadsafe(() -> {
                        if (!f.done()) {
                            if (err != null) {
                                f.setExceptionInternal(err);
                            } else {
                                f.setResultInternal(v);
                            }
                        }
                    });
                } catch (IllegalStateException closedMeanwhile) {
                    // the loop is closed: nobody can observe the result any more
                } finally {
                    externalPending.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            externalPending.decrementAndGet();
            f.setExceptionInternal(e);
        }
        return f;
    }

    private ExecutorService defaultExecutor() {
        ExecutorService ex = defaultExecutor;
        if (ex == null) {
            int n = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
            ThreadPoolExecutor tpe = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "aio4j-executor-" + id + "-" + executorThreads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            tpe.allowCoreThreadTimeOut(true);
            defaultExecutor = ex = tpe;
        }
        return ex;
    }

    /**
     * Shuts down the default executor and waits (suspending the calling task) until its
     * threads have finished, at most 300 seconds.
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
        ExecutorService ex = defaultExecutor;
        if (ex == null) {
            return;
        }
        ex.shutdown();
        if (ex.isTerminated()) {
            return;
        }
        Future<Boolean> done = new Future<>(this);
        externalPending.incrementAndGet();
        Thread.ofPlatform().daemon(true).name("aio4j-executor-shutdown-" + id).start(() -> {
            boolean ok;
            try {
                ok = ex.awaitTermination((long) (timeout * 1000), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                ok = false;
            }
            boolean result = ok;
            try {
                callSoonThreadsafe(() -> {
                    if (!done.done()) {
                        done.setResultInternal(result);
                    }
                });
            } catch (IllegalStateException closedMeanwhile) {
                // nothing to report to
            } finally {
                externalPending.decrementAndGet();
            }
        });
        if (!done.await()) {
            LOG.log(System.Logger.Level.WARNING, "The default executor did not finish joining its threads within "
                    + timeout + " seconds");
        }
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
            h.handle(this, context);
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.ERROR, "Unhandled error in exception handler (context: " + context.message() + ")", e);
        }
    }

    /**
     * The default handling: log the context and its exception's stack trace at ERROR.
     *
     * @param context what happened
     */
    public void defaultExceptionHandler(ExceptionContext context) {
        LOG.log(System.Logger.Level.ERROR, context.toString(), context.exception());
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
        this.slowCallbackDuration = Checks.positive(seconds, "seconds");
    }

    /**
     * The slow-callback threshold of debug mode.
     *
     * @return seconds
     */
    public double getSlowCallbackDuration() {
        return slowCallbackDuration;
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

    void reportSlowStep(Task<?> task, long nanos, long blockedNanos) {
        if (nanos < slowCallbackDuration * 1e9) {
            return;
        }
        String msg = String.format("Executing %s took %.3f seconds", task, nanos / 1e9);
        if (blockedNanos >= slowCallbackDuration * 1e9 / 2) {
            msg += String.format("; it blocked the loop for %.3f seconds inside a JDK call (Thread.sleep, blocking I/O, "
                    + "a lock): nothing else can run meanwhile; move blocking calls to EventLoop.runInExecutor(...)", blockedNanos / 1e9);
        }
        LOG.log(System.Logger.Level.WARNING, msg);
    }

    static StackTraceElement[] creationSite() {
        StackTraceElement[] raw = new Throwable().getStackTrace();
        int i = 0;
        while (i < raw.length && isOwnFrame(raw[i].getClassName())) {
            i++;
        }
        return java.util.Arrays.copyOfRange(raw, Math.min(i, raw.length), raw.length);
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, Boolean> OWN_CLASSES =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Whether a stack frame belongs to aio-loop's own code, as opposed to the caller's. The package
     * name is not enough: other code may live in {@code dev.aio4j.loop} too (aio4j's own tests
     * do), so the class must also come from the same jar or directory as this one.
     */
    static boolean isOwnFrame(String className) {
        if (!className.startsWith("dev.aio4j.loop.")) {
            return false;
        }
        int lambda = className.indexOf("$$Lambda");
        String name = lambda > 0 ? className.substring(0, lambda) : className;
        return OWN_CLASSES.computeIfAbsent(name, EventLoop::loadedFromOwnCodeSource);
    }

    private static boolean loadedFromOwnCodeSource(String className) {
        try {
            Class<?> c = Class.forName(className, false, EventLoop.class.getClassLoader());
            java.security.CodeSource own = EventLoop.class.getProtectionDomain().getCodeSource();
            java.security.CodeSource theirs = c.getProtectionDomain().getCodeSource();
            if (own == null || theirs == null) {
                return c.getModule() == EventLoop.class.getModule(); // no code source: fall back to the module
            }
            return java.util.Objects.equals(own.getLocation(), theirs.getLocation());
        } catch (ClassNotFoundException | LinkageError e) {
            return false; // not loadable from here: not ours
        }
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

    // ---------------------------------------------------------------- never-retrieved errors

    Unretrieved trackUnretrieved(Future<?> f, Throwable error) {
        Unretrieved u = new Unretrieved(this, error, f.toString(), f instanceof Task<?>, f.sourceTraceback);
        unretrieved.add(u);
        u.cleanable = CLEANER.register(f, u);
        return u;
    }

    private void report(Unretrieved u) {
        if (!u.reported.compareAndSet(false, true)) {
            return;
        }
        unretrieved.remove(u);
        Cleaner.Cleanable c = u.cleanable;
        if (c != null) {
            c.clean();
        }
        callExceptionHandler(new ExceptionContext(
                (u.isTask ? "Task" : "Future") + " exception was never retrieved: " + u.description,
                u.error, null, null, u.source));
    }

    /**
     * An exception that nobody has retrieved yet. Holds no reference to its future, so the
     * Cleaner can notice when the future is collected.
     */
    static final class Unretrieved implements Runnable {
        final EventLoop loop;
        final Throwable error;
        final String description;
        final boolean isTask;
        final StackTraceElement[] source;
        final AtomicBoolean reported = new AtomicBoolean();
        Cleaner.Cleanable cleanable;

        Unretrieved(EventLoop loop, Throwable error, String description, boolean isTask, StackTraceElement[] source) {
            this.loop = loop;
            this.error = error;
            this.description = description;
            this.isTask = isTask;
            this.source = source;
        }

        /** The exception was retrieved: forget it. */
        void retrieved() {
            if (reported.compareAndSet(false, true)) {
                if (!loop.running || loop.onLoopContext()) {
                    loop.unretrieved.remove(this);
                } else {
                    try {
                        loop.callSoonThreadsafe(() -> loop.unretrieved.remove(this));
                    } catch (IllegalStateException closed) {
                        // nothing left to forget
                    }
                }
                Cleaner.Cleanable c = cleanable;
                if (c != null) {
                    c.clean();
                }
            }
        }

        /** Cleaner thread: the future was collected with its exception unretrieved. */
        @Override
        public void run() {
            if (reported.get() || loop.closed || loop.closing) {
                return;
            }
            try {
                loop.callSoonThreadsafe(() -> loop.report(this));
            } catch (IllegalStateException closed) {
                // close() reported it
            }
        }
    }

    // --------------------------------------------------------------------------------- dumps

    /**
     * A printable report of every pending task: its name, state, what it awaits, which tasks
     * await it, and its stack at the await point. For debugging hangs.
     *
     * @return the report
     */
    public String dumpTasks() {
        List<Task<?>> all = taskList();
        StringBuilder sb = new StringBuilder();
        sb.append(this).append(": ").append(all.size()).append(all.size() == 1 ? " pending task" : " pending tasks").append('\n');
        for (Task<?> t : all) {
            sb.append("  ").append(t).append('\n');
            List<String> awaitedBy = new ArrayList<>();
            for (Task<?> o : all) {
                if (o.waitingOn == t) {
                    awaitedBy.add(o.getName());
                }
            }
            if (!awaitedBy.isEmpty()) {
                sb.append("    awaited by: ").append(String.join(", ", awaitedBy)).append('\n');
            }
            for (StackTraceElement e : t.getStack()) {
                sb.append("    at ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "EventLoop[id=" + id + ", " + scheduler.name() + ", "
                + (closed ? "closed" : running ? "running" : "idle")
                + (clock != null ? ", " + clock : "") + (schedule != null ? ", " + schedule : "") + ", debug=" + debug + "]";
    }

    private static final TimerHeap.Access<TimerHandle> TIMER_ACCESS = new TimerHeap.Access<>() {
        @Override
        public double when(TimerHandle e) {
            return e.when;
        }

        @Override
        public long seq(TimerHandle e) {
            return e.seq;
        }

        @Override
        public int index(TimerHandle e) {
            return e.heapIndex;
        }

        @Override
        public void index(TimerHandle e, int index) {
            e.heapIndex = index;
        }
    };
}
