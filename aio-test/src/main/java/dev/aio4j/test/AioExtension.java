package dev.aio4j.test;

import dev.aio4j.loop.Schedule;
import dev.aio4j.test.internal.LoopTestRunner;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.AssertionFailedError;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * The JUnit 5 extension behind {@link AioTest}; use the annotation rather than this class.
 *
 * <p><b>asyncio:</b> the machinery of {@code unittest.IsolatedAsyncioTestCase} (aio4j-only
 * beyond that).
 *
 * @since 0.1
 */
public final class AioExtension implements InvocationInterceptor {
    /*
     * Maintainer note. Without @BeforeEach/@AfterEach methods a test runs exactly as before: one
     * fresh loop per run of the body (per seed under explore). When the class has them, the
     * first of them creates a LoopTestRunner.Session in the test method's store; the other
     * lifecycle methods and the test body (unless it explores) run on it, and JUnit closes it
     * (shutting the loop down and failing on errors it reported) when the test's context ends,
     * after the last @AfterEach.
     */
    private static final Namespace NAMESPACE = Namespace.create(AioExtension.class);

    /** Created by JUnit through {@code @ExtendWith}. */
    public AioExtension() {
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                          ExtensionContext context) throws Throwable {
        runLifecycle(invocation, call, context, "@BeforeEach");
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                         ExtensionContext context) throws Throwable {
        runLifecycle(invocation, call, context, "@AfterEach");
    }

    private static void runLifecycle(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                     ExtensionContext context, String kind) throws Throwable {
        AioTest cfg = context.getTestMethod().map(m -> m.getAnnotation(AioTest.class)).orElse(null);
        if (cfg == null) {
            invocation.proceed();
            return;
        }
        LoopTestRunner.Session session = session(context, cfg);
        String phase = context.getDisplayName() + " " + kind + " " + call.getExecutable().getName();
        // A fixture may start servers or tasks that the test uses: no leak check here.
        session.run(phase, () -> {
            try {
                invocation.proceed();
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            return null;
        }, false);
    }

    private static LoopTestRunner.Session session(ExtensionContext context, AioTest cfg) {
        StoredSession stored = context.getStore(NAMESPACE).getOrComputeIfAbsent(StoredSession.class,
                k -> new StoredSession(new LoopTestRunner.Session(options(cfg), fixedSchedule(cfg),
                        context.getDisplayName())), StoredSession.class);
        return stored.session;
    }

    private static LoopTestRunner.Options options(AioTest cfg) {
        return new LoopTestRunner.Options(cfg.clock(), cfg.timeout(), cfg.allowPendingTasks());
    }

    /** The schedule of a run that does not explore: FIFO, or the one {@code seed} names. */
    private static Schedule fixedSchedule(AioTest cfg) {
        return cfg.seed() == AioTest.NO_SEED ? null : Schedule.seeded(cfg.seed(), cfg.maxJitter());
    }

    /** Closed by JUnit when the test's context ends: after the last @AfterEach. */
    private record StoredSession(LoopTestRunner.Session session) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            session.close();
        }
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                    ExtensionContext context) throws Throwable {
        Method method = call.getExecutable();
        AioTest cfg = method.getAnnotation(AioTest.class);
        if (cfg == null) {
            invocation.proceed();
            return;
        }
        invocation.skip();
        Object target = call.getTarget().orElse(null);
        List<Object> args = call.getArguments();
        method.setAccessible(true);
        String what = context.getDisplayName();
        LoopTestRunner.Options base = options(cfg);
        if (cfg.explore() <= 0) {
            StoredSession stored = context.getStore(NAMESPACE).get(StoredSession.class, StoredSession.class);
            if (stored != null) {
                // @BeforeEach ran on a loop: the body runs on the same one.
                stored.session().run(what, body(method, target, args), true);
            } else {
                LoopTestRunner.run(base, fixedSchedule(cfg), what, body(method, target, args));
            }
            return;
        }
        // Each explored run needs a fresh loop with its own schedule; fixtures stay on theirs.
        long first = cfg.seed() == AioTest.NO_SEED ? 1 : cfg.seed();
        for (int i = 0; i < cfg.explore(); i++) {
            long seed = first + i;
            Schedule schedule = Schedule.seeded(seed, cfg.maxJitter());
            String run = what + " [seed " + seed + "]";
            try {
                LoopTestRunner.run(base, schedule, run, body(method, target, args));
            } catch (Throwable failure) {
                throw withReplay(failure, run + " failed under " + schedule + "; replay it with @AioTest(seed = "
                        + seed + "L, maxJitter = " + cfg.maxJitter() + ")");
            }
        }
    }

    private static dev.aio4j.loop.Coroutine<Void> body(Method method, Object target, List<Object> args) {
        return () -> {
            try {
                method.invoke(target, args.toArray());
            } catch (InvocationTargetException e) {
                Throwable t = e.getCause();
                if (t instanceof Exception ex) {
                    throw ex;
                }
                throw (Error) t;
            }
            return null;
        };
    }

    /**
     * The failure of an explored run, with how to replay it in front of its message. An
     * assertion that carries expected and actual values stays an {@link AssertionFailedError}
     * with the same values, so IDEs still show the comparison.
     */
    static Throwable withReplay(Throwable failure, String replay) {
        String message = replay + ": " + failure;
        Throwable out;
        if (failure instanceof AssertionFailedError afe) {
            out = afe.isExpectedDefined() || afe.isActualDefined()
                    ? new AssertionFailedError(message, afe.isExpectedDefined() ? afe.getExpected().getEphemeralValue() : null,
                            afe.isActualDefined() ? afe.getActual().getEphemeralValue() : null, failure)
                    : new AssertionFailedError(message, failure);
        } else {
            out = new AssertionError(message, failure);
        }
        return out;
    }
}
