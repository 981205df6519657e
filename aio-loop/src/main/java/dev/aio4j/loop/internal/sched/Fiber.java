package dev.aio4j.loop.internal.sched;

import java.util.concurrent.locks.LockSupport;

/**
 * The thread that runs one task body, and the baton protocol between it and its loop.
 *
 * <p>Exactly one side holds the baton at a time. The loop calls {@link #resume} and gets control
 * back only when the body calls {@link #yieldToLoop} (an await) or {@link #exit} (the body
 * ended). A body that blocks inside a JDK call (Thread.sleep, a lock, blocking I/O) keeps the
 * baton, so the loop waits for it, as asyncio's loop waits for a blocking call.
 */
public abstract class Fiber {
    /** True while the task side holds the baton. Written by both sides. */
    protected volatile boolean taskTurn;
    protected final Thread thread;
    protected boolean started;
    /** Nanoseconds the last step spent blocked in a JDK call (debug mode only). */
    protected long blockedNanos;

    protected Fiber(Thread thread) {
        this.thread = thread;
    }

    /**
     * Writes {@link #taskTurn} as a volatile write. A release write is not enough: the unpark
     * that follows it fences only when it sets the permit; on a virtual thread whose permit is
     * already set (a stray unpark), VirtualThread.unpark returns after a plain read. The woken
     * side can then consume that old permit, read the flag before this write is visible, park
     * again, and never be unparked: a lost wake-up, the loop hung. The volatile write's fence
     * (one locked instruction on x86) orders the flag before whatever the unpark reads.
     */
    protected final void setTurn(boolean turn) {
        taskTurn = turn;
    }

    /**
     * Sets the body's thread going after {@link #setTurn setTurn(true)}: starts it the first time,
     * unparks it where it parked otherwise. The one hand-off every scheduler's resume and baton
     * pass ends with.
     */
    protected final void startOrUnpark() {
        if (!started) {
            started = true;
            thread.start();
        } else {
            LockSupport.unpark(thread);
        }
    }

    public final Thread thread() {
        return thread;
    }

    public final boolean started() {
        return started;
    }

    /** Nanoseconds the last {@link #resume} spent waiting for a body blocked outside an await. */
    public final long blockedNanos() {
        return blockedNanos;
    }

    /**
     * Loop side: starts the body (first call) or resumes it where it yielded, and returns when
     * it yields again or exits.
     *
     * @param measureBlocking whether to measure time blocked outside an await (debug mode)
     */
    public abstract void resume(boolean measureBlocking);

    /** Task side: hands the baton back to the loop and parks until the next {@link #resume}. */
    public abstract void yieldToLoop();

    /** Task side: the body has ended; hands the baton back for good. */
    public abstract void exit();

    /**
     * Loop side, baton passing ({@link Scheduler#passesBaton()}): makes this body the baton holder
     * and returns only when the calling thread holds the baton again in another role (or at once,
     * if the calling thread's own body has ended). The caller must then unwind without touching
     * loop state: the loop's code went on elsewhere meanwhile.
     */
    public void passBaton() {
        throw new UnsupportedOperationException("this scheduler does not pass the baton");
    }

    /**
     * Whether the body's own thread may act as the loop side for another task's step while the
     * body runs (an eager task's first step runs there instead of on the loop's thread).
     */
    public boolean resumesNested() {
        return false;
    }

    /** Thread-locals of the body saved by {@link LoopDriver#enterLoopRole} while its thread runs loop code. */
    public Object savedTask;
    /** See {@link #savedTask}. */
    public Object savedContext;
    /** The body's interrupt status, kept aside while its thread runs loop code (a select would eat it). */
    public boolean savedInterrupt;
    /** Whether {@link LoopDriver#enterLoopRole} already marked this thread as running the loop. */
    public boolean loopMarked;
}
