package dev.aio4j.loop.internal;

import dev.aio4j.loop.EventLoop;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The transports and servers opened on a loop that has asked for them to be tracked: what
 * aio-test's leak check reads when a test ends, in the role of the {@code ResourceWarning:
 * unclosed transport} that asyncio's transports emit when they are collected unclosed. Only a
 * loop that {@link #track(EventLoop)} was called for keeps anything; for every other loop
 * {@link #opened} costs one volatile read.
 *
 * <p>A resource is given with its own test of being closed (a transport's {@code isClosing()},
 * a server's listening sockets gone), so nothing has to tell this class when it closes: the
 * check asks each resource when it runs. Any thread.
 */
public final class OpenResources {
    /** A tracked resource and how to tell it was closed. */
    private record Entry(Object resource, BooleanSupplier closed) {}

    /** Set once any loop is tracked: until then {@link #opened} looks nothing up. */
    private static volatile boolean anyTracked;
    /** A tracked loop's resources in the order they opened; pruned of closed ones as it doubles. */
    private static final class Entries {
        final List<Entry> list = new ArrayList<>();
        int pruneAt = 64;
    }

    /** Per tracked loop, its resources. Guarded by itself. */
    private static final Map<EventLoop, Entries> TRACKED = new IdentityHashMap<>();

    private OpenResources() {}

    /**
     * Starts tracking the resources opened on {@code loop}, until {@link #untrack}.
     *
     * @param loop the loop
     */
    public static void track(EventLoop loop) {
        Checks.notNull(loop, "loop");
        synchronized (TRACKED) {
            TRACKED.putIfAbsent(loop, new Entries());
            anyTracked = true;
        }
    }

    /**
     * Stops tracking {@code loop} and forgets its resources (the map must not keep a closed
     * loop's transports reachable).
     *
     * @param loop the loop
     */
    public static void untrack(EventLoop loop) {
        synchronized (TRACKED) {
            TRACKED.remove(loop);
        }
    }

    /**
     * Records that {@code resource} was opened on {@code loop}, if that loop is tracked.
     *
     * @param loop the loop the resource runs on
     * @param resource the transport or server; its {@code toString()} names it in a leak report
     * @param closed whether it has been closed (or is closing) by now
     */
    public static void opened(EventLoop loop, Object resource, BooleanSupplier closed) {
        if (!anyTracked) {
            return;
        }
        synchronized (TRACKED) {
            Entries entries = TRACKED.get(loop);
            if (entries != null) {
                if (entries.list.size() >= entries.pruneAt) { // a long test keeps only what is open
                    entries.list.removeIf(e -> e.closed().getAsBoolean());
                    entries.pruneAt = Math.max(64, 2 * entries.list.size());
                }
                entries.list.add(new Entry(resource, closed));
            }
        }
    }

    /**
     * The tracked resources of {@code loop} that are still open, oldest first.
     *
     * @param loop the loop
     * @return the open ones (empty if the loop is not tracked)
     */
    public static List<Object> stillOpen(EventLoop loop) {
        List<Entry> snapshot;
        synchronized (TRACKED) {
            Entries entries = TRACKED.get(loop);
            if (entries == null) {
                return List.of();
            }
            snapshot = new ArrayList<>(entries.list);
        }
        List<Object> open = new ArrayList<>();
        for (Entry e : snapshot) {
            if (!e.closed().getAsBoolean()) {
                open.add(e.resource());
            }
        }
        return open;
    }
}
