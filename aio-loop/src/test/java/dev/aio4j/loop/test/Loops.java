package dev.aio4j.loop.test;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.ThrowingCoroutine;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Runner;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.TaskFactory;
import dev.aio4j.loop.TestClocks;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs coroutines on loops with a virtual clock, so tests about time are instant. */
public final class Loops {
    private Loops() {}

    /** A new loop whose clock jumps to the next timer when idle; it starts at a random large time. */
    public static EventLoop virtualLoop() {
        EventLoop loop = EventLoop.create(TestClocks.autoJump());
        TaskFactory factory = taskFactoryOfNewLoops;
        if (factory != null) {
            loop.setTaskFactory(factory);
        }
        return loop;
    }

    /**
     * The task factory {@link #virtualLoop()} installs in each loop it makes, or null: a test
     * class that reruns another one's cases with {@code Aio.eagerTaskFactory()} (as CPython's
     * {@code TestEagerTaskTaskGroup} reruns {@code BaseTestTaskGroup}) sets it around each test.
     */
    public static volatile TaskFactory taskFactoryOfNewLoops;

    /**
     * A new loop made by {@code make} on the portable (baton-passing) scheduler, whatever
     * {@code -Daio4j.scheduler} says for the rest of the run: the mutation profile runs the
     * suite on one scheduler, and the tests of the portable scheduler's own paths must run in it
     * too. The scheduler is chosen when a loop is made, so the property is set for that moment:
     * another thread making a loop meanwhile would get the portable scheduler too, which is why
     * the suite must not run test classes in parallel (it does not: see junit-platform.properties).
     */
    public static synchronized EventLoop portable(java.util.function.Supplier<EventLoop> make) {
        String old = System.getProperty(SCHEDULER_PROPERTY);
        System.setProperty(SCHEDULER_PROPERTY, "portable");
        try {
            EventLoop loop = make.get();
            if (!loop.schedulerName().equals("portable")) {
                throw new AssertionError("asked for the portable scheduler, got " + loop.schedulerName());
            }
            return loop;
        } finally {
            if (old == null) {
                System.clearProperty(SCHEDULER_PROPERTY);
            } else {
                System.setProperty(SCHEDULER_PROPERTY, old);
            }
        }
    }

    /** A virtual-clock loop on the portable scheduler (see {@link #portable}). */
    public static EventLoop portableVirtualLoop() {
        return portable(Loops::virtualLoop);
    }

    private static final String SCHEDULER_PROPERTY = "aio4j.scheduler";

    /** {@code Aio.run(main)} on a virtual-clock loop. */
    public static <T, E extends Exception> T runVirtual(ThrowingCoroutine<T, E> main) throws E {
        try (Runner r = Runner.withLoopFactory(Loops::virtualLoop)) {
            return r.run(main);
        }
    }

    /** {@code Aio.run(main)} on a virtual-clock loop, with every report going to {@code handler}. */
    public static <T, E extends Exception> T runVirtual(RecordingExceptionHandler handler, ThrowingCoroutine<T, E> main) throws E {
        try (Runner r = Runner.withLoopFactory(() -> {
            EventLoop l = virtualLoop();
            l.setExceptionHandler(handler);
            return l;
        })) {
            return r.run(main);
        }
    }

    /** A test body that runs as the main task of a loop. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} as the main task of a virtual-clock loop and fails if the loop reported
     * anything to its exception handler (an exception never retrieved, a failing callback).
     */
    public static void inLoop(Body body) throws Exception {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        runVirtual(handler, () -> {
            body.run();
            return null;
        });
        handler.assertNothingReported();
    }

    /** Gives the loop {@code n} turns (asyncio's {@code await asyncio.sleep(0)}, n times). */
    public static void ticks(int n) {
        for (int i = 0; i < n; i++) {
            Aio.sleep(0);
        }
    }

    /** A named task running {@code body}. */
    public static Task<Object> task(String name, Body body) {
        return Aio.createTask(() -> {
            body.run();
            return null;
        }, name);
    }

    /**
     * Runs {@code use} on one virtual-clock loop, then again on a second one, and checks that the
     * second run is refused because the object {@code use} works on is bound to the first loop:
     * {@code IllegalStateException} with a message naming {@code what} and both loops.
     */
    public static void assertBoundToFirstLoop(String what, Body use) throws Exception {
        String[] loops = new String[2];
        inLoop(() -> {
            loops[0] = loopId(Aio.getRunningLoop());
            use.run();
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> inLoop(() -> {
            loops[1] = loopId(Aio.getRunningLoop());
            use.run();
        }));
        String msg = e.getMessage();
        assertTrue(msg.startsWith(what + " is bound to a different event loop: it was first used on " + loops[0] + ","),
                msg);
        assertTrue(msg.contains(" and is now used on " + loops[1] + ","), msg);
        assertTrue(msg.endsWith("; create one " + what + " per loop"), msg);
    }

    /** "EventLoop[id=N": the part of a loop's toString() that does not change with its state. */
    private static String loopId(EventLoop loop) {
        String s = loop.toString();
        return s.substring(0, s.indexOf(','));
    }

    /**
     * Seconds since the running loop's clock started (see {@link TestClocks#elapsed}): tests
     * state times from 0, while the loop itself runs at a random large offset.
     */
    public static double now() {
        return TestClocks.elapsed(Aio.getRunningLoop());
    }

    /** The running loop's time {@code seconds} after its clock started: a deadline for timeoutAt, callAt. */
    public static double at(double seconds) {
        return TestClocks.at(Aio.getRunningLoop(), seconds);
    }

    /** A loop time ({@code Timeout.when()}, {@code TimerHandle.when()}) as seconds since the running loop's clock started. */
    public static double sinceStart(double when) {
        return TestClocks.sinceStart(Aio.getRunningLoop(), when);
    }
}
