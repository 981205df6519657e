package dev.aio4j.examples.callbacks;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Task;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Port of the asyncio tutorial program that wraps a coroutine with {@code asyncio.ensure_future},
 * attaches a function with {@code add_done_callback}, and drives the loop with
 * {@code loop.run_until_complete} before {@code loop.close()}.
 *
 * <p>Run it with {@code java -cp ... dev.aio4j.examples.callbacks.DoneCallback}; the coroutine
 * sleeps {@code -Dcallback.seconds=1} by default. The Python original, for comparison:
 *
 * <pre>{@code
 * async def work():
 *     print("Start")
 *     await asyncio.sleep(1)
 *     print("End")
 *     return "slept 1 s"
 *
 * def callback(future):
 *     print("callback: result =", future.result())
 *
 * loop = asyncio.new_event_loop()
 * future = asyncio.ensure_future(work(), loop=loop)
 * future.add_done_callback(callback)
 * loop.run_until_complete(future)
 * loop.close()
 * }</pre>
 *
 * <p>Outside a running loop, {@code asyncio.ensure_future(coro, loop=loop)} is
 * {@link EventLoop#createTask}; inside a task it is {@link Aio#ensureFuture}.
 */
public final class DoneCallback {
    /** System property holding the coroutine's sleep in seconds. */
    public static final String SECONDS_PROPERTY = "callback.seconds";
    /** The sleep when the property is not set. */
    public static final double DEFAULT_SECONDS = 1.0;

    private DoneCallback() {}

    /**
     * Creates a loop, runs the program on it, and closes it.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        double seconds = secondsFromProperty();
        try (EventLoop loop = EventLoop.create()) {
            run(loop, seconds, System.out::println);
        }
    }

    /**
     * The program, on a loop that is not running: schedule the coroutine as a task, add the
     * done-callback, run the loop until the task is done. The callback runs on the loop before
     * {@code runUntilComplete} returns, as in asyncio.
     *
     * @param loop a loop that is not running (it stays open)
     * @param seconds how long the coroutine sleeps
     * @param out receives the program's lines, in order
     * @return the task's result
     */
    public static String run(EventLoop loop, double seconds, Consumer<String> out) {
        Task<String> task = loop.createTask(() -> work(seconds, out), "work");
        task.addDoneCallback(done -> out.accept("callback: " + done.getClass().getSimpleName()
                + " done, result = " + done.result()));
        String result = loop.runUntilComplete(task);
        out.accept("runUntilComplete returned: " + result);
        return result;
    }

    /** The coroutine: announce, sleep without blocking the loop, announce, return a value. */
    private static String work(double seconds, Consumer<String> out) {
        out.accept("Start");
        Aio.sleep(seconds);
        out.accept("End");
        return "slept " + format(seconds) + " s";
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

    /** 1.0 -> "1.0", 0.05 -> "0.05": at most three decimals, at least one. */
    private static String format(double seconds) {
        String s = String.format(Locale.ROOT, "%.3f", seconds).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }
}
