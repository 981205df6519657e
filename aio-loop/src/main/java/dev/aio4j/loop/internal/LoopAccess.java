package dev.aio4j.loop.internal;

import dev.aio4j.loop.EventLoop;
import java.nio.channels.SelectableChannel;

/**
 * What aio4j's other modules may ask of an {@link EventLoop} that its public API does not offer:
 * to be told when the loop closes ({@link #onClose}), to take a channel out of its selector
 * before closing it ({@link #releaseChannel}), and a reusable wait for a wake-up
 * ({@link #newWaiter}, for aio-http's WebSocket receive). aio-streams needs it for resources that
 * live beside the loop, on threads of their own (a subprocess and its pipe threads): asyncio frees
 * those when their transport is garbage-collected; aio4j frees them when their loop closes, which
 * is deterministic. {@code EventLoop} installs the implementation when its class initializes (the
 * JDK's "shared secrets" pattern), so nothing of this shows in the public API.
 */
public final class LoopAccess {
    /** The operations; implemented inside EventLoop. */
    public interface Ops {
        /**
         * See {@link LoopAccess#onClose}.
         *
         * @param loop the loop
         * @param hook what to run
         * @return the hook's removal
         */
        Runnable onClose(EventLoop loop, Runnable hook);

        /**
         * See {@link LoopAccess#releaseChannel}.
         *
         * @param loop the loop
         * @param channel the channel
         */
        void releaseChannel(EventLoop loop, SelectableChannel channel);

        /**
         * See {@link LoopAccess#checkThread}.
         *
         * @param loop the loop
         * @param what the operation, for the message
         */
        void checkThread(EventLoop loop, String what);

        /**
         * See {@link LoopAccess#newWaiter}.
         *
         * @param loop the loop
         * @param what what waits, for messages and toString
         * @return a new waiter
         */
        TaskWaiter newWaiter(EventLoop loop, String what);

        /**
         * See {@link LoopAccess#timerCount}.
         *
         * @param loop the loop
         * @return the number of timers in its heap
         */
        int timerCount(EventLoop loop);
    }

    private static volatile Ops ops;

    private LoopAccess() {}

    /**
     * Called once, by EventLoop's static initializer.
     *
     * @param impl the implementation
     * @throws IllegalStateException if called a second time
     */
    public static synchronized void install(Ops impl) {
        if (ops != null) {
            throw new IllegalStateException("LoopAccess is installed by EventLoop only");
        }
        ops = impl;
    }

    /**
     * Registers {@code hook} to run once when {@code loop} closes: on the thread that calls
     * {@code close()}, after the loop's pending tasks were unwound (so a task's own
     * try-with-resources has freed what it held and removed its hook) and before the selector
     * closes. Hooks run in registration order; one that throws is reported to the loop's exception
     * handler and the others still run. Any thread.
     *
     * @param loop the loop (its class is initialized, since it exists)
     * @param hook what to run; it must not block for long and must not touch the loop's scheduling
     *     (the loop no longer accepts callbacks)
     * @return runs the removal: the hook will not run (idempotent, any thread); call it when the
     *     resource is freed before the loop closes, so that a long-lived loop keeps no hook per
     *     resource it ever had
     * @throws IllegalStateException if the loop is closed or closing
     */
    public static Runnable onClose(EventLoop loop, Runnable hook) {
        return ops.onClose(loop, hook);
    }

    /**
     * Takes {@code channel} out of {@code loop}'s selector now (its reader and writer dropped, its
     * key cancelled and flushed), so that closing it next closes its descriptor at once, as
     * asyncio's {@code sock.close()}: NIO would otherwise defer the close to the loop's next
     * select and, for a connected socket, shut its output down first (the peer reading end of
     * stream before the reset that unread input calls for). Nothing if the channel is not
     * registered or the loop is closed. On the loop's side only (a callback, or while it is not
     * running).
     *
     * @param loop the loop the channel is registered with
     * @param channel the channel about to be closed
     * @throws IllegalStateException if called from another thread while the loop runs
     */
    public static void releaseChannel(EventLoop loop, SelectableChannel channel) {
        ops.releaseChannel(loop, channel);
    }

    /**
     * Refuses {@code what} when called from a thread other than {@code loop}'s (nor one of its
     * running tasks) while the loop runs, with the same {@link IllegalStateException} as the
     * loop's own methods (it names callSoonThreadsafe and runCoroutineThreadsafe). For operations
     * of other modules that must check the thread before they change any state, so that a refused
     * call leaves everything as it was.
     *
     * @param loop the loop
     * @param what the operation, for the message (e.g. {@code "Server.close()"})
     * @throws IllegalStateException if called from another thread while the loop runs
     */
    public static void checkThread(EventLoop loop, String what) {
        ops.checkThread(loop, what);
    }

    /**
     * A new {@link TaskWaiter} on {@code loop}: a wait for a wake-up that one task at a time can
     * do again and again without an object per wait (aio-http's WebSocket receive). Any thread;
     * the waiter itself is loop-confined.
     *
     * @param loop the loop whose tasks will wait
     * @param what what waits (e.g. {@code "WebSocket receive()"}): the error of a wait outside a
     *     task names it, and so does the waiting task's {@code toString()}
     * @return the waiter, idle
     */
    public static TaskWaiter newWaiter(EventLoop loop, String what) {
        return ops.newWaiter(Checks.notNull(loop, "loop"), Checks.notNull(what, "what"));
    }

    /**
     * The number of timers in {@code loop}'s heap now (a cancelled timer leaves it at once): for
     * other modules' tests that check a component leaves no timer behind (aio-http's server after
     * a WebSocket upgrade). Loop side only; not a public API because asyncio has none.
     *
     * @param loop the loop
     * @return the number of scheduled timers
     */
    public static int timerCount(EventLoop loop) {
        return ops.timerCount(Checks.notNull(loop, "loop"));
    }
}
