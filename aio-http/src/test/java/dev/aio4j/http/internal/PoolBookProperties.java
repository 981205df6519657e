package dev.aio4j.http.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PoolBook}'s counts against a model, for any sequence of acquire, release (reusable or
 * not), close of a connection in use, a connect that failed (the reserved slot closed), an idle
 * connection lost, cleanup, closing every idle one, and time passing: the counts stay equal to
 * the model's, never go negative, never pass the limits, every connection the book hands back for
 * closing was idle, and at the end, once everything in use is closed, nothing is left open.
 * aio4j-only (aiohttp's test_connector.py checks its counters case by case).
 */
class PoolBookProperties {
    private static final List<String> KEYS = List.of("a", "b", "c");

    /** One step: what, for which key, which of the candidate connections, how much time passes. */
    record Op(int kind, int key, int pick, double dt) {
        @Override
        public String toString() {
            String[] names = {"acquire", "acquireNoReuse", "releaseReusable", "releaseBroken", "closeInUse", "connectFailed",
                "idleLost", "cleanup", "closeIdle", "wait"};
            return names[kind] + "(" + KEYS.get(key) + ", pick " + pick + ", +" + dt + "s)";
        }
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, KEYS.size() - 1),
                Arbitraries.integers().between(0, 7), Arbitraries.of(0.0, 0.5, 3.0, 10.0))
                .as(Op::new).list().ofMaxSize(60);
    }

    /** A connection, as the session would hold it. */
    private record Conn(int id, String key) {}

    @Property(tries = 500)
    void countsStayConsistent(@ForAll("ops") List<Op> ops, @ForAll @IntRange(min = 0, max = 4) int limit,
                              @ForAll @IntRange(min = 0, max = 3) int limitPerHost, @ForAll boolean keepAlive) {
        double keepAliveTimeout = keepAlive ? 5.0 : 0.0;
        PoolBook<String, Conn> book = new PoolBook<>(keepAliveTimeout, limit, limitPerHost);
        List<Conn> inUse = new ArrayList<>();       // connected, held by a request
        List<Conn> reserved = new ArrayList<>();    // a slot reserved, connecting
        Map<Conn, Double> idle = new HashMap<>();   // the model's idle connections and since when
        Set<Conn> closedByBook = new HashSet<>();
        double now = 0;
        int nextId = 0;
        for (Op op : ops) {
            String key = KEYS.get(op.key());
            switch (op.kind()) {
                case 0, 1 -> {
                    boolean allowReuse = op.kind() == 0;
                    PoolBook.Acquire<Conn> a = book.acquire(key, now, allowReuse);
                    for (Conn c : a.close()) {
                        assertNotNull(idle.remove(c), "the book closes only idle connections: " + c);
                        assertTrue(closedByBook.add(c), "closed twice: " + c);
                    }
                    if (a.reuse() != null) {
                        Conn c = a.reuse();
                        assertTrue(allowReuse, "reuse was not allowed");
                        assertEquals(key, c.key());
                        Double since = idle.remove(c);
                        assertNotNull(since, "reused a connection that was not idle: " + c);
                        assertTrue(now - since < keepAliveTimeout, "reused after its keep-alive ended: " + c);
                        inUse.add(c);
                    } else if (a.open()) {
                        reserved.add(new Conn(nextId++, key));
                    } else {
                        assertTrue(a.mustWait());
                        boolean perHostFull = limitPerHost > 0 && openFor(key, inUse, reserved, idle) >= limitPerHost;
                        boolean totalFull = limit > 0 && inUse.size() + reserved.size() + idle.size() >= limit;
                        assertTrue(perHostFull || totalFull, "waits without a full limit: " + book);
                    }
                }
                case 2, 3 -> {
                    Conn c = pick(inUse, op.pick());
                    if (c == null) {
                        // nothing in use: a reserved slot finishes connecting and becomes a connection in use
                        Conn r = pick(reserved, op.pick());
                        if (r != null) {
                            reserved.remove(r);
                            inUse.add(r);
                        }
                        break;
                    }
                    inUse.remove(c);
                    boolean reusable = op.kind() == 2;
                    book.release(key(c), c, reusable, now);
                    if (reusable && keepAliveTimeout > 0) {
                        idle.put(c, now);
                    }
                }
                case 4 -> {
                    Conn c = pick(inUse, op.pick());
                    if (c != null) {
                        inUse.remove(c);
                        book.closed(c.key());
                    }
                }
                case 5 -> {
                    Conn r = pick(reserved, op.pick());
                    if (r != null) {
                        reserved.remove(r);
                        book.closed(r.key());
                    }
                }
                case 6 -> {
                    Conn c = pick(new ArrayList<>(idle.keySet()), op.pick());
                    if (c != null) {
                        assertTrue(book.idleLost(c.key(), c));
                        idle.remove(c);
                    }
                    Conn notIdle = pick(inUse, op.pick());
                    if (notIdle != null) {
                        assertFalse(book.idleLost(notIdle.key(), notIdle), "a connection in use is not idle");
                    }
                }
                case 7 -> {
                    PoolBook.Cleanup<Conn> cl = book.cleanup(now);
                    for (Conn c : cl.close()) {
                        Double since = idle.remove(c);
                        assertNotNull(since, "cleanup closes only idle connections: " + c);
                        assertTrue(now - since >= keepAliveTimeout, "closed before its keep-alive ended: " + c);
                    }
                    for (double since : idle.values()) {
                        assertTrue(cl.nextCleanupAt() <= since + keepAliveTimeout);
                    }
                }
                case 8 -> {
                    for (Conn c : book.closeIdle()) {
                        assertNotNull(idle.remove(c), "closeIdle returned a connection that was not idle: " + c);
                    }
                }
                case 9 -> now += op.dt();
                default -> throw new AssertionError(op);
            }
            now += op.kind() == 9 ? 0 : op.dt() / 10; // time passes a little at every step
            check(book, inUse, reserved, idle, limit, limitPerHost);
        }
        // everything in use ends, one way or another: nothing may be left counted
        for (Conn c : inUse) {
            book.closed(c.key());
        }
        for (Conn r : reserved) {
            book.closed(r.key());
        }
        book.closeIdle();
        assertEquals(0, book.openCount(), book.toString());
        assertEquals(0, book.idleCount(), book.toString());
        for (String k : KEYS) {
            assertEquals(0, book.openCount(k), k);
            String key = k;
            assertThrows(IllegalStateException.class, () -> book.closed(key), "a close without an open connection is refused");
        }
    }

    private static int openFor(String key, List<Conn> inUse, List<Conn> reserved, Map<Conn, Double> idle) {
        int n = 0;
        for (Conn c : inUse) {
            n += c.key().equals(key) ? 1 : 0;
        }
        for (Conn c : reserved) {
            n += c.key().equals(key) ? 1 : 0;
        }
        for (Conn c : idle.keySet()) {
            n += c.key().equals(key) ? 1 : 0;
        }
        return n;
    }

    private static void check(PoolBook<String, Conn> book, List<Conn> inUse, List<Conn> reserved, Map<Conn, Double> idle,
                              int limit, int limitPerHost) {
        int open = inUse.size() + reserved.size() + idle.size();
        assertEquals(open, book.openCount(), "open: " + book);
        assertEquals(idle.size(), book.idleCount(), "idle: " + book);
        assertTrue(book.openCount() >= 0 && book.idleCount() >= 0 && book.idleCount() <= book.openCount(), book.toString());
        if (limit > 0) {
            assertTrue(book.openCount() <= limit, "over the total limit: " + book);
        }
        for (String k : KEYS) {
            int n = openFor(k, inUse, reserved, idle);
            assertEquals(n, book.openCount(k), "open for " + k + ": " + book);
            if (limitPerHost > 0) {
                assertTrue(n <= limitPerHost, "over the per-host limit for " + k + ": " + book);
            }
        }
    }

    private static String key(Conn c) {
        return c.key();
    }

    private static <T> T pick(List<T> from, int index) {
        return from.isEmpty() ? null : from.get(index % from.size());
    }
}
