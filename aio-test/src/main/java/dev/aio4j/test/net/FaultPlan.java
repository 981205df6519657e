package dev.aio4j.test.net;

import java.util.List;

/**
 * Faults to inject into a {@link SimNetwork}, each at its virtual time: immutable data that
 * prints, compares, and (through {@link FaultPlans}) is generated and shrunk by jqwik, so that a
 * failing property reports the smallest plan that still fails, and replaying the printed plan
 * with the same seed replays the run.
 *
 * <p><b>asyncio:</b> none (aio4j-only); turmoil's fault calls in a test body, as one value.
 *
 * @param faults the faults, in any order (each applies at its own time)
 * @since 0.2
 */
public record FaultPlan(List<Fault> faults) {
    /** The plan without faults. */
    public static final FaultPlan NONE = new FaultPlan(List.of());

    /**
     * A plan of the given faults.
     *
     * @param faults the faults (copied; no null)
     */
    public FaultPlan {
        faults = List.copyOf(faults);
    }

    /**
     * A plan of the given faults.
     *
     * @param faults the faults
     * @return the plan
     */
    public static FaultPlan of(Fault... faults) {
        return new FaultPlan(List.of(faults));
    }

    /**
     * Schedules every fault on the network's loop at its time ({@code EventLoop.callAt}); a
     * time already past applies on the next iteration.
     *
     * @param net an installed network
     * @throws IllegalStateException if {@code net} is not installed on a loop, or was uninstalled
     */
    public void apply(SimNetwork net) {
        net.checkRunning("FaultPlan.apply()");
        net.planApplied(this);
        for (Fault f : faults) {
            net.faultTimer(f.at(), f, () -> f.applyTo(net));
        }
    }

    /**
     * The number of faults.
     *
     * @return how many
     */
    public int size() {
        return faults.size();
    }

    @Override
    public String toString() {
        return "FaultPlan" + faults;
    }

    /**
     * This plan as a Java expression that builds it, for a failure report to print and a test
     * to paste, e.g. {@code FaultPlan.of(new Fault.Reset(0.042, "client", "bank"))}.
     *
     * @return the expression
     */
    public String toJava() {
        StringBuilder sb = new StringBuilder(faults.isEmpty() ? "FaultPlan.NONE" : "FaultPlan.of(");
        for (int i = 0; i < faults.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(java(faults.get(i)));
        }
        return faults.isEmpty() ? sb.toString() : sb.append(')').toString();
    }

    private static String java(Fault f) {
        return switch (f) {
            case Fault.Reset r -> "new Fault.Reset(" + r.at() + ", " + q(r.a()) + ", " + q(r.b()) + ")";
            case Fault.Partition p -> "new Fault.Partition(" + p.at() + ", " + q(p.a()) + ", " + q(p.b()) + ", "
                    + p.duration() + ", " + p.reset() + ")";
            case Fault.Latency l -> "new Fault.Latency(" + l.at() + ", " + q(l.a()) + ", " + q(l.b()) + ", " + l.fixed()
                    + ", " + l.jitter() + ")";
            case Fault.Crash c -> "new Fault.Crash(" + c.at() + ", " + q(c.host()) + ", " + c.downFor() + ")";
            case Fault.OneWayPartition o -> "new Fault.OneWayPartition(" + o.at() + ", " + q(o.from()) + ", " + q(o.to())
                    + ", " + o.duration() + ")";
            case Fault.Loss l -> "new Fault.Loss(" + l.at() + ", " + q(l.a()) + ", " + q(l.b()) + ", " + l.probability()
                    + ", " + l.duration() + ")";
            case Fault.Bandwidth b -> "new Fault.Bandwidth(" + b.at() + ", " + q(b.a()) + ", " + q(b.b()) + ", "
                    + b.bytesPerSecond() + ")";
            case Fault.AcceptStall a -> "new Fault.AcceptStall(" + a.at() + ", " + q(a.host()) + ", " + a.duration() + ")";
            case Fault.Vanish v -> "new Fault.Vanish(" + v.at() + ", " + q(v.host()) + ", " + v.downFor() + ")";
        };
    }

    private static String q(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
