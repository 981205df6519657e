package dev.aio4j.examples.gather;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Port of the asyncio tutorial program in which three tasks each {@code await asyncio.sleep(2)}
 * under {@code asyncio.gather} and finish together in about 2 s, next to its blocking
 * {@code time.sleep} version that takes about 6 s.
 *
 * <p>Run it with {@code java -cp ... dev.aio4j.examples.gather.GatherSleep}; the sleep length
 * is {@code -Dgather.seconds=2} by default. The Python original, for comparison:
 *
 * <pre>{@code
 * async def task():
 *     await asyncio.sleep(2)
 *     print("hello")
 *
 * async def main():
 *     await asyncio.gather(task(), task(), task())
 *
 * start = time.perf_counter()
 * asyncio.run(main())
 * print(f"Took {time.perf_counter() - start:.1f} seconds")
 * }</pre>
 *
 * <p>{@link #concurrent} measures on the loop's clock ({@link EventLoop#time()}), so on a loop
 * with a {@link dev.aio4j.loop.VirtualClock} it reports exactly the virtual time that passed.
 */
public final class GatherSleep {
    /** System property holding each task's sleep in seconds. */
    public static final String SECONDS_PROPERTY = "gather.seconds";
    /** The sleep of each task when the property is not set. */
    public static final double DEFAULT_SECONDS = 2.0;

    private GatherSleep() {}

    /**
     * Runs the asyncio version, then the blocking version, printing each task's start and finish
     * and the time each version took.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted during the blocking version
     */
    public static void main(String[] args) throws InterruptedException {
        double seconds = secondsFromProperty();
        Consumer<String> out = System.out::println;

        out.accept("Three tasks, each sleeping " + format(seconds) + " s, under Aio.gather:");
        double took = Aio.run(() -> concurrent(seconds, out));
        out.accept(String.format(Locale.ROOT, "Took %.2f seconds", took));
        out.accept("");
        out.accept("The blocking version, Thread.sleep three times in a row:");
        double blockingTook = blocking(seconds, out);
        out.accept(String.format(Locale.ROOT, "Took %.2f seconds", blockingTook));
    }

    /**
     * The asyncio version: gathers three tasks that each sleep {@code seconds}. Call it inside a
     * task (for example from {@code Aio.run}).
     *
     * @param seconds how long each task sleeps
     * @param out receives one line per task start and finish
     * @return the loop time that passed, about {@code seconds} (not three times it)
     */
    public static double concurrent(double seconds, Consumer<String> out) {
        EventLoop loop = Aio.getRunningLoop();
        double start = loop.time();
        List<Integer> finished = Aio.<Integer>gather(
                () -> task(1, seconds, out),
                () -> task(2, seconds, out),
                () -> task(3, seconds, out)).await();
        out.accept("gather returned " + finished);
        return loop.time() - start;
    }

    /** One task of the program: announce, sleep without blocking the loop, announce. */
    private static Integer task(int id, double seconds, Consumer<String> out) {
        out.accept("task " + id + " started, sleeping " + format(seconds) + " s");
        Aio.sleep(seconds);
        out.accept("task " + id + " finished");
        return id;
    }

    /**
     * The blocking version: three {@link Thread#sleep} calls in a row, as the tutorial's
     * {@code time.sleep} loop. Call it outside any event loop: inside a task it would stall the
     * loop for the whole time, as {@code time.sleep} does in asyncio.
     *
     * @param seconds how long each sleep lasts
     * @param out receives one line per sleep start and finish
     * @return the wall-clock time that passed, about three times {@code seconds}
     * @throws InterruptedException if the thread is interrupted while sleeping
     */
    public static double blocking(double seconds, Consumer<String> out) throws InterruptedException {
        long t0 = System.nanoTime();
        Duration each = Duration.ofNanos(Math.round(seconds * 1e9));
        for (int id = 1; id <= 3; id++) {
            out.accept("task " + id + " started, Thread.sleep(" + format(seconds) + " s)");
            Thread.sleep(each);
            out.accept("task " + id + " finished");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * The sleep length from {@value #SECONDS_PROPERTY}, or {@value #DEFAULT_SECONDS}.
     *
     * @return seconds, finite and not negative
     * @throws IllegalArgumentException if the property is not a finite number &gt;= 0
     */
    public static double secondsFromProperty() {
        return dev.aio4j.examples.ExampleProperties.seconds(SECONDS_PROPERTY, DEFAULT_SECONDS);
    }

    /** 2.0 -> "2.0", 0.05 -> "0.05": at most three decimals, at least one. */
    private static String format(double seconds) {
        String s = String.format(Locale.ROOT, "%.3f", seconds).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }
}
