package dev.aio4j.examples.tour;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.TimeoutError;

import java.util.function.Function;

import static dev.aio4j.examples.tour.TourContext.num;
import static dev.aio4j.examples.tour.TourContext.secs;

/**
 * Tour step "timeout": {@code Aio.timeout} gives up on a slow coroutine, cancels it, and throws
 * {@link TimeoutError}; then {@code Aio.waitFor} does the same. The longer program, with
 * {@code reschedule()}, is {@link dev.aio4j.examples.timeout.SlowOperation}.
 *
 * <p><b>asyncio:</b> {@code async with asyncio.timeout(1.0): await slow()} raising
 * {@code TimeoutError}, and the older {@code asyncio.wait_for(slow(), timeout=1.0)}.
 *
 * @since 0.1
 */
public final class TimeoutStep implements TourStep {
    /** Creates the step. It keeps no state, so one instance can run any number of times. */
    public TimeoutStep() {}

    @Override
    public String name() {
        return "timeout";
    }

    @Override
    public String summary() {
        return "Aio.timeout gives a 10 s coroutine 1 s, cancels it, and throws TimeoutError; then Aio.waitFor does the same";
    }

    @Override
    public String asyncio() {
        return "async with asyncio.timeout(1.0): await slow()  # then: await asyncio.wait_for(slow(), 1.0); slow(): await asyncio.sleep(10)";
    }

    @Override
    public void run(TourContext ctx) throws Exception {
        double timeout = ctx.seconds(1.0, 0.1);
        double slow = ctx.seconds(10.0, 1.0);
        ctx.did("Aio.timeout(" + num(timeout) + ", () -> slow()) in a try/catch (TimeoutError e); slow() calls Aio.sleep("
                + num(slow) + ")");
        String viaTimeout = attempt(ctx, slow, body -> Aio.timeout(timeout, body::get));
        ctx.did("Aio.waitFor(() -> slow(), " + num(timeout) + "): the same deadline, built on Aio.timeout as in Python 3.12");
        String viaWaitFor = attempt(ctx, slow, body -> Aio.waitFor(body::get, timeout));
        ctx.measured("Aio.timeout: " + viaTimeout + "; Aio.waitFor: " + viaWaitFor);
    }

    /** Runs slow() under {@code deadline} on a new loop; says when the TimeoutError came and whether slow() unwound. */
    private static String attempt(TourContext ctx, double slow, Function<SlowBody, String> deadline) {
        boolean[] slowCleanedUp = new boolean[1];
        return Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            double t0 = loop.time();
            try {
                String r = deadline.apply(() -> {
                    ctx.progress("slow() started, sleeping " + num(slow) + " s");
                    try {
                        Aio.sleep(slow);
                        return "slow() finished";
                    } catch (CancelledError e) {
                        ctx.progress("slow() got CancelledError at its await; its finally blocks run");
                        throw e;
                    } finally {
                        slowCleanedUp[0] = true;
                    }
                });
                return "no timeout (" + r + ")";
            } catch (TimeoutError e) {
                double took = loop.time() - t0;
                Throwable cause = e.getCause();
                ctx.progress("caught TimeoutError" + (cause != null ? " (cause: " + cause.getClass().getSimpleName() + ")" : ""));
                return "TimeoutError after " + secs(took) + " (not " + secs(slow) + "), slow() "
                        + (slowCleanedUp[0] ? "cancelled and unwound first" : "WAS NOT unwound");
            }
        });
    }

    /** slow() as a body both deadline forms accept. */
    @FunctionalInterface
    private interface SlowBody {
        String get();
    }
}
