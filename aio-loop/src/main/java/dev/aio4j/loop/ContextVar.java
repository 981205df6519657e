package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;

import java.util.NoSuchElementException;

/**
 * A variable whose value depends on the {@link Context} it is read in: each task sees the value
 * its own chain of creators set, never a sibling's. The replacement for {@code ThreadLocal} in
 * code that runs on a loop (a request id, a logging context, a deadline).
 *
 * <pre>{@code
 * static final ContextVar<String> REQUEST = new ContextVar<>("request", "-");
 *
 * REQUEST.set("r42");
 * Aio.createTask(() -> log(REQUEST.get()));   // "r42", in this task and every task it starts
 * }</pre>
 *
 * <p><b>asyncio:</b> {@code contextvars.ContextVar} (PEP 567). <b>Differences:</b> {@link #get()}
 * of a variable with no value and no default throws {@link NoSuchElementException} where Python
 * raises {@code LookupError}; {@code get(default)} is {@link #get(Object)}. Create variables once,
 * in static fields: a context holds a strong reference to every variable it has a value for.
 *
 * <p><b>Threading:</b> any thread; a thread that is neither a task nor a loop callback has its own
 * current context.
 *
 * @param <T> the value type
 * @since 0.1
 */
public final class ContextVar<T> {
    private final String name;
    private final boolean hasDefault;
    private final T defaultValue;

    /**
     * A variable without a default.
     *
     * @param name its name, for messages
     */
    public ContextVar(String name) {
        this.name = Checks.notNull(name, "name");
        this.hasDefault = false;
        this.defaultValue = null;
    }

    /**
     * A variable with a default, returned by {@link #get()} where it has no value.
     *
     * @param name its name, for messages
     * @param defaultValue the default (may be null)
     */
    public ContextVar(String name, T defaultValue) {
        this.name = Checks.notNull(name, "name");
        this.hasDefault = true;
        this.defaultValue = defaultValue;
    }

    /**
     * The name given at creation.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The value in the current context, else the variable's default.
     *
     * @return the value
     * @throws NoSuchElementException if there is neither (Python's {@code LookupError})
     */
    public T get() {
        Context.Vars v = Context.current().vars;
        int i = v.indexOf(this);
        if (i >= 0) {
            return cast(v.values[i]);
        }
        if (hasDefault) {
            return defaultValue;
        }
        throw new NoSuchElementException(this + " has no value in the current context and no default");
    }

    /**
     * The value in the current context, else {@code otherwise} (which wins over the variable's
     * default, as in Python).
     *
     * @param otherwise the fallback
     * @return the value or {@code otherwise}
     */
    public T get(T otherwise) {
        Context.Vars v = Context.current().vars;
        int i = v.indexOf(this);
        return i >= 0 ? cast(v.values[i]) : otherwise;
    }

    /**
     * Sets the value in the current context.
     *
     * @param value the new value (may be null)
     * @return a token that {@link #reset} takes to restore the previous value
     */
    public Token<T> set(T value) {
        Context c = Context.current();
        Context.Vars v = c.vars;
        int i = v.indexOf(this);
        Token<T> token = new Token<>(c, this, i >= 0 ? v.values[i] : Token.MISSING);
        c.vars = v.with(this, value);
        return token;
    }

    /**
     * Restores the value the variable had before the {@link #set} that returned {@code token}
     * (or removes it, if it had none).
     *
     * @param token from {@link #set} of this variable in the current context
     * @throws IllegalStateException if the token was used already (Python's {@code RuntimeError})
     * @throws IllegalArgumentException if the token comes from another variable or was created in
     *     another context (Python's {@code ValueError})
     */
    public void reset(Token<T> token) {
        Checks.notNull(token, "token");
        if (token.used) {
            throw new IllegalStateException(token + " has already been used once");
        }
        if (token.var() != this) {
            throw new IllegalArgumentException(token + " was created by a different ContextVar, not by " + this);
        }
        Context c = Context.current();
        if (token.context != c) {
            throw new IllegalArgumentException(token + " was created in a different Context");
        }
        c.vars = token.oldValue() == Token.MISSING ? c.vars.without(this) : c.vars.with(this, token.oldValue());
        token.used = true;
    }

    @SuppressWarnings("unchecked")
    T cast(Object value) {
        return (T) value;
    }

    @Override
    public String toString() {
        return "ContextVar[name=" + name + (hasDefault ? ", default=" + defaultValue : "") + "]";
    }
}
