package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.streams.spi.Network;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/** Which loops have a {@link Network} installed instead of real sockets. */
public final class Networks {
    /*
     * Maintainer notes. BY_LOOP stays null until the first install in this JVM, so the real path
     * costs one static volatile read and a null check. Loops are weak keys: a closed and
     * forgotten loop does not keep its network alive.
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
        return network == null ? m.remove(loop) : m.put(loop, network);
    }
}
