package dev.aio4j.examples.tour;

import dev.aio4j.examples.taskgroup.FailFastFetch;
import dev.aio4j.loop.Aio;

import java.util.Locale;

import static dev.aio4j.examples.tour.TourContext.num;
import static dev.aio4j.examples.tour.TourContext.secs;

/**
 * Tour step "taskgroup": four fetches in a task group, one of which fails; the others are
 * cancelled at once and the block throws one {@code ExceptionGroup} ({@link FailFastFetch}).
 *
 * <p><b>asyncio:</b> {@code async with asyncio.TaskGroup() as tg:} with one child raising.
 *
 * @since 0.1
 */
public final class TaskGroupStep implements TourStep {
    /** Creates the step. It keeps no state, so one instance can run any number of times. */
    public TaskGroupStep() {}

    @Override
    public String name() {
        return "taskgroup";
    }

    @Override
    public String summary() {
        return "4 fetches in a TaskGroup; one fails, the other 3 are cancelled at once, one ExceptionGroup is thrown";
    }

    @Override
    public String asyncio() {
        return "async with asyncio.TaskGroup() as tg: for r in resources: tg.create_task(fetch(r))  # one fetch raises OSError";
    }

    @Override
    public void run(TourContext ctx) throws Exception {
        double unit = ctx.seconds(0.25, 0.05);
        double slowest = 4 * unit;
        ctx.did("Aio.taskGroup(tg -> { for (Resource r : resources) tg.createTask(() -> fetch(r)); ... }) in a try/catch"
                + " (ExceptionGroup eg); inventory throws IOException after " + num(unit) + " s, the slowest fetch needs "
                + num(slowest) + " s");
        FailFastFetch.Outcome o = Aio.run(() -> FailFastFetch.run(FailFastFetch.RESOURCES, unit, ctx.progressLines()));
        if (o.error() == null) {
            ctx.measured("no ExceptionGroup -- FAILED: the inventory fetch should have failed the group");
            return;
        }
        boolean prompt = o.elapsedSeconds() < slowest && o.cancelled().size() == 3; // real time: leave slack
        ctx.measured(String.format(Locale.ROOT, "ExceptionGroup with %d sub-exception (%s) after %s, not %s; %s cancelled %s",
                o.error().exceptions().size(), o.error().exceptions().get(0).getClass().getSimpleName(), secs(o.elapsedSeconds()),
                secs(slowest), String.join(", ", o.cancelled()), prompt ? "at once" : "NOT promptly"));
    }
}
