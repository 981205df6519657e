package dev.aio4j.loop;

import dev.aio4j.loop.internal.CallSites;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Debug mode's blocked-loop watchdog: reports a callback or task step that holds its loop
 * longer than the slow-callback threshold <em>while it still runs</em>, with the blocker's
 * current stack, then again each time the time blocked doubles, until it returns. asyncio has
 * no such thing (its slow-callback warning comes after the fact, as {@link SlowCallbacks}' does
 * here); Vert.x's blocked-thread checker is the model. Package-private.
 */
final class BlockedLoopWatchdog {
    /*
     * Maintainer notes. One daemon platform thread serves every debug-mode loop of the JVM. It
     * starts when the first loop registers and ends when a scan finds no live loop (closed or
     * collected loops are dropped by the scan), both under LOCK, so at most one exists.
     *
     * A loop publishes what it is running through its Watch: the loop thread writes a fresh
     * immutable Entry (handle, start, thread) before each callback and null after it (two volatile
     * writes per callback, debug mode only). Everything else a report reads (the loop's
     * currentTask, the task's fiber and name, the threshold) is a plain field written by the
     * loop thread; the watchdog reads it without a happens-before edge. That race is accepted:
     * a report is diagnostics, the fields are written long before a step can be late, and the
     * worst outcome is a report that names the step's handle instead of its task.
     *
     * Schedule: the n-th report of one entry (n = 0, 1, 2...) is due threshold * 2^n after it
     * started (reportDue); the scan period is a quarter of the smallest threshold, between 1 ms
     * and 100 ms.
     */
    private static final System.Logger LOG = System.getLogger("dev.aio4j.loop");
    private static final Object LOCK = new Object();
    private static final Set<Watch> WATCHES = ConcurrentHashMap.newKeySet();
    private static final long MIN_PERIOD = 1_000_000L;
    private static final long MAX_PERIOD = 100_000_000L;
    private static Thread thread; // guarded by LOCK

    private BlockedLoopWatchdog() {}

    /** What one loop is running now. */
    record Entry(Handle handle, long startNanos, Thread runner) {}

    /** One loop's slot: written by its loop thread, read by the watchdog thread. */
    static final class Watch {
        private final WeakReference<EventLoop> loop;
        private volatile Entry current;
        private boolean registered; // loop thread only
        // watchdog thread only:
        private Entry seen;
        private int reports;

        Watch(EventLoop loop) {
            this.loop = new WeakReference<>(loop);
        }

        /** Loop thread, debug mode: {@code h} starts running now. */
        void enter(Handle h, long startNanos) {
            if (!registered) {
                registered = true;
                register(this);
            }
            current = new Entry(h, startNanos, Thread.currentThread());
        }

        /** Loop thread: the callback entered last has returned. */
        void exit() {
            current = null;
        }

        /** Whether a callback is marked as running (tests check that each is unmarked on return). */
        boolean busy() {
            return current != null;
        }
    }

    private static void register(Watch w) {
        synchronized (LOCK) {
            WATCHES.add(w);
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name("aio4j-blocked-loop-watchdog").unstarted(BlockedLoopWatchdog::scanForever);
                thread.start();
            }
        }
    }

    /** When the report number {@code reportsSoFar} (0 for the first) of an entry is due. */
    static long reportDue(long startNanos, long thresholdNanos, int reportsSoFar) {
        int shift = Math.min(reportsSoFar, 30);
        return startNanos + (thresholdNanos << shift);
    }

    private static void scanForever() {
        while (true) {
            long period = MAX_PERIOD;
            List<Watch> dead = new ArrayList<>();
            for (Watch w : WATCHES) {
                EventLoop loop = w.loop.get();
                if (loop == null || loop.isClosed()) {
                    dead.add(w);
                    continue;
                }
                long threshold = (long) (loop.getSlowCallbackDuration() * 1e9);
                period = Math.min(period, Math.max(MIN_PERIOD, threshold / 4));
                try {
                    scan(w, loop, threshold, System.nanoTime());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "aio4j's blocked-loop watchdog failed to inspect " + loop, e);
                }
            }
            synchronized (LOCK) {
                WATCHES.removeAll(dead);
                if (WATCHES.isEmpty()) {
                    thread = null;
                    return;
                }
            }
            LockSupport.parkNanos(period);
        }
    }

    private static void scan(Watch w, EventLoop loop, long threshold, long now) {
        Entry e = w.current;
        if (e == null) {
            w.seen = null;
            return;
        }
        if (e != w.seen) {
            w.seen = e;
            w.reports = 0;
        }
        if (now - reportDue(e.startNanos(), threshold, w.reports) < 0) {
            return;
        }
        long elapsed = now - e.startNanos();
        w.reports++;
        Blocker b = blocker(loop, e);
        int reportNo = w.reports;
        // The Flight Recorder event first: a blocker that waits for the log line (as JfrEventsTest's
        // does) and then returns must find its event already committed.
        LoopEvents.blockedLoop(loop, b.description, elapsed, b.stackText(), b.createdAt());
        LOG.log(System.Logger.Level.WARNING, () -> report(b, elapsed, reportNo, threshold, loop));
    }

    /** Who is blocking: a task (its body's thread) or a plain callback (the loop's thread). */
    record Blocker(String description, StackTraceElement[] stack, StackTraceElement[] created) {
        String stackText() {
            StringBuilder sb = new StringBuilder();
            for (StackTraceElement f : stack) {
                sb.append("\tat ").append(f).append('\n');
            }
            return sb.toString();
        }

        String createdAt() {
            return created == null || created.length == 0 ? null : created[0].toString();
        }
    }

    static Blocker blocker(EventLoop loop, Entry e) {
        Task<?> task = e.handle().callback instanceof Task<?>.Step ? loop.currentTask : null;
        if (task != null && task.fiber != null) {
            StackTraceElement[] raw = task.fiber.thread().getStackTrace();
            return new Blocker(task.toString(), cut(raw, Task.class.getName(), "body"), task.sourceTraceback);
        }
        StackTraceElement[] raw = e.runner().getStackTrace();
        return new Blocker("Handle" + "[" + Handle.describeCallback(e.handle().callback) + "]",
                cut(raw, Handle.class.getName(), "run"), null);
    }

    /** The frames above (innermost to) the first frame of {@code cls.method}: the blocker's own code. */
    static StackTraceElement[] cut(StackTraceElement[] raw, String cls, String method) {
        for (int i = 0; i < raw.length; i++) {
            if (raw[i].getClassName().equals(cls) && raw[i].getMethodName().equals(method)) {
                StackTraceElement[] out = new StackTraceElement[i];
                System.arraycopy(raw, 0, out, 0, i);
                return out;
            }
        }
        return raw;
    }

    /** The innermost frame of the caller's code (not the JDK's, not aio-loop's), or null. */
    static StackTraceElement innermostUserFrame(StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.") && !CallSites.isOwnFrame(c)) {
                return f;
            }
        }
        return null;
    }

    /** asyncio's {@code coro=<name() running at file:line>} for a frame. */
    static String runningAt(StackTraceElement f) {
        String cls = f.getClassName();
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        return "coro=<" + simple + "." + f.getMethodName() + "() running at " + f.getFileName() + ":" + f.getLineNumber() + ">";
    }

    static String report(Blocker b, long elapsedNanos, int reportNo, long thresholdNanos, EventLoop loop) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s has been blocking %s for %.3f seconds and is still running (slow callback duration "
                + "%.3f s; report %d, the next one at %.3f s); nothing else on this loop runs meanwhile: move blocking "
                + "calls to EventLoop.runInExecutor(...) or Aio.toThread(...)",
                b.description(), loop, elapsedNanos / 1e9, thresholdNanos / 1e9, reportNo,
                (reportDue(0, thresholdNanos, reportNo)) / 1e9));
        StackTraceElement where = innermostUserFrame(b.stack());
        if (where != null) {
            sb.append("\n  ").append(runningAt(where));
        }
        if (b.createdAt() != null) {
            sb.append("\n  created at ").append(b.createdAt());
        }
        sb.append("\n  current stack:\n").append(b.stackText());
        return sb.toString();
    }
}
