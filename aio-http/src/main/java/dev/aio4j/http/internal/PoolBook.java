package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The connection pool's book-keeping and eviction policy, with time as an argument: every decision
 * takes {@code now} (loop time, in seconds), so tests step through exact instants and no timer or
 * socket is involved. The session does the I/O the decisions call for (closing, connecting,
 * waiting).
 *
 * <p>Rules:
 * <ul>
 *   <li>An idle connection is reused most-recently-released first (the warmest socket), and only
 *       while it has been idle for less than {@code keepAliveTimeout}; older ones are closed.
 *   <li>{@code limitTotal} bounds the connections open at once, in use and idle together;
 *       {@code limitPerHost} bounds them per key. 0 means no limit (as in aiohttp's
 *       {@code TCPConnector(limit=0)}).
 *   <li>At the total limit, a request for a key with no idle connection evicts the
 *       least-recently-used idle connection of another key rather than wait.
 *   <li>Otherwise a request at a limit must wait until a connection is released or closed.
 * </ul>
 *
 * @param <K> the pool key (scheme, host, port, TLS settings)
 * @param <C> the connection
 */
public final class PoolBook<K, C> {
    /**
     * What {@link #acquire} decided.
     *
     * @param reuse an idle connection to use, now counted as in use; or {@code null}
     * @param open {@code true} if the caller may open a new connection, whose slot is now reserved
     *        (call {@link #closed} if connecting fails)
     * @param close idle connections to close now (expired, or evicted to make room)
     */
    public record Acquire<C>(C reuse, boolean open, List<C> close) {
        /**
         * Returns {@code true} if the caller must wait for a release before trying again.
         *
         * @return {@code true} if the caller must wait for a release before trying again
         */
        public boolean mustWait() {
            return reuse == null && !open;
        }
    }

    /**
     * What {@link #cleanup} decided.
     *
     * @param close idle connections to close now
     * @param nextCleanupAt the loop time of the next expiry, or +infinity if nothing is idle
     */
    public record Cleanup<C>(List<C> close, double nextCleanupAt) {}

    private record Idle<C>(C conn, double since) {}

    private final double keepAliveTimeout;
    private final int limitTotal;
    private final int limitPerHost;
    private final Map<K, Deque<Idle<C>>> idle = new HashMap<>();
    private final Map<K, Integer> openPerKey = new HashMap<>();
    private int openTotal;

    /**
     * @param keepAliveTimeout seconds an idle connection is kept (aiohttp's {@code keepalive_timeout}, 15 by default)
     * @param limitTotal at most this many open connections, 0 for no limit (aiohttp's {@code limit}, 100)
     * @param limitPerHost at most this many per key, 0 for no limit (aiohttp's {@code limit_per_host}, 0)
     */
    public PoolBook(double keepAliveTimeout, int limitTotal, int limitPerHost) {
        this.keepAliveTimeout = Checks.nonNegative(keepAliveTimeout, "keepAliveTimeout");
        this.limitTotal = Checks.nonNegative(limitTotal, "limitTotal");
        this.limitPerHost = Checks.nonNegative(limitPerHost, "limitPerHost");
    }

    /** Decides how to get a connection for {@code key} at {@code now}. */
    public Acquire<C> acquire(K key, double now) {
        return acquire(key, now, true);
    }

    /**
     * Decides how to get a connection for {@code key} at {@code now}; with {@code allowReuse}
     * false, idle connections are passed over and a new one is opened (or waited for), as for the
     * one retry of a request that failed on a stale pooled connection.
     */
    public Acquire<C> acquire(K key, double now, boolean allowReuse) {
        List<C> close = new ArrayList<>();
        expire(now, close);
        Deque<Idle<C>> q = idle.get(key);
        if (allowReuse && q != null && !q.isEmpty()) {
            Idle<C> warm = q.pollLast();
            if (q.isEmpty()) {
                idle.remove(key);
            }
            return new Acquire<>(warm.conn(), false, close);
        }
        if (limitPerHost > 0 && openPerKey.getOrDefault(key, 0) >= limitPerHost) {
            return new Acquire<>(null, false, close);
        }
        if (limitTotal > 0 && openTotal >= limitTotal) {
            C victim = evictLeastRecentlyUsed();
            if (victim == null) {
                return new Acquire<>(null, false, close);
            }
            close.add(victim);
        }
        openTotal++;
        openPerKey.merge(key, 1, Integer::sum);
        return new Acquire<>(null, true, close);
    }

    /**
     * A connection in use comes back. A reusable one becomes idle as of {@code now}; otherwise it
     * is forgotten (the caller closes it).
     */
    public void release(K key, C conn, boolean reusable, double now) {
        if (!reusable || keepAliveTimeout == 0) {
            closed(key);
            return;
        }
        idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(new Idle<>(conn, now));
    }

    /** A connection in use (or a reserved slot whose connect failed) was closed. */
    public void closed(K key) {
        Integer n = openPerKey.get(key);
        if (n == null || n == 0) {
            throw new IllegalStateException("PoolBook.closed(" + key + ") without an open connection for that key: " + this);
        }
        if (n == 1) {
            openPerKey.remove(key);
        } else {
            openPerKey.put(key, n - 1);
        }
        openTotal--;
    }

    /**
     * An idle connection was found closed by the server (end of stream while idle): forget it.
     *
     * @return {@code true} if it was idle in this book
     */
    public boolean idleLost(K key, C conn) {
        Deque<Idle<C>> q = idle.get(key);
        if (q == null || !q.removeIf(i -> i.conn() == conn)) {
            return false;
        }
        if (q.isEmpty()) {
            idle.remove(key);
        }
        closed(key);
        return true;
    }

    /** Closes idle connections that expired by {@code now} and says when to look again. */
    public Cleanup<C> cleanup(double now) {
        List<C> close = new ArrayList<>();
        expire(now, close);
        double next = Double.POSITIVE_INFINITY;
        for (Deque<Idle<C>> q : idle.values()) {
            for (Idle<C> i : q) {
                next = Math.min(next, i.since() + keepAliveTimeout);
            }
        }
        return new Cleanup<>(close, next);
    }

    /** Forgets every idle connection and returns them for closing (session close). */
    public List<C> closeIdle() {
        List<C> out = new ArrayList<>();
        for (var e : idle.entrySet()) {
            for (Idle<C> i : e.getValue()) {
                out.add(i.conn());
                decrement(e.getKey());
            }
        }
        idle.clear();
        return out;
    }

    /**
     * Returns connections open (in use, reserved or idle).
     *
     * @return connections open (in use, reserved or idle)
     */
    public int openCount() {
        return openTotal;
    }

    /**
     * Returns idle connections.
     *
     * @return idle connections
     */
    public int idleCount() {
        return idle.values().stream().mapToInt(Deque::size).sum();
    }

    /**
     * Returns connections open for {@code key}.
     *
     * @return connections open for {@code key}
     */
    public int openCount(K key) {
        return openPerKey.getOrDefault(key, 0);
    }

    @Override
    public String toString() {
        return "PoolBook[open=" + openTotal + ", idle=" + idleCount() + ", keepAliveTimeout=" + keepAliveTimeout
                + ", limitTotal=" + limitTotal + ", limitPerHost=" + limitPerHost + "]";
    }

    private void expire(double now, List<C> close) {
        for (Iterator<Map.Entry<K, Deque<Idle<C>>>> it = idle.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<K, Deque<Idle<C>>> e = it.next();
            for (Iterator<Idle<C>> qi = e.getValue().iterator(); qi.hasNext(); ) {
                Idle<C> i = qi.next();
                if (now - i.since() >= keepAliveTimeout) {
                    qi.remove();
                    close.add(i.conn());
                    decrement(e.getKey());
                }
            }
            if (e.getValue().isEmpty()) {
                it.remove();
            }
        }
    }

    private C evictLeastRecentlyUsed() {
        K victimKey = null;
        Idle<C> victim = null;
        for (var e : idle.entrySet()) {
            Idle<C> first = e.getValue().peekFirst();
            if (first != null && (victim == null || first.since() < victim.since())) {
                victim = first;
                victimKey = e.getKey();
            }
        }
        if (victim == null) {
            return null;
        }
        Deque<Idle<C>> q = idle.get(victimKey);
        q.pollFirst();
        if (q.isEmpty()) {
            idle.remove(victimKey);
        }
        decrement(victimKey);
        return victim.conn();
    }

    private void decrement(K key) {
        closed(key);
    }
}
