package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;

/**
 * Debug mode's slow-callback rule (asyncio's {@code base_events.py} {@code slow_callback_duration}
 * warning): which callbacks and task steps took long enough to log, and what the log says. The
 * rule is a function of the measured durations, so tests can step through exact values.
 * Package-private.
 */
final class SlowCallbacks {
    private static final System.Logger LOG = System.getLogger("dev.aio4j.loop");

    private double thresholdSeconds = 0.1;

    double threshold() {
        return thresholdSeconds;
    }

    void setThreshold(double seconds) {
        this.thresholdSeconds = Checks.positive(seconds, "seconds");
    }

    /** A callback ran for {@code nanos}: log it if it was slow (task steps report themselves). */
    void callbackRan(Handle h, long nanos) {
        if (!(h.callback instanceof Task<?>.Step) && nanos >= thresholdSeconds * 1e9) {
            double threshold = thresholdSeconds;
            LOG.log(System.Logger.Level.WARNING, () -> callbackReport(h, nanos, threshold));
            LoopEvents.slowCallback(h.loop, h, nanos);
        }
    }

    /** A task step ran for {@code nanos}, {@code blockedNanos} of them inside a blocking JDK call. */
    void stepRan(Task<?> task, long nanos, long blockedNanos) {
        if (nanos >= thresholdSeconds * 1e9) {
            double threshold = thresholdSeconds;
            StackTraceElement at = BlockedLoopWatchdog.innermostUserFrame(task.getStack());
            String suspendedAt = at == null ? null : at.toString();
            String createdAt = task.sourceTraceback == null || task.sourceTraceback.length == 0 ? null
                    : task.sourceTraceback[0].toString();
            LOG.log(System.Logger.Level.WARNING, () -> stepReport(task, nanos, blockedNanos, threshold) + where(at, createdAt));
            LoopEvents.slowTaskStep(task, nanos, blockedNanos, suspendedAt, createdAt);
        }
    }

    /**
     * Where a slow step's task is now and where it was created, as asyncio's task repr has them
     * ({@code coro=<name() running at file:line>}, {@code created at file:line}); empty if neither
     * is known (a task that ended in this step; creation sites are recorded in debug mode).
     */
    static String where(StackTraceElement at, String createdAt) {
        StringBuilder sb = new StringBuilder();
        if (at != null) {
            sb.append("\n  ").append(BlockedLoopWatchdog.runningAt(at));
        }
        if (createdAt != null) {
            sb.append("\n  created at ").append(createdAt);
        }
        return sb.toString();
    }

    /** The warning for a callback that ran {@code nanos}, or null if it was not slow. */
    static String callbackReport(Object callback, long nanos, double thresholdSeconds) {
        if (nanos < thresholdSeconds * 1e9) {
            return null;
        }
        return String.format("Executing %s took %.3f seconds", callback, nanos / 1e9);
    }

    /** The warning for a task step, or null if it was not slow. */
    static String stepReport(Task<?> task, long nanos, long blockedNanos, double thresholdSeconds) {
        String msg = callbackReport(task, nanos, thresholdSeconds);
        if (msg != null && blockedNanos >= thresholdSeconds * 1e9 / 2) {
            msg += String.format("; it blocked the loop for %.3f seconds inside a JDK call (Thread.sleep, blocking I/O, "
                    + "a lock): nothing else can run meanwhile; move blocking calls to EventLoop.runInExecutor(...)",
                    blockedNanos / 1e9);
        }
        return msg;
    }

}
