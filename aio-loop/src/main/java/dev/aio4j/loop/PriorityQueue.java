package dev.aio4j.loop;

import java.util.Comparator;
import java.util.Iterator;

/**
 * A {@link Queue} that hands out the smallest item first.
 *
 * <p><b>asyncio:</b> {@code asyncio.PriorityQueue}. <b>Differences:</b> items are ordered by a
 * {@link Comparator} (natural order by default) instead of Python's tuple comparison; items
 * that compare equal come out in insertion order (a stable order Python does not promise).
 * Unlike {@link Queue} and {@link LifoQueue}, it refuses {@code null} items
 * ({@link NullPointerException}): they cannot be compared.
 *
 * @param <T> the item type
 * @since 0.1
 */
public final class PriorityQueue<T> extends Queue<T> {
    // Fully qualified: this class shares java.util.PriorityQueue's simple name.
    private final java.util.PriorityQueue<Entry<T>> heap;
    private long seq;

    private record Entry<T>(T item, long seq) {}

    /** An unbounded queue in natural order (items must be {@link Comparable}). */
    public PriorityQueue() {
        this(0, null);
    }

    /**
     * A bounded queue in natural order.
     *
     * @param maxsize the bound, 0 or less for none
     */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /**
     * A bounded queue ordered by {@code comparator}.
     *
     * @param maxsize the bound, 0 or less for none
     * @param comparator the order, or null for natural order
     */
    @SuppressWarnings("unchecked")
    public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(maxsize);
        Comparator<? super T> c = comparator != null ? comparator : (a, b) -> ((Comparable<? super T>) a).compareTo(b);
        this.heap = new java.util.PriorityQueue<>((x, y) -> {
            int r = c.compare(x.item, y.item);
            return r != 0 ? r : Long.compare(x.seq, y.seq);
        });
    }

    @Override
    void store(T item) {
        if (item == null) {
            throw new NullPointerException("PriorityQueue items must not be null");
        }
        heap.add(new Entry<>(item, seq++));
    }

    @Override
    T take() {
        Entry<T> e = heap.poll();
        return e == null ? null : e.item;
    }

    @Override
    int storedSize() {
        return heap.size();
    }

    @Override
    Iterator<T> storedItems() {
        return heap.stream().map(Entry::item).iterator();
    }

    @Override
    String kind() {
        return "PriorityQueue";
    }
}
