package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Schedule;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.StreamWriter;
import dev.aio4j.streams.Streams;
import dev.aio4j.test.Schedules;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proof of issue 17, in small: a payment client that retries a non-idempotent request after a
 * connection reset charges twice when the reset falls between the bank applying the charge and
 * the reply arriving. A property over {@link FaultPlan}s finds it, jqwik shrinks the plan to one
 * reset, the printed plan replays the failure, no faults hides it, and the fixed client (an
 * idempotency key the bank deduplicates) passes the same property. The client and the bank are
 * plain {@link Streams} code that knows nothing of the simulation. aio4j-only.
 */
class DoubleChargeProperties {
    static final long SEED = 17;

    /**
     * Runs one payment on a fresh loop and network under {@code plan}; returns how many times the
     * bank applied it.
     */
    static int chargesApplied(FaultPlan plan, boolean idempotencyKey) {
        return chargesApplied(Schedule.fifo(), plan, idempotencyKey);
    }

    /** The same under {@code schedule}: timers late by its jitter, including the network's own. */
    static int chargesApplied(Schedule schedule, FaultPlan plan, boolean idempotencyKey) {
        return Schedules.run(schedule, () -> {
            SimNetwork net = new SimNetwork(SEED);
            net.addHost("client");
            net.addHost("bank");
            net.setLatency(0.005, 0.002);
            net.install(Aio.getRunningLoop());
            int[] applied = {0};
            Set<String> seenKeys = new HashSet<>();
            Server bank = Streams.startServer((r, w) -> serve(r, w, applied, seenKeys), "bank", 443);
            plan.apply(net);
            Task<Boolean> client = net.spawn("client", () -> pay(idempotencyKey));
            try {
                client.await();
            } catch (dev.aio4j.loop.CancelledError crashed) {
                // a Crash of the client host cancelled it: it gave up, which is allowed
            }
            Aio.sleep(1); // lets the bank's handlers see the end of their connections
            bank.close();
            bank.waitClosed();
            return applied[0];
        });
    }

    /** The bank: applies "CHARGE amount" (once per key when the request carries one) and answers OK. */
    static void serve(StreamReader reader, StreamWriter writer, int[] applied, Set<String> seenKeys) {
        try {
            for (byte[] line = reader.readline(); line.length > 0; line = reader.readline()) {
                String request = new String(line, StandardCharsets.UTF_8).trim();
                int k = request.indexOf(" key=");
                if (k < 0 || seenKeys.add(request.substring(k + 5))) {
                    applied[0]++;
                }
                writer.write("OK\n".getBytes(StandardCharsets.UTF_8));
                writer.drain();
            }
        } catch (IOException reset) {
            // the client went away
        } finally {
            writer.close();
        }
    }

    /** The client: sends the charge, retries up to 4 times on a network error. */
    static boolean pay(boolean idempotencyKey) {
        String request = "CHARGE 100" + (idempotencyKey ? " key=order-42" : "") + "\n";
        for (int attempt = 0; attempt < 5; attempt++) {
            StreamPair p = null;
            try {
                p = Streams.openConnection("bank", 443);
                p.writer().write(request.getBytes(StandardCharsets.UTF_8));
                byte[] reply = p.reader().readline();
                if (new String(reply, StandardCharsets.UTF_8).equals("OK\n")) {
                    return true;
                }
            } catch (IOException e) {
                // reset, refused, unreachable: retry, the bug when the charge was applied already
            } finally {
                if (p != null) {
                    p.writer().close();
                }
            }
            Aio.sleep(0.050);
        }
        return false;
    }

    @Provide
    Arbitrary<FaultPlan> plans() {
        return FaultPlans.arbitrary(List.of("client", "bank"), 0.100);
    }

    @Property(tries = 300, seed = "17")
    @AddLifecycleHook(ExpectDoubleChargeFound.class)
    void retryingClientNeverChargesTwice(@ForAll("plans") FaultPlan plan) {
        int applied = chargesApplied(plan, false);
        assertTrue(applied <= 1, "charged " + applied + " times under " + plan + " with seed " + SEED);
    }

    /** The fixed client, under any fault plan combined with any schedule (timers up to 10 ms late). */
    @Property(tries = 300, seed = "17")
    void clientWithAnIdempotencyKeyNeverChargesTwice(@ForAll Schedule schedule, @ForAll("plans") FaultPlan plan) {
        int applied = chargesApplied(schedule, plan, true);
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
                assertEquals(2, chargesApplied(shrunk, false), "replaying " + shrunk + " charges twice again");
                assertEquals(1, chargesApplied(FaultPlan.NONE, false), "without faults the bug hides");
                assertEquals(1, chargesApplied(shrunk, true), "the idempotency key fixes it under " + shrunk);
                System.out.println("DoubleChargeProperties: shrunk to " + shrunk + " (seed " + SEED + ")");
                return r.mapToSuccessful();
            } catch (Throwable e) {
                return r.mapToFailed(e);
            }
        }
    }
}
