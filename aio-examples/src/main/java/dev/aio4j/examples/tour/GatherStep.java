package dev.aio4j.examples.tour;

import dev.aio4j.examples.gather.GatherSleep;
import dev.aio4j.loop.Aio;

import java.util.Locale;

import static dev.aio4j.examples.tour.TourContext.num;
import static dev.aio4j.examples.tour.TourContext.secs;

/**
 * Tour step "gather": the tutorial's three sleeping tasks under {@code asyncio.gather}, then the
 * blocking {@code time.sleep} version ({@link GatherSleep}).
 *
 * <p><b>asyncio:</b> {@code asyncio.gather} of three coroutines that each
 * {@code await asyncio.sleep(2)}.
 *
 * @since 0.1
 */
public final class GatherStep implements TourStep {
    /** Creates the step. It keeps no state, so one instance can run any number of times. */
    public GatherStep() {}

    @Override
    public String name() {
        return "gather";
    }

    @Override
    public String summary() {
        return "three tasks sleep 2 s each under gather (about 2 s), then the blocking way (about 6 s)";
    }

    @Override
    public String asyncio() {
        return "await asyncio.gather(task(), task(), task())  # task(): await asyncio.sleep(2); print('hello')";
    }

    @Override
    public void run(TourContext ctx) throws Exception {
        double s = ctx.seconds(2.0, 0.2);
        ctx.did("Aio.gather(() -> task(1), () -> task(2), () -> task(3)).await(), each task calling Aio.sleep("
                + num(s) + ")");
        double concurrent = Aio.run(() -> GatherSleep.concurrent(s, ctx.progressLines()));
        ctx.did("the blocking version: Thread.sleep(" + num(s) + " s) three times in a row (Python: time.sleep(2))");
        double blocking = GatherSleep.blocking(s, ctx.progressLines());
        ctx.measured("gather " + secs(concurrent) + ", blocking " + secs(blocking)
                + String.format(Locale.ROOT, " (%.1fx); one sleep is %s", blocking / Math.max(concurrent, 1e-9), secs(s)));
    }
}
