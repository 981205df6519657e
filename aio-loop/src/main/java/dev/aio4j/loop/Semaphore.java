package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.LoopBinding;

import java.util.ArrayDeque;

/**
 * A counter of permits: {@link #acquire()} takes one, suspending while none is left;
 * {@link #release()} gives one back. Waiters are served in FIFO order.
 *
 * <p><b>asyncio:</b> {@code asyncio.Semaphore}. <b>Differences:</b> {@code async with sem:} is
 * {@code try (Acquired held = sem.hold())}. Use {@link BoundedSemaphore} to catch extra
 * releases.
 *
 * <p><b>Loop binding:</b> binds to the running loop the first time a task has to wait for a
 * permit (asyncio's loop-bound primitives do the same); waiting on it from another loop
 * afterwards throws {@link IllegalStateException}.
 *
 * @since 0.1
 */
public sealed class Semaphore permits BoundedSemaphore {
    private final ArrayDeque<Future<Void>> waiters = new ArrayDeque<>();
    /** The loop this semaphore first waited on (LoopBinding), or null. */
    private EventLoop loop;
    int value;

    /** A semaphore with one permit. */
    public Semaphore() {
        this(1);
    }

    /**
     * A semaphore with {@code value} permits.
     *
     * @param value the initial number of permits, &gt;= 0
     */
    public Semaphore(int value) {
        this.value = Checks.nonNegative(value, "value");
    }

    /**
     * Whether {@link #acquire()} would suspend now.
     *
     * @return true if no permit is free (or tasks are already queued for one)
     */
    public boolean locked() {
        return value == 0 || !Lock.allCancelled(waiters);
    }

    /**
     * The number of free permits.
     *
     * @return the value
     */
    public int value() {
        return value;
    }

    /**
     * Takes a permit, suspending until one is free.
     *
     * <p><b>Cancellation:</b> this method may suspend. If the task is cancelled while it waits,
     * it gets no permit; a permit that had just been handed to it goes back and to the next
     * waiter, so no permit leaks.
     *
     * @return true
     */
    public boolean acquire() {
        if (!locked()) {
            value--;
            return true;
        }
        Task<?> me = Lock.requireTask(getClass().getSimpleName() + ".acquire()");
        loop = LoopBinding.bind(loop, me.loop, getClass().getSimpleName());
        Future<Void> fut = loop.createFuture();
        try {
            Lock.awaitInLine(waiters, fut);
        } catch (CancelledError e) {
            if (fut.done() && !fut.cancelled()) {
                // We were handed a permit but will not use it: give it back.
                value++;
            }
            throw e;
        } finally {
            // Newcomers may have queued behind us: wake as many as there are permits.
            while (value > 0) {
                if (!wakeUpNext()) {
                    break;
                }
            }
        }
        return true;
    }

    /**
     * Takes a permit for try-with-resources.
     *
     * <p><b>Cancellation:</b> as {@link #acquire()}.
     *
     * @return the handle; closing it releases the permit
     */
    public Acquired hold() {
        acquire();
        return this::release;
    }

    /** Gives a permit back and wakes the first waiter. */
    public void release() {
        value++;
        wakeUpNext();
    }

    private boolean wakeUpNext() {
        for (Future<Void> w : waiters) {
            if (!w.done()) {
                value--;
                w.setResult(null);
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (locked() ? "locked" : "unlocked") + ", value=" + value
                + (waiters.isEmpty() ? "" : ", waiters=" + waiters.size()) + "]";
    }
}
