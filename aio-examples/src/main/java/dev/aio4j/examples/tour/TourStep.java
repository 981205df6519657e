package dev.aio4j.examples.tour;

/**
 * One step of the {@link dev.aio4j.examples.Tour}: an asyncio idiom, run through aio4j and
 * measured.
 *
 * <p><b>asyncio:</b> none; each implementation names, in {@link #asyncio()}, the asyncio
 * program it ports. aio4j-only.
 *
 * <p>To add a step: write one small class implementing this interface (print through the
 * {@link TourContext}: {@code did}, {@code progress}, {@code measured}; choose durations with
 * {@link TourContext#seconds(double, double)} so that {@code --quick} stays short), then add
 * one line to {@code Tour.STEPS}.
 *
 * @since 0.1
 */
public interface TourStep {
    /**
     * The name used on the command line ({@code Tour gather}): lower case, one word.
     *
     * @return the name
     */
    String name();

    /**
     * One line for {@code Tour --help} and for the step's header.
     *
     * @return the summary
     */
    String summary();

    /**
     * The asyncio original in one line of Python, printed quoted before the step runs.
     *
     * @return the Python line
     */
    String asyncio();

    /**
     * Runs the step outside any event loop (each step starts and closes its own).
     *
     * @param ctx where to print, and whether the tour runs {@code --quick}
     * @throws Exception anything the step did not expect; the tour reports it and goes on
     */
    void run(TourContext ctx) throws Exception;
}
