package dev.aio4j.test;

import dev.aio4j.loop.Schedule;
import dev.aio4j.test.internal.LoopTestRunner;
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
public final class AioExtension implements InvocationInterceptor, ParameterResolver {
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
            StoredSession stored = context.getStore(NAMESPACE).get(StoredSession.class, StoredSession.class);
            if (stored != null) {
                // @BeforeEach ran on a loop: the body runs on the same one.
                stored.session().run(what, body(method, target, args, cfg, cfg.seed()), true);
            } else {
                LoopTestRunner.run(base, fixedSchedule(cfg), what, body(method, target, args, cfg, cfg.seed()));
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
                LoopTestRunner.run(base, schedule, run, body(method, target, args, cfg, seed));
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
