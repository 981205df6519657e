package dev.aio4j.loop;

import dev.aio4j.loop.internal.LoopBinding;

import java.util.ArrayDeque;

/**
 * A mutual-exclusion lock for tasks of one loop, granted in FIFO order.
 *
 * <p><b>asyncio:</b> {@code asyncio.Lock}. <b>Differences:</b> the lock remembers the task that
 * holds it and refuses {@link #release()} from any other task (asyncio allows it; it is almost
 * always a bug); {@code async with lock:} is {@code try (Acquired held = lock.hold())}. Not
 * reentrant, like asyncio's.
 *
 * <p><b>Threading:</b> loop-confined. It is not a {@code java.util.concurrent} lock: it
 * suspends tasks, never threads.
 *
 * <p><b>Loop binding:</b> binds to the running loop the first time a task has to wait for it
 * (asyncio's loop-bound primitives do the same); waiting on it from another loop afterwards
 * throws {@link IllegalStateException}.
 *
 * @since 0.1
 */
public final class Lock {
    private final ArrayDeque<Future<Void>> waiters = new ArrayDeque<>();
    private boolean locked;
    private Task<?> owner;
    /** The loop this lock first waited on (LoopBinding), or null. */
    private EventLoop loop;

    /** A new, unlocked lock. */
    public Lock() {
    }

    /**
     * Whether the lock is held.
     *
     * @return true if locked
     */
    public boolean locked() {
        return locked;
    }

    /**
     * Acquires the lock, suspending until it is free; waiters are served first come, first
     * served.
     *
     * <p><b>Cancellation:</b> this method may suspend. If the task is cancelled while it waits,
     * it does not get the lock, and if the lock had just been handed to it, it passes to the
     * next waiter.
     *
     * @return true
     * @throws IllegalStateException if called outside a task
     */
    public boolean acquire() {
        Task<?> me = requireTask("Lock.acquire()");
        if (!locked && allCancelled(waiters)) {
            locked = true;
            owner = me;
            return true;
        }
        loop = LoopBinding.bind(loop, me.loop, "Lock");
        Future<Void> fut = loop.createFuture();
        try {
            awaitInLine(waiters, fut);
        } catch (CancelledError e) {
            if (!locked) {
                wakeUpFirst();
            }
            throw e;
        }
        locked = true;
        owner = me;
        return true;
    }

    /**
     * Acquires the lock and returns a handle whose {@code close()} releases it.
     *
     * <p><b>Cancellation:</b> as {@link #acquire()}.
     *
     * @return the handle for try-with-resources
     */
    public Acquired hold() {
        acquire();
        return this::release;
    }

    /**
     * Releases the lock and wakes the first waiter.
     *
     * @throws IllegalStateException if the lock is not held, or is held by another task
     */
    public void release() {
        if (!locked) {
            throw new IllegalStateException("Lock.release() called on a lock that is not acquired: " + this);
        }
        Task<?> me = Aio.currentTask();
        if (owner != null && me != owner) {
            throw new IllegalStateException("Lock.release() called by " + (me == null ? "a loop callback" : me)
                    + " but the lock is held by Task[name=" + owner.getName() + "]; only the holder may release it");
        }
        locked = false;
        owner = null;
        wakeUpFirst();
    }

    private void wakeUpFirst() {
        // Only the first waiter: if it is done it was already woken (and will take the lock) or
        // was cancelled (and will pass the wake-up on when it resumes). Waking a later one too
        // would let two tasks take the lock (asyncio bpo-32734).
        Future<Void> first = waiters.peekFirst();
        if (first != null && !first.done()) {
            first.setResult(null);
        }
    }

    /**
     * The wait of every primitive here that queues its waiters (Lock, Semaphore, Condition,
     * Event): {@code fut} joins the end of {@code waiters}, is awaited, and leaves the queue however
     * the wait ends (woken, cancelled, failed), so a queue holds only the tasks still waiting or
     * woken and not yet resumed. What a cancelled waiter must hand on is the caller's.
     */
    static void awaitInLine(ArrayDeque<Future<Void>> waiters, Future<Void> fut) {
        waiters.addLast(fut);
        try {
            fut.await();
        } finally {
            waiters.remove(fut);
        }
    }

    static boolean allCancelled(ArrayDeque<Future<Void>> waiters) {
        for (Future<Void> w : waiters) {
            if (!w.cancelled()) {
                return false;
            }
        }
        return true;
    }

    static Task<?> requireTask(String what) {
        Task<?> t = Aio.currentTask();
        if (t == null) {
            throw new IllegalStateException(what + " called outside a task; it may suspend, so call it from a task "
                    + "(Aio.run(...), Aio.createTask(...))");
        }
        return t;
    }

    @Override
    public String toString() {
        return "Lock[" + (locked ? "locked by " + (owner == null ? "?" : owner.getName()) : "unlocked")
                + (waiters.isEmpty() ? "" : ", waiters=" + waiters.size()) + "]";
    }
}
