package dev.aio4j.test.net;

/**
 * One fault of a {@link FaultPlan}: what happens to a {@link SimNetwork}, and at which virtual
 * time (seconds of loop time, {@code EventLoop.time()}).
 *
 * <p><b>asyncio:</b> none (aio4j-only). turmoil's {@code partition}/{@code repair}/{@code crash}
 * calls, as data: a plan prints, compares, and shrinks.
 *
 * @since 0.2
 */
public sealed interface Fault {
    /**
     * When the fault happens.
     *
     * @return the loop time, seconds
     */
    double at();

    /**
     * Does it to {@code net} ({@link FaultPlan#apply} calls this at {@link #at()}).
     *
     * @param net the network
     */
    void applyTo(SimNetwork net);

    /**
     * Every connection between two hosts is reset ({@link SimNetwork#reset}). aio4j-only.
     *
     * @param at when
     * @param a one host
     * @param b the other
     * @since 0.2
     */
    record Reset(double at, String a, String b) implements Fault {
        @Override
        public void applyTo(SimNetwork net) {
            net.reset(a, b);
        }

        @Override
        public String toString() {
            return "Reset(at=" + at + ", " + a + "|" + b + ")";
        }
    }

    /**
     * The link between two hosts is cut for {@code duration} seconds, then repaired
     * ({@link SimNetwork#partition}, {@link SimNetwork#repair}); with {@code reset}, the
     * connections between them are reset when it is cut. aio4j-only.
     *
     * @param at when
     * @param a one host
     * @param b the other
     * @param duration how long, seconds
     * @param reset whether the connections are reset as well
     * @since 0.2
     */
    record Partition(double at, String a, String b, double duration, boolean reset) implements Fault {
        @Override
        public void applyTo(SimNetwork net) {
            String key = FaultWindows.link("partition", a, b);
            FaultWindows.open(net, key, this);
            net.partition(a, b, reset);
            net.loop().callLater(duration, () -> {
                if (FaultWindows.close(net, key, this) == null) {
                    net.repair(a, b);
                }
            });
        }

        @Override
        public String toString() {
            return "Partition(at=" + at + ", " + a + "|" + b + ", for " + duration + (reset ? ", reset" : ", hold") + ")";
        }
    }

    /**
     * The link between two hosts gets a new latency ({@link SimNetwork#setLatency(String, String,
     * double, double)}). aio4j-only.
     *
     * @param at when
     * @param a one host
     * @param b the other
     * @param fixed the fixed part, seconds
     * @param jitter the bound of the random part, seconds
     * @since 0.2
     */
    record Latency(double at, String a, String b, double fixed, double jitter) implements Fault {
        @Override
        public void applyTo(SimNetwork net) {
            net.setLatency(a, b, fixed, jitter);
        }

        @Override
        public String toString() {
            return "Latency(at=" + at + ", " + a + "|" + b + ", " + fixed + "+" + jitter + ")";
        }
    }

    /**
     * A host crashes ({@link SimNetwork#crash}: its tasks cancelled, its connections reset, its
     * listeners gone) and, after {@code downFor} seconds, restarts with nothing running
     * ({@link SimNetwork#restart}). aio4j-only.
     *
     * @param at when
     * @param host the host
     * @param downFor how long it stays down, seconds
     * @since 0.2
     */
    record Crash(double at, String host, double downFor) implements Fault {
        @Override
        public void applyTo(SimNetwork net) {
            FaultWindows.open(net, "down:" + host, this);
            net.crash(host);
            net.loop().callLater(downFor, () -> {
                if (FaultWindows.close(net, "down:" + host, this) == null) {
                    net.restart(host);
                }
            });
        }

        @Override
        public String toString() {
            return "Crash(at=" + at + ", " + host + ", down for " + downFor + ")";
        }
    }

    /**
     * One direction of the link is cut for {@code duration} seconds, then repaired
     * ({@link SimNetwork#partitionOneWay}, {@link SimNetwork#repairOneWay}): {@code from}'s bytes
     * wait while {@code to}'s still arrive. aio4j-only.
     *
     * @param at when
     * @param from the host whose bytes wait
     * @param to the host that stops hearing from it
     * @param duration how long, seconds
     * @since 0.2
     */
    record OneWayPartition(double at, String from, String to, double duration) implements Fault {
        @Override
        public void applyTo(SimNetwork net) {
            FaultWindows.open(net, "oneway:" + from + ">" + to, this);
            net.partitionOneWay(from, to);
            net.loop().callLater(duration, () -> {
                if (FaultWindows.close(net, "oneway:" + from + ">" + to, this) == null) {
                    net.repairOneWay(from, to);
                }
            });
        }

        @Override
        public String toString() {
            return "OneWayPartition(at=" + at + ", " + from + "->" + to + ", for " + duration + ")";
        }
    }

    /**
     * The link loses each transmission with {@code probability} for {@code duration} seconds
     * ({@link SimNetwork#setLoss}), then loses nothing again: lost segments cost retransmission
     * delays, or time the connection out when the losses go on. aio4j-only.
     *
     * @param at when
     * @param a one host
     * @param b the other
     * @param probability the chance of losing one transmission, in [0, 1]
     * @param duration how long, seconds
     * @since 0.2
     */
    record Loss(double at, String a, String b, double probability, double duration) implements Fault {
        @Override
        public void applyTo(SimNetwork net) {
            String key = FaultWindows.link("loss", a, b);
            FaultWindows.open(net, key, this);
            net.setLoss(a, b, probability);
            net.loop().callLater(duration, () -> {
                Fault still = FaultWindows.close(net, key, this);
                net.setLoss(a, b, still instanceof Loss l ? l.probability() : 0);
            });
        }

        @Override
        public String toString() {
            return "Loss(at=" + at + ", " + a + "|" + b + ", " + probability + " for " + duration + ")";
        }
    }

    /**
     * The link carries at most {@code bytesPerSecond} each way from {@code at} on
     * ({@link SimNetwork#setBandwidth}). aio4j-only.
     *
     * @param at when
     * @param a one host
     * @param b the other
     * @param bytesPerSecond the rate (0 for unlimited)
     * @since 0.2
     */
    record Bandwidth(double at, String a, String b, double bytesPerSecond) implements Fault {
        @Override
        public void applyTo(SimNetwork net) {
            net.setBandwidth(a, b, bytesPerSecond);
        }

        @Override
        public String toString() {
            return "Bandwidth(at=" + at + ", " + a + "|" + b + ", " + (long) bytesPerSecond + " B/s)";
        }
    }

    /**
     * A host's listeners stop accepting for {@code duration} seconds ({@link SimNetwork#pauseAccepting},
     * {@link SimNetwork#resumeAccepting}): connects wait in the backlog, and past it their SYNs are
     * dropped and retransmitted. aio4j-only.
     *
     * @param at when
     * @param host the host
     * @param duration how long, seconds
     * @since 0.2
     */
    record AcceptStall(double at, String host, double duration) implements Fault {
        @Override
        public void applyTo(SimNetwork net) {
            FaultWindows.open(net, "accept:" + host, this);
            net.pauseAccepting(host);
            net.loop().callLater(duration, () -> {
                if (FaultWindows.close(net, "accept:" + host, this) == null) {
                    net.resumeAccepting(host);
                }
            });
        }

        @Override
        public String toString() {
            return "AcceptStall(at=" + at + ", " + host + ", for " + duration + ")";
        }
    }

    /**
     * A host vanishes without FIN or RST ({@link SimNetwork#vanish}) and, after {@code downFor}
     * seconds, restarts with nothing running ({@link SimNetwork#restart}); its peers notice
     * only by timeouts. aio4j-only.
     *
     * @param at when
     * @param host the host
     * @param downFor how long it stays away, seconds
     * @since 0.2
     */
    record Vanish(double at, String host, double downFor) implements Fault {
        @Override
        public void applyTo(SimNetwork net) {
            FaultWindows.open(net, "down:" + host, this);
            net.vanish(host);
            net.loop().callLater(downFor, () -> {
                if (FaultWindows.close(net, "down:" + host, this) == null) {
                    net.restart(host);
                }
            });
        }

        @Override
        public String toString() {
            return "Vanish(at=" + at + ", " + host + ", down for " + downFor + ")";
        }
    }
}
