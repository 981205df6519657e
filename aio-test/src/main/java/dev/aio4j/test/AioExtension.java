package dev.aio4j.test;

import dev.aio4j.loop.Schedule;
import dev.aio4j.test.internal.LoopTestRunner;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

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

    /** Created by JUnit through {@code @ExtendWith}. */
    public AioExtension() {
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
        LoopTestRunner.Options base = new LoopTestRunner.Options(cfg.clock(), cfg.timeout(), cfg.allowPendingTasks());
        if (cfg.explore() <= 0) {
            Schedule s = cfg.seed() == AioTest.NO_SEED ? null : Schedule.seeded(cfg.seed(), cfg.maxJitter());
            runOnce(method, target, args, base, s, what, cfg);
            return;
        }
        long first = cfg.seed() == AioTest.NO_SEED ? 1 : cfg.seed();
        for (int i = 0; i < cfg.explore(); i++) {
            long seed = first + i;
            runOnce(method, target, args, base, Schedule.seeded(seed, cfg.maxJitter()), what + " [seed " + seed + "]", cfg);
        }
    }

    private static void runOnce(Method method, Object target, List<Object> args, LoopTestRunner.Options options,
                                Schedule schedule, String what, AioTest cfg) throws Throwable {
        try {
            LoopTestRunner.run(options, schedule, what, () -> {
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
            });
        } catch (Throwable failure) {
            if (schedule == null) {
                throw failure;
            }
            throw new AssertionError(what + " failed under " + schedule + "; replay it with @AioTest(seed = "
                    + seedOf(schedule) + "L, maxJitter = " + cfg.maxJitter() + "): " + failure, failure);
        }
    }

    private static String seedOf(Schedule s) {
        String t = s.toString();
        int a = t.indexOf("seed=") + 5;
        int b = t.indexOf(',', a);
        return t.substring(a, b);
    }
}
