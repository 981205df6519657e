package dev.aio4j.examples.tour;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * What a {@link TourStep} prints through, and the choices the tour's command line made (normal
 * or {@code --quick} durations). Every line is indented under the step's header; progress lines
 * carry the time since the step started, so long steps show that they are alive.
 *
 * <p><b>asyncio:</b> none. aio4j-only.
 *
 * <p><b>Threading:</b> print from the step's own thread, its loop, or its tasks; each line is
 * written with one {@code println}.
 *
 * @since 0.1
 */
public final class TourContext {
    private final PrintStream out;
    private final boolean quick;
    private long stepStartNanos = System.nanoTime();

    /**
     * A context printing to {@code out}.
     *
     * @param out where the tour prints
     * @param quick whether steps use their short durations
     */
    public TourContext(PrintStream out, boolean quick) {
        this.out = out;
        this.quick = quick;
    }

    /**
     * Whether the tour runs with {@code --quick}.
     *
     * @return true for short durations
     */
    public boolean quick() {
        return quick;
    }

    /**
     * Picks a duration.
     *
     * @param normal seconds for a normal run (the asyncio original's value)
     * @param quickSeconds seconds for {@code --quick}
     * @return the one that applies
     */
    public double seconds(double normal, double quickSeconds) {
        return quick ? quickSeconds : normal;
    }

    /**
     * Prints the step header and the quoted asyncio original, and restarts the step clock.
     *
     * @param index 1-based position of the step in this run
     * @param total number of steps in this run
     * @param step the step
     */
    public void begin(int index, int total, TourStep step) {
        out.println();
        out.println("[" + index + "/" + total + "] " + step.name() + ": " + step.summary());
        out.println("  asyncio:  \"" + step.asyncio() + "\"");
        stepStartNanos = System.nanoTime();
    }

    /**
     * Prints what aio4j does in this step.
     *
     * @param text one line
     */
    public void did(String text) {
        out.println("  aio4j:    " + text);
    }

    /**
     * Prints a progress line, stamped with the time since the step began.
     *
     * @param text one line
     */
    public void progress(String text) {
        out.println(String.format(Locale.ROOT, "    [+%5.2f s] %s", elapsed(), text));
    }

    /**
     * {@link #progress} as a consumer, for example programs that print through one.
     *
     * @return a consumer that prints progress lines
     */
    public Consumer<String> progressLines() {
        return this::progress;
    }

    /**
     * Prints what the step measured.
     *
     * @param text one line
     */
    public void measured(String text) {
        out.println("  measured: " + text);
    }

    /**
     * Seconds of wall-clock time since the step began.
     *
     * @return seconds
     */
    public double elapsed() {
        return (System.nanoTime() - stepStartNanos) / 1e9;
    }

    /**
     * Formats seconds as {@code "2.00 s"}.
     *
     * @param seconds the value
     * @return the text
     */
    public static String secs(double seconds) {
        return String.format(Locale.ROOT, "%.2f s", seconds);
    }

    /**
     * Formats a duration given in seconds for the quoted-code lines: {@code 2.0} becomes
     * {@code "2.0"}, {@code 0.05} becomes {@code "0.05"}.
     *
     * @param seconds the value
     * @return the text
     */
    public static String num(double seconds) {
        String s = String.format(Locale.ROOT, "%.3f", seconds).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }
}
