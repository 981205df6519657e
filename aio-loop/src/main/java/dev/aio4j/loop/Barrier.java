package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.LoopBinding;

import java.util.Locale;

/**
 * Lets a fixed number of tasks wait until all of them have arrived, then releases them
 * together; reusable.
 *
 * <p><b>asyncio:</b> {@code asyncio.Barrier} (Python 3.11). <b>Differences:</b>
 * {@code await barrier.wait()} is {@link #await()}; {@code n_waiting} is {@link #nWaiting()}.
 *
 * <p><b>Loop binding:</b> binds to the running loop the first time a task awaits it (asyncio's
 * loop-bound primitives do the same); waiting on it from another loop afterwards
 * throws {@link IllegalStateException}.
 *
 * @since 0.1
 */
public final class Barrier {
    private enum State { FILLING, DRAINING, RESETTING, BROKEN }

    private final int parties;
    private final Condition cond = new Condition();
    private State state = State.FILLING;
    private int count;
    /** The loop this barrier was first awaited on (LoopBinding), or null. */
    private EventLoop loop;

    /**
     * A barrier for {@code parties} tasks.
     *
     * @param parties how many tasks must arrive, &gt; 0
     */
    public Barrier(int parties) {
        this.parties = Checks.positive(parties, "parties");
    }

    /**
     * Suspends until {@link #parties()} tasks have called it, then returns this task's arrival
     * index (0 to parties-1).
     *
     * <p><b>Cancellation:</b> this method suspends. A cancelled waiter leaves the barrier;
     * the others keep waiting.
     *
     * @return the arrival index
     * @throws BrokenBarrierError if the barrier is broken, or is aborted or reset meanwhile
     */
    public int await() {
        loop = LoopBinding.bind(loop, Aio.getRunningLoop(), "Barrier");
        try (Acquired held = cond.hold()) {
            block();
            int index = count;
            count++;
            try {
                if (index + 1 == parties) {
                    state = State.DRAINING;
                    cond.signalAll();
                } else {
                    cond.awaitFor(() -> state != State.FILLING);
                    if (state == State.BROKEN || state == State.RESETTING) {
                        throw new BrokenBarrierError("Barrier aborted or reset while waiting: " + this);
                    }
                }
                return index;
            } finally {
                count--;
                if (count == 0 && (state == State.RESETTING || state == State.DRAINING)) {
                    state = State.FILLING;
                }
                cond.signalAll();
            }
        }
    }

    private void block() {
        cond.awaitFor(() -> state != State.DRAINING && state != State.RESETTING);
        if (state == State.BROKEN) {
            throw new BrokenBarrierError("Barrier is broken: " + this);
        }
    }

    /**
     * Returns the barrier to its empty state; tasks waiting get {@link BrokenBarrierError}.
     *
     * <p><b>Cancellation:</b> may suspend briefly to take the barrier's lock.
     */
    public void reset() {
        try (Acquired held = cond.hold()) {
            if (count > 0) {
                if (state != State.RESETTING) {
                    state = State.RESETTING;
                }
            } else {
                state = State.FILLING;
            }
            cond.signalAll();
        }
    }

    /**
     * Breaks the barrier: current and future {@link #await()} calls throw
     * {@link BrokenBarrierError} until {@link #reset()}.
     *
     * <p><b>Cancellation:</b> may suspend briefly to take the barrier's lock.
     */
    public void abort() {
        try (Acquired held = cond.hold()) {
            state = State.BROKEN;
            cond.signalAll();
        }
    }

    /**
     * How many tasks must arrive.
     *
     * @return parties
     */
    public int parties() {
        return parties;
    }

    /**
     * How many tasks are waiting now.
     *
     * @return the count while filling, else 0
     */
    public int nWaiting() {
        return state == State.FILLING ? count : 0;
    }

    /**
     * Whether the barrier is broken.
     *
     * @return true after {@link #abort()}
     */
    public boolean broken() {
        return state == State.BROKEN;
    }

    @Override
    public String toString() {
        return "Barrier[" + state.name().toLowerCase(Locale.ROOT) + ", waiters=" + nWaiting() + "/" + parties + "]";
    }
}
