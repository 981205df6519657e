package dev.aio4j.test.net;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * The record of a {@link SimNetwork}'s run: every event as one line stamped with the loop's
 * virtual time, the fault plans applied to it, and what is made from them (the trace's hash, the
 * replay report a failing test prints).
 */
final class SimTrace {
    /*
     * Maintainer notes. The lines' format ("%.6f event detail", time from the clock given at
     * creation) is what tests pin through traceHash(): changing it changes every pinned hash.
     */
    /** The time of an event: the loop's, or 0 before the network is installed. */
    private final DoubleSupplier clock;
    private final List<String> lines = new ArrayList<>();
    private final List<FaultPlan> plans = new ArrayList<>();

    SimTrace(DoubleSupplier clock) {
        this.clock = clock;
    }

    void record(String event, String detail) {
        lines.add(String.format(Locale.ROOT, "%.6f %s %s", clock.getAsDouble(), event, detail));
    }

    void planApplied(FaultPlan plan) {
        plans.add(plan);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    int size() {
        return lines.size();
    }

    /** The first 16 hex digits of the SHA-256 of the lines, each ended by a newline. */
    String hash() {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String line : lines) {
                d.update(line.getBytes(StandardCharsets.UTF_8));
                d.update((byte) '\n');
            }
            return HexFormat.of().formatHex(d.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The seed, the plans applied, the hash and the last 20 lines: {@link SimNetwork#replayReport()}. */
    String replayReport(long seed) {
        StringBuilder sb = new StringBuilder("SimNetwork seed ").append(seed).append(", fault plans applied: ");
        if (plans.isEmpty()) {
            sb.append("none");
        }
        for (int i = 0; i < plans.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(plans.get(i).toJava());
        }
        sb.append("; ").append(lines.size()).append(" events, trace hash ").append(hash());
        int from = Math.max(0, lines.size() - 20);
        sb.append(from == 0 ? "; the trace:" : "; its last 20 events:");
        for (String line : lines.subList(from, lines.size())) {
            sb.append("\n  ").append(line);
        }
        return sb.toString();
    }
}
