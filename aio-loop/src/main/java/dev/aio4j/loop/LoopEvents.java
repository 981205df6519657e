package dev.aio4j.loop;

import dev.aio4j.loop.internal.jfr.JfrEvents;

/**
 * Debug mode's JDK Flight Recorder events, emitted only when the {@code jdk.jfr} module is
 * readable (aio-loop {@code requires static jdk.jfr}: a jlinked image without it, or a
 * module-path application that does not resolve it, simply gets no events). Package-private.
 */
final class LoopEvents {
    private static final boolean AVAILABLE = jfrReadable();

    private LoopEvents() {}

    private static boolean jfrReadable() {
        try {
            Module me = LoopEvents.class.getModule();
            return ModuleLayer.boot().findModule("jdk.jfr").map(me::canRead).orElse(false);
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static void slowCallback(EventLoop loop, Handle h, long nanos) {
        if (AVAILABLE) {
            JfrEvents.slowCallback(loop.toString(), h.toString(), nanos);
        }
    }

    static void slowTaskStep(Task<?> task, long nanos, long blockedNanos, String suspendedAt, String createdAt) {
        if (AVAILABLE) {
            JfrEvents.slowTaskStep(task.loop.toString(), task.toString(), nanos, blockedNanos, suspendedAt, createdAt);
        }
    }

    static void blockedLoop(EventLoop loop, String blocker, long nanos, String stack, String createdAt) {
        if (AVAILABLE) {
            JfrEvents.blockedLoop(loop.toString(), blocker, nanos, stack, createdAt);
        }
    }
}
