package dev.aio4j.loop.internal;

import dev.aio4j.loop.EventLoop;

/**
 * The one loop-binding check of aio4j's loop-bound objects (queues, locks, events, conditions,
 * semaphores, barriers): asyncio's {@code mixins._LoopBoundMixin._get_loop}. An object binds to
 * the running loop the first time it needs one (to create a waiter future), and refuses any other
 * loop afterwards. The caller keeps the bound loop in a plain field: loop-bound objects are
 * loop-confined.
 */
public final class LoopBinding {
    private LoopBinding() {}

    /**
     * Checks that an object bound to {@code bound} (null: not bound yet) is used on
     * {@code running}, and returns the loop to keep as its binding.
     *
     * @param bound the loop the object is bound to, or null
     * @param running the loop it is being used on now
     * @param what the object's kind, for the message ({@code "Lock"}, {@code "Queue"})
     * @return {@code running}, which the caller stores as the object's bound loop
     * @throws IllegalStateException if the object is bound to another loop, naming both loops
     */
    public static EventLoop bind(EventLoop bound, EventLoop running, String what) {
        if (bound == null || bound == running) {
            return running;
        }
        throw new IllegalStateException(what + " is bound to a different event loop: it was first used on " + bound
                + " and is now used on " + running + "; create one " + what + " per loop");
    }
}
