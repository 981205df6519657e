package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.sched.Scheduler;
import dev.aio4j.loop.internal.sched.Schedulers;
import dev.aio4j.loop.internal.timer.TimerHeap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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
public final class EventLoop implements AutoCloseable {
    /*
     * Maintainer notes. Invariant: at most one of {this loop's own code, one task body} runs at
     * any instant; `currentTask` is the task holding the baton (null while loop code runs).
     * `ready` and `timers` are touched only by the baton holder; other threads reach the loop only
     * through `threadsafe` (+ selector wakeup) and the scheduler's foreign continuation queue.
     *
     * This class keeps the lifecycle, the iteration and scheduling. Each other concern has its
     * own package-private class, reached through one field: `sockets` (SelectorSockets: the
     * sock* coroutines, getaddrinfo), `executors` (ExecutorBridge: runInExecutor, the default
     * executor), `unretrieved` (UnretrievedReporter), `tasks` (TaskRegistry), `virtualTime`
     * (VirtualTimePolicy: when an idle virtual-clock loop jumps) and `slowCallbacks` (debug
     * mode's slow-callback rule); `readiness` (Readiness) holds the selector registrations.
     */
    private static final System.Logger LOG = System.getLogger("dev.aio4j.loop");
    private static final AtomicLong LOOP_IDS = new AtomicLong();
    private static final double CLOCK_RESOLUTION = 1e-9;

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
    private final TimerHeap<TimerHandle> timers = new TimerHeap<>(TimerHandle.HEAP_ACCESS);
    private long timerSeq;
    private final Selector selector;
    private final Readiness readiness;
    private volatile boolean running;
    private volatile boolean closed;
    /** True from the start of close(): nothing new may be scheduled. */
    volatile boolean closing;
    private boolean stopping;
    private volatile boolean sleeping;
    Task<?> currentTask;
    /** Pending tasks in creation order. */
    final TaskRegistry tasks = new TaskRegistry();
    private ExceptionHandler exceptionHandler;
    volatile boolean debug;
    final SlowCallbacks slowCallbacks = new SlowCallbacks();
    private final SelectorSockets sockets;
    private final ExecutorBridge executors = new ExecutorBridge(this, id);
    private final UnretrievedReporter unretrieved = new UnretrievedReporter(this);
    private final VirtualTimePolicy virtualTime = new VirtualTimePolicy();

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
        this.sockets = new SelectorSockets(this, readiness);
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
        Aio.RUNNING_LOOP.set(this);
        running = true;
        try {
            while (true) {
                runOnce();
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
        removeAllSignalHandlers();
        if (fatalError != null) {
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
            ready.clear();
            threadsafe.clear();
            while (timers.poll() != null) {
                // drop
            }
            unretrieved.reportAll();
            executors.shutdownWithoutWaiting();
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
                blockedLoopWatch.enter(h, t0);
                h.run();
                blockedLoopWatch.exit();
                slowCallbacks.callbackRan(h, System.nanoTime() - t0);
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
        long t = virtualTime.idleTimeout(clock.isAutoJump(), executors.hasPendingWork(), hasIoInterest(),
                !timers.isEmpty(), realTimeout);
        if (t == VirtualTimePolicy.JUMP) {
            clock.jumpTo(timers.peek().when);
            return 0;
        }
        return t;
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
            Set<SelectionKey> keys = selector.selectedKeys();
            if (!keys.isEmpty()) {
                virtualTime.ioArrived();
            }
            if (decisions != null && keys.size() > 1) {
                SelectionKey[] order = keys.toArray(new SelectionKey[0]);
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
        Handle h = callSoonInternal(callback);
        h.context = Context.copyContext();
        return h;
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
        h.context = Context.copyContext();
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
    public void addReader(SelectableChannel channel, Runnable callback) {
        addReadiness(channel, callback, true, "EventLoop.addReader()");
    }

    private void addReadiness(SelectableChannel channel, Runnable callback, boolean read, String what) {
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
    public boolean removeReader(SelectableChannel channel) {
        Checks.notNull(channel, "channel");
        checkThread("EventLoop.removeReader()");
        return !closed && flushIfIdle(readiness.remove(channel, true));
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
    public void addWriter(SelectableChannel channel, Runnable callback) {
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
    public boolean removeWriter(SelectableChannel channel) {
        Checks.notNull(channel, "channel");
        checkThread("EventLoop.removeWriter()");
        return !closed && flushIfIdle(readiness.remove(channel, false));
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
    public int sockRecvInto(SocketChannel channel, ByteBuffer dst) throws IOException {
        return sockets.sockRecvInto(channel, dst);
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
    public byte[] sockRecv(SocketChannel channel, int n) throws IOException {
        return sockets.sockRecv(channel, n);
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
    public void sockSendall(SocketChannel channel, ByteBuffer src) throws IOException {
        sockets.sockSendall(channel, src);
    }

    /**
     * Writes all of {@code data}.
     *
     * <p><b>Cancellation:</b> as {@link #sockSendall(SocketChannel, ByteBuffer)}.
     *
     * @param channel a connected channel in non-blocking mode
     * @param data the bytes to send
     * @throws IOException if the write fails
     */
    public void sockSendall(SocketChannel channel, byte[] data) throws IOException {
        sockets.sockSendall(channel, data);
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
     * @throws IOException if the connection fails ({@link ConnectException} when refused)
     */
    public void sockConnect(SocketChannel channel, SocketAddress address) throws IOException {
        sockets.sockConnect(channel, address);
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
    public SocketChannel sockAccept(ServerSocketChannel server) throws IOException {
        return sockets.sockAccept(server);
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
     * @throws UnknownHostException if the name does not resolve
     */
    public List<InetSocketAddress> getaddrinfo(String host, int port) throws UnknownHostException {
        return sockets.getaddrinfo(host, port);
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
        return createTask(coroutine, name, null);
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
     * The tasks of this loop that are not done, in creation order.
     *
     * @return a snapshot
     */
    public Set<Task<?>> allTasks() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(tasks.snapshot()));
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
        return executors.runInExecutor(executor, fn);
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
        executors.shutdownDefaultExecutor(timeout);
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

    UnretrievedReporter.Unretrieved trackUnretrieved(Future<?> f, Throwable error) {
        return unretrieved.track(f, error);
    }

    // --------------------------------------------------------------------------------- dumps

    /**
     * A printable report of every pending task: its name, state, what it awaits, which tasks
     * await it, and its stack at the await point. For debugging hangs.
     *
     * @return the report
     */
    public String dumpTasks() {
        return tasks.dump(this);
    }

    // =========================================================================================
    // Issue 13: contexts, task factories (the section ends at toString()).
    // =========================================================================================

    private TaskFactory taskFactory;

    /** The first VirtualMachineError a task or callback threw; the loop stops and rethrows it. */
    private volatile VirtualMachineError fatalError;

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

    /**
     * After a removal: while the loop is not running, flush cancelled selector keys at once with a
     * selectNow(), so that a channel closed next is really closed (NIO defers the close of a
     * registered channel until its key is flushed, and an idle loop does not select). While the
     * loop runs, its next select (at the end of this iteration) flushes them. Any readiness this
     * selectNow() saw is dropped; the selector is level-triggered, so the next select sees it again.
     */
    private boolean flushIfIdle(boolean removed) {
        if (removed && !running && !closing && selector.isOpen()) {
            try {
                selector.selectNow();
                selector.selectedKeys().clear();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "flushing cancelled selector keys of " + this + " failed", e);
            }
        }
        return removed;
    }

    /**
     * Makes {@code executor} the default executor: {@link #runInExecutor} with a null executor,
     * {@link Aio#toThread} and {@link #getaddrinfo} use it, and {@link #shutdownDefaultExecutor}
     * (so {@link Aio#run} at its end) shuts it down. The previous default executor is not shut
     * down.
     *
     * <p><b>asyncio:</b> {@code loop.set_default_executor(executor)}. <b>Differences:</b> any
     * {@link java.util.concurrent.ExecutorService} (asyncio requires a
     * {@code ThreadPoolExecutor}); its threads inherit what its thread factory says (the built-in
     * default executor's threads inherit no {@code InheritableThreadLocal} values).
     *
     * @param executor the new default executor
     * @throws IllegalStateException if the loop is closed
     */
    public void setDefaultExecutor(java.util.concurrent.ExecutorService executor) {
        Checks.notNull(executor, "executor");
        checkThread("EventLoop.setDefaultExecutor()");
        checkClosed();
        executors.setDefaultExecutor(executor);
    }

    /** {@link #getnameinfo(InetSocketAddress, int)} flag: the host as a numeric address, no lookup. */
    public static final int NI_NUMERICHOST = 1;
    /** {@link #getnameinfo(InetSocketAddress, int)} flag: the port as a number (always the case). */
    public static final int NI_NUMERICSERV = 2;
    /** {@link #getnameinfo(InetSocketAddress, int)} flag: fail if the address has no name. */
    public static final int NI_NAMEREQD = 8;

    /**
     * The host name of {@code address} (a reverse lookup on the default executor) and its port.
     *
     * <p><b>asyncio:</b> {@code await loop.getnameinfo(sockaddr, flags=0)}. <b>Differences:</b>
     * returns {@code List.of(host, port)}; the port is always numeric (Java has no services
     * database), as with {@code NI_NUMERICSERV}; {@link #NI_NUMERICHOST} answers at once without
     * the executor. Without a name, the host is the numeric address unless {@link #NI_NAMEREQD}.
     *
     * <p><b>Cancellation:</b> this method may suspend; a lookup already running on the executor
     * finishes there and its result is dropped.
     *
     * @param address a resolved socket address
     * @param flags a combination of {@code NI_*} flags, or 0
     * @return the host and the port, as two strings
     * @throws UnknownHostException with {@link #NI_NAMEREQD}, if the address has no name
     */
    public List<String> getnameinfo(InetSocketAddress address, int flags) throws UnknownHostException {
        Checks.notNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved, got " + address);
        }
        java.net.InetAddress ip = address.getAddress();
        String port = Integer.toString(address.getPort());
        String numeric = ip.getHostAddress();
        if ((flags & NI_NUMERICHOST) != 0) {
            if ((flags & NI_NAMEREQD) != 0) {
                throw new IllegalArgumentException("NI_NUMERICHOST and NI_NAMEREQD exclude each other");
            }
            return List.of(numeric, port);
        }
        // A fresh InetAddress, so that the name a caller's address may carry is not taken for the answer.
        String host = runInExecutor(null, () -> java.net.InetAddress.getByAddress(ip.getAddress()).getCanonicalHostName())
                .await();
        if (host.equals(numeric)) {
            if ((flags & NI_NAMEREQD) != 0) {
                throw new UnknownHostException("getnameinfo(): " + numeric + " has no name (NI_NAMEREQD)");
            }
            return List.of(numeric, port);
        }
        return List.of(host, port);
    }

    /**
     * {@link #getnameinfo(InetSocketAddress, int)} with no flags.
     *
     * <p><b>Cancellation:</b> as {@link #getnameinfo(InetSocketAddress, int)}.
     *
     * @param address a resolved socket address
     * @return the host and the port
     * @throws UnknownHostException never without flags; declared for symmetry
     */
    public List<String> getnameinfo(InetSocketAddress address) throws UnknownHostException {
        return getnameinfo(address, 0);
    }

    /** Signal handlers of this loop (lazily created: most loops have none). */
    private SignalBridge signals;

    /**
     * Calls {@code callback} on this loop (through {@link #callSoonThreadsafe}) whenever the
     * process receives {@code signal}, until {@link #removeSignalHandler} or {@link #close()}.
     * Replaces this loop's earlier handler for the same signal; the callback runs in a copy of the
     * context current now.
     *
     * <p><b>asyncio:</b> {@code loop.add_signal_handler(sig, callback)} (Unix). <b>Differences:</b>
     * the signal is a name ({@code "SIGINT"} or {@code "INT"}), handled through the JDK's
     * {@code sun.misc.Signal} (module {@code jdk.unsupported}). Works for {@code SIGINT},
     * {@code SIGTERM}, {@code SIGHUP}, {@code SIGUSR1}, {@code SIGWINCH}, {@code SIGALRM},
     * {@code SIGCHLD} on Linux and macOS. Refused: {@code SIGKILL} and {@code SIGSTOP} (no
     * process can catch them), {@code SIGQUIT} (the JVM's thread dump), and signals the JVM
     * handles natively ({@code SIGUSR2} on Linux HotSpot, {@code SIGPIPE}). Handling
     * {@code SIGINT}, {@code SIGTERM} or {@code SIGHUP} replaces the JVM's shutdown on that signal
     * until the handler is removed. Signals are process-wide: another loop (or library) handling
     * the same signal replaces this handler.
     *
     * @param signal the signal's name, with or without {@code "SIG"}
     * @param callback runs on the loop for each delivery
     * @throws IllegalArgumentException if the signal is unknown or cannot be handled (Python:
     *     {@code ValueError} or {@code RuntimeError})
     * @throws UnsupportedOperationException if module {@code jdk.unsupported} is not available
     * @throws IllegalStateException if the loop is closed
     */
    public void addSignalHandler(String signal, Runnable callback) {
        Checks.notNull(signal, "signal");
        Checks.notNull(callback, "callback");
        checkThread("EventLoop.addSignalHandler()");
        checkClosed();
        try {
            signalBridge().add(signal, callback, Context.copyContext());
        } catch (LinkageError e) {
            throw noSignals(e);
        }
    }

    /**
     * Removes this loop's handler for {@code signal} and restores the handler it replaced.
     *
     * <p><b>asyncio:</b> {@code loop.remove_signal_handler(sig)}.
     *
     * @param signal the signal's name, with or without {@code "SIG"}
     * @return whether a handler was removed
     * @throws IllegalArgumentException if the signal is unknown
     */
    public boolean removeSignalHandler(String signal) {
        Checks.notNull(signal, "signal");
        checkThread("EventLoop.removeSignalHandler()");
        if (closed) {
            return false;
        }
        try {
            return signalBridge().remove(signal);
        } catch (LinkageError e) {
            throw noSignals(e);
        }
    }

    private static UnsupportedOperationException noSignals(LinkageError e) {
        return new UnsupportedOperationException("signal handlers need module jdk.unsupported (sun.misc.Signal); "
                + "add --add-modules jdk.unsupported", e);
    }

    private SignalBridge signalBridge() {
        SignalBridge s = signals;
        if (s == null) {
            s = new SignalBridge(this);
            signals = s;
        }
        return s;
    }

    private void removeAllSignalHandlers() {
        SignalBridge s = signals;
        if (s != null) {
            try {
                s.removeAll();
            } catch (LinkageError | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "restoring the signal handlers replaced by " + this + " failed", e);
            }
        }
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

    /**
     * close() after a VirtualMachineError: no per-task reports and no snapshot (each needs memory
     * the program may not have); started tasks are unwound in creation order as far as memory
     * allows, tasks that never ran are dropped; one report names the error and the count.
     */
    private void closeAfterFatal() {
        int pending = tasks.size();
        try {
            ready.clear();
            threadsafe.clear();
            while (timers.poll() != null) {
                // drop
            }
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
                executors.shutdownWithoutWaiting();
                selector.close();
                callExceptionHandler(new ExceptionContext("Event loop closed after a fatal error; " + pending
                        + " pending task(s) were dropped", fatalError, null, null, null));
            } catch (Throwable again) {
                // nothing more can be done without memory
            }
        }
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

    @Override
    public String toString() {
        return "EventLoop[id=" + id + ", " + scheduler.name() + ", "
                + (closed ? "closed" : running ? "running" : "idle")
                + (clock != null ? ", " + clock : "") + (schedule != null ? ", " + schedule : "") + ", debug=" + debug + "]";
    }

    // =================================================================================
    // Ergonomics (issue 12): void bodies, Duration forms, the loop as an Executor.
    // Kept together in this one section; each method delegates to its Coroutine/double twin.
    // =================================================================================

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

    /**
     * {@link #runUntilComplete(Coroutine)} for a body without a result.
     *
     * @param coroutine the body
     * @throws RuntimeException what the body threw, as {@link Future#result()} throws it
     * @since 0.1
     */
    public void runUntilComplete(VoidCoroutine coroutine) {
        runUntilComplete(createTask(coroutine));
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
     * {@link #setSlowCallbackDuration(double)} with a {@link Duration}.
     *
     * @param threshold the threshold, &gt; 0 (default 100 ms)
     * @since 0.1
     */
    public void setSlowCallbackDuration(Duration threshold) {
        setSlowCallbackDuration(Checks.seconds(threshold, "threshold"));
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

    private final Executor asExecutor = new LoopExecutor(this);

    // =================================================================================
    // Debug mode's blocked-loop watchdog (issue 12): see BlockedLoopWatchdog and
    // architecture.md. The debug branch of runOnce() marks each callback's start and end.
    // =================================================================================

    final BlockedLoopWatchdog.Watch blockedLoopWatch = new BlockedLoopWatchdog.Watch(this);
}
