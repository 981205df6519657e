package dev.aio4j.loop.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * aio-loop's JDK Flight Recorder events, and the one place that commits them. Only loaded
 * through {@code dev.aio4j.loop.LoopEvents}, which checks first that {@code jdk.jfr} is
 * readable; every event is emitted in debug mode only, when something was slow, so none is on a
 * hot path. The stacks are the blocker's own (a task's body thread), given as text, so the
 * events carry no JFR stack trace of the thread that commits them.
 */
public final class JfrEvents {
    private JfrEvents() {}

    /** A plain loop callback that ran longer than the slow-callback threshold. */
    @Name("dev.aio4j.SlowCallback")
    @Label("Slow Loop Callback")
    @Category({"aio4j", "Event Loop"})
    @Description("A loop callback ran longer than the loop's slow-callback duration (debug mode)")
    @StackTrace(false)
    static final class SlowCallback extends Event {
        @Label("Loop")
        String loop;
        @Label("Callback")
        String callback;
        @Label("Ran For")
        @Timespan(Timespan.NANOSECONDS)
        long ranFor;
    }

    /** A task step that ran longer than the slow-callback threshold. */
    @Name("dev.aio4j.SlowTaskStep")
    @Label("Slow Task Step")
    @Category({"aio4j", "Event Loop"})
    @Description("A task ran longer than the loop's slow-callback duration between two suspensions (debug mode)")
    @StackTrace(false)
    static final class SlowTaskStep extends Event {
        @Label("Loop")
        String loop;
        @Label("Task")
        String task;
        @Label("Ran For")
        @Timespan(Timespan.NANOSECONDS)
        long ranFor;
        @Label("Blocked In JDK Calls")
        @Description("Part of the step spent inside blocking JDK calls (Thread.sleep, blocking I/O, locks)")
        @Timespan(Timespan.NANOSECONDS)
        long blockedInJdk;
        @Label("Suspended At")
        String suspendedAt;
        @Label("Created At")
        String createdAt;
    }

    /** The watchdog's report of a callback or task step that is still blocking its loop. */
    @Name("dev.aio4j.BlockedLoop")
    @Label("Blocked Event Loop")
    @Category({"aio4j", "Event Loop"})
    @Description("A callback or task step has been holding its loop longer than the slow-callback duration and is still running (debug mode watchdog)")
    @StackTrace(false)
    static final class BlockedLoop extends Event {
        @Label("Loop")
        String loop;
        @Label("Blocker")
        String blocker;
        @Label("Blocked For")
        @Timespan(Timespan.NANOSECONDS)
        long blockedFor;
        @Label("Blocker Stack")
        String stack;
        @Label("Created At")
        String createdAt;
    }

    /**
     * Commits a {@code dev.aio4j.SlowCallback} event if it is enabled.
     *
     * @param loop the loop's toString
     * @param callback the callback's handle, as text
     * @param ranFor how long it ran, in nanoseconds
     */
    public static void slowCallback(String loop, String callback, long ranFor) {
        SlowCallback e = new SlowCallback();
        if (e.shouldCommit()) {
            e.loop = loop;
            e.callback = callback;
            e.ranFor = ranFor;
            e.commit();
        }
    }

    /**
     * Commits a {@code dev.aio4j.SlowTaskStep} event if it is enabled.
     *
     * @param loop the loop's toString
     * @param task the task's toString
     * @param ranFor how long the step ran, in nanoseconds
     * @param blockedInJdk how much of it was spent in blocking JDK calls, in nanoseconds
     * @param suspendedAt the frame where the task is suspended now, or null
     * @param createdAt the frame where the task was created, or null
     */
    public static void slowTaskStep(String loop, String task, long ranFor, long blockedInJdk, String suspendedAt,
            String createdAt) {
        SlowTaskStep e = new SlowTaskStep();
        if (e.shouldCommit()) {
            e.loop = loop;
            e.task = task;
            e.ranFor = ranFor;
            e.blockedInJdk = blockedInJdk;
            e.suspendedAt = suspendedAt;
            e.createdAt = createdAt;
            e.commit();
        }
    }

    /**
     * Commits a {@code dev.aio4j.BlockedLoop} event if it is enabled.
     *
     * @param loop the loop's toString
     * @param blocker the task or handle that is blocking, as text
     * @param blockedFor how long it has been blocking so far, in nanoseconds
     * @param stack the blocker's current stack, one frame a line
     * @param createdAt the frame where the task was created, or null
     */
    public static void blockedLoop(String loop, String blocker, long blockedFor, String stack, String createdAt) {
        BlockedLoop e = new BlockedLoop();
        if (e.shouldCommit()) {
            e.loop = loop;
            e.blocker = blocker;
            e.blockedFor = blockedFor;
            e.stack = stack;
            e.createdAt = createdAt;
            e.commit();
        }
    }
}
