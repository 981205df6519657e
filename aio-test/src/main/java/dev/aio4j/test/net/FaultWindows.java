package dev.aio4j.test.net;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The timed faults in force on one network, so that overlapping faults nest instead of ending
 * each other: a fault's end undoes the condition only when no other fault of the same kind still
 * holds it on the same link or host (two overlapping losses: the earlier one's end restores the
 * other's probability, and the last one's end the loss the link had before them; a crash inside a
 * vanish does not restart the host early). Without this a
 * plan modelled something other than what it printed, and shrinking it changed more than one fault
 * at a time. Partitions, two-way and one-way, do not need it: each is a cut of its own on the link
 * ({@link SimLinks}), so they compose with each other and with the network's own partitions.
 */
final class FaultWindows {
    private static final Map<SimNetwork, Map<String, Deque<Fault>>> OPEN = new WeakHashMap<>();
    private static final Map<SimNetwork, Map<String, Double>> BEFORE = new WeakHashMap<>();

    private FaultWindows() {}

    /** A link key that does not depend on the order of its ends. */
    static String link(String kind, String a, String b) {
        return a.compareTo(b) <= 0 ? kind + ":" + a + "|" + b : kind + ":" + b + "|" + a;
    }

    /** Records that {@code fault} now holds {@code key}. */
    static synchronized void open(SimNetwork net, String key, Fault fault) {
        OPEN.computeIfAbsent(net, n -> new HashMap<>()).computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(fault);
    }

    /**
     * Records that {@code fault} now holds {@code key}, a setting that was {@code before} until
     * then: the first of overlapping faults remembers it, and {@link #before} gives it back when
     * the last one ends, so the setting returns to what the test (or nothing) made it.
     */
    static synchronized void open(SimNetwork net, String key, Fault fault, double before) {
        Map<String, Deque<Fault>> byKey = OPEN.get(net);
        if (byKey == null || !byKey.containsKey(key)) {
            BEFORE.computeIfAbsent(net, n -> new HashMap<>()).put(key, before);
        }
        open(net, key, fault);
    }

    /** The setting of {@code key} before its faults, once {@link #close} said none holds it any more. */
    static synchronized double before(SimNetwork net, String key) {
        Map<String, Double> byKey = BEFORE.get(net);
        Double b = byKey == null ? null : byKey.remove(key);
        return b == null ? 0 : b;
    }

    /**
     * Records that {@code fault} no longer holds {@code key}.
     *
     * @return the most recent fault still holding it, or null: then the caller undoes the condition
     */
    static synchronized Fault close(SimNetwork net, String key, Fault fault) {
        Map<String, Deque<Fault>> byKey = OPEN.get(net);
        Deque<Fault> open = byKey == null ? null : byKey.get(key);
        if (open == null) {
            return null;
        }
        open.removeLastOccurrence(fault);
        if (open.isEmpty()) {
            byKey.remove(key);
            return null;
        }
        return open.peekLast();
    }
}
