package dev.aio4j.test.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Coroutine;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.loop.Runner;
import dev.aio4j.loop.Schedule;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.VirtualClock;
import dev.aio4j.loop.internal.OpenResources;
import dev.aio4j.test.ClockMode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs test code as main tasks of one loop and turns leaks into failures. Shared by
 * {@code AioExtension} and {@code Schedules.run}.
 *
 * <p>A {@link Session} is one loop (and its {@link Runner}) that several bodies run on in turn,
 * as {@code IsolatedAsyncioTestCase} runs asyncSetUp, the test and asyncTearDown on one runner:
 * {@code @BeforeEach}, the test method and {@code @AfterEach} of an {@code @AioTest}.
 */
public final class LoopTestRunner {
    private LoopTestRunner() {}

    /** How to run. */
    public record Options(ClockMode clock, double timeoutSeconds, boolean allowPendingTasks, boolean allowUnclosedTransports) {
        public Options {
            if (!(timeoutSeconds > 0)) {
                throw new IllegalArgumentException("timeout must be > 0 seconds, got " + timeoutSeconds);
            }
        }
    }

    /** Runs {@code body} on a fresh loop, checks it, and closes the loop. */
    public static <T> T run(Options options, Schedule schedule, String what, Coroutine<T> body) throws Exception {
        Session session = new Session(options, schedule, what);
        T result;
        try {
            result = session.run(what, body, true);
            session.checkLeaks(what, "when the test body returned");
        } catch (Throwable t) {
            session.closeQuietly(t);
            throw t;
        }
        session.close();
        return result;
    }

    /** One loop for several bodies; {@link #close()} shuts it down and reports what it saw. */
    public static final class Session implements AutoCloseable {
        private final Options options;
        private final String what;
        private final EventLoop loop;
        private final Runner runner;
        private final List<ExceptionContext> reports = new ArrayList<>();
        /** Tasks a fixture (@BeforeEach) left running for the test: not leaks ({@link #spareRunningTasks}). */
        private final Set<Task<?>> spared = Collections.newSetFromMap(new IdentityHashMap<>());
        /** Transports and servers a fixture left open for the test: not leaks either. */
        private final Set<Object> sparedResources = Collections.newSetFromMap(new IdentityHashMap<>());
        private boolean closed;

        public Session(Options options, Schedule schedule, String what) {
            this.options = options;
            this.what = what;
            if (options.clock() == ClockMode.REAL) {
                if (schedule != null && !schedule.isFifo()) {
                    throw new IllegalArgumentException(what + ": schedules need a virtual clock; use clock = VIRTUAL or MANUAL");
                }
                loop = EventLoop.create();
            } else {
                VirtualClock clock = options.clock() == ClockMode.MANUAL ? VirtualClock.manual() : VirtualClock.autoJump();
                loop = schedule == null ? EventLoop.create(clock) : EventLoop.create(clock, schedule);
            }
            OpenResources.track(loop);
            loop.setExceptionHandler((l, ctx) -> {
                synchronized (reports) {
                    reports.add(ctx);
                }
            });
            runner = Runner.withLoopFactory(() -> loop);
        }

        /**
         * Runs {@code body} as the main task; with {@code checkLeaks}, tasks it leaves pending fail
         * it (unless the options allow them). Errors the loop reported meanwhile fail it too.
         */
        public <T> T run(String phase, Coroutine<T> body, boolean checkLeaks) throws Exception {
            CountDownLatch finished = new CountDownLatch(1);
            String[] dump = new String[1];
            Task<?>[] main = new Task<?>[1];
            Thread watchdog = Thread.ofPlatform().daemon(true).name("aio4j-test-watchdog").start(() -> {
                try {
                    if (!finished.await((long) (options.timeoutSeconds() * 1000), TimeUnit.MILLISECONDS)) {
                        loop.callSoonThreadsafe(() -> {
                            dump[0] = loop.dumpTasks();
                            if (main[0] != null) {
                                main[0].cancel("test timed out");
                            }
                        });
                    }
                } catch (InterruptedException | IllegalStateException e) {
                    // finished, or the loop closed meanwhile
                }
            });
            String[] leaked = new String[1];
            T result;
            try {
                result = runner.run(() -> {
                    main[0] = Aio.currentTask();
                    T v = body.call();
                    List<Task<?>> others = new ArrayList<>(Aio.allTasks());
                    others.remove(Aio.currentTask());
                    others.removeAll(spared);
                    if (checkLeaks && !others.isEmpty() && !options.allowPendingTasks()) {
                        leaked[0] = leakMessage(others, "when the test body returned", loop);
                    }
                    return v;
                });
            } catch (CancelledError e) {
                if (dump[0] != null) {
                    throw new AssertionError(phase + " timed out after " + options.timeoutSeconds()
                            + " s of real time; the tasks at that moment:\n" + dump[0], e);
                }
                throw e;
            } finally {
                finished.countDown();
                watchdog.interrupt();
            }
            checkReports(phase);
            if (leaked[0] != null) {
                throw new AssertionError(phase + ": " + leaked[0]);
            }
            return result;
        }

        /**
         * The tasks running now are the fixtures' (a {@code @BeforeEach} just ran): {@link #checkLeaks}
         * does not count them.
         */
        public void spareRunningTasks() {
            for (Task<?> t : loop.allTasks()) {
                if (!t.done()) {
                    spared.add(t);
                }
            }
            sparedResources.addAll(OpenResources.stillOpen(loop));
        }

        /**
         * Fails if tasks other than the spared ones are still pending (unless the options allow
         * them), between bodies: at the end of a test, after its last {@code @AfterEach}.
         *
         * @param phase what the failure names first
         * @param when when the check runs, e.g. "after the last @AfterEach"
         */
        public void checkLeaks(String phase, String when) {
            if (!options.allowPendingTasks()) {
                List<Task<?>> left = new ArrayList<>();
                for (Task<?> t : loop.allTasks()) {
                    if (!t.done() && !spared.contains(t)) {
                        left.add(t);
                    }
                }
                if (!left.isEmpty()) {
                    throw new AssertionError(phase + ": " + leakMessage(left, when, loop));
                }
            }
            if (!options.allowUnclosedTransports()) {
                List<Object> open = new ArrayList<>(OpenResources.stillOpen(loop));
                open.removeIf(sparedResources::contains);
                if (!open.isEmpty()) {
                    throw new AssertionError(phase + ": " + open.size() + " transport(s) or server(s) still open " + when
                            + ": " + open + "; close them (transport.close(), writer.close(), server.close(), "
                            + "session.close()) before the test ends, or set @AioTest(allowUnclosedTransports = true)");
                }
            }
        }

        private static String leakMessage(List<Task<?>> left, String when, EventLoop loop) {
            return left.size() + " task(s) still pending " + when + ": " + left
                    + "; await them, cancel them, or create them in a TaskGroup (Aio.taskGroup)\n" + loop.dumpTasks();
        }

        private void checkReports(String phase) {
            List<ExceptionContext> seen;
            synchronized (reports) {
                seen = new ArrayList<>(reports);
                reports.clear();
            }
            if (!seen.isEmpty()) {
                AssertionError e = new AssertionError(phase + ": the loop reported " + seen.size()
                        + " error(s) that no caller received: " + seen.stream().map(ExceptionContext::message).toList());
                for (ExceptionContext c : seen) {
                    if (c.exception() != null) {
                        e.addSuppressed(c.exception());
                    }
                }
                throw e;
            }
        }

        /** Shuts the loop down (cancelling what is left) and fails on errors it reported meanwhile. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                runner.close();
            } finally {
                OpenResources.untrack(loop);
            }
            checkReports(what);
        }

        /**
         * Closes after {@code primary} failed: whatever closing finds is added to it, never lost.
         *
         * @param primary the failure that is reported
         */
        public void closeQuietly(Throwable primary) {
            try {
                close();
            } catch (Throwable t) {
                primary.addSuppressed(t);
            }
        }
    }
}
