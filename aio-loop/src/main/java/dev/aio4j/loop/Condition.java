package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.LoopBinding;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A condition variable: tasks holding its lock wait until another task signals them.
 *
 * <p><b>asyncio:</b> {@code asyncio.Condition}. <b>Differences:</b> Java's
 * {@code Object.wait()/notify()/notifyAll()} are final, so the names follow
 * {@code java.util.concurrent.locks.Condition}: {@code wait()} is {@link #await()},
 * {@code wait_for(pred)} is {@link #awaitFor}, {@code notify(n)} is {@link #signal(int)},
 * {@code notify_all()} is {@link #signalAll()}; {@code async with cond:} is
 * {@code try (Acquired held = cond.hold())}.
 *
 * <p><b>Loop binding:</b> binds to the running loop the first time a task awaits it (asyncio's
 * loop-bound primitives do the same); waiting on it from another loop afterwards
 * throws {@link IllegalStateException}.
 *
 * @since 0.1
 */
public final class Condition {
    private final Lock lock;
    private final ArrayDeque<Future<Void>> waiters = new ArrayDeque<>();
    /** The loop this condition was first awaited on (LoopBinding), or null. */
    private EventLoop loop;

    /** A condition with its own new {@link Lock}. */
    public Condition() {
        this(new Lock());
    }

    /**
     * A condition over an existing lock.
     *
     * @param lock the lock
     */
    public Condition(Lock lock) {
        this.lock = Checks.notNull(lock, "lock");
    }

    /**
     * Acquires the underlying lock.
     *
     * <p><b>Cancellation:</b> as {@link Lock#acquire()}.
     *
     * @return true
     */
    public boolean acquire() {
        return lock.acquire();
    }

    /** Releases the underlying lock. */
    public void release() {
        lock.release();
    }

    /**
     * Whether the underlying lock is held.
     *
     * @return true if locked
     */
    public boolean locked() {
        return lock.locked();
    }

    /**
     * Acquires the lock for try-with-resources.
     *
     * @return the handle
     */
    public Acquired hold() {
        return lock.hold();
    }

    /**
     * Releases the lock, suspends until signalled, then re-acquires the lock before returning.
     *
     * <p><b>Cancellation:</b> this method suspends. If the task is cancelled, the lock is still
     * re-acquired before {@link CancelledError} propagates, and a signal this task had already
     * received is passed to another waiter.
     *
     * @return true
     * @throws IllegalStateException if the lock is not held
     */
    public boolean await() {
        if (!lock.locked()) {
            throw new IllegalStateException("Condition.await() called without holding the lock: " + this);
        }
        Task<?> me = Lock.requireTask("Condition.await()");
        loop = LoopBinding.bind(loop, me.loop, "Condition");
        lock.release();
        Future<Void> fut = loop.createFuture();
        try {
            try {
                Lock.awaitInLine(waiters, fut);
                return true;
            } finally {
                CancelledError err = null;
                while (true) {
                    try {
                        lock.acquire();
                        break;
                    } catch (CancelledError e) {
                        err = e;
                    }
                }
                if (err != null) {
                    throw err;
                }
            }
        } catch (RuntimeException | Error e) {
            // We may have been signalled just before failing: pass the signal on.
            signalInternal(1);
            throw e;
        }
    }

    /**
     * Awaits until {@code predicate} is true, checking it first and after every wake-up.
     *
     * <p><b>Cancellation:</b> as {@link #await()}.
     *
     * @param predicate the condition, evaluated with the lock held
     * @return true: the predicate's value, as asyncio returns it (see
     *     {@link #awaitFor(Supplier)} for predicates that return an object)
     */
    public boolean awaitFor(BooleanSupplier predicate) {
        Checks.notNull(predicate, "predicate");
        while (!predicate.getAsBoolean()) {
            await();
        }
        return true;
    }

    /**
     * Wakes up to {@code n} waiting tasks.
     *
     * @param n how many
     * @throws IllegalStateException if the lock is not held
     */
    public void signal(int n) {
        if (!lock.locked()) {
            throw new IllegalStateException("Condition.signal() called without holding the lock: " + this);
        }
        signalInternal(n);
    }

    /** Wakes one waiting task. */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes every waiting task.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void signalAll() {
        if (!lock.locked()) {
            throw new IllegalStateException("Condition.signalAll() called without holding the lock: " + this);
        }
        signalInternal(waiters.size());
    }

    private void signalInternal(int n) {
        int woken = 0;
        for (Future<Void> w : waiters) {
            if (woken >= n) {
                break;
            }
            if (!w.done()) {
                woken++;
                w.setResult(null);
            }
        }
    }

    @Override
    public String toString() {
        return "Condition[" + (lock.locked() ? "locked" : "unlocked") + (waiters.isEmpty() ? "" : ", waiters=" + waiters.size()) + "]";
    }

    // =================================================================================
    // Ergonomics (issue 12): awaitFor returning the predicate's value.
    // =================================================================================

    /**
     * Awaits until {@code predicate} returns a "true" value, checking it first and after every
     * wake-up, and returns that value, as asyncio's {@code Condition.wait_for} returns the
     * predicate's result: {@code item = await cond.wait_for(lambda: queue.pop() if queue else None)}
     * becomes {@code Item item = cond.awaitFor(() -> queue.poll())}.
     *
     * <p>Java has no truthiness; here a value is "false" when it is {@code null} or
     * {@link Boolean#FALSE}, and "true" otherwise (Python would also treat {@code 0}, empty
     * strings and empty collections as false: return {@code null} for those). A predicate of
     * {@code boolean} picks {@link #awaitFor(BooleanSupplier)}.
     *
     * <p><b>Cancellation:</b> as {@link #await()}: the lock is held again when
     * {@link CancelledError} is thrown.
     *
     * @param predicate the condition, evaluated with the lock held
     * @param <T> the predicate's result type
     * @return the predicate's first "true" value, never null
     * @throws IllegalStateException if the lock is not held
     * @since 0.1
     */
    public <T> T awaitFor(Supplier<? extends T> predicate) {
        Checks.notNull(predicate, "predicate");
        T value = predicate.get();
        while (value == null || Boolean.FALSE.equals(value)) {
            await();
            value = predicate.get();
        }
        return value;
    }
}
