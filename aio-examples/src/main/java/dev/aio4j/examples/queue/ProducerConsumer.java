package dev.aio4j.examples.queue;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Queue;
import dev.aio4j.loop.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Port of the worker-pool program of the asyncio queue documentation, in which worker tasks take
 * jobs from an {@code asyncio.Queue}, mark each one with {@code task_done()}, the main task waits
 * for {@code queue.join()} and then cancels the workers that are still waiting for work.
 *
 * <p>Run it with {@code java -cp ... dev.aio4j.examples.queue.ProducerConsumer}. Two producer
 * tasks put five jobs each into a queue bounded to the number of workers, so a producer suspends
 * in {@code put} while the queue is full; each job takes one, two or three time units of work.
 * The unit is {@code -Dqueue.seconds=0.25} and the pool has {@code -Dqueue.workers=3} workers by
 * default. The shape of the Python program, for comparison:
 *
 * <pre>{@code
 * async def worker(name, queue):
 *     while True:
 *         job = await queue.get()
 *         try:
 *             await asyncio.sleep(job.seconds)       # the work
 *             print(f"{name} finished {job.name}")
 *         finally:
 *             queue.task_done()
 *
 * async def producer(name, queue, jobs):
 *     for job in jobs:
 *         await queue.put(job)                       # waits while the queue is full
 *
 * async def main():
 *     queue = asyncio.Queue(maxsize=3)
 *     workers = [asyncio.create_task(worker(f"worker-{i}", queue)) for i in (1, 2, 3)]
 *     await asyncio.gather(producer("producer-1", queue, jobs_1), producer("producer-2", queue, jobs_2))
 *     await queue.join()                             # every job marked done
 *     for w in workers:
 *         w.cancel()                                 # they wait in queue.get() forever otherwise
 *     await asyncio.gather(*workers, return_exceptions=True)
 * }</pre>
 *
 * <p>Watch out when porting: {@code dev.aio4j.loop.Queue} and {@code java.util.Queue} share a
 * simple name. A file that imports both {@code dev.aio4j.loop.*} and {@code java.util.*} does not
 * compile where it says {@code Queue}; add the single-type import
 * {@code import dev.aio4j.loop.Queue;}, which wins over both wildcards.
 *
 * <p>{@link #run} measures on the loop's clock ({@link EventLoop#time()}), so on a loop with a
 * {@link dev.aio4j.loop.VirtualClock} it reports exactly the virtual time that passed.
 */
public final class ProducerConsumer {
    /** System property holding one unit of work, in seconds. */
    public static final String SECONDS_PROPERTY = "queue.seconds";
    /** The unit of work when the property is not set. */
    public static final double DEFAULT_SECONDS = 0.25;
    /** System property holding the number of workers (also the queue's maxsize). */
    public static final String WORKERS_PROPERTY = "queue.workers";
    /** The number of workers when the property is not set. */
    public static final int DEFAULT_WORKERS = 3;
    /** Producer tasks in the program. */
    public static final int PRODUCERS = 2;
    /** Jobs each producer puts. */
    public static final int JOBS_PER_PRODUCER = 5;

    /**
     * One job: a name and the seconds of work it needs.
     *
     * @param name for example {@code p1-job3}
     * @param seconds the work, done by sleeping
     */
    public record Job(String name, double seconds) {}

    /**
     * What a run did.
     *
     * @param jobs how many jobs were done
     * @param workSeconds the work all jobs needed, added up
     * @param elapsedSeconds loop time from the start until {@code join()} returned
     * @param maxQueued the most jobs the queue ever held
     * @param cancelledWorkers how many workers ended cancelled (all of them, normally)
     */
    public record Report(int jobs, double workSeconds, double elapsedSeconds, int maxQueued, int cancelledWorkers) {}

    private ProducerConsumer() {}

    /**
     * Runs the program on a new loop and prints what happens.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        double unit = secondsFromProperty();
        int workers = workersFromProperty();
        Consumer<String> out = System.out::println;
        Report r = Aio.run(() -> run(workers, unit, out));
        out.accept(String.format(Locale.ROOT, "Took %.2f seconds for %.2f seconds of work", r.elapsedSeconds(), r.workSeconds()));
    }

    /**
     * The program: starts {@code workers} workers and {@value #PRODUCERS} producers on a queue of
     * maxsize {@code workers}, waits for the producers, then for {@code queue.join()}, then
     * cancels the workers and gathers them. Call it inside a task.
     *
     * @param workers how many worker tasks (and the queue's maxsize), at least 1
     * @param unit seconds of work per unit; a job needs 1, 2 or 3 units
     * @param out receives the program's lines, in order
     * @return what the run did
     */
    public static Report run(int workers, double unit, Consumer<String> out) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        EventLoop loop = Aio.getRunningLoop();
        double start = loop.time();
        Queue<Job> queue = new Queue<>(workers);
        int[] maxQueued = {0};

        List<Task<Void>> workerTasks = new ArrayList<>();
        for (int i = 1; i <= workers; i++) {
            String name = "worker-" + i;
            workerTasks.add(Aio.createTask(() -> worker(name, queue, out), name));
        }
        List<Task<Double>> producerTasks = new ArrayList<>();
        for (int p = 1; p <= PRODUCERS; p++) {
            String name = "producer-" + p;
            List<Job> jobs = jobsOf(p, unit);
            producerTasks.add(Aio.createTask(() -> producer(name, queue, jobs, maxQueued, out), name));
        }

        List<Double> put = Aio.gather(producerTasks).await();
        double work = put.stream().mapToDouble(Double::doubleValue).sum();
        out.accept("producers done; main waits in queue.join()");
        queue.join();
        double elapsed = loop.time() - start;
        out.accept("queue.join() returned: every job is marked done; cancelling the workers");

        for (Task<Void> w : workerTasks) {
            w.cancel();
        }
        int cancelled = 0;
        for (Object outcome : Aio.gatherReturnExceptions(workerTasks).await()) {
            if (outcome instanceof CancelledError) {
                cancelled++;
            }
        }
        int jobs = PRODUCERS * JOBS_PER_PRODUCER;
        out.accept(String.format(Locale.ROOT, "%d workers did %d jobs (%.2f s of work) in %.2f s;"
                        + " the queue held at most %d (maxsize %d); %d workers cancelled",
                workers, jobs, work, elapsed, maxQueued[0], queue.maxsize(), cancelled));
        return new Report(jobs, work, elapsed, maxQueued[0], cancelled);
    }

    /** The jobs of producer {@code p}: 1, 2 or 3 units each, in a fixed pattern. */
    static List<Job> jobsOf(int p, double unit) {
        List<Job> jobs = new ArrayList<>();
        for (int k = 1; k <= JOBS_PER_PRODUCER; k++) {
            jobs.add(new Job("p" + p + "-job" + k, unit * (1 + (p + k) % 3)));
        }
        return jobs;
    }

    /** Puts every job; a full queue suspends {@code put} until a worker takes one. */
    private static Double producer(String name, Queue<Job> queue, List<Job> jobs, int[] maxQueued, Consumer<String> out) {
        double work = 0;
        for (Job job : jobs) {
            if (queue.full()) {
                out.accept(name + " waits: the queue is full (" + queue.qsize() + " jobs)");
            }
            queue.put(job);
            maxQueued[0] = Math.max(maxQueued[0], queue.qsize());
            work += job.seconds();
        }
        out.accept(name + " put all " + jobs.size() + " jobs");
        return work;
    }

    /** Takes jobs forever; only cancellation ends it (while it waits in {@code get}). */
    private static Void worker(String name, Queue<Job> queue, Consumer<String> out) {
        while (true) {
            Job job;
            try {
                job = queue.get();
            } catch (CancelledError e) {
                out.accept(name + " cancelled while waiting in queue.get()");
                throw e;
            }
            try {
                Aio.sleep(job.seconds());
                out.accept(name + " finished " + job.name() + " (" + format(job.seconds()) + " s)");
            } finally {
                queue.taskDone();
            }
        }
    }

    /**
     * The unit of work from {@value #SECONDS_PROPERTY}, or {@value #DEFAULT_SECONDS}.
     *
     * @return seconds, finite and not negative
     * @throws IllegalArgumentException if the property is not a finite number &gt;= 0
     */
    public static double secondsFromProperty() {
        return dev.aio4j.examples.ExampleProperties.seconds(SECONDS_PROPERTY, DEFAULT_SECONDS);
    }

    /**
     * The number of workers from {@value #WORKERS_PROPERTY}, or {@value #DEFAULT_WORKERS}.
     *
     * @return at least 1
     * @throws IllegalArgumentException if the property is not a whole number &gt;= 1
     */
    public static int workersFromProperty() {
        String raw = System.getProperty(WORKERS_PROPERTY);
        if (raw == null || raw.isBlank()) {
            return DEFAULT_WORKERS;
        }
        int n;
        try {
            n = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            throw new IllegalArgumentException("-D" + WORKERS_PROPERTY + " must be a whole number >= 1, got " + raw);
        }
        return n;
    }

    /** 0.5 -> "0.5", 0.25 -> "0.25": at most three decimals, at least one. */
    private static String format(double seconds) {
        String s = String.format(Locale.ROOT, "%.3f", seconds).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }
}
