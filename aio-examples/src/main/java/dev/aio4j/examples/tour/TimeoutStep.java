package dev.aio4j.examples.tour;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.TimeoutError;

import static dev.aio4j.examples.tour.TourContext.num;
import static dev.aio4j.examples.tour.TourContext.secs;

/**
 * Tour step "timeout": {@code Aio.waitFor} gives up on a slow coroutine, cancels it, and throws
 * {@link TimeoutError}.
 *
 * <p><b>asyncio:</b> {@code asyncio.wait_for(slow(), timeout=1.0)} raising {@code TimeoutError}.
 *
 * @since 0.1
 */
public final class TimeoutStep implements TourStep {
    @Override
    public String name() {
        return "timeout";
    }

    @Override
    public String summary() {
        return "Aio.waitFor gives a 10 s coroutine 1 s, cancels it, and throws TimeoutError";
    }

    @Override
    public String asyncio() {
        return "try: await asyncio.wait_for(slow(), timeout=1.0)  except TimeoutError: ...  # slow(): await asyncio.sleep(10)";
    }

    @Override
    public void run(TourContext ctx) throws Exception {
        double timeout = ctx.seconds(1.0, 0.1);
        double slow = ctx.seconds(10.0, 1.0);
        ctx.did("Aio.waitFor(() -> slow(), " + num(timeout) + ") in a try/catch (TimeoutError e); slow() calls Aio.sleep("
                + num(slow) + ")");
        boolean[] slowCleanedUp = new boolean[1];
        double[] took = new double[1];
        String outcome = Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            double t0 = loop.time();
            try {
                String r = Aio.waitFor(() -> {
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
                }, timeout);
                return "no timeout: " + r;
            } catch (TimeoutError e) {
                took[0] = loop.time() - t0;
                Throwable cause = e.getCause();
                ctx.progress("caught TimeoutError: " + e.getMessage()
                        + (cause != null ? " (cause: " + cause.getClass().getSimpleName() + ")" : ""));
                return "TimeoutError";
            }
        });
        ctx.measured(outcome + " after " + secs(took[0]) + " (not " + secs(slow) + "); slow() "
                + (slowCleanedUp[0] ? "was cancelled and unwound before waitFor returned" : "WAS NOT unwound"));
    }
}
