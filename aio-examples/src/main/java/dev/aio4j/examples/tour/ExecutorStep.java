package dev.aio4j.examples.tour;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Task;

import java.time.Duration;

import static dev.aio4j.examples.tour.TourContext.num;
import static dev.aio4j.examples.tour.TourContext.secs;

/**
 * Tour step "executor": a blocking call handed to {@code runInExecutor} while a ticker task keeps
 * running, then the same call made directly in a task, which stalls the loop.
 *
 * <p><b>asyncio:</b> {@code loop.run_in_executor(None, blocking_io)} next to a task that keeps
 * ticking, and the {@code time.sleep}-in-a-coroutine mistake.
 *
 * @since 0.1
 */
public final class ExecutorStep implements TourStep {
    /** Creates the step. It keeps no state, so one instance can run any number of times. */
    public ExecutorStep() {}

    @Override
    public String name() {
        return "executor";
    }

    @Override
    public String summary() {
        return "a blocking 1 s call in runInExecutor while a ticker task keeps ticking; then the same call made directly";
    }

    @Override
    public String asyncio() {
        return "await loop.run_in_executor(None, blocking_io)  # blocking_io(): time.sleep(1); a ticker task keeps ticking";
    }

    @Override
    public void run(TourContext ctx) throws Exception {
        double block = ctx.seconds(1.0, 0.2);
        double tick = block / 5;
        Duration blockDuration = Duration.ofNanos(Math.round(block * 1e9));
        ctx.did("loop.runInExecutor(null, () -> { Thread.sleep(" + num(block) + " s); ... }).await(), while a ticker task"
                + " calls Aio.sleep(" + num(tick) + ") in a loop");
        int[] ticks = new int[1];
        String summary = Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            boolean[] stop = new boolean[1];
            Task<Void> ticker = Aio.createTask(() -> {
                while (!stop[0]) {
                    Aio.sleep(tick);
                    ticks[0]++;
                    ctx.progress("tick " + ticks[0]);
                }
                return null;
            }, "ticker");
            Aio.sleep(0); // let the ticker start

            int before = ticks[0];
            double t0 = loop.time();
            String where = loop.runInExecutor(null, () -> {
                Thread.sleep(blockDuration);
                return Thread.currentThread().getName();
            }).await();
            double inExecutor = loop.time() - t0;
            int duringExecutor = ticks[0] - before;
            ctx.progress("runInExecutor done after " + secs(inExecutor) + " on thread " + where);

            ctx.progress("now Thread.sleep(" + num(block) + " s) directly in the task: the loop is blocked");
            before = ticks[0];
            t0 = loop.time();
            Thread.sleep(blockDuration);
            double direct = loop.time() - t0;
            int duringDirect = ticks[0] - before;
            ctx.progress("Thread.sleep returned after " + secs(direct) + "; the ticker missed its turns meanwhile");

            stop[0] = true;
            ticker.cancel();
            try {
                ticker.await();
            } catch (CancelledError expected) {
                // we cancelled it
            }
            return "in the executor the ticker ticked " + duringExecutor + " times in " + secs(inExecutor)
                    + "; with Thread.sleep in a task it ticked " + duringDirect + " times in " + secs(direct);
        });
        ctx.measured(summary);
    }
}
