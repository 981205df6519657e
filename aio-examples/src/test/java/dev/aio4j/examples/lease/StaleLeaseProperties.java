package dev.aio4j.examples.lease;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Schedule;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.Streams;
import dev.aio4j.test.Schedules;
import dev.aio4j.test.net.Fault;
import dev.aio4j.test.net.FaultPlan;
import dev.aio4j.test.net.FaultPlans;
import dev.aio4j.test.net.SimNetwork;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The second proof of issue 17: a leader that trusts a stale heartbeat. Two nodes compete for a
 * lease over the simulated network; the property says a node only does leader work while the
 * lock service counts it as the holder. The node that dates its lease from the reply breaks it
 * only when the network delays a heartbeat: jqwik finds a fault plan that does, shrinks it to one
 * partition at one moment, the printed plan replays the failure, no faults hides it, and the node
 * that dates its lease from the request passes the same property. The nodes and the service are
 * plain {@code Streams} code that knows nothing of the simulation.
 */
class StaleLeaseProperties {
    static final long SEED = 2;
    static final double STOP_AT = 30;

    /**
     * Runs the service on "lock" and nodes "a" (from t=0) and "b" (from t=0.5) until
     * {@link #STOP_AT} under {@code plan}; returns the leader work done outside the worker's
     * grants, as {@code "a@12.3"} strings (empty when the lease held).
     */
    static List<String> workOutsideGrants(Schedule schedule, FaultPlan plan, LeaseNode.Dating dating) {
        return Schedules.run(schedule, () -> {
            SimNetwork net = new SimNetwork(SEED);
            for (String h : List.of("a", "b", "lock")) {
                net.addHost(h);
            }
            net.setLatency(0.010, 0.005);
            net.install(Aio.getRunningLoop());
            LockService service = new LockService();
            Server server = net.spawn("lock", () -> Streams.startServer(service::serve, "lock", 2379)).await();
            plan.apply(net);
            List<LeaseNode> nodes = List.of(new LeaseNode("a", dating), new LeaseNode("b", dating));
            List<Task<Object>> running = new ArrayList<>();
            for (LeaseNode n : nodes) {
                running.add(net.spawn(n.name(), () -> {
                    Aio.sleep(n.name().equals("a") ? 0 : 0.5);
                    n.run("lock", 2379, STOP_AT);
                    return null;
                }));
            }
            for (Task<Object> t : running) {
                try {
                    t.await();
                } catch (CancelledError crashed) {
                    // a Crash of the node's host: it stopped, which is allowed
                }
            }
            server.close();
            server.waitClosed();
            List<String> outside = new ArrayList<>();
            for (LeaseNode n : nodes) {
                for (double t : n.work()) {
                    if (service.grants().stream().noneMatch(g -> g.covers(n.name(), t))) {
                        outside.add(n.name() + "@" + t);
                    }
                }
            }
            return outside;
        });
    }

    static List<String> workOutsideGrants(FaultPlan plan, LeaseNode.Dating dating) {
        return workOutsideGrants(Schedule.fifo(), plan, dating);
    }

    /** Resets and partitions: of these, only a partition delays a heartbeat long enough. */
    /** The plan the property shrinks to, pasted from its report: it replays the stale lease exactly. */
    @org.junit.jupiter.api.Test
    void theShrunkPlanReplays() {
        FaultPlan printed = FaultPlan.of(new Fault.Partition(0.258, "a", "lock", 2.815, true));
        List<String> outside = workOutsideGrants(printed, LeaseNode.Dating.FROM_REPLY);
        assertTrue(!outside.isEmpty() && outside.stream().allMatch(w -> w.startsWith("a@")), outside.toString());
        assertEquals(outside, workOutsideGrants(printed, LeaseNode.Dating.FROM_REPLY), "the same work, at the same times");
        assertEquals(List.of(), workOutsideGrants(printed, LeaseNode.Dating.FROM_REQUEST));
    }

    @Provide
    Arbitrary<FaultPlan> plans() {
        return FaultPlans.arbitrary(List.of("a", "b", "lock"), 10.0, List.of(Fault.Reset.class, Fault.Partition.class));
    }

    /** Every kind of fault, for the fixed node (a crash of the lock service reveals the bug too). */
    @Provide
    Arbitrary<FaultPlan> anyPlans() {
        return FaultPlans.arbitrary(List.of("a", "b", "lock"), 10.0, FaultPlans.ALL_KINDS);
    }

    @Property(tries = 200, seed = "18")
    @AddLifecycleHook(ExpectStaleLeaseFound.class)
    void aNodeDatingItsLeaseFromTheReplyOnlyLeadsWhileItHoldsTheLease(@ForAll("plans") FaultPlan plan) {
        List<String> outside = workOutsideGrants(plan, LeaseNode.Dating.FROM_REPLY);
        assertEquals(List.of(), outside, "leader work outside the node's grants under " + plan + " with seed " + SEED);
    }

    /** The fixed node, under any fault plan combined with any schedule. */
    @Property(tries = 100, seed = "17")
    void aNodeDatingItsLeaseFromTheRequestOnlyLeadsWhileItHoldsTheLease(@ForAll Schedule schedule,
                                                                         @ForAll("anyPlans") FaultPlan plan) {
        List<String> outside = workOutsideGrants(schedule, plan, LeaseNode.Dating.FROM_REQUEST);
        assertEquals(List.of(), outside, "leader work outside the node's grants under " + plan + " and " + schedule);
    }

    /**
     * Wraps the property that must fail: jqwik found a failing plan and shrank it to one
     * partition; the plan replays the failure; no faults, and the fixed node under the same plan,
     * pass. Then reports success.
     */
    static final class ExpectStaleLeaseFound implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            PropertyExecutionResult r = property.execute();
            try {
                assertEquals(PropertyExecutionResult.Status.FAILED, r.status(), "the property did not find the stale lease");
                FaultPlan shrunk = (FaultPlan) r.falsifiedParameters().orElseThrow().get(0);
                assertEquals(1, shrunk.size(), "shrinking should leave one fault, got " + shrunk);
                assertInstanceOf(Fault.Partition.class, shrunk.faults().get(0), "the one fault should be a partition: " + shrunk);
                assertTrue(!workOutsideGrants(shrunk, LeaseNode.Dating.FROM_REPLY).isEmpty(), "replaying " + shrunk + " fails again");
                assertEquals(List.of(), workOutsideGrants(FaultPlan.NONE, LeaseNode.Dating.FROM_REPLY), "without faults the bug hides");
                assertEquals(List.of(), workOutsideGrants(shrunk, LeaseNode.Dating.FROM_REQUEST), "dating from the request fixes it");
                System.out.println("StaleLeaseProperties: shrunk to " + shrunk.toJava() + " (seed " + SEED + ")");
                return r.mapToSuccessful();
            } catch (Throwable e) {
                return r.mapToFailed(e);
            }
        }
    }
}
