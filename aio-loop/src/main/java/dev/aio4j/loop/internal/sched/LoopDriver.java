package dev.aio4j.loop.internal.sched;

/**
 * What a baton-passing scheduler needs from its loop: run the loop's code on whichever task
 * thread holds the baton, with that thread's thread-locals switched to the loop's while it does.
 * Implemented by the loop; only the portable scheduler calls it.
 */
public interface LoopDriver {

    /**
     * Runs the loop from where the previous holder of the baton left it (the rest of the current
     * iteration, then further iterations) until a task step passes the baton on, or the run
     * ends and the baton goes back to the thread that called {@code runForever}. Returns when
     * the calling thread holds the baton again in another role (its task resumed), or at once
     * after passing it if the calling thread's task has ended.
     */
    void drive();

    /** The calling task thread starts running loop code: save its thread-locals in {@code f}, set the loop's. */
    void enterLoopRole(Fiber f);

    /** The calling task thread goes back to its body: restore the thread-locals saved in {@code f}. */
    void leaveLoopRole(Fiber f);
}
