package dev.aio4j.loop;

import java.util.ArrayList;
import java.util.List;

/**
 * Several exceptions raised together: what a {@link TaskGroup} throws when children failed.
 *
 * <p><b>asyncio:</b> Python's built-in {@code ExceptionGroup} / {@code BaseExceptionGroup} as
 * raised by {@code asyncio.TaskGroup}. <b>Differences:</b> Java has no {@code except*}; catch
 * this type and inspect {@link #exceptions()}. Each sub-exception is also attached with
 * {@link Throwable#addSuppressed}, so a printed stack trace shows all of them; the first one is
 * the cause.
 *
 * @since 0.1
 */
public class ExceptionGroup extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Throwable> exceptions;

    /**

     * Creates the exception.

     *
     * @param message what the group is about
     * @param exceptions the sub-exceptions, at least one
     */
    public ExceptionGroup(String message, List<? extends Throwable> exceptions) {
        super(message + " (" + exceptions.size() + (exceptions.size() == 1 ? " sub-exception)" : " sub-exceptions)"),
                exceptions.isEmpty() ? null : exceptions.get(0));
        if (exceptions.isEmpty()) {
            throw new IllegalArgumentException("exceptions must not be empty");
        }
        this.exceptions = List.copyOf(exceptions);
        for (Throwable t : this.exceptions) {
            addSuppressed(t);
        }
    }

    /**
     * The sub-exceptions, in the order they happened.
     *
     * @return an unmodifiable list
     */
    public List<Throwable> exceptions() {
        return exceptions;
    }

    /**
     * The sub-exceptions that are instances of {@code type}, searching nested groups too.
     *
     * @param type the type to look for
     * @param <E> the type
     * @return the matching exceptions, in order
     */
    public <E extends Throwable> List<E> subgroup(Class<E> type) {
        ArrayList<E> out = new ArrayList<>();
        for (Throwable t : exceptions) {
            if (type.isInstance(t)) {
                out.add(type.cast(t));
            } else if (t instanceof ExceptionGroup g) {
                out.addAll(g.subgroup(type));
            }
        }
        return out;
    }
}
