package dev.aio4j.loop.internal.timer;

import java.util.Arrays;

/**
 * An indexed binary min-heap of timers ordered by (deadline, sequence number).
 *
 * <p>Each element remembers its own index (through {@link Access}), so {@link #remove} is
 * O(log n): a cancelled timer leaves the heap at once and holds no memory, however many are
 * scheduled and cancelled. The sequence number breaks deadline ties in scheduling order.
 *
 * <p>Not thread-safe: owned by one event loop.
 *
 * @param <E> the element type
 */
public final class TimerHeap<E> {

    /** How the heap reads an element's key and stores its index; implemented by the loop. */
    public interface Access<E> {
        double when(E e);

        long seq(E e);

        int index(E e);

        void index(E e, int index);
    }

    private static final int MIN_CAPACITY = 16;

    private final Access<E> access;
    private Object[] heap = new Object[MIN_CAPACITY];
    private int size;

    public TimerHeap(Access<E> access) {
        this.access = access;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Capacity of the backing array; shrinks when the heap empties out (tested for leaks). */
    public int capacity() {
        return heap.length;
    }

    @SuppressWarnings("unchecked")
    public E peek() {
        return size == 0 ? null : (E) heap[0];
    }

    public void add(E e) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, heap.length * 2);
        }
        siftUp(size++, e);
    }

    @SuppressWarnings("unchecked")
    public E poll() {
        if (size == 0) {
            return null;
        }
        E top = (E) heap[0];
        removeAt(0);
        return top;
    }

    /** Removes {@code e} if it is in the heap; returns whether it was. */
    public boolean remove(E e) {
        int i = access.index(e);
        if (i < 0 || i >= size || heap[i] != e) {
            return false;
        }
        removeAt(i);
        return true;
    }

    @SuppressWarnings("unchecked")
    private void removeAt(int i) {
        E removed = (E) heap[i];
        access.index(removed, -1);
        int last = --size;
        if (i == last) {
            heap[last] = null;
        } else {
            E moved = (E) heap[last];
            heap[last] = null;
            siftDown(i, moved);
            if (heap[i] == moved) {
                siftUp(i, moved);
            }
        }
        if (heap.length > MIN_CAPACITY && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, Math.max(MIN_CAPACITY, heap.length / 2));
        }
    }

    private boolean less(E a, E b) {
        double wa = access.when(a);
        double wb = access.when(b);
        return wa < wb || (wa == wb && access.seq(a) < access.seq(b));
    }

    @SuppressWarnings("unchecked")
    private void siftUp(int i, E e) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            E p = (E) heap[parent];
            if (!less(e, p)) {
                break;
            }
            heap[i] = p;
            access.index(p, i);
            i = parent;
        }
        heap[i] = e;
        access.index(e, i);
    }

    @SuppressWarnings("unchecked")
    private void siftDown(int i, E e) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            E c = (E) heap[child];
            int right = child + 1;
            if (right < size && less((E) heap[right], c)) {
                child = right;
                c = (E) heap[child];
            }
            if (!less(c, e)) {
                break;
            }
            heap[i] = c;
            access.index(c, i);
            i = child;
        }
        heap[i] = e;
        access.index(e, i);
    }
}
