package dev.aio4j.examples.tour;

import dev.aio4j.examples.queue.ProducerConsumer;
import dev.aio4j.loop.Aio;

import java.util.Locale;

import static dev.aio4j.examples.tour.TourContext.num;
import static dev.aio4j.examples.tour.TourContext.secs;

/**
 * Tour step "queue": producers and a pool of workers over a bounded {@code Queue}, with
 * {@code taskDone()}, {@code join()} and the workers cancelled at the end
 * ({@link ProducerConsumer}).
 *
 * <p><b>asyncio:</b> the worker pool of the {@code asyncio.Queue} documentation.
 *
 * @since 0.1
 */
public final class QueueStep implements TourStep {
    private static final int WORKERS = 3;

    /** Creates the step. It keeps no state, so one instance can run any number of times. */
    public QueueStep() {}

    @Override
    public String name() {
        return "queue";
    }

    @Override
    public String summary() {
        return "3 workers take 10 jobs from a bounded Queue; main waits in queue.join(), then cancels the workers";
    }

    @Override
    public String asyncio() {
        return "await queue.join(); for w in workers: w.cancel()  # worker: while True: job = await queue.get(); ...; queue.task_done()";
    }

    @Override
    public void run(TourContext ctx) throws Exception {
        double unit = ctx.seconds(0.25, 0.02);
        ctx.did("new Queue<Job>(" + WORKERS + "); " + WORKERS + " workers loop on queue.get(), Aio.sleep(job), queue.taskDone();"
                + " 2 producers queue.put() 5 jobs each (1-3 x " + num(unit) + " s); queue.join(); worker.cancel()");
        ProducerConsumer.Report r = Aio.run(() -> ProducerConsumer.run(WORKERS, unit, line -> {
            if (!line.contains(" finished ") && !line.contains(" waits: ")) { // the per-job lines are many
                ctx.progress(line);
            }
        }));
        boolean ok = r.jobs() == 10 && r.maxQueued() <= WORKERS && r.cancelledWorkers() == WORKERS;
        ctx.measured(String.format(Locale.ROOT, "%d jobs (%s of work) done by %d workers in %s (%.1fx); the queue held at most %d"
                        + " (maxsize %d); join() returned after the last taskDone(); %d workers cancelled in get()%s",
                r.jobs(), secs(r.workSeconds()), WORKERS, secs(r.elapsedSeconds()), r.workSeconds() / Math.max(r.elapsedSeconds(), 1e-9),
                r.maxQueued(), WORKERS, r.cancelledWorkers(), ok ? "" : " -- FAILED: expected 10 jobs and every worker cancelled"));
    }
}
