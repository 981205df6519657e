package dev.aio4j.bench.reference;

import dev.aio4j.bench.AbstractBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Reference point, not aio4j: the JDK's internal one-shot continuation
 * ({@code jdk.internal.vm.Continuation}) that virtual threads are built on, used directly. One
 * operation is one {@code run()} of a continuation that immediately {@code yield}s: the cost of
 * suspending and resuming a stack with none of {@link Thread}'s bookkeeping (state machine,
 * mount/unmount, carrier thread switch, interrupt and scoped-value hand-over).
 *
 * <p>This is the floor for any Java design that suspends ordinary sequential code, and the gap
 * between it and {@link VirtualThreadHandoffBenchmark#customScheduler()} is what the virtual
 * thread layer costs. Needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}, which
 * {@link AbstractBenchmark} gives every fork; aio4j itself does not use this API (it is not
 * supported outside the JDK).
 *
 * <p>No CPython twin.
 */
public class RawContinuationBenchmark extends AbstractBenchmark {
    public static final int YIELDS = 100_000;

    private static final Object SCOPE;
    private static final MethodHandle NEW_CONTINUATION; // (Object scope, Runnable) -> Object
    private static final MethodHandle RUN;              // (Object) -> void
    private static final MethodHandle YIELD;            // (Object scope) -> boolean
    private static final MethodHandle IS_DONE;          // (Object) -> boolean
    private static final String UNAVAILABLE;

    static {
        Object scope = null;
        MethodHandle nc = null;
        MethodHandle run = null;
        MethodHandle yield = null;
        MethodHandle done = null;
        String why = null;
        try {
            Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> contClass = Class.forName("jdk.internal.vm.Continuation");
            MethodHandles.Lookup l = MethodHandles.lookup();
            scope = l.findConstructor(scopeClass, MethodType.methodType(void.class, String.class)).invoke("aio4j-bench");
            nc = l.findConstructor(contClass, MethodType.methodType(void.class, scopeClass, Runnable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
            run = l.findVirtual(contClass, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            yield = l.findStatic(contClass, "yield", MethodType.methodType(boolean.class, scopeClass))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            done = l.findVirtual(contClass, "isDone", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
        } catch (Throwable e) {
            why = e.toString();
        }
        SCOPE = scope;
        NEW_CONTINUATION = nc;
        RUN = run;
        YIELD = yield;
        IS_DONE = done;
        UNAVAILABLE = why;
    }

    /** Yields per invocation (tests shrink it). */
    public int yields = YIELDS;

    private Object continuation;
    private long resumed;

    /** Whether the internal API is reachable (tests skip otherwise). */
    public static boolean available() {
        return UNAVAILABLE == null;
    }

    @Setup(Level.Trial)
    public void create() throws Throwable {
        if (!available()) {
            throw new IllegalStateException("needs --add-exports java.base/jdk.internal.vm=ALL-UNNAMED: " + UNAVAILABLE);
        }
        continuation = (Object) NEW_CONTINUATION.invokeExact(SCOPE, (Runnable) () -> {
            while (true) {
                resumed++;
                try {
                    boolean ok = (boolean) YIELD.invokeExact(SCOPE);
                    if (!ok) {
                        throw new IllegalStateException("continuation pinned");
                    }
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    /**
     * Runs the continuation {@code yields} times; each run returns at its next yield.
     *
     * @return how many times the body was resumed since the trial started
     * @throws Throwable if the continuation fails
     */
    @Benchmark
    @OperationsPerInvocation(YIELDS)
    public long runYield() throws Throwable {
        Object c = continuation;
        for (int i = 0; i < yields; i++) {
            RUN.invokeExact(c);
        }
        if ((boolean) IS_DONE.invokeExact(c)) {
            throw new IllegalStateException("the continuation ended");
        }
        return resumed;
    }
}
