package dev.aio4j.test.net;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import dev.aio4j.loop.Schedule;
import dev.aio4j.test.Schedules;

import java.util.List;

/**
 * jqwik arbitraries of {@link FaultPlan}s, for properties that must hold whatever the network
 * does.
 *
 * <p><b>asyncio:</b> none (aio4j-only); the fault-plan half of FoundationDB-style simulation
 * testing, in the shape of aio-test's {@code Schedules.arbitrary()}.
 *
 * <pre>{@code
 * @Property
 * void chargesOnce(@ForAll("plans") FaultPlan plan) {
 *     assertEquals(1, Schedules.run(Schedule.fifo(), () -> payOnce(plan)));
 * }
 *
 * @Provide
 * Arbitrary<FaultPlan> plans() {
 *     return FaultPlans.arbitrary(List.of("client", "server"), 0.100);
 * }
 * }</pre>
 *
 * <p>Shrinking goes towards "no faults": fewer faults (the list shrinks towards empty), simpler
 * kinds (a {@link Fault.Reset} before a {@link Fault.Partition} before a {@link Fault.Latency}
 * before a {@link Fault.Crash}), earlier times in whole milliseconds, the first hosts, shorter
 * partitions.
 *
 * @since 0.2
 */
public final class FaultPlans {
    /** The most faults in a generated plan: 4. */
    public static final int MAX_FAULTS = 4;
    /** The longest horizon: 2^53 ms in seconds, beyond which a double no longer counts whole milliseconds. */
    private static final double MAX_HORIZON = 0x1p53 / 1000;

    private FaultPlans() {}

    /**
     * The kinds of fault of {@link #arbitrary(List, double)}, simplest first: reset, partition,
     * latency, crash.
     */
    public static final List<Class<? extends Fault>> CLASSIC_KINDS =
            List.of(Fault.Reset.class, Fault.Partition.class, Fault.Latency.class, Fault.Crash.class);

    /**
     * Every kind of fault, simplest first: the {@link #CLASSIC_KINDS}, then one-way partitions,
     * loss, bandwidth limits, accept stalls and hosts that vanish without a word.
     */
    public static final List<Class<? extends Fault>> ALL_KINDS = List.of(Fault.Reset.class, Fault.Partition.class,
            Fault.Latency.class, Fault.Crash.class, Fault.OneWayPartition.class, Fault.Loss.class, Fault.Bandwidth.class,
            Fault.AcceptStall.class, Fault.Vanish.class);

    /**
     * Plans of up to {@link #MAX_FAULTS} faults of the {@link #CLASSIC_KINDS} between the given
     * hosts, within {@code horizon} seconds of loop time.
     *
     * @param hosts the hosts faults may name (at least one); pairs are drawn among them
     * @param horizon the latest time of a fault, seconds
     * @return the arbitrary; shrinks towards {@link FaultPlan#NONE}
     * @throws IllegalArgumentException if {@code hosts} is empty, or {@code horizon} is not in
     *     (0, 2^53 ms] (about 285,000 years)
     */
    public static Arbitrary<FaultPlan> arbitrary(List<String> hosts, double horizon) {
        return arbitrary(hosts, horizon, CLASSIC_KINDS);
    }

    /**
     * Plans of up to {@link #MAX_FAULTS} faults of the given kinds between the given hosts,
     * within {@code horizon} seconds of loop time. Earlier kinds are drawn more often and are
     * what shrinking prefers.
     *
     * <p>A property whose code has no timeouts of its own should leave out
     * {@link Fault.Vanish}: a peer that only waits to read from a vanished host waits forever,
     * as it would on a real network.
     *
     * @param hosts the hosts faults may name (at least one); pairs are drawn among them
     * @param horizon the latest time of a fault, seconds
     * @param kinds the kinds of fault, e.g. {@link #ALL_KINDS}; no duplicates
     * @return the arbitrary; shrinks towards {@link FaultPlan#NONE}
     * @throws IllegalArgumentException if {@code hosts} or {@code kinds} is empty, or {@code horizon}
     *     is not in (0, 2^53 ms] (about 285,000 years)
     */
    public static Arbitrary<FaultPlan> arbitrary(List<String> hosts, double horizon, List<Class<? extends Fault>> kinds) {
        if (hosts == null || hosts.isEmpty()) {
            throw new IllegalArgumentException("hosts must name at least one host, got " + hosts);
        }
        if (!(horizon > 0) || !(horizon <= MAX_HORIZON)) {
            throw new IllegalArgumentException("horizon must be > 0 and at most " + MAX_HORIZON
                    + " seconds (2^53 ms, the most whole milliseconds a double counts exactly), got " + horizon);
        }
        if (kinds == null || kinds.isEmpty() || new java.util.HashSet<>(kinds).size() != kinds.size()) {
            throw new IllegalArgumentException("kinds must name at least one kind of fault, each once, got " + kinds);
        }
        List<String> names = List.copyOf(hosts);
        // Whole milliseconds up to the horizon, in an int while they fit (as they always were, so
        // generation and shrinking stay as they were), else in a long: a horizon past 2^31 ms
        // (24.8 days) wrapped round an int here once.
        long millis = Math.round(horizon * 1000);
        Arbitrary<Double> at = millis(0, millis);
        Arbitrary<String> host = Arbitraries.integers().between(0, names.size() - 1).map(names::get);
        Arbitrary<Double> span = millis(1, Math.max(1, millis));
        List<net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<Fault>>> choices = new java.util.ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            choices.add(net.jqwik.api.Tuple.of(kinds.size() - i, kind(kinds.get(i), at, host, span)));
        }
        Arbitrary<Fault> fault = Arbitraries.frequencyOf(choices.toArray(net.jqwik.api.Tuple.Tuple2[]::new));
        return fault.list().ofMaxSize(MAX_FAULTS).map(FaultPlan::new);
    }

    /** Whole milliseconds in [min, max], as seconds. */
    private static Arbitrary<Double> millis(long min, long max) {
        return max <= Integer.MAX_VALUE ? Arbitraries.integers().between((int) min, (int) max).map(ms -> ms / 1000.0)
                : Arbitraries.longs().between(min, max).map(ms -> ms / 1000.0);
    }

    private static Arbitrary<Fault> kind(Class<? extends Fault> kind, Arbitrary<Double> at, Arbitrary<String> host,
                                         Arbitrary<Double> span) {
        if (kind == Fault.Reset.class) {
            return Combinators.combine(at, host, host).as(Fault.Reset::new);
        } else if (kind == Fault.Partition.class) {
            return Combinators.combine(at, host, host, span, Arbitraries.of(false, true)).as(Fault.Partition::new);
        } else if (kind == Fault.Latency.class) {
            return Combinators.combine(at, host, host, span, span.map(s -> s / 2)).as(Fault.Latency::new);
        } else if (kind == Fault.Crash.class) {
            return Combinators.combine(at, host, span).as(Fault.Crash::new);
        } else if (kind == Fault.OneWayPartition.class) {
            return Combinators.combine(at, host, host, span).as(Fault.OneWayPartition::new);
        } else if (kind == Fault.Loss.class) {
            // shrinks towards 10 % loss
            Arbitrary<Double> p = Arbitraries.integers().between(1, 10).map(i -> i / 10.0);
            return Combinators.combine(at, host, host, p, span).as(Fault.Loss::new);
        } else if (kind == Fault.Bandwidth.class) {
            // shrinks towards the mildest limit, 1 MB/s
            Arbitrary<Double> rate = Arbitraries.integers().between(1, 1000).map(k -> (1001 - k) * 1000.0);
            return Combinators.combine(at, host, host, rate).as(Fault.Bandwidth::new);
        } else if (kind == Fault.AcceptStall.class) {
            return Combinators.combine(at, host, span).as(Fault.AcceptStall::new);
        } else if (kind == Fault.Vanish.class) {
            return Combinators.combine(at, host, span).as(Fault.Vanish::new);
        }
        throw new IllegalArgumentException("unknown kind of fault " + kind + "; use the records nested in Fault");
    }

    /**
     * Runs of a simulated network: a network seed (shrinking towards 0), a {@link Schedule} of
     * the loop ({@link Schedules#arbitrary()}, shrinking towards FIFO) and a fault plan of the
     * given kinds (shrinking towards no faults), combined so that jqwik shrinks all three and
     * reports the smallest failing run, whose {@link SimRun#toJava()} replays it.
     *
     * @param hosts the hosts of the network besides {@value SimNetwork#LOCAL} (created by
     *     {@link SimRun#run}), which faults may name
     * @param horizon the latest time of a fault, seconds
     * @param kinds the kinds of fault, e.g. {@link #CLASSIC_KINDS} or {@link #ALL_KINDS}
     * @return the arbitrary
     * @throws IllegalArgumentException as {@link #arbitrary(List, double, List)}
     */
    public static Arbitrary<SimRun> runs(List<String> hosts, double horizon, List<Class<? extends Fault>> kinds) {
        List<String> names = List.copyOf(hosts);
        return Combinators.combine(Arbitraries.longs().between(0, 9_999), Schedules.arbitrary(),
                arbitrary(names, horizon, kinds)).as((seed, schedule, plan) -> new SimRun(seed, schedule, plan, names));
    }
}
