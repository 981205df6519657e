package dev.aio4j.examples.taskgroup;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.ExceptionGroup;
import dev.aio4j.loop.Task;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Port of the {@code asyncio.TaskGroup} program that fetches several resources in parallel inside
 * {@code async with asyncio.TaskGroup() as tg:}, where one failed fetch cancels the others and
 * the block raises an {@code ExceptionGroup}.
 *
 * <p>Run it with {@code java -cp ... dev.aio4j.examples.taskgroup.FailFastFetch}. Nothing touches
 * the network: a fetch is a sleep of a few time units, and the "inventory" fetch fails after one
 * unit with an {@link IOException}. The unit is {@code -Dfetch.seconds=0.25} by default. The
 * shape of the Python program, for comparison:
 *
 * <pre>{@code
 * async def fetch(name, seconds, error=None):
 *     await asyncio.sleep(seconds)                  # stands in for the request
 *     if error:
 *         raise OSError(f"{name}: {error}")
 *     return f"{name}: ok"
 *
 * async def main():
 *     try:
 *         async with asyncio.TaskGroup() as tg:
 *             for r in resources:
 *                 tg.create_task(fetch(*r))
 *     except* OSError as eg:
 *         for e in eg.exceptions:
 *             print("failed:", e)
 * }</pre>
 *
 * <p>Java has no {@code except*}: the port catches {@link ExceptionGroup} and looks at
 * {@link ExceptionGroup#exceptions()} (or {@code subgroup(IOException.class)}).
 *
 * <p>{@link #run} measures on the loop's clock ({@link EventLoop#time()}), so on a loop with a
 * {@link dev.aio4j.loop.VirtualClock} it reports exactly the virtual time that passed.
 */
public final class FailFastFetch {
    /** System property holding one time unit, in seconds. */
    public static final String SECONDS_PROPERTY = "fetch.seconds";
    /** The time unit when the property is not set. */
    public static final double DEFAULT_SECONDS = 0.25;

    /**
     * One resource to fetch.
     *
     * @param name what is fetched
     * @param units how long the fetch takes, in time units
     * @param failure null for a fetch that succeeds; otherwise the message of the
     *     {@link IOException} it throws when its time is up
     */
    public record Resource(String name, double units, String failure) {
        /**
         * A fetch that succeeds.
         *
         * @param name what is fetched
         * @param units how long it takes, in time units
         * @return the resource
         */
        public static Resource ok(String name, double units) {
            return new Resource(name, units, null);
        }

        /**
         * A fetch that fails.
         *
         * @param name what is fetched
         * @param units when it fails, in time units
         * @param failure the message of its {@link IOException}
         * @return the resource
         */
        public static Resource failing(String name, double units, String failure) {
            return new Resource(name, units, failure);
        }
    }

    /** The program's resources: four fetches, of which "inventory" fails first. */
    public static final List<Resource> RESOURCES = List.of(
            Resource.ok("users", 2),
            Resource.ok("orders", 3),
            Resource.failing("inventory", 1, "HTTP 503 Service Unavailable"),
            Resource.ok("prices", 4));

    /**
     * What a run did.
     *
     * @param results each fetched resource's result, in the order given; empty when the group
     *     failed
     * @param error the group's error, or null
     * @param cancelled the fetches that were cancelled, in the order their cancellation arrived
     * @param elapsedSeconds loop time from the start until the group's block ended
     */
    public record Outcome(Map<String, String> results, ExceptionGroup error, List<String> cancelled, double elapsedSeconds) {}

    private FailFastFetch() {}

    /**
     * Runs the program on a new loop and prints what happens.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        double unit = secondsFromProperty();
        Consumer<String> out = System.out::println;
        Outcome o = Aio.run(() -> run(RESOURCES, unit, out));
        out.accept(String.format(Locale.ROOT, "Took %.2f seconds", o.elapsedSeconds()));
    }

    /**
     * The program: one task per resource in a task group; prints each fetch's progress, then
     * either every result or the {@link ExceptionGroup} with each of its sub-exceptions. Call it
     * inside a task.
     *
     * @param resources what to fetch
     * @param unit seconds per time unit
     * @param out receives the program's lines, in order
     * @return what the run did
     */
    public static Outcome run(List<Resource> resources, double unit, Consumer<String> out) {
        EventLoop loop = Aio.getRunningLoop();
        double start = loop.time();
        List<String> cancelled = new ArrayList<>();
        try {
            List<Task<String>> tasks = Aio.taskGroup(tg -> {
                List<Task<String>> ts = new ArrayList<>();
                for (Resource r : resources) {
                    ts.add(tg.createTask(() -> fetch(r, unit, loop, cancelled, out), r.name()));
                }
                return ts;
            });
            double elapsed = loop.time() - start;
            Map<String, String> results = new LinkedHashMap<>();
            for (Task<String> t : tasks) {
                results.put(t.getName(), t.result());
            }
            out.accept(String.format(Locale.ROOT, "all %d fetched in %.2f s: %s", results.size(), elapsed, results.values()));
            return new Outcome(results, null, cancelled, elapsed);
        } catch (ExceptionGroup eg) {
            double elapsed = loop.time() - start;
            out.accept(String.format(Locale.ROOT, "the task group failed after %.2f s: %s", elapsed, eg));
            List<Throwable> errors = eg.exceptions();
            for (int i = 0; i < errors.size(); i++) {
                out.accept("  +-- " + (i + 1) + ": " + errors.get(i));
            }
            out.accept("  cancelled: " + (cancelled.isEmpty() ? "none" : String.join(", ", cancelled)));
            return new Outcome(Map.of(), eg, cancelled, elapsed);
        }
    }

    /** One fetch: sleeps its time, then returns or throws; says so if it is cancelled first. */
    private static String fetch(Resource r, double unit, EventLoop loop, List<String> cancelled, Consumer<String> out)
            throws IOException {
        double seconds = r.units() * unit;
        double t0 = loop.time();
        out.accept("fetching " + r.name() + " (" + format(seconds) + " s)");
        try {
            Aio.sleep(seconds);
        } catch (CancelledError e) {
            cancelled.add(r.name());
            out.accept(String.format(Locale.ROOT, "%s cancelled after %.2f s of %.2f s", r.name(), loop.time() - t0, seconds));
            throw e;
        }
        if (r.failure() != null) {
            out.accept(r.name() + " failed");
            throw new IOException(r.name() + ": " + r.failure());
        }
        out.accept(r.name() + " done");
        return r.name() + ": ok";
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

    /** 0.5 -> "0.5", 0.25 -> "0.25": at most three decimals, at least one. */
    private static String format(double seconds) {
        String s = String.format(Locale.ROOT, "%.3f", seconds).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }
}
