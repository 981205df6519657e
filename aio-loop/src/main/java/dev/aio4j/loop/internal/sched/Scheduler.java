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

    /**
     * Whether task steps run from the ready queue may pass the baton straight to the task
     * ({@link Fiber#passBaton()}) instead of waiting in {@link Fiber#resume} for it to yield: the
     * loop's code then runs on whichever thread holds the baton. Only the portable scheduler does.
     */
    default boolean passesBaton() {
        return false;
    }

    /**
     * Baton passing, loop code at the end of a run on a task's thread: gives the baton back to
     * the thread that called {@code runForever}, then waits until the caller's own task is
     * resumed (or returns at once if that task has ended).
     */
    default void passToRunner() {
        throw new UnsupportedOperationException("this scheduler does not pass the baton");
    }

    /**
     * Runs {@code job} on the thread that called {@code runForever} (the runner) and returns when
     * it is done; at once if the caller is the runner. Baton passing uses it to create task
     * threads there, so that they inherit the runner's {@code InheritableThreadLocal} values
     * rather than those of the task whose thread happens to run the loop.
     */
    default void runOnRunner(Runnable job) {
        job.run();
    }

    /** Whether the calling thread is the runner (see {@link #runOnRunner}). */
    default boolean onRunner() {
        return true;
    }

    /** The loop that baton passing drives; called once, by the loop's constructor. */
    default void setDriver(LoopDriver driver) {
    }
}
