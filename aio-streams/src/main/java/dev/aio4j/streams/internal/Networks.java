package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.streams.spi.Network;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/** Which loops have a {@link Network} installed instead of real sockets. */
public final class Networks {
    /*
     * Maintainer notes. byLoop is null while no loop in this JVM has a network (before the first
     * install, and again after the last removal), so the real path then costs one static
     * volatile read and a null check per connect or listen, nothing per byte. While some loop has
     * one, other loops pay a synchronized map lookup per connect or listen. Loops are weak keys:
     * a closed and forgotten loop does not keep its network alive.
     */
    private static volatile Map<EventLoop, Network> byLoop;

    private Networks() {}

    /** The network installed on {@code loop}, or null for real sockets. */
    public static Network of(EventLoop loop) {
        Map<EventLoop, Network> m = byLoop;
        return m == null ? null : m.get(loop);
    }

    /** Installs {@code network} on {@code loop} (null: back to real sockets); returns the previous one. */
    public static synchronized Network use(EventLoop loop, Network network) {
        Map<EventLoop, Network> m = byLoop;
        if (m == null) {
            if (network == null) {
                return null;
            }
            m = Collections.synchronizedMap(new WeakHashMap<>());
            byLoop = m;
        }
        if (network != null) {
            return m.put(loop, network);
        }
        Network previous = m.remove(loop);
        if (m.isEmpty()) {
            byLoop = null; // back to the single null check
        }
        return previous;
    }
}
