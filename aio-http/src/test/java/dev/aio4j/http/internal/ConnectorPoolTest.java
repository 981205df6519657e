package dev.aio4j.http.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pool's book-keeping, stepping through exact instants (OkHttp's ConnectionPoolTest style).
 * Mirrors the pool cases of aiohttp's {@code tests/test_connector.py} (test_release,
 * test_get_expired, test_limit_per_host, test_cleanup, ...), without sockets.
 */
class ConnectorPoolTest {
    private final PoolBook<String, String> book = new PoolBook<>(15.0, 3, 2);

    @Test
    void openReleaseReuse() {
        // t=0: nothing idle, may open
        var a = book.acquire("h", 0);
        assertTrue(a.open());
        assertNull(a.reuse());
        assertEquals(1, book.openCount());
        // t=1: released, idle since 1
        book.release("h", "c1", true, 1);
        assertEquals(1, book.idleCount());
        // t=15.999: still within the keep-alive timeout, reused
        var b = book.acquire("h", 15.999);
        assertEquals("c1", b.reuse());
        assertFalse(b.open());
        assertEquals(0, book.idleCount());
        assertEquals(1, book.openCount());
    }

    @Test
    void getExpired() {
        book.acquire("h", 0);
        book.release("h", "c1", true, 1);
        // t=16: idle for exactly 15 s, so it is closed rather than reused, and a new one may open
        var a = book.acquire("h", 16);
        assertEquals(List.of("c1"), a.close());
        assertTrue(a.open());
        assertEquals(1, book.openCount());
    }

    @Test
    void mostRecentlyReleasedFirst() {
        book.acquire("h", 0);
        book.acquire("h", 0);
        book.release("h", "old", true, 1);
        book.release("h", "warm", true, 2);
        assertEquals("warm", book.acquire("h", 3).reuse());
        assertEquals("old", book.acquire("h", 3).reuse());
    }

    @Test
    void notReusableIsForgotten() {
        book.acquire("h", 0);
        book.release("h", "c1", false, 1);
        assertEquals(0, book.openCount());
        assertEquals(0, book.idleCount());
    }

    @Test
    void limitPerHost() {
        assertTrue(book.acquire("h", 0).open());
        assertTrue(book.acquire("h", 0).open());
        var third = book.acquire("h", 0);
        assertTrue(third.mustWait(), "limit_per_host=2");
        assertTrue(book.acquire("other", 0).open(), "another host is not limited by h");
        // t=1: one of h's connections is closed; h may open again
        book.closed("h");
        assertTrue(book.acquire("h", 1).open());
    }

    @Test
    void limitTotalEvictsIdleOfAnotherHost() {
        PoolBook<String, String> p = new PoolBook<>(15.0, 2, 0);
        p.acquire("a", 0);
        p.acquire("b", 0);
        p.release("a", "a1", true, 1);
        p.release("b", "b1", true, 2);
        // t=3: total limit reached (2 idle); "c" takes the slot of the least recently used idle (a1)
        var c = p.acquire("c", 3);
        assertTrue(c.open());
        assertEquals(List.of("a1"), c.close());
        assertEquals(2, p.openCount());
        // t=4: all in use or idle for c/b; "d" evicts b1
        var d = p.acquire("d", 4);
        assertEquals(List.of("b1"), d.close());
        // t=5: nothing idle left to evict: wait
        assertTrue(p.acquire("e", 5).mustWait());
    }

    @Test
    void cleanupSaysWhenToLookAgain() {
        book.acquire("h", 0);
        book.acquire("g", 0);
        book.release("h", "h1", true, 2);
        book.release("g", "g1", true, 5);
        // t=10: nothing expired; next expiry at 2 + 15 = 17
        var c = book.cleanup(10);
        assertEquals(List.of(), c.close());
        assertEquals(17.0, c.nextCleanupAt());
        // t=17: h1 expires; next at 20
        c = book.cleanup(17);
        assertEquals(List.of("h1"), c.close());
        assertEquals(20.0, c.nextCleanupAt());
        // t=20: g1 expires; nothing idle remains
        c = book.cleanup(20);
        assertEquals(List.of("g1"), c.close());
        assertEquals(Double.POSITIVE_INFINITY, c.nextCleanupAt());
        assertEquals(0, book.openCount());
    }

    @Test
    void idleConnectionClosedByTheServer() {
        book.acquire("h", 0);
        book.release("h", "c1", true, 1);
        assertTrue(book.idleLost("h", "c1"));
        assertFalse(book.idleLost("h", "c1"));
        assertEquals(0, book.openCount());
    }

    @Test
    void keepAliveTimeoutZeroNeverKeeps() {
        PoolBook<String, String> p = new PoolBook<>(0, 0, 0);
        p.acquire("h", 0);
        p.release("h", "c", true, 0);
        assertEquals(0, p.idleCount());
        assertEquals(0, p.openCount());
    }

    @Test
    void closeIdleAtSessionClose() {
        book.acquire("h", 0);
        book.acquire("g", 0);
        book.release("h", "h1", true, 1);
        assertEquals(List.of("h1"), book.closeIdle());
        assertEquals(1, book.openCount(), "g's connection is still in use");
        assertEquals("PoolBook[open=1, idle=0, keepAliveTimeout=15.0, limitTotal=3, limitPerHost=2]", book.toString());
    }

    @Test
    void misuse() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> book.closed("nobody"));
        assertTrue(e.getMessage().startsWith("PoolBook.closed(nobody) without an open connection for that key"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new PoolBook<>(-1, 0, 0));
        assertEquals("keepAliveTimeout must be a finite number >= 0, got -1.0", bad.getMessage());
    }
}
