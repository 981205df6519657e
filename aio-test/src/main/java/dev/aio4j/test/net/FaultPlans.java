package dev.aio4j.test.net;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

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

    private FaultPlans() {}

    /**
     * Plans of up to {@link #MAX_FAULTS} faults between the given hosts, within {@code horizon}
     * seconds of loop time.
     *
     * @param hosts the hosts faults may name (at least one); pairs are drawn among them
     * @param horizon the latest time of a fault, seconds
     * @return the arbitrary; shrinks towards {@link FaultPlan#NONE}
     * @throws IllegalArgumentException if {@code hosts} is empty or {@code horizon <= 0}
     */
    public static Arbitrary<FaultPlan> arbitrary(List<String> hosts, double horizon) {
        if (hosts == null || hosts.isEmpty()) {
            throw new IllegalArgumentException("hosts must name at least one host, got " + hosts);
        }
        if (!(horizon > 0)) {
            throw new IllegalArgumentException("horizon must be > 0, got " + horizon);
        }
        List<String> names = List.copyOf(hosts);
        int millis = (int) Math.round(horizon * 1000);
        Arbitrary<Double> at = Arbitraries.integers().between(0, millis).map(ms -> ms / 1000.0);
        Arbitrary<String> host = Arbitraries.integers().between(0, names.size() - 1).map(names::get);
        Arbitrary<Double> span = Arbitraries.integers().between(1, Math.max(1, millis)).map(ms -> ms / 1000.0);
        Arbitrary<Fault> reset = net.jqwik.api.Combinators.combine(at, host, host).as(Fault.Reset::new);
        Arbitrary<Fault> partition = net.jqwik.api.Combinators.combine(at, host, host, span, Arbitraries.of(false, true))
                .as(Fault.Partition::new);
        Arbitrary<Fault> latency = net.jqwik.api.Combinators.combine(at, host, host, span, span.map(s -> s / 2))
                .as(Fault.Latency::new);
        Arbitrary<Fault> crash = net.jqwik.api.Combinators.combine(at, host, span).as(Fault.Crash::new);
        Arbitrary<Fault> fault = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, reset), net.jqwik.api.Tuple.of(3, partition),
                net.jqwik.api.Tuple.of(2, latency), net.jqwik.api.Tuple.of(1, crash));
        return fault.list().ofMaxSize(MAX_FAULTS).map(FaultPlan::new);
    }
}
