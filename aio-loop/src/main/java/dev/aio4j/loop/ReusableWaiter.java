package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.TaskWaiter;

/**
 * The {@link TaskWaiter} behind {@code LoopAccess.newWaiter}: one task at a time parks on it as on
 * an awaited future ({@link Task#suspendOn(ReusableWaiter)}), and it goes back to IDLE when that
 * wait ends, however it ends, ready for the next one.
 */
final class ReusableWaiter implements TaskWaiter {
    /*
     * Maintainer notes. Legal values of `state` and who moves it:
     *
     * | state     | task       | meaning                                  | left by                        |
     * |-----------|------------|------------------------------------------|--------------------------------|
     * | IDLE      | null       | nobody waits                             | awaitUntil() (-> WAITING)      |
     * | WAITING   | the waiter | the task is parked, waitingOn == this    | wake() or the deadline         |
     * |           |            |                                          | (-> WOKEN), Task.cancel() or a |
     * |           |            |                                          | cancel the task had pending    |
     * |           |            |                                          | (-> CANCELLED), loop close     |
     * | WOKEN     | the waiter | its step is queued (like a future done)  | the wait's end (-> IDLE)       |
     * | CANCELLED | the waiter | its step is queued; the wait throws      | the wait's end (-> IDLE)       |
     * |           |            | CancelledError(cancelMessage)            |                                |
     *
     * timedOut: set when the deadline's timer runs while the wait is WAITING, or WOKEN and not
     * resumed yet (deadlinePassed); awaitUntil() then returns false. deadlineFirst: the timer ran
     * while WAITING, so it plays Aio.timeoutAt's cancel of the awaited future: a Task.cancel() before
     * the task resumes finds the wait ended and stays pending, and Task.park() then throws that
     * future's CancelledError (no message), not the later cancel's (timedOutWhileWaiting).
     *
     * WAITING, WOKEN and CANCELLED play a future's PENDING, FINISHED and CANCELLED for one wait:
     * Task.cancel() and Task.park() treat a ReusableWaiter exactly as the future a task awaits, so
     * the cancellation paths (cancelling() counts, the message kept by the first cancel, loop
     * close) are the same. Touched only by the loop's side, like a future; wake(), the one entry its
     * owner's callbacks call, checks the thread as Future.setResult() does.
     */
    private static final byte IDLE = 0;
    private static final byte WAITING = 1;
    private static final byte WOKEN = 2;
    private static final byte CANCELLED = 3;

    private final EventLoop loop;
    private final String what;
    /** For the thread check's message, made once (wake() runs per message: no string per call). */
    private final String wakeWhat;
    private byte state = IDLE;
    private Task<?> task;
    private String cancelMessage;
    private boolean timedOut;
    private boolean deadlineFirst;
    private final Runnable onDeadline = this::deadlinePassed;

    ReusableWaiter(EventLoop loop, String what) {
        this.loop = loop;
        this.what = what;
        this.wakeWhat = "TaskWaiter.wake() (" + what + ")";
    }

    @Override
    public void await() {
        suspend(false, 0);
    }

    @Override
    public boolean awaitUntil(double deadline) {
        Checks.finiteSeconds(deadline, "deadline");
        return suspend(true, deadline);
    }

    private boolean suspend(boolean hasDeadline, double deadline) {
        Task<?> t = loop.taskForAwait(what, this);
        if (state != IDLE) {
            throw new IllegalStateException(what + " called while another task waits on it: " + task);
        }
        task = t;
        state = WAITING;
        timedOut = false;
        deadlineFirst = false;
        TimerHandle timer = null;
        try {
            if (hasDeadline) {
                timer = loop.callAtInternal(deadline, onDeadline);
            }
            t.suspendOn(this);
            if (state == CANCELLED) {
                throw new CancelledError(cancelMessage);
            }
            if (state != WOKEN) {
                throw new InvalidStateError(what + " resumed before it was woken: " + this);
            }
            return !timedOut;
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            state = IDLE;
            task = null;
            cancelMessage = null;
        }
    }

    /*
     * The deadline's timer. Woken in this same loop iteration and not resumed yet (wake() came
     * first), the wait still reports the deadline: asyncio's timeout() cancels the task there, the
     * cancel finds the awaited future done and sets _must_cancel, and the await raises (tasks.py,
     * timeouts.py); aiohttp's receive(timeout) then raises TimeoutError and the message stays in
     * its queue. A wait cancelled first stays cancelled.
     */
    private void deadlinePassed() {
        if (state == WAITING) {
            timedOut = true;
            deadlineFirst = true;
            state = WOKEN;
            scheduleTask();
        } else if (state == WOKEN) {
            timedOut = true;
        }
    }

    @Override
    public boolean wake() {
        // As Future.setResult(): from the loop's side only (its callbacks and tasks, or any thread
        // while the loop is not running); one volatile read and a thread compare on the loop thread.
        loop.checkThread(wakeWhat);
        if (state != WAITING) {
            return false;
        }
        state = WOKEN;
        scheduleTask();
        return true;
    }

    /**
     * Task.cancel() (and a cancel the task had pending when it began to wait): ends the wait with
     * CancelledError(msg), as cancelling the future it awaited would.
     *
     * @return false if the wait was woken or cancelled already (the cancel stays pending on the task)
     */
    boolean cancelWait(String msg) {
        if (state != WAITING) {
            return false;
        }
        state = CANCELLED;
        cancelMessage = msg;
        scheduleTask();
        return true;
    }

    private void scheduleTask() {
        if (!loop.closing) { // as a future's callbacks: a closing loop runs nothing; close() unwinds the task
            task.wakeup();
        }
    }

    /**
     * Whether the deadline ended the wait while it was WAITING (Task.park: a cancel requested after
     * it throws the CancelledError of the timeout's cancel, as the future's would).
     */
    boolean timedOutWhileWaiting() {
        return state == WOKEN && deadlineFirst;
    }

    /** Whether the wait ended in cancellation (Task.park: the wait, not the task, throws). */
    boolean cancelled() {
        return state == CANCELLED;
    }

    @Override
    public boolean waiting() {
        return state == WAITING;
    }

    @Override
    public String toString() {
        String s = switch (state) {
            case IDLE -> "idle";
            case WAITING -> "pending";
            case WOKEN -> "woken";
            default -> "cancelled";
        };
        return "Waiter[" + what + ", " + s + "]";
    }
}
