package dev.aio4j.loop;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Never-retrieved exceptions of one loop (asyncio's {@code futures.py} "exception was never
 * retrieved"): tracks each failed future's exception until someone retrieves it, and reports it
 * through the loop's exception handler when the future is garbage-collected or the loop closes.
 * Package-private.
 */
final class UnretrievedReporter {
    private static final Cleaner CLEANER = Cleaner.create();

    private final EventLoop loop;
    /** Touched only by the loop's baton holder (other threads go through callSoonThreadsafe). */
    private final Set<Unretrieved> pending = new LinkedHashSet<>();

    UnretrievedReporter(EventLoop loop) {
        this.loop = loop;
    }

    /** {@code f} failed with {@code error}: remember it until retrieved or collected. */
    Unretrieved track(Future<?> f, Throwable error) {
        Unretrieved u = new Unretrieved(this, error, f.toString(), f instanceof Task<?>, f.sourceTraceback);
        pending.add(u);
        u.cleanable = CLEANER.register(f, u);
        return u;
    }

    /** EventLoop.close(): report every exception still not retrieved. */
    void reportAll() {
        for (Unretrieved u : new ArrayList<>(pending)) {
            report(u);
        }
        pending.clear();
    }

    private void report(Unretrieved u) {
        if (!u.reported.compareAndSet(false, true)) {
            return;
        }
        pending.remove(u);
        Cleaner.Cleanable c = u.cleanable;
        if (c != null) {
            c.clean();
        }
        loop.callExceptionHandler(new ExceptionContext(
                (u.isTask ? "Task" : "Future") + " exception was never retrieved: " + u.description,
                u.error, null, null, u.source));
    }

    /**
     * An exception that nobody has retrieved yet. Holds no reference to its future, so the
     * Cleaner can notice when the future is collected.
     */
    static final class Unretrieved implements Runnable {
        private final UnretrievedReporter owner;
        final Throwable error;
        final String description;
        final boolean isTask;
        final StackTraceElement[] source;
        final AtomicBoolean reported = new AtomicBoolean();
        Cleaner.Cleanable cleanable;

        Unretrieved(UnretrievedReporter owner, Throwable error, String description, boolean isTask,
                StackTraceElement[] source) {
            this.owner = owner;
            this.error = error;
            this.description = description;
            this.isTask = isTask;
            this.source = source;
        }

        /** The exception was retrieved: forget it. */
        void retrieved() {
            if (reported.compareAndSet(false, true)) {
                EventLoop loop = owner.loop;
                if (!loop.isRunning() || loop.onLoopContext()) {
                    owner.pending.remove(this);
                } else {
                    try {
                        loop.callSoonThreadsafe(() -> owner.pending.remove(this));
                    } catch (IllegalStateException closed) {
                        // nothing left to forget
                    }
                }
                Cleaner.Cleanable c = cleanable;
                if (c != null) {
                    c.clean();
                }
            }
        }

        /** Cleaner thread: the future was collected with its exception unretrieved. */
        @Override
        public void run() {
            EventLoop loop = owner.loop;
            if (reported.get() || loop.isClosed() || loop.closing) {
                return;
            }
            try {
                loop.callSoonThreadsafe(() -> owner.report(this));
            } catch (IllegalStateException closed) {
                // close() reported it
            }
        }
    }
}
