package dev.aio4j.loop;

/**
 * What {@link ContextVar#set} returns: enough to undo that set with {@link ContextVar#reset},
 * once, in the same context.
 *
 * <pre>{@code
 * Token<String> t = REQUEST.set("r42");
 * try { ... } finally { REQUEST.reset(t); }
 * }</pre>
 *
 * <p><b>asyncio:</b> {@code contextvars.Token}. <b>Differences:</b> {@link #MISSING} is a plain
 * object rather than {@code Token.MISSING}'s own type.
 *
 * @param <T> the variable's value type
 * @since 0.1
 */
public final class Token<T> {
    /** {@link #oldValue()} of a token whose variable had no value before the set. */
    public static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "<Token.MISSING>";
        }
    };

    final Context context;
    private final ContextVar<T> var;
    private final Object oldValue;
    boolean used;

    Token(Context context, ContextVar<T> var, Object oldValue) {
        this.context = context;
        this.var = var;
        this.oldValue = oldValue;
    }

    /**
     * The variable that created this token.
     *
     * @return the variable
     */
    public ContextVar<T> var() {
        return var;
    }

    /**
     * The value the variable had before the set, or {@link #MISSING}.
     *
     * @return the old value or {@link #MISSING}
     */
    public Object oldValue() {
        return oldValue;
    }

    @Override
    public String toString() {
        return "Token[" + (used ? "used, " : "") + "var=" + var.name() + ", oldValue=" + oldValue + "]";
    }
}
