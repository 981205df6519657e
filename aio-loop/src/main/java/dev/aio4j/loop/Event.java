package dev.aio4j.loop;

import dev.aio4j.loop.internal.LoopBinding;

import java.util.ArrayDeque;

/**
 * A flag that tasks can wait for: {@link #set()} wakes every waiter; {@link #clear()} resets it.
 *
 * <p><b>asyncio:</b> {@code asyncio.Event}. <b>Differences:</b> {@code await event.wait()} is
 * {@link #await()} ({@code Object.wait()} is final in Java; aio4j renames every
 * {@code wait} to {@code await}, see the porting guide); {@code is_set()} is {@link #isSet()}.
 *
 * <p><b>Threading:</b> loop-confined; set it from another thread with
 * {@code loop.callSoonThreadsafe(event::set)}.
 *
 * <p><b>Loop binding:</b> binds to the running loop the first time a task has to wait on it
 * (asyncio's loop-bound primitives do the same); waiting on it from another loop afterwards
 * throws {@link IllegalStateException}.
 *
 * @since 0.1
 */
public final class Event {
    private final ArrayDeque<Future<Void>> waiters = new ArrayDeque<>();
    private boolean value;
    /** The loop this event was first awaited on (LoopBinding), or null. */
    private EventLoop loop;

    /** A new event, not set. */
    public Event() {
    }

    /**
     * Whether the flag is set.
     *
     * @return true if set
     */
    public boolean isSet() {
        return value;
    }

    /** Sets the flag and wakes every task waiting in {@link #await()}. */
    public void set() {
        if (!value) {
            value = true;
            for (Future<Void> w : waiters) {
                if (!w.done()) {
                    w.setResult(null);
                }
            }
        }
    }

    /** Resets the flag; later {@link #await()} calls suspend until the next {@link #set()}. */
    public void clear() {
        value = false;
    }

    /**
     * Suspends until the flag is set; returns at once if it is.
     *
     * <p><b>Cancellation:</b> this method may suspend; cancelling the waiting task leaves the
     * event as it was.
     *
     * @return true
     */
    public boolean await() {
        if (value) {
            return true;
        }
        loop = LoopBinding.bind(loop, Aio.getRunningLoop(), "Event");
        Lock.awaitInLine(waiters, loop.createFuture());
        return true;
    }

    @Override
    public String toString() {
        return "Event[" + (value ? "set" : "unset") + (waiters.isEmpty() ? "" : ", waiters=" + waiters.size()) + "]";
    }
}
