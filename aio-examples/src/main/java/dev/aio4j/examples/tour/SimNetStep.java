package dev.aio4j.examples.tour;

import dev.aio4j.examples.payment.DoubleCharge;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Runner;
import dev.aio4j.loop.VirtualClock;
import dev.aio4j.test.net.Fault;
import dev.aio4j.test.net.FaultPlan;
import dev.aio4j.test.net.SimNetwork;

/**
 * Tour step "simnet": a payment client and a bank, plain {@code Streams} code, run on aio-test's
 * simulated network in virtual time. Without faults the client charges once; a sweep over fault
 * plans of one reset, one per millisecond, finds the moment at which the client's retry charges
 * twice; the same plan and seed replay the same run (the same trace hash); an idempotency key
 * fixes it. Offline: no socket is opened. The client and the bank are
 * {@link DoubleCharge}'s; the property-based version, which jqwik shrinks, is this module's
 * {@code DoubleChargeProperties}; the lease example is {@code dev.aio4j.examples.lease}.
 *
 * <p><b>asyncio:</b> none as a library (turmoil and FoundationDB's simulation are the models);
 * the client is {@code reader, writer = await asyncio.open_connection("bank", 443)} with a retry
 * loop.
 *
 * @since 0.2
 */
public final class SimNetStep implements TourStep {
    /** Creates the step. It keeps no state, so one instance can run any number of times. */
    public SimNetStep() {}

    @Override
    public String name() {
        return "simnet";
    }

    @Override
    public String summary() {
        return "a payment client on a simulated network: a sweep of fault plans finds the reset that makes its retry charge twice, replays it, and an idempotency key fixes it";
    }

    @Override
    public String asyncio() {
        return "for attempt in range(5): try: r, w = await asyncio.open_connection('bank', 443); w.write(b'CHARGE 100\\n'); return await r.readline() except OSError: pass";
    }

    /** One run's outcome: charges applied, trace hash, events. */
    private record Outcome(int charges, String hash, int events) {
    }

    @Override
    public void run(TourContext ctx) throws Exception {
        ctx.did("new SimNetwork(17): hosts client and bank, 5 ms per hop; the bank applies CHARGE then answers OK; "
                + "the client retries on any network error");
        long t0 = System.nanoTime();
        Outcome none = pay(FaultPlan.NONE, DoubleCharge.Client.RETRY);
        ctx.progress("no faults: charged " + none.charges() + " time(s), " + none.events() + " network events");
        int window = ctx.quick() ? 30 : 60;
        FaultPlan found = null;
        Outcome bad = null;
        int tried = 0;
        for (int ms = 0; ms <= window && found == null; ms++) {
            tried++;
            FaultPlan plan = FaultPlan.of(new Fault.Reset(ms / 1000.0, "client", "bank"));
            Outcome o = pay(plan, DoubleCharge.Client.RETRY);
            if (o.charges() > 1) {
                found = plan;
                bad = o;
            }
        }
        if (found == null) {
            throw new IllegalStateException("no reset in the first " + window + " ms made the client charge twice");
        }
        ctx.did("swept fault plans of one reset at 0, 1, 2 ... ms: the " + tried + "th charged twice");
        ctx.progress("found " + found.toJava() + ": charged " + bad.charges() + " times (the reset fell after the bank "
                + "applied the charge and before its OK arrived)");
        Outcome replay = pay(found, DoubleCharge.Client.RETRY);
        ctx.progress("replayed with seed 17: charged " + replay.charges() + " times, trace hash " + replay.hash()
                + (replay.hash().equals(bad.hash()) ? " (the same run, event for event)" : " (DIFFERENT: not deterministic)"));
        Outcome fixed = pay(found, DoubleCharge.Client.IDEMPOTENCY_KEY);
        ctx.progress("with an idempotency key the bank deduplicates: charged " + fixed.charges() + " time(s) under the same plan");
        double took = (System.nanoTime() - t0) / 1e9;
        ctx.measured("charges: " + none.charges() + " without faults, " + bad.charges() + " under " + found + ", "
                + fixed.charges() + " with the fix; replay " + (replay.hash().equals(bad.hash()) ? "identical" : "DIFFERENT")
                + "; " + (tried + 3) + " simulated runs in " + TourContext.secs(took) + " of real time");
    }

    /** One payment on a fresh virtual-clock loop and network under {@code plan}. */
    private static Outcome pay(FaultPlan plan, DoubleCharge.Client client) {
        try (Runner runner = Runner.withLoopFactory(() -> EventLoop.create(VirtualClock.autoJump()))) {
            return runner.run(() -> {
                SimNetwork net = DoubleCharge.network(17, 0);
                int charges = DoubleCharge.chargesApplied(net, plan, client);
                return new Outcome(charges, net.traceHash(), net.trace().size());
            });
        }
    }
}
