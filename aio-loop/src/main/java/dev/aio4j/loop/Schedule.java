package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A replayable perturbation of the choices a real event loop leaves to chance, for tests that
 * explore interleavings.
 *
 * <p><b>asyncio:</b> none (aio4j-only). asyncio promises FIFO order for {@code call_soon} and
 * deadline order for timers, and a schedule keeps both promises. What a real run leaves open,
 * a schedule decides: how late each timer fires (jitter in {@code [0, maxJitter]}, never
 * early) and in which order I/O events that are ready together are delivered. Timeouts racing
 * completions follow from the jitter.
 *
 * <p>A schedule is a stream of small integer decisions. {@link #seeded(long)} draws them from a
 * seed; {@link #of(double, int...)} lists them explicitly (what a jqwik arbitrary generates, so
 * that shrinking moves towards all zeros, which is exactly {@link #fifo()}: no jitter, I/O in
 * readiness order). The same schedule always gives the same run on a {@link VirtualClock} loop;
 * {@link #toString()} prints a form that {@link #parse(String)} reads back, for replay.
 *
 * <pre>{@code
 * EventLoop loop = EventLoop.create(VirtualClock.autoJump(), Schedule.seeded(42));
 * }</pre>
 *
 * @since 0.1
 */
public final class Schedule {
    /** Jitter is chosen in this many steps between 0 and maxJitter. */
    public static final int JITTER_STEPS = 16;

    private static final Schedule FIFO = new Schedule(0.0, null, new int[0]);

    private final double maxJitter;
    private final Long seed;
    private final int[] steps;

    private Schedule(double maxJitter, Long seed, int[] steps) {
        this.maxJitter = maxJitter;
        this.seed = seed;
        this.steps = steps;
    }

    /**
     * The plain schedule: no jitter, I/O events in readiness order; what a loop does without a
     * schedule.
     *
     * @return the FIFO schedule
     */
    public static Schedule fifo() {
        return FIFO;
    }

    /**
     * Decisions drawn from {@code seed}, with timer jitter up to 10 ms.
     *
     * @param seed the seed
     * @return the schedule
     */
    public static Schedule seeded(long seed) {
        return seeded(seed, 0.010);
    }

    /**
     * Decisions drawn from {@code seed}, with timer jitter up to {@code maxJitterSeconds}.
     *
     * @param seed the seed
     * @param maxJitterSeconds the largest lateness given to a timer, &gt;= 0
     * @return the schedule
     */
    public static Schedule seeded(long seed, double maxJitterSeconds) {
        return new Schedule(checkJitter(maxJitterSeconds), seed, null);
    }

    /**
     * Explicit decisions, consumed in order (timer jitter in steps of
     * {@code maxJitterSeconds / JITTER_STEPS}, then I/O ordering choices); once they run out
     * every further decision is 0. All zeros is the FIFO schedule.
     *
     * @param maxJitterSeconds the largest lateness given to a timer, &gt;= 0
     * @param decisions non-negative decisions
     * @return the schedule
     */
    public static Schedule of(double maxJitterSeconds, int... decisions) {
        Checks.notNull(decisions, "decisions");
        for (int d : decisions) {
            Checks.nonNegative(d, "decision");
        }
        return new Schedule(checkJitter(maxJitterSeconds), null, decisions.clone());
    }

    private static double checkJitter(double s) {
        if (!(s >= 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("maxJitterSeconds must be a finite number >= 0, got " + s);
        }
        return s;
    }

    /**
     * Reads back what {@link #toString()} printed.
     *
     * @param text e.g. {@code "Schedule[seed=42, maxJitter=0.01]"} or
     *     {@code "Schedule[maxJitter=0.01, decisions=0,3,7]"} or {@code "Schedule[fifo]"}
     * @return the schedule
     * @throws IllegalArgumentException if the text is not a printed schedule
     */
    public static Schedule parse(String text) {
        Checks.notNull(text, "text");
        String t = text.trim();
        if (t.equals("Schedule[fifo]")) {
            return FIFO;
        }
        Matcher m = Pattern.compile("Schedule\\[seed=(-?\\d+), maxJitter=([0-9.Ee+-]+)]").matcher(t);
        if (m.matches()) {
            return seeded(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)));
        }
        m = Pattern.compile("Schedule\\[maxJitter=([0-9.Ee+-]+), decisions=([0-9,]*)]").matcher(t);
        if (m.matches()) {
            int[] d = m.group(2).isEmpty() ? new int[0]
                    : Arrays.stream(m.group(2).split(",")).mapToInt(Integer::parseInt).toArray();
            return of(Double.parseDouble(m.group(1)), d);
        }
        throw new IllegalArgumentException("not a printed Schedule: \"" + text
                + "\"; expected Schedule[fifo], Schedule[seed=N, maxJitter=S] or Schedule[maxJitter=S, decisions=a,b,c]");
    }

    /**
     * The largest lateness this schedule gives a timer.
     *
     * @return seconds
     */
    public double maxJitter() {
        return maxJitter;
    }

    /**
     * Whether this is the plain FIFO schedule (no decision can change anything).
     *
     * @return true for {@link #fifo()} and for explicit all-zero decisions or zero jitter
     *     with no I/O choices
     */
    public boolean isFifo() {
        if (this == FIFO) {
            return true;
        }
        return steps != null && Arrays.stream(steps).allMatch(d -> d == 0);
    }

    /** A fresh decision stream: every run of the same schedule sees the same decisions. */
    Decisions start() {
        return seed != null ? new Decisions(new SplittableRandom(seed), null) : new Decisions(null, steps);
    }

    @Override
    public String toString() {
        if (this == FIFO) {
            return "Schedule[fifo]";
        }
        if (seed != null) {
            return "Schedule[seed=" + seed + ", maxJitter=" + maxJitter + "]";
        }
        StringBuilder sb = new StringBuilder("Schedule[maxJitter=").append(maxJitter).append(", decisions=");
        for (int i = 0; i < steps.length; i++) {
            sb.append(i == 0 ? "" : ",").append(steps[i]);
        }
        return sb.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schedule s && s.maxJitter == maxJitter && Objects.equals(s.seed, seed)
                && Arrays.equals(s.steps, steps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxJitter, seed, Arrays.hashCode(steps));
    }

    /** The per-run decision stream; loop-confined. */
    final class Decisions {
        private final SplittableRandom random;
        private final int[] list;
        private int pos;

        Decisions(SplittableRandom random, int[] list) {
            this.random = random;
            this.list = list;
        }

        /** A decision in [0, bound). */
        int next(int bound) {
            if (bound <= 1) {
                return 0;
            }
            if (random != null) {
                return random.nextInt(bound);
            }
            return pos < list.length ? list[pos++] % bound : 0;
        }

        /** Lateness for the next timer, in [0, maxJitter]. */
        double timerJitter() {
            if (maxJitter == 0) {
                return 0;
            }
            return next(JITTER_STEPS + 1) * (maxJitter / JITTER_STEPS);
        }

        /** Permutes {@code items} in place; all-zero decisions leave the order unchanged. */
        <E> void permute(E[] items, int n) {
            for (int i = n - 1; i > 0; i--) {
                int j = i - next(i + 1);
                if (j != i) {
                    E tmp = items[i];
                    items[i] = items[j];
                    items[j] = tmp;
                }
            }
        }
    }
}
