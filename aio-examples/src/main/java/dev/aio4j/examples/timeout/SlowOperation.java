package dev.aio4j.examples.timeout;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.Timeout;
import dev.aio4j.loop.TimeoutError;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Port of the {@code asyncio.timeout} program that puts a deadline around a slow operation,
 * moves the deadline with {@code reschedule()} while a download makes progress, and does the same
 * with {@code asyncio.wait_for}.
 *
 * <p>Run it with {@code java -cp ... dev.aio4j.examples.timeout.SlowOperation}. Every duration is
 * a multiple of one time unit, {@code -Dtimeout.seconds=1} by default; the program takes five
 * units. The shape of the Python program, for comparison:
 *
 * <pre>{@code
 * async def slow(name, seconds):
 *     try:
 *         await asyncio.sleep(seconds)
 *         return f"{name}: done"
 *     finally:
 *         ...                                      # runs on cancellation too
 *
 * async def main():
 *     try:                                         # 1. a deadline around a slow operation
 *         async with asyncio.timeout(1):
 *             await slow("report", 3)
 *     except TimeoutError:
 *         print("timed out")
 *
 *     loop = asyncio.get_running_loop()            # 2. an idle deadline: 1 s of silence allowed
 *     async with asyncio.timeout(1) as cm:
 *         for chunk in range(5):
 *             await asyncio.sleep(0.25)            # a chunk arrives
 *             cm.reschedule(loop.time() + 1)
 *
 *     print(await asyncio.wait_for(slow("lookup", 0.25), timeout=1))  # 3. wait_for
 *     task = asyncio.create_task(slow("export", 3))
 *     try:
 *         await asyncio.wait_for(task, timeout=1)
 *     except TimeoutError:
 *         print("cancelled:", task.cancelled())
 * }</pre>
 *
 * <p>In aio4j {@code async with asyncio.timeout(1) as cm:} is the block form
 * {@code Aio.timeout(1, cm -> ...)}: leaving the block must turn the cancellation the deadline
 * caused into a {@link TimeoutError}, which try-with-resources cannot do.
 *
 * <p>{@link #run} measures on the loop's clock ({@link EventLoop#time()}), so on a loop with a
 * {@link dev.aio4j.loop.VirtualClock} it reports exactly the virtual time that passed.
 */
public final class SlowOperation {
    /** System property holding one time unit, in seconds. */
    public static final String SECONDS_PROPERTY = "timeout.seconds";
    /** The time unit when the property is not set. */
    public static final double DEFAULT_SECONDS = 1.0;
    /** Chunks of the download in part 2. */
    public static final int CHUNKS = 5;

    /**
     * What a run measured, each time in seconds from the start of its part.
     *
     * @param timedOutAfter part 1: when {@code Aio.timeout} threw TimeoutError (one unit)
     * @param slowUnwound part 1: whether the slow operation's {@code finally} ran before that
     * @param downloadDoneAfter part 2: when the download with a moving deadline finished
     *     ({@value #CHUNKS} quarter units, past the first deadline)
     * @param stalledAfter part 2: when the stalled download timed out (1.5 units: one unit after
     *     its last chunk)
     * @param stalledExpired part 2: {@code Timeout.expired()} after the stall
     * @param waitForReturnedAfter part 3: when {@code waitFor} returned the quick result
     * @param waitForTimedOutAfter part 3: when {@code waitFor} on the slow task threw
     * @param taskCancelled part 3: whether {@code waitFor} left the slow task cancelled
     */
    public record Report(double timedOutAfter, boolean slowUnwound, double downloadDoneAfter, double stalledAfter,
                         boolean stalledExpired, double waitForReturnedAfter, double waitForTimedOutAfter,
                         boolean taskCancelled) {}

    private SlowOperation() {}

    /**
     * Runs the program on a new loop and prints what happens.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        double unit = secondsFromProperty();
        Aio.run(() -> run(unit, System.out::println));
    }

    /**
     * The program, in three parts. Call it inside a task.
     *
     * @param unit seconds per time unit
     * @param out receives the program's lines, in order
     * @return what it measured
     */
    public static Report run(double unit, Consumer<String> out) {
        EventLoop loop = Aio.getRunningLoop();

        // 1. A deadline around a slow operation.
        out.accept("1. Aio.timeout(" + format(unit) + ") around an operation that needs " + format(3 * unit) + " s");
        boolean[] unwound = {false};
        double t0 = loop.time();
        double timedOutAfter = Double.NaN;
        try {
            Aio.timeout(unit, () -> slow("report", 3 * unit, loop, out, unwound));
            out.accept("no timeout (unexpected)");
        } catch (TimeoutError e) {
            timedOutAfter = loop.time() - t0;
            out.accept(String.format(Locale.ROOT, "caught TimeoutError after %.2f s (its cause: %s)", timedOutAfter,
                    e.getCause() == null ? "none" : e.getCause().getClass().getSimpleName()));
        }

        // 2. A deadline moved forward on every chunk: an idle timeout.
        out.accept("2. Aio.timeout(" + format(unit) + ", cm -> ...) with cm.reschedule(loop.time() + " + format(unit)
                + ") after each chunk");
        double downloadDoneAfter = download("download", new double[] {0.25, 0.25, 0.25, 0.25, 0.25}, unit, loop, out, null);
        Timeout[] stalledTimeout = new Timeout[1];
        double stalledAfter = download("stalled download", new double[] {0.25, 0.25, 3, 0.25, 0.25}, unit, loop, out, stalledTimeout);
        boolean stalledExpired = stalledTimeout[0] != null && stalledTimeout[0].expired();
        out.accept("the stalled download's Timeout: expired() = " + stalledExpired);

        // 3. waitFor: a coroutine that is quick enough, then a task that is not.
        out.accept("3. Aio.waitFor(..., " + format(unit) + ")");
        t0 = loop.time();
        String quick = Aio.waitFor(() -> slow("lookup", 0.25 * unit, loop, out, new boolean[1]), unit);
        double waitForReturnedAfter = loop.time() - t0;
        out.accept(String.format(Locale.ROOT, "waitFor returned \"%s\" after %.2f s", quick, waitForReturnedAfter));
        t0 = loop.time();
        Task<String> export = Aio.createTask(() -> slow("export", 3 * unit, loop, out, new boolean[1]), "export");
        double waitForTimedOutAfter = Double.NaN;
        try {
            Aio.waitFor(export, unit);
            out.accept("no timeout (unexpected)");
        } catch (TimeoutError e) {
            waitForTimedOutAfter = loop.time() - t0;
            out.accept(String.format(Locale.ROOT, "waitFor threw TimeoutError after %.2f s; export.cancelled() = %s",
                    waitForTimedOutAfter, export.cancelled()));
        }
        return new Report(timedOutAfter, unwound[0], downloadDoneAfter, stalledAfter, stalledExpired,
                waitForReturnedAfter, waitForTimedOutAfter, export.cancelled());
    }

    /**
     * Receives chunks that take {@code chunkUnits[i]} units each, under a deadline one unit after
     * the start that every chunk moves to one unit after its arrival.
     *
     * @return seconds until the download finished or timed out
     */
    private static double download(String name, double[] chunkUnits, double unit, EventLoop loop, Consumer<String> out,
                                   Timeout[] keep) {
        double t0 = loop.time();
        double[] lastChunk = {t0};
        try {
            int chunks = Aio.timeout(unit, cm -> {
                if (keep != null) {
                    keep[0] = cm;
                }
                for (int i = 0; i < chunkUnits.length; i++) {
                    Aio.sleep(chunkUnits[i] * unit);
                    lastChunk[0] = loop.time();
                    cm.reschedule(lastChunk[0] + unit);
                    out.accept(String.format(Locale.ROOT, "%s: chunk %d at %.2f s; deadline moved to %.2f s",
                            name, i + 1, loop.time() - t0, cm.when() - t0));
                }
                return chunkUnits.length;
            });
            double took = loop.time() - t0;
            out.accept(String.format(Locale.ROOT, "%s: all %d chunks in %.2f s, past the first deadline of %.2f s",
                    name, chunks, took, unit));
            return took;
        } catch (TimeoutError e) {
            double took = loop.time() - t0;
            out.accept(String.format(Locale.ROOT, "%s: TimeoutError at %.2f s, %.2f s after the last chunk",
                    name, took, loop.time() - lastChunk[0]));
            return took;
        }
    }

    /** The slow operation: sleeps, and says so when it is interrupted (its finally block runs). */
    private static String slow(String name, double seconds, EventLoop loop, Consumer<String> out, boolean[] unwound) {
        double t0 = loop.time();
        out.accept(name + ": started, needs " + format(seconds) + " s");
        boolean finished = false;
        try {
            Aio.sleep(seconds);
            finished = true;
            return name + ": done";
        } finally {
            if (!finished) {
                unwound[0] = true;
                out.accept(String.format(Locale.ROOT, "%s: cancelled after %.2f s; its finally block runs", name,
                        loop.time() - t0));
            }
        }
    }

    /**
     * The time unit from {@value #SECONDS_PROPERTY}, or {@value #DEFAULT_SECONDS}.
     *
     * @return seconds, finite and not negative
     * @throws IllegalArgumentException if the property is not a finite number &gt;= 0
     */
    public static double secondsFromProperty() {
        return dev.aio4j.examples.ExampleProperties.seconds(SECONDS_PROPERTY, DEFAULT_SECONDS);
    }

    /** 1.0 -> "1.0", 0.05 -> "0.05": at most three decimals, at least one. */
    private static String format(double seconds) {
        String s = String.format(Locale.ROOT, "%.3f", seconds).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }
}
