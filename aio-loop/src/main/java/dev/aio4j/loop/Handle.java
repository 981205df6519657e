package dev.aio4j.loop;

/**
 * A callback scheduled on a loop by {@link EventLoop#callSoon}; cancel it to keep it from
 * running.
 *
 * <p><b>asyncio:</b> {@code asyncio.Handle}. <b>Differences:</b> none in behaviour; the
 * callback is a {@link Runnable} (capture arguments in the lambda).
 *
 * <p><b>Threading:</b> {@link #cancel()} may be called from any thread; the callback is then
 * guaranteed not to start afterwards (one that is already running finishes).
 *
 * @since 0.1
 */
public sealed class Handle permits TimerHandle {
    /*
     * Maintainer notes. A Handle sits in the loop's ready queue (ArrayDeque) or, as a
     * TimerHandle, in its timer heap. Task steps reuse one Handle per task, so waking a task
     * allocates nothing. `callback` is dropped on cancel so that a cancelled handle pins no
     * memory; `cancelled` is volatile because cancel() may come from any thread.
     */
    final EventLoop loop;
    Runnable callback;
    volatile boolean cancelled;
    /** The context the callback runs in (a copy taken when it was scheduled), or null: the loop thread's own. */
    Context context;

    Handle(EventLoop loop, Runnable callback) {
        this.loop = loop;
        this.callback = callback;
    }

    /**
     * Cancels the callback. Does nothing if it already ran or was cancelled.
     */
    public void cancel() {
        cancelled = true;
        callback = null;
    }

    /**
     * Whether {@link #cancel()} was called.
     *
     * @return true once cancelled
     */
    public boolean cancelled() {
        return cancelled;
    }

    /** Runs the callback on the loop thread; an exception goes to the exception handler. */
    final void run() {
        Runnable cb = callback;
        if (cb == null || cancelled) {
            return;
        }
        try {
            Context ctx = context;
            if (ctx != null) {
                ctx.run(cb);
            } else {
                cb.run();
            }
        } catch (Throwable e) {
            failed(cb, e);
        }
    }

    /** What {@link #run()} does with the callback's exception (also used by baton-passing task steps). */
    final void failed(Runnable cb, Throwable e) {
        if (e instanceof VirtualMachineError vme) {
            loop.fatal(vme);
            throw vme;
        }
        loop.callExceptionHandler(new ExceptionContext("Exception in callback " + describeCallback(cb), e, null, this, null));
    }

    static String describeCallback(Object cb) {
        if (cb instanceof Task<?>.Step s) {
            return s.toString();
        }
        String s = cb.getClass().getName();
        int lambda = s.indexOf("$$Lambda");
        return lambda > 0 ? s.substring(0, lambda) + "$$Lambda" : s;
    }

    @Override
    public String toString() {
        Runnable cb = callback;
        return "Handle[" + (cancelled ? "cancelled" : cb == null ? "done" : describeCallback(cb)) + "]";
    }
}
