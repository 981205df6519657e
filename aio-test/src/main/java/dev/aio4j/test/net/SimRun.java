package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Schedule;
import dev.aio4j.test.Schedules;

import java.util.List;

/**
 * One run of code on a simulated network, as data: the network's seed, the loop's
 * {@link Schedule}, the {@link FaultPlan} and the hosts. jqwik generates and shrinks it
 * ({@link FaultPlans#runs}); {@link #run} runs a body under it and, when the body fails, says in
 * the failure's message how to replay the run ({@link #toJava()}) and what the network did last.
 *
 * <p><b>asyncio:</b> none (aio4j-only); FoundationDB's "seed and fault schedule" of a
 * simulation, as one value.
 *
 * <pre>{@code
 * @Property
 * void chargesOnce(@ForAll("runs") SimRun run) {
 *     assertEquals(1, run.run(net -> payOnce()));
 * }
 *
 * @Provide
 * Arbitrary<SimRun> runs() {
 *     return FaultPlans.runs(List.of("client", "bank"), 0.100, FaultPlans.CLASSIC_KINDS);
 * }
 * }</pre>
 *
 * @param seed the network's seed ({@link SimNetwork#SimNetwork(long)})
 * @param schedule the loop's schedule
 * @param plan the faults
 * @param hosts the hosts {@link #run} adds besides {@value SimNetwork#LOCAL}
 * @since 0.2
 */
public record SimRun(long seed, Schedule schedule, FaultPlan plan, List<String> hosts) {
    /**
     * A run.
     *
     * @param seed the network's seed
     * @param schedule the loop's schedule (not null)
     * @param plan the faults (not null)
     * @param hosts the hosts to add (copied)
     */
    public SimRun {
        if (schedule == null || plan == null) {
            throw new IllegalArgumentException("schedule and plan must not be null, got " + schedule + ", " + plan);
        }
        hosts = List.copyOf(hosts);
    }

    /**
     * What {@link #run} runs: the code under test, given the installed network.
     *
     * @param <T> its result
     * @since 0.2
     */
    @FunctionalInterface
    public interface Body<T> {
        /**
         * Runs on the loop, as its main task.
         *
         * @param net the network, installed, with the hosts added and the plan applied
         * @return a result
         * @throws Exception anything; it fails the run
         */
        T run(SimNetwork net) throws Exception;
    }

    /**
     * Runs {@code body} as the main task of a fresh virtual-clock loop following
     * {@link #schedule()} ({@link Schedules#run}), on a fresh network with {@link #seed()} and
     * {@link #hosts()}, installed, with {@link #plan()} applied.
     *
     * @param body the code under test
     * @param <T> its result
     * @return what it returned
     * @throws AssertionError when the body fails (or leaks tasks): the message starts with the
     *     run as Java ({@link #toJava()}) and the network's {@link SimNetwork#replayReport()},
     *     and the cause is the original failure
     * @throws org.opentest4j.TestAbortedException unwrapped, when an assumption in the body failed
     *     (JUnit's {@code Assumptions}, jqwik's {@code Assume}): the test or try is skipped
     */
    public <T> T run(Body<T> body) {
        SimNetwork[] made = new SimNetwork[1];
        try {
            return Schedules.run(schedule, () -> {
                SimNetwork net = new SimNetwork(seed);
                made[0] = net;
                for (String h : hosts) {
                    if (!h.equalsIgnoreCase(SimNetwork.LOCAL)) {
                        net.addHost(h);
                    }
                }
                net.install(Aio.getRunningLoop());
                plan.apply(net);
                return body.run(net);
            });
        } catch (org.opentest4j.TestAbortedException skipped) {
            throw skipped; // an assumption that failed (JUnit's or jqwik's): not a failure, and it must reach the engine as it is
        } catch (RuntimeException | Error e) {
            String report = made[0] == null ? "" : "\n" + made[0].replayReport();
            AssertionError failed = new AssertionError("failed; replay with " + toJava() + ".run(...)" + report
                    + "\ncause: " + e, e);
            throw failed;
        }
    }

    /**
     * This run as a Java expression that builds it.
     *
     * @return e.g. {@code new SimRun(17L, Schedule.parse("..."), FaultPlan.of(...), List.of("client", "bank"))}
     */
    public String toJava() {
        StringBuilder hs = new StringBuilder("List.of(");
        for (int i = 0; i < hosts.size(); i++) {
            hs.append(i == 0 ? "" : ", ").append('"').append(hosts.get(i)).append('"');
        }
        return "new SimRun(" + seed + "L, " + (schedule.equals(Schedule.fifo()) ? "Schedule.fifo()" : "Schedule.parse(\"" + schedule + "\")")
                + ", " + plan.toJava() + ", " + hs + "))";
    }

    @Override
    public String toString() {
        return "SimRun[seed=" + seed + ", " + schedule + ", " + plan + "]";
    }
}
