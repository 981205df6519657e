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

    /** The argument checks of the faults' constructors: one message format, naming the fault and the parameter. */
    private static void checkTime(String fault, double at) {
        if (!(at >= 0) || Double.isInfinite(at)) {
            throw new IllegalArgumentException("Fault." + fault + ": at must be a finite loop time >= 0 seconds, got " + at);
        }
    }

    private static void checkHost(String fault, String parameter, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("Fault." + fault + ": " + parameter + " must name a host, got "
                    + (name == null ? "null" : "\"\""));
        }
    }

    /** A window from {@code at} for {@code length} seconds: not empty, and ending at a finite time. */
    private static void checkWindow(String fault, String parameter, double at, double length) {
        if (!(length > 0) || Double.isInfinite(length)) {
            throw new IllegalArgumentException("Fault." + fault + ": " + parameter
                    + " must be finite and > 0 seconds (a window that ends after it starts), got " + length);
        }
        if (Double.isInfinite(at + length)) {
            throw new IllegalArgumentException("Fault." + fault + ": " + parameter + " " + length + " from at=" + at
                    + " ends past the largest loop time a double holds; use a shorter one");
        }
    }

    private static void checkNonNegative(String fault, String parameter, double value, String unit) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("Fault." + fault + ": " + parameter + " must be finite and >= 0 " + unit
                    + ", got " + value);
        }
    }

    private static void checkProbability(String fault, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Fault." + fault + ": probability must be in [0, 1], got " + p);
        }
    }

    /**
     * Every connection between two hosts is reset ({@link SimNetwork#reset}). aio4j-only.
     *
     * @param at when
     * @param a one host
     * @param b the other
     * @since 0.2
     */
    record Reset(double at, String a, String b) implements Fault {
        /**
         * Checks the parameters.
         *
         * @param at as the record's
         * @param a as the record's
         * @param b as the record's
         * @throws IllegalArgumentException naming the parameter that makes no sense: a time before 0 or not
         *     finite, a missing host, an empty or endless window, a probability outside [0, 1], a negative
         *     latency or rate
         */
        public Reset {
            Fault.checkTime("Reset", at);
            Fault.checkHost("Reset", "a", a);
            Fault.checkHost("Reset", "b", b);
        }

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
        /**
         * Checks the parameters.
         *
         * @param at as the record's
         * @param a as the record's
         * @param b as the record's
         * @param duration as the record's
         * @param reset as the record's
         * @throws IllegalArgumentException naming the parameter that makes no sense: a time before 0 or not
         *     finite, a missing host, an empty or endless window, a probability outside [0, 1], a negative
         *     latency or rate
         */
        public Partition {
            Fault.checkTime("Partition", at);
            Fault.checkHost("Partition", "a", a);
            Fault.checkHost("Partition", "b", b);
            Fault.checkWindow("Partition", "duration", at, duration);
        }

        @Override
        public void applyTo(SimNetwork net) {
            // Its own cut: it composes with the link's other partitions and its end heals only it.
            net.partition(a, b, reset, this);
            net.faultEnds(duration, this, () -> net.repair(a, b, this));
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
        /**
         * Checks the parameters.
         *
         * @param at as the record's
         * @param a as the record's
         * @param b as the record's
         * @param fixed as the record's
         * @param jitter as the record's
         * @throws IllegalArgumentException naming the parameter that makes no sense: a time before 0 or not
         *     finite, a missing host, an empty or endless window, a probability outside [0, 1], a negative
         *     latency or rate
         */
        public Latency {
            Fault.checkTime("Latency", at);
            Fault.checkHost("Latency", "a", a);
            Fault.checkHost("Latency", "b", b);
            Fault.checkNonNegative("Latency", "fixed", fixed, "seconds");
            Fault.checkNonNegative("Latency", "jitter", jitter, "seconds");
        }

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
     * A host crashes ({@link SimNetwork#crash}: its tasks cancelled, its connections reset (not
     * the clients of its SYN cookies and half-open requests on other hosts, for which it kept
     * nothing: they learn of it from their next segment; nor the servers on other hosts that hold
     * a half-open request of its connects: the request keeps its SYN queue slot until its SYN-ACK
     * retries run out, 63 s after its first SYN-ACK, or a SYN-ACK reaches the restarted host and
     * is answered with a RST), its listeners gone) and, after {@code downFor} seconds, restarts
     * with nothing running ({@link SimNetwork#restart}). aio4j-only.
     *
     * @param at when
     * @param host the host
     * @param downFor how long it stays down, seconds
     * @since 0.2
     */
    record Crash(double at, String host, double downFor) implements Fault {
        /**
         * Checks the parameters.
         *
         * @param at as the record's
         * @param host as the record's
         * @param downFor as the record's
         * @throws IllegalArgumentException naming the parameter that makes no sense: a time before 0 or not
         *     finite, a missing host, an empty or endless window, a probability outside [0, 1], a negative
         *     latency or rate
         */
        public Crash {
            Fault.checkTime("Crash", at);
            Fault.checkHost("Crash", "host", host);
            Fault.checkWindow("Crash", "downFor", at, downFor);
        }

        @Override
        public void applyTo(SimNetwork net) {
            FaultWindows.open(net, "down:" + host, this);
            net.crash(host);
            net.faultEnds(downFor, this, () -> {
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
        /**
         * Checks the parameters.
         *
         * @param at as the record's
         * @param from as the record's
         * @param to as the record's
         * @param duration as the record's
         * @throws IllegalArgumentException naming the parameter that makes no sense: a time before 0 or not
         *     finite, a missing host, an empty or endless window, a probability outside [0, 1], a negative
         *     latency or rate
         */
        public OneWayPartition {
            Fault.checkTime("OneWayPartition", at);
            Fault.checkHost("OneWayPartition", "from", from);
            Fault.checkHost("OneWayPartition", "to", to);
            Fault.checkWindow("OneWayPartition", "duration", at, duration);
        }

        @Override
        public void applyTo(SimNetwork net) {
            net.partitionOneWay(from, to, this);
            net.faultEnds(duration, this, () -> net.repairOneWay(from, to, this));
        }

        @Override
        public String toString() {
            return "OneWayPartition(at=" + at + ", " + from + "->" + to + ", for " + duration + ")";
        }
    }

    /**
     * The link loses each transmission with {@code probability} for {@code duration} seconds
     * ({@link SimNetwork#setLoss}), then loses what it lost before (nothing, unless the test set
     * a loss of its own): lost segments cost retransmission delays, or time the connection out
     * when the losses go on. aio4j-only.
     *
     * @param at when
     * @param a one host
     * @param b the other
     * @param probability the chance of losing one transmission, in [0, 1]
     * @param duration how long, seconds
     * @since 0.2
     */
    record Loss(double at, String a, String b, double probability, double duration) implements Fault {
        /**
         * Checks the parameters.
         *
         * @param at as the record's
         * @param a as the record's
         * @param b as the record's
         * @param probability as the record's
         * @param duration as the record's
         * @throws IllegalArgumentException naming the parameter that makes no sense: a time before 0 or not
         *     finite, a missing host, an empty or endless window, a probability outside [0, 1], a negative
         *     latency or rate
         */
        public Loss {
            Fault.checkTime("Loss", at);
            Fault.checkHost("Loss", "a", a);
            Fault.checkHost("Loss", "b", b);
            Fault.checkProbability("Loss", probability);
            Fault.checkWindow("Loss", "duration", at, duration);
        }

        @Override
        public void applyTo(SimNetwork net) {
            String key = FaultWindows.link("loss", a, b);
            FaultWindows.open(net, key, this, net.loss(a, b));
            net.setLoss(a, b, probability);
            net.faultEnds(duration, this, () -> {
                Fault still = FaultWindows.close(net, key, this);
                // the loss of another window still open, else the link's own from before them
                net.setLoss(a, b, still instanceof Loss l ? l.probability() : FaultWindows.before(net, key));
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
        /**
         * Checks the parameters.
         *
         * @param at as the record's
         * @param a as the record's
         * @param b as the record's
         * @param bytesPerSecond as the record's
         * @throws IllegalArgumentException naming the parameter that makes no sense: a time before 0 or not
         *     finite, a missing host, an empty or endless window, a probability outside [0, 1], a negative
         *     latency or rate
         */
        public Bandwidth {
            Fault.checkTime("Bandwidth", at);
            Fault.checkHost("Bandwidth", "a", a);
            Fault.checkHost("Bandwidth", "b", b);
            Fault.checkNonNegative("Bandwidth", "bytesPerSecond", bytesPerSecond, "bytes/s (0 for unlimited)");
        }

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
        /**
         * Checks the parameters.
         *
         * @param at as the record's
         * @param host as the record's
         * @param duration as the record's
         * @throws IllegalArgumentException naming the parameter that makes no sense: a time before 0 or not
         *     finite, a missing host, an empty or endless window, a probability outside [0, 1], a negative
         *     latency or rate
         */
        public AcceptStall {
            Fault.checkTime("AcceptStall", at);
            Fault.checkHost("AcceptStall", "host", host);
            Fault.checkWindow("AcceptStall", "duration", at, duration);
        }

        @Override
        public void applyTo(SimNetwork net) {
            FaultWindows.open(net, "accept:" + host, this);
            net.pauseAccepting(host);
            net.faultEnds(duration, this, () -> {
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
        /**
         * Checks the parameters.
         *
         * @param at as the record's
         * @param host as the record's
         * @param downFor as the record's
         * @throws IllegalArgumentException naming the parameter that makes no sense: a time before 0 or not
         *     finite, a missing host, an empty or endless window, a probability outside [0, 1], a negative
         *     latency or rate
         */
        public Vanish {
            Fault.checkTime("Vanish", at);
            Fault.checkHost("Vanish", "host", host);
            Fault.checkWindow("Vanish", "downFor", at, downFor);
        }

        @Override
        public void applyTo(SimNetwork net) {
            FaultWindows.open(net, "down:" + host, this);
            net.vanish(host);
            net.faultEnds(downFor, this, () -> {
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
