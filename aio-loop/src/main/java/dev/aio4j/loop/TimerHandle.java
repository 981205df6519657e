package dev.aio4j.loop;

import dev.aio4j.loop.internal.timer.TimerHeap;

/**
 * A callback scheduled for a point in time by {@link EventLoop#callLater} or
 * {@link EventLoop#callAt}.
 *
 * <p><b>asyncio:</b> {@code asyncio.TimerHandle}. <b>Differences:</b> a cancelled timer leaves
 * the loop's timer heap immediately (asyncio removes it lazily), so millions of scheduled and
 * cancelled timers hold no memory.
 *
 * <p><b>Threading:</b> {@link #cancel()} may be called from any thread; off the loop's thread
 * the removal from the heap happens on the loop's next iteration.
 *
 * @since 0.1
 */
public final class TimerHandle extends Handle {
    final double when;
    final long seq;
    int heapIndex = -1;

    TimerHandle(EventLoop loop, double when, long seq, Runnable callback) {
        super(loop, callback);
        this.when = when;
        this.seq = seq;
    }

    /** How the loop's timer heap reads and stores a timer's deadline, sequence and index. */
    static final TimerHeap.Access<TimerHandle> HEAP_ACCESS = new TimerHeap.Access<>() {
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

    /**
     * The loop time (see {@link EventLoop#time()}) at which the callback is due.
     *
     * @return the deadline in seconds of loop time
     */
    public double when() {
        return when;
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            super.cancel();
            loop.timerCancelled(this);
        }
    }

    @Override
    public String toString() {
        Runnable cb = callback;
        return "TimerHandle[when=" + when + ", "
                + (cancelled ? "cancelled" : cb == null ? "done" : describeCallback(cb)) + "]";
    }
}
