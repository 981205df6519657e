package dev.aio4j.loop.internal;

import dev.aio4j.loop.CancelledError;

/**
 * A wake-up that one task at a time waits for, made once and re-armed by each wait: what a new
 * {@code loop.createFuture()}, awaited by the task and completed by a callback, does for a
 * connection's "wait until the next message arrives", without a future per wait. The owner (a
 * WebSocket connection) keeps one, a task waits with {@link #await()}, and the owner's callbacks
 * call {@link #wake()}. Made by {@link LoopAccess#newWaiter}; loop-confined, like a future.
 *
 * <p>Cancellation is a future's: if the waiting task is cancelled, the wait ends with
 * {@link CancelledError} carrying the cancel message (the task's {@code cancelling()} count goes up
 * as for any cancel, and {@code Timeout}, {@code TaskGroup} and {@code uncancel()} see no
 * difference); a task cancelled while it ran gets the error at its next wait, after one loop
 * iteration, as when it awaits a new future; closing the loop unwinds a waiting task with
 * {@code CancelledError("event loop is closed")}. While a task waits, its {@code toString()} says
 * it is "waiting on" this waiter's {@code toString()}.
 */
public interface TaskWaiter {
    /**
     * Suspends the current task until {@link #wake()} is called.
     *
     * <p><b>Cancellation:</b> this method suspends. If the task is cancelled while it waits, or
     * was cancelled while it ran and has not seen it yet, {@link CancelledError} is thrown here;
     * the waiter is ready for the next wait either way.
     *
     * @throws CancelledError if the task was cancelled
     * @throws IllegalStateException if called outside a task of the waiter's loop, or while
     *     another task waits on this waiter
     */
    void await();

    /**
     * {@link #await()} with a deadline on the loop's clock.
     *
     * <p><b>Cancellation:</b> as {@link #await()}.
     *
     * <p>The deadline counts until the task resumes, as {@code asyncio.timeout()} around the await
     * of a future does: a wake-up and the deadline in the same loop iteration, in either order,
     * return false (asyncio cancels the task there even though the future is done, and the await
     * raises). The caller decides what a wake-up it did not act on means; a WebSocket leaves the
     * message that woke it in its queue.
     *
     * @param deadline loop time ({@code loop.time()} units) at which the wait ends by itself
     * @return true if {@link #wake()} ended the wait and the task resumed before the deadline,
     *     false if the deadline passed before the task resumed
     * @throws CancelledError if the task was cancelled
     * @throws IllegalStateException as {@link #await()}
     */
    boolean awaitUntil(double deadline);

    /**
     * Wakes the task waiting, if one is and it was not woken yet: it resumes on a later loop
     * iteration, as a task whose awaited future was completed. Nothing otherwise (a wake-up is not
     * kept for a later wait). On the loop's side (a callback or a task), as
     * {@code Future.setResult()}; from another thread, wake it with
     * {@code loop.callSoonThreadsafe(waiter::wake)}.
     *
     * @return whether a task was woken
     * @throws IllegalStateException if called from a thread that is neither the loop's nor one of
     *     its running tasks while the loop runs (nothing is changed)
     */
    boolean wake();

    /**
     * Whether a task waits and was not woken yet (nor cancelled).
     *
     * @return true while a wait is pending
     */
    boolean waiting();
}
