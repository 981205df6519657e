package dev.aio4j.examples.tour;

import dev.aio4j.examples.callbacks.DoneCallback;
import dev.aio4j.loop.EventLoop;

import java.util.ArrayList;
import java.util.List;

import static dev.aio4j.examples.tour.TourContext.num;
import static dev.aio4j.examples.tour.TourContext.secs;

/**
 * Tour step "callback": a task with a done-callback, driven by {@code runUntilComplete}
 * ({@link DoneCallback}).
 *
 * <p><b>asyncio:</b> {@code asyncio.ensure_future}, {@code Future.add_done_callback} and
 * {@code loop.run_until_complete}.
 *
 * @since 0.1
 */
public final class CallbackStep implements TourStep {
    /** Creates the step. It keeps no state, so one instance can run any number of times. */
    public CallbackStep() {}

    @Override
    public String name() {
        return "callback";
    }

    @Override
    public String summary() {
        return "a task with a done-callback, driven by loop.runUntilComplete on a loop we create and close";
    }

    @Override
    public String asyncio() {
        return "fut = asyncio.ensure_future(work()); fut.add_done_callback(callback); loop.run_until_complete(fut)";
    }

    @Override
    public void run(TourContext ctx) throws Exception {
        double s = ctx.seconds(1.0, 0.1);
        ctx.did("loop.createTask(work), task.addDoneCallback(callback), loop.runUntilComplete(task); work() calls Aio.sleep("
                + num(s) + ")");
        List<String> lines = new ArrayList<>();
        double took;
        try (EventLoop loop = EventLoop.create()) {
            double t0 = loop.time();
            DoneCallback.run(loop, s, line -> {
                lines.add(line);
                ctx.progress(line);
            });
            took = loop.time() - t0;
        }
        int callback = indexOfPrefix(lines, "callback:");
        int returned = indexOfPrefix(lines, "runUntilComplete returned");
        ctx.measured("task done in " + secs(took) + "; the callback ran "
                + (callback >= 0 && callback < returned ? "on the loop before runUntilComplete returned, as in asyncio"
                        : "OUT OF ORDER: " + lines));
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
