package dev.aio4j.examples.tour;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tour step "spawn": 100,000 tasks created, each suspending once, and gathered.
 *
 * <p><b>asyncio:</b> {@code asyncio.gather(*[asyncio.create_task(work(i)) for i in range(100_000)])}.
 *
 * @since 0.1
 */
public final class SpawnStep implements TourStep {
    private static final int TASKS = 100_000;

    /** Creates the step. It keeps no state, so one instance can run any number of times. */
    public SpawnStep() {}

    @Override
    public String name() {
        return "spawn";
    }

    @Override
    public String summary() {
        return "100,000 tasks created, each awaiting once, then gathered; prints how many ms that took";
    }

    @Override
    public String asyncio() {
        return "await asyncio.gather(*[asyncio.create_task(work(i)) for i in range(100_000)])  # work(i): await asyncio.sleep(0); return i";
    }

    @Override
    public void run(TourContext ctx) throws Exception {
        int n = TASKS; // the same in --quick: about a second either way
        ctx.did("Aio.createTask(() -> { Aio.sleep(0); return i; }) " + n + " times, then Aio.gather(tasks).await()");
        String summary = Aio.run(() -> {
            long t0 = System.nanoTime();
            List<Task<Integer>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                tasks.add(Aio.createTask(() -> {
                    Aio.sleep(0);
                    return k;
                }));
            }
            long t1 = System.nanoTime();
            ctx.progress("created " + n + " tasks in " + ms(t1 - t0) + "; gathering");
            List<Integer> results = Aio.gather(tasks).await();
            long t2 = System.nanoTime();
            boolean inOrder = results.size() == n;
            for (int i = 0; inOrder && i < n; i++) {
                inOrder = results.get(i) == i;
            }
            ctx.progress("gathered " + results.size() + " results" + (inOrder ? ", in creation order" : ", OUT OF ORDER"));
            return String.format(Locale.ROOT, "%d tasks created and gathered in %s (%.2f us per task; creating took %s)."
                    + " A cold JVM, JIT warm-up included; aio-bench measures steady state",
                    n, ms(t2 - t0), (t2 - t0) / 1e3 / n, ms(t1 - t0));
        });
        ctx.measured(summary);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%d ms", Math.round(nanos / 1e6));
    }
}
