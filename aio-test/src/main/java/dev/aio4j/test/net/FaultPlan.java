package dev.aio4j.test.net;

import dev.aio4j.loop.EventLoop;

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
     * @throws IllegalStateException if {@code net} is not installed on a loop
     */
    public void apply(SimNetwork net) {
        EventLoop loop = net.loop();
        for (Fault f : faults) {
            loop.callAt(f.at(), () -> f.applyTo(net));
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
}
