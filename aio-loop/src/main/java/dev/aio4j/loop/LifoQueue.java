package dev.aio4j.loop;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A {@link Queue} that hands out the most recently added item first.
 *
 * <p><b>asyncio:</b> {@code asyncio.LifoQueue}. <b>Differences:</b> none beyond those of
 * {@link Queue}; like it, it accepts {@code null} items.
 *
 * @param <T> the item type
 * @since 0.1
 */
public final class LifoQueue<T> extends Queue<T> {
    /** Storage: a stack of {@link Queue#mask masked} items (null items are allowed). */
    private final ArrayDeque<Object> stack = new ArrayDeque<>();

    /** An unbounded queue. */
    public LifoQueue() {
        this(0);
    }

    /**
     * A bounded queue.
     *
     * @param maxsize the bound, 0 or less for none
     */
    public LifoQueue(int maxsize) {
        super(maxsize);
    }

    @Override
    void store(T item) {
        stack.addLast(mask(item));
    }

    @Override
    T take() {
        return unmask(stack.pollLast());
    }

    @Override
    int storedSize() {
        return stack.size();
    }

    @Override
    Iterator<T> storedItems() {
        return unmasking(stack.descendingIterator());
    }

    @Override
    String kind() {
        return "LifoQueue";
    }
}
