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
            net.partition(a, b, reset);
            net.loop().callLater(duration, () -> net.repair(a, b));
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
            net.crash(host);
            net.loop().callLater(downFor, () -> net.restart(host));
        }

        @Override
        public String toString() {
            return "Crash(at=" + at + ", " + host + ", down for " + downFor + ")";
        }
    }
}
