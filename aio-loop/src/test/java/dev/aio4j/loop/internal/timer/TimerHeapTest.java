package dev.aio4j.loop.internal.timer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unit tests and a property for the loop's timer heap. It plays the part of the {@code heapq}
 * list {@code BaseEventLoop._scheduled} that {@code Lib/test/test_asyncio/test_base_events.py}
 * inspects; aio4j-only, since asyncio has no heap of its own to test.
 */
class TimerHeapTest {

    /** A timer as the heap sees it: a deadline, a sequence number, and the index the heap stores. */
    static final class T {
        final double when;
        final long seq;
        int index = -1;

        T(double when, long seq) {
            this.when = when;
            this.seq = seq;
        }

        @Override
        public String toString() {
            return "T(" + when + ", #" + seq + ")";
        }
    }

    static final TimerHeap.Access<T> ACCESS = new TimerHeap.Access<>() {
        @Override
        public double when(T e) {
            return e.when;
        }

        @Override
        public long seq(T e) {
            return e.seq;
        }

        @Override
        public int index(T e) {
            return e.index;
        }

        @Override
        public void index(T e, int index) {
            e.index = index;
        }
    };

    static final Comparator<T> ORDER = Comparator.<T>comparingDouble(t -> t.when).thenComparingLong(t -> t.seq);

    private final TimerHeap<T> heap = new TimerHeap<>(ACCESS);
    private long seq;

    private T add(double when) {
        T t = new T(when, seq++);
        heap.add(t);
        return t;
    }

    private List<T> drain() {
        List<T> out = new ArrayList<>();
        T t;
        while ((t = heap.poll()) != null) {
            out.add(t);
        }
        return out;
    }

    @Test
    void emptyHeap() {
        assertTrue(heap.isEmpty());
        assertEquals(0, heap.size());
        assertNull(heap.peek());
        assertNull(heap.poll());
        assertEquals(16, heap.capacity());
    }

    @Test
    void pollsInDeadlineOrder() {
        T c = add(3.0);
        T a = add(1.0);
        T d = add(4.0);
        T b = add(2.0);
        assertEquals(4, heap.size());
        assertSame(a, heap.peek());
        assertEquals(List.of(a, b, c, d), drain());
        assertTrue(heap.isEmpty());
    }

    @Test
    void equalDeadlinesPollInSchedulingOrder() {
        List<T> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add(add(5.0));
        }
        T early = add(-1.0);
        expected.add(0, early);
        assertEquals(expected, drain());
    }

    @Test
    void removeFromTheMiddle() {
        List<T> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(add(i % 7));
        }
        T victim = all.get(9);
        assertTrue(heap.remove(victim));
        assertEquals(-1, victim.index);
        assertEquals(19, heap.size());
        assertFalse(heap.remove(victim)); // a second remove finds nothing
        List<T> expected = new ArrayList<>(all);
        expected.remove(victim);
        expected.sort(ORDER);
        assertEquals(expected, drain());
    }

    @Test
    void removeOfAnElementThatIsNotInTheHeap() {
        T inHeap = add(1.0);
        T stranger = new T(1.0, 99);
        assertFalse(heap.remove(stranger));
        stranger.index = 0; // claims the slot of another element
        assertFalse(heap.remove(stranger));
        assertEquals(1, heap.size());
        assertSame(inHeap, heap.poll());
        assertEquals(-1, inHeap.index);
        assertFalse(heap.remove(inHeap)); // polled elements are gone too
    }

    @Test
    void capacityGrowsAndShrinksBack() {
        List<T> all = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            all.add(add(i * 0.5));
        }
        assertTrue(heap.capacity() >= 100_000, "capacity " + heap.capacity());
        for (T t : all) {
            assertTrue(heap.remove(t));
        }
        assertEquals(0, heap.size());
        assertEquals(16, heap.capacity());
    }

    // ------------------------------------------------------------------------- property

    /** One operation: 0 = add(when), 1 = remove(the n-th element ever added), 2 = poll. */
    record Op(int kind, int when, int n) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0 -> "add(" + when + ")";
                case 1 -> "remove(#" + n + ")";
                default -> "poll";
            };
        }
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, 3), // add twice as often as each of the others
                Arbitraries.integers().between(-3, 12), // few distinct deadlines: many ties
                Arbitraries.integers().between(0, 1000))
                .as((k, when, n) -> new Op(k < 2 ? 0 : k - 1, when, n));
        return op.list().ofMinSize(0).ofMaxSize(300);
    }

    @Property(tries = 200)
    void popsInDeadlineThenSchedulingOrderAndSizeMatchesAModel(@ForAll("ops") List<Op> ops) {
        TimerHeap<T> h = new TimerHeap<>(ACCESS);
        TreeSet<T> model = new TreeSet<>(ORDER);
        List<T> everAdded = new ArrayList<>();
        long nextSeq = 0;
        for (Op op : ops) {
            switch (op.kind()) {
                case 0 -> {
                    T t = new T(op.when() / 2.0, nextSeq++);
                    h.add(t);
                    model.add(t);
                    everAdded.add(t);
                }
                case 1 -> {
                    if (!everAdded.isEmpty()) {
                        T t = everAdded.get(op.n() % everAdded.size());
                        assertEquals(model.remove(t), h.remove(t), "remove " + t);
                    }
                }
                default -> assertSame(model.pollFirst(), h.poll());
            }
            assertEquals(model.size(), h.size());
            assertSame(model.isEmpty() ? null : model.first(), h.peek());
            assertTrue(h.capacity() <= Math.max(16, 4 * (h.size() + 1)),
                    "capacity " + h.capacity() + " for " + h.size() + " elements");
        }
        List<T> popped = new ArrayList<>();
        T t;
        while ((t = h.poll()) != null) {
            popped.add(t);
        }
        assertEquals(new ArrayList<>(model), popped);
        for (T e : everAdded) {
            assertEquals(-1, e.index, "index of " + e + " after it left the heap");
        }
    }
}
