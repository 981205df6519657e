package dev.aio4j.test;

import dev.aio4j.loop.Schedule;
import dev.aio4j.test.internal.LoopTestRunner;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
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
public final class AioExtension implements InvocationInterceptor, ParameterResolver, AfterEachCallback {
    /*
     * Maintainer note. A test that does not explore runs on one LoopTestRunner.Session, kept in
     * the test method's store: the first @BeforeEach creates it, else the body does; every
     * @BeforeEach, the body and every @AfterEach run on it, in turn. The leak check runs when the
     * test ends, in afterEach() (JUnit calls it after the last @AfterEach method): tasks still
     * pending then fail the test, except those a @BeforeEach left running (spared when it
     * returned), so a task the body starts and an @AfterEach stops is no leak, and one an
     * @AfterEach leaves behind is. afterEach() then closes the session (shutting the loop down
     * and failing on errors it reported); the store's close is a second, idempotent one.
     * Explored runs need a fresh loop each, with its own schedule: each run checks its own leaks
     * when its body returns, and the fixtures stay on the stored session.
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
        StoredSession stored = stored(context, cfg);
        String phase = context.getDisplayName() + " " + kind + " " + call.getExecutable().getName();
        // A fixture may start servers or tasks that the test uses: the leak check comes at the end.
        stored.session.run(phase, () -> {
            try {
                invocation.proceed();
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            return null;
        }, false);
        if (kind.equals("@BeforeEach")) {
            stored.session.spareRunningTasks(); // what the fixture left running is for the test to use
        } else {
            stored.afterEachRan = true;
        }
    }

    private static StoredSession stored(ExtensionContext context, AioTest cfg) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(StoredSession.class,
                k -> new StoredSession(new LoopTestRunner.Session(options(cfg), fixedSchedule(cfg),
                        context.getDisplayName())), StoredSession.class);
    }

    /**
     * Ends a test that ran on a stored session, after its last {@code @AfterEach}: fails it if
     * tasks other than those its {@code @BeforeEach} methods left running are still pending
     * (after a body that passed), then closes the loop.
     *
     * @param context the test's context
     */
    @Override
    public void afterEach(ExtensionContext context) {
        AioTest cfg = context.getTestMethod().map(m -> m.getAnnotation(AioTest.class)).orElse(null);
        StoredSession stored = cfg == null ? null : context.getStore(NAMESPACE).get(StoredSession.class, StoredSession.class);
        if (stored == null) {
            return;
        }
        if (stored.bodyPassed) {
            try {
                stored.session.checkLeaks(context.getDisplayName(),
                        stored.afterEachRan ? "after the last @AfterEach" : "when the test body returned");
            } catch (AssertionError leak) {
                stored.session.closeQuietly(leak);
                throw leak;
            }
        }
        stored.session.close();
    }

    private static LoopTestRunner.Options options(AioTest cfg) {
        return new LoopTestRunner.Options(cfg.clock(), cfg.timeout(), cfg.allowPendingTasks(), cfg.allowUnclosedTransports());
    }

    /** The schedule of a run that does not explore: FIFO, or the one {@code seed} names. */
    private static Schedule fixedSchedule(AioTest cfg) {
        return cfg.seed() == AioTest.NO_SEED ? null : Schedule.seeded(cfg.seed(), cfg.maxJitter());
    }

    /**
     * The session of one test and what {@link #afterEach} needs to know of it. Closed by
     * {@code afterEach}; JUnit's close when the test's context ends is then a no-op.
     */
    private static final class StoredSession implements ExtensionContext.Store.CloseableResource {
        final LoopTestRunner.Session session;
        /** The body ran on this session and passed: the leak check applies. */
        boolean bodyPassed;
        /** An @AfterEach ran on it: the check happens after it, and says so. */
        boolean afterEachRan;

        StoredSession(LoopTestRunner.Session session) {
            this.session = session;
        }

        @Override
        public void close() {
            session.close();
        }
    }

    /** The type name of a body parameter the simulated network is given to (no link to aio-streams here). */
    private static final String SIM_NETWORK = "dev.aio4j.test.net.SimNetwork";

    /**
     * Supports a {@code SimNetwork} parameter of an {@code @AioTest(network = ...)} body.
     *
     * @param parameter the parameter
     * @param context the test's context
     * @return whether this extension resolves it
     */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        AioTest cfg = context.getTestMethod().map(m -> m.getAnnotation(AioTest.class)).orElse(null);
        return cfg != null && cfg.network().length > 0 && parameter.getDeclaringExecutable() instanceof Method
                && parameter.getParameter().getType().getName().equals(SIM_NETWORK);
    }

    /**
     * A placeholder: each run of the body gets a fresh, installed network in its place.
     *
     * @param parameter the parameter
     * @param context the test's context
     * @return a network, not yet installed
     */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        AioTest cfg = context.getRequiredTestMethod().getAnnotation(AioTest.class);
        return dev.aio4j.test.internal.SimNetworkSupport.create(cfg.network(), 0);
    }

    /** The seed of a run's simulated network. */
    private static long networkSeed(AioTest cfg, long runSeed) {
        return cfg.networkSeed() != AioTest.NO_SEED ? cfg.networkSeed() : runSeed != AioTest.NO_SEED ? runSeed : 0;
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
            // On the loop the @BeforeEach methods ran on, if any, and the @AfterEach methods will;
            // afterEach() checks for leaks when they are done.
            StoredSession stored = stored(context, cfg);
            stored.session.run(what, body(method, target, args, cfg, cfg.seed()), false);
            stored.bodyPassed = true;
            return;
        }
        // Each explored run needs a fresh loop with its own schedule; fixtures stay on theirs.
        long first = cfg.seed() == AioTest.NO_SEED ? 1 : cfg.seed();
        for (int i = 0; i < cfg.explore(); i++) {
            long seed = first + i;
            Schedule schedule = Schedule.seeded(seed, cfg.maxJitter());
            String run = what + " [seed " + seed + "]";
            try {
                LoopTestRunner.run(base, schedule, run, body(method, target, args, cfg, seed));
            } catch (org.opentest4j.TestAbortedException skipped) {
                throw skipped; // an assumption failed: the test is skipped, not failed, and the other seeds need not run
            } catch (Throwable failure) {
                throw withReplay(failure, run + " failed under " + schedule + "; replay it with @AioTest(seed = "
                        + seed + "L, maxJitter = " + cfg.maxJitter() + ")");
            }
        }
    }

    private static dev.aio4j.loop.Coroutine<Void> body(Method method, Object target, List<Object> args, AioTest cfg,
                                                       long runSeed) {
        return () -> {
            Object[] actual = args.toArray();
            Object net = null;
            if (cfg.network().length > 0) {
                net = dev.aio4j.test.internal.SimNetworkSupport.create(cfg.network(), networkSeed(cfg, runSeed));
                dev.aio4j.test.internal.SimNetworkSupport.install(net);
                Class<?>[] types = method.getParameterTypes();
                for (int i = 0; i < actual.length; i++) {
                    if (types[i].getName().equals(SIM_NETWORK)) {
                        actual[i] = net;
                    }
                }
            }
            try {
                method.invoke(target, actual);
            } catch (InvocationTargetException e) {
                Throwable t = e.getCause();
                // A skipped test (an assumption that failed) stays skipped: only failures get the replay.
                if (net != null && !(t instanceof dev.aio4j.loop.CancelledError)
                        && !(t instanceof org.opentest4j.TestAbortedException)) {
                    t = withReplay(t, dev.aio4j.test.internal.SimNetworkSupport.report(net));
                }
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
