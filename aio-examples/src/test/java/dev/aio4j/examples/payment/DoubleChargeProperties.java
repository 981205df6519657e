package dev.aio4j.examples.payment;

import dev.aio4j.examples.payment.DoubleCharge.Client;
import dev.aio4j.loop.Schedule;
import dev.aio4j.test.Schedules;
import dev.aio4j.test.net.Fault;
import dev.aio4j.test.net.FaultPlan;
import dev.aio4j.test.net.FaultPlans;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proof of issue 17, in small: a payment client that retries a non-idempotent request after a
 * connection reset charges twice when the reset falls between the bank applying the charge and
 * the reply arriving. A property over {@link FaultPlan}s finds it, jqwik shrinks the plan to one
 * reset, the printed plan replays the failure, no faults hides it, and the fixed client (an
 * idempotency key the bank deduplicates) passes the same property. The client and the bank are
 * {@link DoubleCharge}'s, plain {@code Streams} code that knows nothing of the simulation, which
 * the tour's {@code simnet} step runs too. aio4j-only.
 */
class DoubleChargeProperties {
    static final long SEED = 17;

    /**
     * Runs one payment on a fresh loop and network under {@code plan}; returns how many times the
     * bank applied it.
     */
    static int chargesApplied(FaultPlan plan, Client client) {
        return chargesApplied(Schedule.fifo(), plan, client);
    }

    /** The same under {@code schedule}: timers late by its jitter, including the network's own. */
    static int chargesApplied(Schedule schedule, FaultPlan plan, Client client) {
        return Schedules.run(schedule, () -> DoubleCharge.chargesApplied(DoubleCharge.network(SEED, 0.002), plan, client));
    }

    @Provide
    Arbitrary<FaultPlan> plans() {
        return FaultPlans.arbitrary(List.of(DoubleCharge.CLIENT, DoubleCharge.BANK), 0.100);
    }

    @Property(tries = 300, seed = "17")
    @AddLifecycleHook(ExpectDoubleChargeFound.class)
    void retryingClientNeverChargesTwice(@ForAll("plans") FaultPlan plan) {
        int applied = chargesApplied(plan, Client.RETRY);
        assertTrue(applied <= 1, "charged " + applied + " times under " + plan + " with seed " + SEED);
    }

    /** The fixed client, under any fault plan combined with any schedule (timers up to 10 ms late). */
    @Property(tries = 300, seed = "17")
    void clientWithAnIdempotencyKeyNeverChargesTwice(@ForAll Schedule schedule, @ForAll("plans") FaultPlan plan) {
        int applied = chargesApplied(schedule, plan, Client.IDEMPOTENCY_KEY);
        assertTrue(applied <= 1, "charged " + applied + " times under " + plan + " and " + schedule + " with seed " + SEED);
    }

    /**
     * Wraps the property that must fail: jqwik found a failing plan, shrunk it to a single
     * {@link Fault.Reset}; the plan replays the failure; no faults, and the fixed client under the
     * same plan, pass. Then reports success.
     */
    static final class ExpectDoubleChargeFound implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            PropertyExecutionResult r = property.execute();
            try {
                assertEquals(PropertyExecutionResult.Status.FAILED, r.status(), "the property did not find the double charge");
                FaultPlan shrunk = (FaultPlan) r.falsifiedParameters().orElseThrow().get(0);
                assertEquals(1, shrunk.size(), "shrinking should leave one fault, got " + shrunk);
                assertInstanceOf(Fault.Reset.class, shrunk.faults().get(0), "the one fault should be a reset: " + shrunk);
                assertEquals(2, chargesApplied(shrunk, Client.RETRY), "replaying " + shrunk + " charges twice again");
                assertEquals(1, chargesApplied(FaultPlan.NONE, Client.RETRY), "without faults the bug hides");
                assertEquals(1, chargesApplied(shrunk, Client.IDEMPOTENCY_KEY), "the idempotency key fixes it under " + shrunk);
                System.out.println("DoubleChargeProperties: shrunk to " + shrunk + " (seed " + SEED + ")");
                return r.mapToSuccessful();
            } catch (Throwable e) {
                return r.mapToFailed(e);
            }
        }
    }
}
