package dev.aio4j.loop.internal.sched;

/**
 * How one event loop runs its task bodies. One instance per loop.
 *
 * <p>Invariant shared by both implementations: at any instant at most one of {the loop's own
 * code, one task body} runs; every hand-off is a volatile write/read pair or a park/unpark, so
 * it establishes happens-before and plain fields are safe between tasks of one loop.
 */
public interface Scheduler {

    /** {@code "carrier"} or {@code "portable"}. */
    String name();

    /** A fiber for {@code body}, not started; {@link Fiber#resume} starts it. */
    Fiber newFiber(Runnable body, String name);

    /**
     * Runs {@code loopBody} on a thread of the kind this scheduler needs: the calling thread
     * when it already is one, else a dedicated thread that the caller joins. Whatever the body
     * throws is rethrown to the caller.
     */
    void runLoop(Runnable loopBody);

    /** Whether the calling thread is the one running the loop body right now. */
    boolean onLoopThread();

    /** Loop thread, once per iteration: handles wake-ups of parked task threads that came from other threads. */
    void drainForeign();

    /** How to wake the loop when it is blocked waiting for I/O or timers. */
    void setWakeup(Runnable wakeup);
}
