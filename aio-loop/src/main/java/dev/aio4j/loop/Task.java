package dev.aio4j.loop;

import dev.aio4j.loop.internal.CallSites;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.sched.Fiber;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A coroutine running on an event loop: a {@link Future} whose result is what the body returns.
 *
 * <p><b>asyncio:</b> {@code asyncio.Task}. <b>Differences:</b> the body is a {@link Coroutine}
 * lambda that runs on its own virtual thread; exactly one task body (or loop callback) of a loop
 * runs at any instant, and switches happen only where the body awaits, as in asyncio. A task
 * starts on the loop's next iteration; one cancelled before its first step never runs its body.
 * {@link #setResult} and {@link #setException} are refused (a task completes by returning or
 * throwing). The loop keeps a strong reference to every pending task, so a task nobody holds
 * still runs to its end.
 *
 * <h2>Cancellation</h2>
 * <pre>
 *  created ──step──&gt; running ──await──&gt; waiting ──future done──&gt; running ──return──&gt; FINISHED
 *                       │                   │                         └──throw───&gt; FINISHED (exception)
 *                       │            cancel(msg): the awaited future is cancelled,
 *                       │            CancelledError(msg) is thrown at the await point
 *                       └── CancelledError escapes the body ───────────────────&gt; CANCELLED
 * </pre>
 * {@link #cancel(String)} only <em>requests</em> cancellation: {@link #cancelling()} counts the
 * requests, and the body may catch the {@link CancelledError}, clean up, and even return
 * normally (then the task finishes with that result; call {@link #uncancel()} to say the
 * cancellation was handled). {@code finally} blocks always run.
 *
 * <h2>How to get one</h2>
 * {@link Aio#createTask(Coroutine)} inside a running loop, {@link EventLoop#createTask} outside.
 *
 * <h2>Testing</h2>
 * Run tasks on a loop with a {@link VirtualClock}; {@link Aio#dumpTasks()} prints every task,
 * what it awaits and its stack when a test hangs.
 *
 * @param <T> the result type
 * @since 0.1
 */
public final class Task<T> extends Future<T> {
    /*
     * Maintainer notes: the internal states of a task.
     *
     * | state           | fiber       | stepScheduled | waitingOn             | done() |
     * |-----------------|-------------|---------------|-----------------------|--------|
     * | created         | null        | true          | null                  | false  |
     * | running (step)  | started     | false         | null                  | false  |
     * | awaiting future | started     | false         | the Future            | false  |
     * | awaiting waiter | started     | false         | the ReusableWaiter    | false  |
     * | sleeping        | started     | false         | the TimerHandle       | false  |
     * | ready to resume | started     | true          | kept until the step   | false  |
     * | finished        | terminated  | false         | null                  | true   |
     *
     * Invariant: the task's step handle is in the ready queue at most once (stepScheduled).
     *
     * A ReusableWaiter (LoopAccess.newWaiter: a wait re-armed by each use, for aio-http's WebSocket
     * receive) stands where an awaited future would: cancel() cancels the wait as it would cancel
     * the future (cancelWait), suspendOn(ReusableWaiter) passes a pending cancel to it, and park()
     * lets a cancelled wait throw its own CancelledError, so every row below reads the same for it.
     *
     * Across those states, a cancellation not yet delivered (field pendingCancel):
     *
     * | pendingCancel   | meaning                                            | left by                  |
     * |-----------------|----------------------------------------------------|--------------------------|
     * | NONE            | nothing to deliver                                 |                          |
     * | REQUESTED       | cancel() could not cancel an awaited future (the   | the next resume, first   |
     * |                 | task was running, ready, or the future refused);   | step or end of body      |
     * |                 | that point throws CancelledError(taskCancelMessage)| (throws); suspendOn()    |
     * |                 |                                                    | passing it to the future |
     * |                 |                                                    | or waiter;               |
     * |                 |                                                    | uncancel() down to 0     |
     * | SLEEP_CANCELLED | cancel() cancelled the sleep timer and woke the    | park() (throws); later   |
     * |                 | task: the sleep throws CancelledError(             | cancel() and uncancel()  |
     * |                 | sleepCancelMessage), as asyncio's cancelled sleep  | keep it                  |
     * |                 | future does                                        |                          |
     *
     * destroying (false -> true, never back): EventLoop.close() is unwinding this pending task
     * (destroy()): it is resumed once with REQUESTED ("event loop is closed"), and every later
     * await throws CancelledError at once, so its finally blocks run and the body ends.
     *
     * All fields are touched only while this task or its loop holds the baton.
     */
    private static final AtomicLong COUNTER = new AtomicLong();

    private final Coroutine<T> coro;
    /** The context the body runs in (asyncio's Task._context); its thread's current context. */
    final Context context;
    private volatile String name;
    Fiber fiber;
    Object waitingOn;
    /** A cancellation not yet delivered; legal values and transitions in the table above. */
    PendingCancel pendingCancel = PendingCancel.NONE;
    private String taskCancelMessage;
    private int numCancelsRequested;
    private boolean stepScheduled;
    final Handle stepHandle;
    private final Runnable wakeupCallback = this::wakeup;
    private Throwable cancelledCause;
    /** The message of a SLEEP_CANCELLED cancellation. */
    private String sleepCancelMessage;
    /** Set (for good) by EventLoop.close() to unwind a task that was still pending. */
    boolean destroying;
    /** The loop's list of pending tasks (EventLoop.linkTask/taskDone). */
    boolean linked;
    Task<?> prevTask;
    Task<?> nextTask;

    Task(EventLoop loop, Coroutine<T> coro, String name, Context context) {
        super(loop);
        this.coro = coro;
        this.context = context;
        this.name = name != null ? name : "Task-" + COUNTER.incrementAndGet();
        this.stepHandle = new Handle(loop, new Step());
    }

    /**
     * The task's name ({@code "Task-N"} unless one was given); it is also its thread's name.
     *
     * @return the name
     */
    public String getName() {
        return name;
    }

    /**
     * Renames the task.
     *
     * @param name the new name, not null
     */
    public void setName(String name) {
        this.name = Checks.notNull(name, "name");
        Fiber f = fiber != null ? fiber : preparedFiber;
        if (f != null && (f.thread().isAlive() || !f.started())) { // a prepared thread starts under the new name
            f.thread().setName(name);
        }
    }

    /**
     * Requests cancellation: the body gets a {@link CancelledError} at its current (or next)
     * await point, and the future it awaits is cancelled.
     *
     * @param msg the message the CancelledError carries, or null
     * @return false if the task is already done, true otherwise
     */
    @Override
    public boolean cancel(String msg) {
        loop.checkThread("Task.cancel()");
        markRetrieved(); // asyncio: cancel() silences "exception was never retrieved", even when done
        if (done()) {
            return false;
        }
        numCancelsRequested++;
        Object w = waitingOn;
        if (w instanceof Future<?> f && !stepScheduled) {
            if (f.cancel(msg)) {
                return true;
            }
        } else if (w instanceof ReusableWaiter rw && !stepScheduled) {
            if (rw.cancelWait(msg)) {
                return true;
            }
        } else if (w instanceof TimerHandle h && !stepScheduled && pendingCancel != PendingCancel.SLEEP_CANCELLED) {
            // Like cancelling asyncio's sleep future: this message is the one delivered, even
            // if more cancels arrive before the task resumes.
            h.cancel();
            pendingCancel = PendingCancel.SLEEP_CANCELLED;
            sleepCancelMessage = msg;
            wakeup();
            return true;
        }
        requestCancel(msg);
        return true;
    }

    /** Records a cancellation for the next resume; a cancelled sleep still takes precedence. */
    private void requestCancel(String msg) {
        taskCancelMessage = msg;
        if (pendingCancel == PendingCancel.NONE) {
            pendingCancel = PendingCancel.REQUESTED;
        }
    }

    /**
     * How many cancellation requests are pending: incremented by {@link #cancel}, decremented
     * by {@link #uncancel()}.
     *
     * @return the count
     */
    public int cancelling() {
        return numCancelsRequested;
    }

    /**
     * Withdraws one cancellation request, for code that handled a cancellation it caused
     * (timeouts, task groups). When the count reaches zero a not-yet-delivered cancellation is
     * withdrawn too (Python 3.13 behaviour).
     *
     * @return the remaining count
     */
    public int uncancel() {
        if (numCancelsRequested > 0) {
            numCancelsRequested--;
            if (numCancelsRequested == 0 && pendingCancel == PendingCancel.REQUESTED) {
                pendingCancel = PendingCancel.NONE;
            }
        }
        return numCancelsRequested;
    }

    /**
     * Refused: a task completes by returning from its body.
     *
     * @param value ignored
     * @throws UnsupportedOperationException always
     */
    @Override
    public void setResult(T value) {
        throw new UnsupportedOperationException("Task does not support setResult(): a task's result is what its body returns");
    }

    /**
     * Refused: a task fails by throwing from its body.
     *
     * @param error ignored
     * @throws UnsupportedOperationException always
     */
    @Override
    public void setException(Throwable error) {
        throw new UnsupportedOperationException("Task does not support setException(): a task fails when its body throws");
    }

    /**
     * The task's stack where it is suspended, innermost call first, starting at the aio4j call
     * it is waiting in; empty if it has not started or is done.
     *
     * @return the stack frames
     */
    public StackTraceElement[] getStack() {
        Fiber f = fiber;
        if (f == null || done()) {
            return new StackTraceElement[0];
        }
        return trimStack(f.thread().getStackTrace());
    }

    static StackTraceElement[] trimStack(StackTraceElement[] raw) {
        int start = 0;
        while (start < raw.length && isMachinery(raw[start].getClassName())) {
            start++;
        }
        if (start > 0 && start < raw.length && raw[start - 1].getClassName().startsWith("dev.aio4j.")) {
            start--; // keep the aio4j call the user made (await, sleep...)
        }
        // Otherwise the task waits in a JDK call the user made itself: start at the user's frame.
        int end = raw.length;
        for (int i = start; i < raw.length; i++) {
            if (raw[i].getClassName().equals(Task.class.getName()) && raw[i].getMethodName().equals("body")) {
                end = i;
                break;
            }
        }
        List<StackTraceElement> out = new ArrayList<>(List.of(raw).subList(Math.min(start, end), end));
        return out.toArray(new StackTraceElement[0]);
    }

    private static boolean isMachinery(String cls) {
        return cls.startsWith("java.") || cls.startsWith("jdk.") || CallSites.isOwnFrame(cls);
    }

    // ---------------------------------------------------------------- the step machinery

    /** Puts this task's step in the loop's ready queue, once. */
    void wakeup() {
        if (!stepScheduled && !done()) {
            stepScheduled = true;
            loop.enqueueReady(stepHandle);
        }
    }

    /** Called by the loop when the task is first scheduled. */
    void markScheduled() {
        stepScheduled = true;
    }

    /** Loop thread: run the body until its next await. */
    private void step() {
        step(false);
    }

    /**
     * Loop side: run the body until its next await. With {@code mayPass} (a step run straight
     * from the ready queue by a baton-passing scheduler) the baton goes to the body instead, and
     * true says so: the caller must unwind without touching loop state.
     */
    private boolean step(boolean mayPass) {
        stepScheduled = false;
        if (done()) {
            return false;
        }
        if (fiber == null) {
            if (pendingCancel == PendingCancel.REQUESTED) {
                // Cancelled before its first step: the body never runs (nor a fiber made for it).
                preparedFiber = null;
                pendingCancel = PendingCancel.NONE;
                cancelledCause = new CancelledError(taskCancelMessage);
                cancelInternal(taskCancelMessage);
                return false;
            }
            Fiber f = preparedFiber;
            if (f != null) {
                preparedFiber = null;
                fiber = f;
            } else {
                fiber = loop.newTaskFiber(this::body, name);
            }
        }
        EventLoop l = loop;
        Task<?> outer = l.currentTask;
        if (mayPass && outer == null) {
            l.currentTask = this;
            fiber.passBaton(); // the body, when it awaits, runs the loop and sets currentTask back
            return true;
        }
        l.currentTask = this;
        long t0 = l.debug ? System.nanoTime() : 0L;
        try {
            fiber.resume(l.debug);
            Task<?> child;
            while ((child = eagerChild) != null) {
                // The body created an eager task and handed the baton back: run the child's first
                // step now, inside this task's turn, then resume this body.
                eagerChild = null;
                child.step();
                fiber.resume(l.debug);
            }
        } finally {
            l.currentTask = outer;
        }
        if (l.debug) {
            l.slowCallbacks.stepRan(this, System.nanoTime() - t0, fiber.blockedNanos());
        }
        return false;
    }

    /** The task thread's body. */
    private void body() {
        try {
            Aio.CURRENT_TASK.set(this);
            Context.CURRENT.set(context);
            T value = coro.call();
            if (pendingCancel == PendingCancel.REQUESTED) {
                // Cancelled right before the body returned, with no await left to deliver it.
                pendingCancel = PendingCancel.NONE;
                cancelledCause = new CancelledError(taskCancelMessage);
                cancelInternal(taskCancelMessage);
            } else {
                setResultInternal(value);
            }
        } catch (CancelledError e) {
            cancelledCause = e;
            cancelInternal(e.getMessage());
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError vme) {
                // Out of memory (or stack, or an internal error): the run ends with it at once.
                loop.fatal(vme);
                try {
                    setExceptionInternal(e);
                } catch (Throwable again) {
                    // no memory even for that: the loop stops anyway and reports the error
                }
            } else if (destroying && e instanceof IllegalStateException && loop.closing) {
                cancelInternal("event loop closed");
            } else {
                setExceptionInternal(e);
            }
        } finally {
            fiber.exit();
        }
    }

    @Override
    void onDone() {
        waitingOn = null;
        loop.tasks.remove(this);
    }

    @Override
    CancelledError makeCancelledError() {
        CancelledError e = new CancelledError(cancelMessage);
        if (cancelledCause != null && cancelledCause != e) {
            e.initCause(cancelledCause);
        }
        return e;
    }

    /** Task thread: wait until {@code f} is done (or the task is cancelled). */
    void suspendOn(Future<?> f) {
        if (destroying) {
            throw new CancelledError("event loop is closed");
        }
        waitingOn = f;
        f.addCallbackObject(this);
        // A cancel requested while this task ran is delivered through the future it now awaits
        // (virtual call: a Task or gather future cancels its children, not just its own state).
        if (pendingCancel == PendingCancel.REQUESTED && f.cancel(taskCancelMessage)) {
            pendingCancel = PendingCancel.NONE;
        }
        try {
            park();
        } finally {
            f.removeCallbackObject(this);
        }
    }

    /**
     * Task thread: wait until {@code w} is woken or the wait cancelled (ReusableWaiter.suspend, which
     * armed {@code w} for this task and throws its CancelledError); as suspendOn(Future).
     */
    void suspendOn(ReusableWaiter w) {
        if (destroying) {
            throw new CancelledError("event loop is closed");
        }
        waitingOn = w;
        if (pendingCancel == PendingCancel.REQUESTED && w.cancelWait(taskCancelMessage)) {
            pendingCancel = PendingCancel.NONE;
        }
        park();
    }

    /** Task thread: give the loop a turn and come back on its next iteration. */
    void yieldNow() {
        if (destroying) {
            throw new CancelledError("event loop is closed");
        }
        wakeup();
        park();
    }

    /** Task thread: sleep until the loop's clock reaches {@code delay} seconds from now. */
    void sleepFor(double delay) {
        if (destroying) {
            throw new CancelledError("event loop is closed");
        }
        TimerHandle h = loop.callLaterInternal(delay, wakeupCallback);
        waitingOn = h;
        if (pendingCancel == PendingCancel.REQUESTED) {
            // Cancelled while running: like asyncio, the sleep is cancelled at once and the
            // CancelledError arrives on the next step instead of after the delay.
            h.cancel();
            wakeup();
        }
        try {
            park();
        } finally {
            h.cancel();
        }
    }

    private void park() {
        fiber.yieldToLoop();
        Object w = waitingOn;
        waitingOn = null;
        PendingCancel pending = pendingCancel;
        if (pending == PendingCancel.NONE) {
            return;
        }
        pendingCancel = PendingCancel.NONE;
        if (w instanceof Future<?> f) {
            // A CancelledError replaces whatever the awaited future holds (it may have failed after
            // the cancel was requested, or before its wake-up of this task ran): as asyncio's
            // Task.__wakeup calls future.result() before __step throws CancelledError in, that
            // exception counts as retrieved, never reported as "never retrieved".
            f.markRetrieved();
        }
        if (pending == PendingCancel.SLEEP_CANCELLED) {
            throw new CancelledError(sleepCancelMessage);
        }
        if (!destroying && (w instanceof Future<?> f && f.cancelled() || w instanceof ReusableWaiter rw && rw.cancelled())) {
            // The awaited future (or waiter) was cancelled by the first request; await() throws its
            // CancelledError (asyncio keeps that one and drops later messages).
            return;
        }
        if (!destroying && w instanceof ReusableWaiter rw && rw.timedOutWhileWaiting()) {
            // The deadline ended the wait first, as Aio.timeoutAt's task.cancel() (no message) cancels
            // the future awaited: that CancelledError is the one thrown, later messages are dropped.
            throw new CancelledError(null);
        }
        throw new CancelledError(destroying ? "event loop is closed" : taskCancelMessage);
    }

    /** EventLoop.close(): unwind a task that is still pending (its finally blocks run). */
    void destroy() {
        destroying = true;
        if (fiber == null) {
            preparedFiber = null; // never started: its thread (and what it inherited) goes too
            cancelInternal("event loop closed before the task started");
            return;
        }
        requestCancel("event loop is closed");
        Task<?> outer = loop.currentTask;
        loop.currentTask = this;
        try {
            fiber.resume(false);
        } finally {
            loop.currentTask = outer;
        }
    }

    String waitingDescription() {
        Object w = waitingOn;
        if (w instanceof Task<?> t) {
            return "waiting on Task[name=" + t.getName() + "]";
        }
        if (w instanceof Future<?> || w instanceof ReusableWaiter) {
            return "waiting on " + w;
        }
        if (w instanceof TimerHandle h) {
            return "sleeping until " + h.when();
        }
        if (fiber == null) {
            return "not started";
        }
        return stepScheduled ? "ready" : "running";
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Task[name=").append(name).append(", ");
        if (done()) {
            sb.append(stateString());
        } else {
            sb.append("pending, ").append(waitingDescription());
            if (numCancelsRequested > 0) {
                sb.append(", cancelling=").append(numCancelsRequested);
            }
        }
        return sb.append(']').toString();
    }

    // =========================================================================================
    // Issue 13: contexts, eager start (the section ends at PendingCancel).
    // =========================================================================================

    /**
     * The fiber made ahead of the first step by the baton-passing scheduler's runner thread
     * (BaseEventLoop.newTaskFiber, for the first steps queued behind one it makes); {@code fiber} stays null until that step, as the state table says.
     */
    Fiber preparedFiber;

    /** Makes {@link #preparedFiber} now if the first step will need one (baton passing, on the runner thread). */
    void prepareFiber() {
        if (fiber == null && preparedFiber == null && !done() && pendingCancel != PendingCancel.REQUESTED) {
            preparedFiber = loop.scheduler.newFiber(this::body, name);
        }
    }

    /** An eager task this task's body just created, whose first step the loop side runs now. */
    private Task<?> eagerChild;

    /**
     * A new task of {@code loop}, as the default task factory makes it; with {@code eagerStart}
     * and the loop running, the body runs at once, inside this call, until its first suspension
     * (or its end: then the task is done when this returns and the loop never schedules it).
     *
     * <p><b>asyncio:</b> the {@code asyncio.Task(coro, loop=loop, name=name, context=context,
     * eager_start=eager_start)} constructor, for use in a {@link TaskFactory}.
     *
     * @param loop the loop
     * @param coro the body
     * @param name the name, or null for {@code "Task-N"}
     * @param context the context the body runs in, or null for a copy of the current one
     * @param eagerStart whether to run the first step now (ignored while the loop is not running)
     * @param <T> the result type
     * @return the task
     * @throws IllegalStateException if the loop is closed, or the call comes from another thread
     *     while it runs
     */
    public static <T> Task<T> create(EventLoop loop, Coroutine<T> coro, String name, Context context, boolean eagerStart) {
        Checks.notNull(loop, "loop");
        return loop.newTask(coro, name, context, eagerStart);
    }

    /**
     * The context this task's body runs in.
     *
     * <p><b>asyncio:</b> {@code Task.get_context()}.
     *
     * @return the context (not a copy)
     */
    public Context getContext() {
        return context;
    }

    /**
     * Creating thread (loop context): run this new task's first step now. From a task body the
     * creator hands the baton to its own step on the loop side, which runs this step and resumes
     * the creator (Task.step); from a loop callback the step runs right here.
     */
    void startEagerly() {
        EventLoop l = loop;
        Task<?> creator = l.currentTask;
        if (creator != null && creator.fiber != null && creator.fiber.thread() == Thread.currentThread()) {
            if (creator.fiber.resumesNested()) {
                step(); // the creator's thread is the loop side of the child's first step
                return;
            }
            creator.eagerChild = this;
            creator.fiber.yieldToLoop();
        } else if (l.scheduler.onLoopThread()) {
            step();
        } else {
            markScheduled();
            l.enqueueReady(stepHandle);
        }
    }

    /** A cancellation not yet delivered: see the maintainer table at the top of the class. */
    enum PendingCancel {
        NONE, REQUESTED, SLEEP_CANCELLED
    }

    /** The task's step as a loop callback; one instance per task, reused for every step. */
    final class Step implements Runnable {
        @Override
        public void run() {
            step();
        }

        Task<?> task() {
            return Task.this;
        }

        /** The step run from the ready queue by a baton-passing scheduler; true if the baton passed. */
        boolean runPassing(Handle h) {
            try {
                return step(true);
            } catch (Throwable e) {
                h.failed(this, e);
                return false;
            }
        }

        @Override
        public String toString() {
            return "step of Task[name=" + name + "]";
        }
    }
}
