package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@link EventLoop#asExecutor()}: an {@link Executor} whose {@code execute} is the loop's
 * {@code callSoonThreadsafe}, refusing work once the loop is closing. Package-private.
 */
final class LoopExecutor implements Executor {
    private final EventLoop loop;

    LoopExecutor(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public void execute(Runnable command) {
        Checks.notNull(command, "command");
        if (loop.isClosed() || loop.closing) {
            throw rejected(command);
        }
        try {
            loop.callSoonThreadsafe(command);
        } catch (IllegalStateException e) {
            // closed between the check and the call
            RejectedExecutionException r = rejected(command);
            r.initCause(e);
            throw r;
        }
    }

    private RejectedExecutionException rejected(Runnable command) {
        return new RejectedExecutionException("EventLoop.asExecutor().execute() called after the loop was closed: "
                + loop + " cannot run " + Handle.describeCallback(command)
                + "; keep the loop open (or create a new one) while others may hand it work");
    }

    @Override
    public String toString() {
        return "LoopExecutor[" + loop + "]";
    }
}
