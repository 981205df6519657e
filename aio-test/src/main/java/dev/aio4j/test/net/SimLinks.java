package dev.aio4j.test.net;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The links of a {@link SimNetwork} and their faults: per pair of hosts, the latency and its
 * jitter, the bandwidth of each direction, the loss, the partitions (both ways or one way) and
 * the holds. It answers what the TCP and UDP sides ask of a link (how long a segment takes,
 * whether a direction holds or drops what crosses it, whether a transmission is lost) and owns
 * the network's seeded {@link Random}: every random draw of a run is made here.
 */
final class SimLinks {
    /*
     * Maintainer notes. A link is made the first time a fault or a query that creates it names
     * its two hosts (link(), key()); until setLatency gives it a latency of its own it follows the
     * defaults, whenever they are set. Queries that must not create one (latency(), held(), ...)
     * read existing() and fall back to the defaults. The draws (latency's jitter, one loss draw per
     * transmission, retransmissions included) happen in the order the callers ask for them: the replay of a seed
     * depends on it, so a caller must not ask twice or out of turn.
     */
    /** The owner of the cuts that SimNetwork's partition methods make themselves (not a fault plan's). */
    static final Object API = new Object() {
        @Override
        public String toString() {
            return "SimNetwork";
        }
    };
    private final Random random;
    private final SimTrace trace;
    private final Map<String, Link> links = new LinkedHashMap<>();
    private double defaultFixed = 0.001;
    private double defaultJitter = 0.0;

    SimLinks(Random random, SimTrace trace) {
        this.random = random;
        this.trace = trace;
    }

    /** The latency of links that have none of their own, and of links made from now on. */
    void setDefaultLatency(double fixed, double jitter) {
        defaultFixed = fixed;
        defaultJitter = jitter;
    }

    void setLatency(SimHost a, SimHost b, double fixed, double jitter) {
        Link l = link(a, b);
        l.ownLatency = true;
        l.fixed = fixed;
        l.jitter = jitter;
        trace.record("latency", l.key + " " + fixed + "+" + jitter);
    }

    /** The link's name in the trace ("a|b", the names sorted), making the link if it had none. */
    String key(SimHost a, SimHost b) {
        return link(a, b).key;
    }

    /**
     * Cuts both directions on behalf of {@code owner} ({@link #API} for {@link SimNetwork#partition},
     * whose cut is made once however often it is asked for, or the fault that makes it);
     * {@code reset} only says so in the trace. Returns the link's key.
     */
    String partition(SimHost a, SimHost b, boolean reset, Object owner) {
        Link l = link(a, b);
        if (owner != API || l.find(API, true, true) < 0) {
            l.cuts.add(new Cut(owner, true, true));
        }
        trace.record("partition", l.key + (reset ? " reset" : ""));
        return l.key;
    }

    /**
     * Ends the two-way cut {@code owner} made, and only that one: a cut another partition or a
     * one-way cut still makes stays. False (and nothing traced) if that opened no direction.
     */
    boolean repair(SimHost a, SimHost b, Object owner) {
        Link l = link(a, b);
        int i = l.find(owner, true, true);
        if (i < 0) {
            return false;
        }
        boolean[] before = {l.isCut(0), l.isCut(1)};
        l.cuts.remove(i);
        if (before[0] == l.isCut(0) && before[1] == l.isCut(1)) {
            return false; // other partitions still cut what this one cut
        }
        trace.record("repair", l.key);
        return true;
    }

    /** Cuts the direction from {@code from} to {@code to} on behalf of {@code owner}, as {@link #partition}. */
    void partitionOneWay(SimHost from, SimHost to, Object owner) {
        Link l = link(from, to);
        int d = direction(from, to);
        if (owner != API || l.find(API, d == 0, d == 1) < 0) {
            l.cuts.add(new Cut(owner, d == 0, d == 1));
        }
        trace.record("partition", from.name + "->" + to.name);
    }

    /**
     * Ends the cut from {@code from} to {@code to} that {@code owner} made; false (and nothing
     * traced) if there was none, or another partition still cuts that direction.
     */
    boolean repairOneWay(SimHost from, SimHost to, Object owner) {
        Link l = link(from, to);
        int d = direction(from, to);
        int i = l.find(owner, d == 0, d == 1);
        if (i < 0) {
            return false;
        }
        l.cuts.remove(i);
        if (l.isCut(d)) {
            return false;
        }
        trace.record("repair", from.name + "->" + to.name);
        return true;
    }

    void hold(SimHost a, SimHost b) {
        Link l = link(a, b);
        l.hold[0] = true;
        l.hold[1] = true;
        trace.record("hold", l.key);
    }

    /** Ends the hold of both directions; false (and nothing traced) if there was none. */
    boolean release(SimHost a, SimHost b) {
        Link l = link(a, b);
        if (!l.hold[0] && !l.hold[1]) {
            return false;
        }
        l.hold[0] = false;
        l.hold[1] = false;
        trace.record("release", l.key);
        return true;
    }

    void setBandwidth(SimHost a, SimHost b, double bytesPerSecond) {
        Link l = link(a, b);
        l.bandwidth = bytesPerSecond;
        trace.record("bandwidth", l.key + " " + (long) bytesPerSecond + "B/s");
    }

    /** The link's loss now, 0 without a link. */
    double loss(SimHost a, SimHost b) {
        Link l = existing(a, b);
        return l == null ? 0 : l.loss;
    }

    void setLoss(SimHost a, SimHost b, double probability) {
        Link l = link(a, b);
        l.loss = probability;
        trace.record("loss", l.key + " " + probability);
    }

    /** A latency from {@code a} to {@code b}: the fixed part plus a draw when there is jitter. */
    double latency(SimHost a, SimHost b) {
        Link l = existing(a, b);
        boolean own = l != null && l.ownLatency;
        double fixed = own ? l.fixed : defaultFixed;
        double jitter = own ? l.jitter : defaultJitter;
        return jitter > 0 ? fixed + random.nextDouble() * jitter : fixed;
    }

    /** Whether TCP bytes and connects from {@code a} to {@code b} wait (a hold, or a partition one-way or not). */
    /** When the direction from {@code a} to {@code b} is free of bytes queued on its bandwidth (0 without a limit). */
    double freeAt(SimHost a, SimHost b) {
        Link l = existing(a, b);
        return l == null || l.bandwidth <= 0 ? 0 : l.busyUntil[direction(a, b)];
    }

    /**
     * Gives back the turn on the link that bytes purged before they left had taken (from
     * {@code start} until {@code done}), when nothing was queued behind them: the link is free
     * from {@code now}, or from {@code start} if they had not begun to leave.
     */
    void unserialise(SimHost a, SimHost b, double start, double done, double now) {
        Link l = existing(a, b);
        if (l == null) {
            return;
        }
        int d = direction(a, b);
        if (l.busyUntil[d] == done) {
            l.busyUntil[d] = Math.max(now, start);
        }
    }

    boolean held(SimHost a, SimHost b) {
        Link l = existing(a, b);
        return l != null && (l.hold[direction(a, b)] || l.isCut(direction(a, b)));
    }

    /** Whether a hold keeps what goes from {@code a} to {@code b} (partitions aside). */
    boolean holding(SimHost a, SimHost b) {
        Link l = existing(a, b);
        return l != null && l.hold[direction(a, b)];
    }

    /** Whether a partition cuts {@code a} to {@code b}: datagrams are dropped there. */
    boolean cut(SimHost a, SimHost b) {
        Link l = existing(a, b);
        return l != null && l.isCut(direction(a, b));
    }

    /**
     * Whether the link loses one transmission from {@code a} to {@code b} (a TCP segment or
     * SYN, each retransmission of one, a datagram, an ICMP reply), against the loss it has now:
     * a draw only when it has a loss. Each transmission asks once, when it is sent.
     */
    boolean loses(SimHost a, SimHost b) {
        Link l = existing(a, b);
        return l != null && l.loss > 0 && random.nextDouble() < l.loss;
    }

    /**
     * Counts one more datagram a hold keeps from {@code a} to {@code b}; false (nothing counted)
     * when that direction keeps {@code cap} already.
     */
    boolean keepDatagram(SimHost a, SimHost b, int cap) {
        int[] kept = existing(a, b).heldUdp;
        int dir = direction(a, b);
        if (kept[dir] >= cap) {
            return false;
        }
        kept[dir]++;
        return true;
    }

    /** A datagram the hold kept from {@code a} to {@code b} crosses now. */
    void datagramReleased(SimHost a, SimHost b) {
        existing(a, b).heldUdp[direction(a, b)]--;
    }

    /**
     * When {@code n} bytes sent at {@code now} from {@code a} to {@code b} have left {@code a}:
     * {@code now} without a bandwidth limit, else after every byte queued before them on that
     * direction of the link.
     */
    double serialised(SimHost a, SimHost b, int n, double now) {
        Link l = existing(a, b);
        if (l == null || l.bandwidth <= 0 || n == 0) {
            return now;
        }
        int d = direction(a, b);
        double done = Math.max(now, l.busyUntil[d]) + n / l.bandwidth;
        l.busyUntil[d] = done;
        return done;
    }

    private Link link(SimHost a, SimHost b) {
        return links.computeIfAbsent(keyOf(a, b), Link::new);
    }

    private Link existing(SimHost a, SimHost b) {
        return links.get(keyOf(a, b));
    }

    private static String keyOf(SimHost a, SimHost b) {
        return a.name.compareTo(b.name) <= 0 ? a.name + "|" + b.name : b.name + "|" + a.name;
    }

    /** 0 from the host whose name sorts first to the other, 1 back. */
    private static int direction(SimHost from, SimHost to) {
        return from.name.compareTo(to.name) <= 0 ? 0 : 1;
    }

    /**
     * A link between two hosts (both directions share latency, bandwidth and loss). Direction 0
     * is from the host whose name sorts first to the other, direction 1 back.
     */
    private static final class Link {
        final String key;
        /** Whether {@link SimLinks#setLatency} gave it {@code fixed} and {@code jitter}; else it follows the defaults. */
        boolean ownLatency;
        double fixed;
        double jitter;
        /** Bytes per second each direction carries; 0 means unlimited. */
        double bandwidth;
        /** The chance that one transmission of a segment is lost. */
        double loss;
        /** Whether each direction is held by a hold: its bytes, connects and datagrams wait. */
        final boolean[] hold = new boolean[2];
        /** How many UDP datagrams a hold keeps on each direction (at most the network's hold queue). */
        final int[] heldUdp = new int[2];
        /**
         * The partitions in force, two-way and one-way, each with its owner: a direction is cut
         * (its bytes and connects wait, its UDP datagrams are dropped) while any of them cuts it,
         * so overlapping partitions compose and each repair ends only its own.
         */
        final List<Cut> cuts = new ArrayList<>();
        /** Until when each direction is busy serialising bytes already sent (bandwidth). */
        final double[] busyUntil = new double[2];

        Link(String key) {
            this.key = key;
        }

        boolean isCut(int direction) {
            for (Cut c : cuts) {
                if (direction == 0 ? c.forward() : c.back()) {
                    return true;
                }
            }
            return false;
        }

        /** The index of the latest cut of {@code owner} that cuts exactly these directions, or -1. */
        int find(Object owner, boolean forward, boolean back) {
            for (int i = cuts.size() - 1; i >= 0; i--) {
                Cut c = cuts.get(i);
                if (c.owner().equals(owner) && c.forward() == forward && c.back() == back) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * One partition in force on a link: who made it ({@link #API} for the network's own
     * partition methods, else the fault that did) and which directions it cuts (forward from the
     * host whose name sorts first).
     */
    private record Cut(Object owner, boolean forward, boolean back) {
    }
}
