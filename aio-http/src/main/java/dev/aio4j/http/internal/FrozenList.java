package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/**
 * A list that refuses changes (and nulls) once frozen: aiohttp's {@code frozenlist.FrozenList},
 * behind {@code Application}'s middlewares and signals and {@code TraceConfig}'s callbacks.
 *
 * @param <T> the element type
 */
public final class FrozenList<T> extends AbstractList<T> {
    private final String what;
    private final List<T> items = new ArrayList<>();
    private volatile boolean frozen;

    /** @param what what the list is, for the message when a change is refused */
    public FrozenList(String what) {
        this.what = what;
    }

    /** Refuses every later change. */
    public void freeze() {
        frozen = true;
    }

    /** Whether {@link #freeze()} was called. */
    public boolean frozen() {
        return frozen;
    }

    private void check() {
        if (frozen) {
            throw new IllegalStateException("cannot change " + what + ": it is frozen (in use)");
        }
    }

    @Override
    public T get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T set(int index, T element) {
        check();
        return items.set(index, Checks.notNull(element, "element"));
    }

    @Override
    public void add(int index, T element) {
        check();
        items.add(index, Checks.notNull(element, "element"));
    }

    @Override
    public T remove(int index) {
        check();
        return items.remove(index);
    }
}
