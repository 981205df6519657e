package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A mapping from {@link ContextVar}s to their values: the logging and request context that
 * follows a piece of work through tasks, callbacks and executor jobs.
 *
 * <p><b>asyncio:</b> {@code contextvars.Context} (PEP 567), with {@code copy_context()} as
 * {@link #copyContext()}. <b>Differences:</b> Java has no keyword arguments, so
 * {@link #run(Body)} takes a lambda; {@code ctx[var]} is {@link #get(ContextVar)} and throws
 * {@link NoSuchElementException} (Python's {@code KeyError}); iteration yields the variables
 * that have a value, in the order they were first set.
 *
 * <h2>How contexts flow (asyncio's rules)</h2>
 * Every thread has a current context. A task runs in a copy of the context that was current
 * where it was created (or in the one given to
 * {@link Aio#createTask(Coroutine, String, Context)}); a callback ({@code callSoon},
 * {@code callLater}, {@code callAt}, {@code callSoonThreadsafe}, a done-callback) runs in a copy
 * taken when it was scheduled; {@link EventLoop#runInExecutor} and {@link Aio#toThread} run
 * their function in a copy taken when they were called. So a value set by a task is seen by the
 * tasks, callbacks and executor jobs it starts afterwards, and never by its parent or siblings.
 *
 * <h2>Cost</h2>
 * The mapping is immutable and replaced on every {@link ContextVar#set}: a copy is O(1) (the
 * copy shares the mapping), {@code set} and {@code get} are O(n) in the number of variables
 * with a value in the context (a copy-on-write array, not CPython's HAMT: contexts hold a
 * handful of variables, where arrays beat trees).
 *
 * <p><b>Threading:</b> a context can be entered by one thread at a time; {@link #run} refuses
 * a context that is already entered.
 *
 * @since 0.1
 */
public final class Context implements Iterable<ContextVar<?>> {
    /*
     * Maintainer notes. `vars` is an immutable Vars snapshot; ContextVar.set replaces it in the
     * thread's current Context. CURRENT is the thread's current Context, created empty on first
     * use. A task's virtual thread sets CURRENT to the task's context once, at the start of its
     * body (the thread runs nothing else); a loop callback with a captured context switches the
     * loop thread's CURRENT around the callback (Handle.run). `entered` is asyncio's
     * "already entered" check for run().
     */
    static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();

    volatile Vars vars;
    /**
     * Set while a thread is inside this context. A plain field behind a VarHandle rather than an
     * AtomicBoolean: every scheduled callback gets a Context copy, so this saves an allocation
     * on the loop's hot path.
     */
    @SuppressWarnings("unused") // accessed through ENTERED
    private volatile boolean entered;
    private static final VarHandle ENTERED;

    static {
        try {
            ENTERED = MethodHandles.lookup().findVarHandle(Context.class, "entered", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A new, empty context ({@code contextvars.Context()}). */
    public Context() {
        this(Vars.EMPTY);
    }

    private Context(Vars vars) {
        this.vars = vars;
    }

    /**
     * A copy of the calling thread's current context: in a task, the task's context; in a loop
     * callback, the callback's. O(1).
     *
     * <p><b>asyncio:</b> {@code contextvars.copy_context()}.
     *
     * @return a new context with the same values
     */
    public static Context copyContext() {
        return new Context(current().vars);
    }

    /** The calling thread's current context, created empty on first use. */
    static Context current() {
        Context c = CURRENT.get();
        if (c == null) {
            c = new Context();
            CURRENT.set(c);
        }
        return c;
    }

    /**
     * A copy of this context. O(1).
     *
     * @return a new context with the same values
     */
    public Context copy() {
        return new Context(vars);
    }

    /**
     * Runs {@code body} with this context as the calling thread's current one, then restores the
     * previous context. Values the body sets stay in this context.
     *
     * @param body the code to run
     * @throws IllegalStateException if this context is already entered (by this or another thread)
     */
    public void run(Runnable body) {
        Checks.notNull(body, "body");
        Context prev = enter();
        try {
            body.run();
        } finally {
            exit(prev);
        }
    }

    /**
     * Runs {@code body} with this context as the calling thread's current one and returns its
     * result; its exception (checked or not) passes through unchanged, as from a direct call.
     *
     * @param body the code to run
     * @param <T> the result type
     * @param <E> the checked exception the body may throw
     * @return what {@code body} returned
     * @throws E what {@code body} threw
     * @throws IllegalStateException if this context is already entered (by this or another thread)
     */
    public <T, E extends Exception> T run(Body<T, E> body) throws E {
        Checks.notNull(body, "body");
        Context prev = enter();
        try {
            return body.call();
        } finally {
            exit(prev);
        }
    }

    Context enter() {
        if (!ENTERED.compareAndSet(this, false, true)) {
            throw new IllegalStateException("cannot enter context: " + this + " is already entered");
        }
        Context prev = CURRENT.get();
        CURRENT.set(this);
        return prev;
    }

    void exit(Context prev) {
        if (prev == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(prev);
        }
        ENTERED.setVolatile(this, false);
    }

    /**
     * The value of {@code var} in this context.
     *
     * <p><b>asyncio:</b> {@code ctx[var]}.
     *
     * @param var the variable
     * @param <T> the value type
     * @return its value
     * @throws NoSuchElementException if {@code var} has no value here (Python's {@code KeyError};
     *     a default of the variable does not count)
     */
    public <T> T get(ContextVar<T> var) {
        Checks.notNull(var, "var");
        int i = vars.indexOf(var);
        if (i < 0) {
            throw new NoSuchElementException(var + " has no value in " + this);
        }
        return var.cast(vars.values[i]);
    }

    /**
     * The value of {@code var} in this context, or {@code otherwise}.
     *
     * @param var the variable
     * @param otherwise returned if {@code var} has no value here
     * @param <T> the value type
     * @return the value or {@code otherwise}
     */
    public <T> T get(ContextVar<T> var, T otherwise) {
        Checks.notNull(var, "var");
        int i = vars.indexOf(var);
        return i < 0 ? otherwise : var.cast(vars.values[i]);
    }

    /**
     * Whether {@code var} has a value in this context ({@code var in ctx}).
     *
     * @param var the variable
     * @return true if it has one
     */
    public boolean contains(ContextVar<?> var) {
        return vars.indexOf(var) >= 0;
    }

    /**
     * How many variables have a value here ({@code len(ctx)}).
     *
     * @return the count
     */
    public int size() {
        return vars.keys.length;
    }

    /**
     * The variables that have a value here, in the order they were first set.
     *
     * @return an iterator over a snapshot
     */
    @Override
    public Iterator<ContextVar<?>> iterator() {
        return Collections.unmodifiableList(List.of(vars.keys)).iterator();
    }

    /**
     * A snapshot of the variables and their values ({@code dict(ctx.items())}).
     *
     * @return an unmodifiable map in the order the variables were first set
     */
    public Map<ContextVar<?>, Object> toMap() {
        Vars v = vars;
        Map<ContextVar<?>, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < v.keys.length; i++) {
            m.put(v.keys[i], v.values[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (ContextVar<?> k : vars.keys) {
            names.add(k.name());
        }
        return "Context@" + Integer.toHexString(System.identityHashCode(this)) + names;
    }

    /**
     * The code {@link #run(Body)} runs: a value-returning lambda whose checked exception the
     * compiler infers, so a body that throws none needs no {@code catch}.
     *
     * @param <T> the result type
     * @param <E> the checked exception, {@link RuntimeException} if none
     * @since 0.1
     */
    @FunctionalInterface
    public interface Body<T, E extends Exception> {
        /**
         * Runs the body.
         *
         * @return the result
         * @throws E its failure
         */
        T call() throws E;
    }

    /** An immutable copy-on-write array map keyed by ContextVar identity. */
    static final class Vars {
        static final Vars EMPTY = new Vars(new ContextVar<?>[0], new Object[0]);
        final ContextVar<?>[] keys;
        final Object[] values;

        private Vars(ContextVar<?>[] keys, Object[] values) {
            this.keys = keys;
            this.values = values;
        }

        int indexOf(ContextVar<?> var) {
            ContextVar<?>[] k = keys;
            for (int i = 0; i < k.length; i++) {
                if (k[i] == var) {
                    return i;
                }
            }
            return -1;
        }

        Vars with(ContextVar<?> var, Object value) {
            int i = indexOf(var);
            if (i >= 0) {
                Object[] v = values.clone();
                v[i] = value;
                return new Vars(keys, v);
            }
            int n = keys.length;
            ContextVar<?>[] k = java.util.Arrays.copyOf(keys, n + 1);
            Object[] v = java.util.Arrays.copyOf(values, n + 1);
            k[n] = var;
            v[n] = value;
            return new Vars(k, v);
        }

        Vars without(ContextVar<?> var) {
            int i = indexOf(var);
            if (i < 0) {
                return this;
            }
            int n = keys.length;
            ContextVar<?>[] k = new ContextVar<?>[n - 1];
            Object[] v = new Object[n - 1];
            System.arraycopy(keys, 0, k, 0, i);
            System.arraycopy(keys, i + 1, k, i, n - i - 1);
            System.arraycopy(values, 0, v, 0, i);
            System.arraycopy(values, i + 1, v, i, n - i - 1);
            return new Vars(k, v);
        }
    }
}
