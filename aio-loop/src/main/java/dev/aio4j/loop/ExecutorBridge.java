package dev.aio4j.loop;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The loop's bridge to blocking work on other threads: {@code run_in_executor}, the default
 * executor and {@code shutdown_default_executor} (asyncio's {@code base_events.py}), and the
 * count of jobs that will still call back (which keeps a virtual clock from jumping).
 * Package-private.
 */
final class ExecutorBridge {
    private static final System.Logger LOG = System.getLogger("dev.aio4j.loop");

    private final EventLoop loop;
    private final long loopId;
    private volatile ExecutorService defaultExecutor;
    /** shutdownDefaultExecutor was called (asyncio's _executor_shutdown_called); loop side only. */
    private boolean shutdownCalled;
    /** Jobs on other threads that will still call back through callSoonThreadsafe. */
    private final AtomicInteger externalPending = new AtomicInteger();
    private final AtomicInteger executorThreads = new AtomicInteger();

    ExecutorBridge(EventLoop loop, long loopId) {
        this.loop = loop;
        this.loopId = loopId;
    }

    /** Whether work on another thread will still call back into the loop. */
    boolean hasPendingWork() {
        return externalPending.get() > 0;
    }

    /**
     * Other thread: a job ended, after it sent its result with callSoonThreadsafe. The count drops
     * only now, so that a virtual clock cannot jump before the result is queued; but the loop may
     * meanwhile have gone idle waiting (really) because the count was not yet zero, so wake it to
     * look again (otherwise it waits forever when only timers are left).
     */
    private void jobEnded() {
        if (externalPending.decrementAndGet() == 0) {
            loop.wakeup();
        }
    }

    /** Caller has checked the thread and that the loop is open. */
    <T> Future<T> runInExecutor(Executor executor, Callable<T> fn) {
        if (executor == null && shutdownCalled) { // asyncio's _check_default_executor
            throw new IllegalStateException("Executor shutdown has been called: shutdownDefaultExecutor() shut this loop's "
                    + "default executor down for good, so blocking work (Aio.toThread, runInExecutor(null, ...), getaddrinfo) "
                    + "can no longer run on it; run it before the shutdown, or pass an executor of your own to runInExecutor");
        }
        Executor ex = executor != null ? executor : defaultExecutor();
        Future<T> f = new Future<>(loop);
        AtomicBoolean cancelled = new AtomicBoolean();
        f.addCallbackObject((Consumer<Future<T>>) done -> {
            if (done.cancelled()) {
                cancelled.set(true);
            }
        });
        Context context = Context.copyContext(); // asyncio.to_thread's rule, for every executor job
        externalPending.incrementAndGet();
        try {
            ex.execute(() -> {
                T value = null;
                Throwable error = null;
                if (!cancelled.get()) {
                    try {
                        value = context.run(fn::call);
                    } catch (Throwable e) {
                        error = e;
                    }
                }
                T v = value;
                Throwable err = error;
                try {
                    loop.callSoonThreadsafe(() -> {
                        if (!f.done()) {
                            if (err != null) {
                                f.setExceptionInternal(err);
                            } else {
                                f.setResultInternal(v);
                            }
                        }
                    });
                } catch (IllegalStateException closedMeanwhile) {
                    // the loop is closed: nobody can observe the result any more
                } finally {
                    jobEnded();
                }
            });
        } catch (RejectedExecutionException e) {
            externalPending.decrementAndGet();
            f.setExceptionInternal(e);
        }
        return f;
    }

    private ExecutorService defaultExecutor() {
        ExecutorService ex = defaultExecutor;
        if (ex == null) {
            int n = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
            // Pooled threads inherit no InheritableThreadLocal values: a thread created while one
            // task's job ran would otherwise keep that task's values (an MDC) for every later job.
            ThreadPoolExecutor tpe = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r ->
                    Thread.ofPlatform().daemon(true).inheritInheritableThreadLocals(false)
                            .name("aio4j-executor-" + loopId + "-" + executorThreads.incrementAndGet()).unstarted(r));
            tpe.allowCoreThreadTimeOut(true);
            defaultExecutor = ex = tpe;
        }
        return ex;
    }

    /** EventLoop.close(): shut the default executor down without waiting. */
    void shutdownWithoutWaiting() {
        ExecutorService ex = defaultExecutor;
        if (ex != null) {
            ex.shutdown();
        }
    }

    /** Suspends the calling task until the default executor's threads are done, at most {@code timeout} s. */
    void shutdownDefaultExecutor(double timeout) {
        shutdownCalled = true; // even with no executor made yet, as asyncio
        ExecutorService ex = defaultExecutor;
        if (ex == null) {
            return;
        }
        ex.shutdown();
        if (ex.isTerminated()) {
            return;
        }
        Future<Boolean> done = new Future<>(loop);
        externalPending.incrementAndGet();
        Thread.ofPlatform().daemon(true).name("aio4j-executor-shutdown-" + loopId).start(() -> {
            boolean ok;
            try {
                ok = ex.awaitTermination((long) (timeout * 1000), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                ok = false;
            }
            boolean result = ok;
            try {
                loop.callSoonThreadsafe(() -> {
                    if (!done.done()) {
                        done.setResultInternal(result);
                    }
                });
            } catch (IllegalStateException closedMeanwhile) {
                // nothing to report to
            } finally {
                jobEnded();
            }
        });
        if (!done.await()) {
            LOG.log(System.Logger.Level.WARNING, () -> "The default executor did not finish joining its threads within "
                    + timeout + " seconds");
        }
    }

    /** loop.set_default_executor: later jobs with a null executor go to {@code executor}. */
    void setDefaultExecutor(ExecutorService executor) {
        defaultExecutor = executor;
    }
}
