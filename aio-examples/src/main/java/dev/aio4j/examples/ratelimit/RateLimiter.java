package dev.aio4j.examples.ratelimit;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Lock;
import dev.aio4j.loop.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Port of the token-bucket rate limiter that asyncio programs put in front of an API
 * ({@code async with limiter: await call_api()}), built on the loop's clock and
 * {@code asyncio.sleep}: at most {@code rate} requests per second on average, bursts of up to
 * {@code burst}, and callers that must wait are admitted in the order they arrived. Nothing is
 * given back after the call, so the {@code async with} block becomes a plain
 * {@link #acquire()} before the request.
 *
 * <pre>{@code
 * RateLimiter limiter = new RateLimiter(10, 5);   // 10 per second, 5 at once after a quiet spell
 * for (String url : urls) {
 *     Aio.createTask(() -> { limiter.acquire(); return fetch(url); });
 * }
 * }</pre>
 *
 * <p>The bucket holds up to {@code burst} tokens and gains one every {@code 1/rate} seconds; a
 * request takes one. Internally it keeps only the time at which the bucket will next be full
 * (the "generic cell rate algorithm", equivalent to a token bucket), in whole nanoseconds of
 * loop time from its first use, so no rounding drift builds up over hours. The guarantee: in
 * <em>any</em> window of {@code w} seconds the limiter admits at most
 * {@code burst - 1 + ceil(w * rate)} requests; a limiter of 10 per second with a burst of 1
 * admits exactly 36,000 requests in an hour of steady demand. The interval {@code 1/rate} is
 * rounded up to the nanosecond, so a rate such as 3 per second is never exceeded.
 *
 * <p><b>Cancellation:</b> {@link #acquire()} suspends. A task cancelled while it waits takes no
 * token and leaves the queue; the callers behind it move up.
 *
 * <p><b>Threading:</b> loop-confined, like every aio4j primitive: use one limiter per loop.
 *
 * <p><b>Testing:</b> on a loop with a {@link dev.aio4j.loop.VirtualClock} (an {@code @AioTest}
 * method, for instance), an hour of requests takes milliseconds and every admission time is
 * exact. {@code RateLimiterTest} and {@code RateLimiterProperties} in this module's tests do that.
 *
 * <p>Run the demonstration with {@code java -cp ... dev.aio4j.examples.ratelimit.RateLimiter}; it
 * fires 20 requests at once through a limiter of {@code -Dratelimit.rate=10} per second with a
 * burst of {@code -Dratelimit.burst=5}.
 */
public final class RateLimiter {
    /*
     * Maintainer notes. `tat` (theoretical arrival time) is when the bucket will be full again,
     * in nanoseconds since `origin`. A request at `now` conforms iff now >= tat - (burst-1)*interval;
     * admitting it sets tat = max(tat, now) + interval. Waiting callers hold `turn` (a FIFO Lock)
     * while they sleep, so only the head of the queue looks at the bucket and the others keep
     * their arrival order. The sleep aims at an absolute instant computed from integer
     * nanoseconds, so the clock's double arithmetic cannot accumulate error across waits.
     */

    /** System property holding the demonstration's rate, per second. */
    public static final String RATE_PROPERTY = "ratelimit.rate";
    /** The demonstration's rate when the property is not set. */
    public static final double DEFAULT_RATE = 10;
    /** System property holding the demonstration's burst. */
    public static final String BURST_PROPERTY = "ratelimit.burst";
    /** The demonstration's burst when the property is not set. */
    public static final int DEFAULT_BURST = 5;

    private final double rate;
    private final int burst;
    private final long intervalNanos;
    private final Lock turn = new Lock();
    private boolean started;
    private double origin;
    private long tat;
    private long admitted;

    /**
     * A limiter of {@code ratePerSecond} with room for a burst of {@code burst} requests.
     *
     * @param ratePerSecond the long-run rate, &gt; 0 and at most 1e9
     * @param burst how many requests may pass at once after a quiet spell, &gt;= 1
     */
    public RateLimiter(double ratePerSecond, int burst) {
        if (!(ratePerSecond > 0) || ratePerSecond > 1e9) {
            throw new IllegalArgumentException("ratePerSecond must be > 0 and <= 1e9, got " + ratePerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be >= 1, got " + burst);
        }
        this.rate = ratePerSecond;
        this.burst = burst;
        this.intervalNanos = (long) Math.ceil(1e9 / ratePerSecond);
    }

    /**
     * A limiter of {@code ratePerSecond} with no bursts: requests are spaced at least
     * {@code 1/rate} apart.
     *
     * @param ratePerSecond the rate
     * @return the limiter
     */
    public static RateLimiter perSecond(double ratePerSecond) {
        return new RateLimiter(ratePerSecond, 1);
    }

    /**
     * Waits for a token and takes it. Callers that have to wait are admitted first come, first
     * served. Call it inside a task.
     *
     * <p><b>Cancellation:</b> this method may suspend. If the task is cancelled while it waits,
     * it takes no token, and the next waiting caller takes its place.
     */
    public void acquire() {
        EventLoop loop = Aio.getRunningLoop();
        turn.acquire(); // callers that must wait queue here, first come, first served
        try {
            while (true) {
                long now = nowNanos(loop);
                long allowedAt = Math.max(tat, now) - (burst - 1) * intervalNanos;
                if (now >= allowedAt) {
                    admit(now);
                    return;
                }
                // Aim at the absolute instant, at least a nanosecond ahead so the loop cannot spin.
                Aio.sleep(Math.max(1e-9, origin + allowedAt / 1e9 - loop.time()));
            }
        } finally {
            turn.release();
        }
    }

    /**
     * Takes a token if one is there and nobody is waiting; never suspends.
     *
     * @return true if the request may go ahead
     */
    public boolean tryAcquire() {
        EventLoop loop = Aio.getRunningLoop();
        if (turn.locked()) {
            return false; // someone is waiting: do not overtake them
        }
        long now = nowNanos(loop);
        if (now >= Math.max(tat, now) - (burst - 1) * intervalNanos) {
            admit(now);
            return true;
        }
        return false;
    }

    private void admit(long now) {
        tat = Math.max(tat, now) + intervalNanos;
        admitted++;
    }

    private long nowNanos(EventLoop loop) {
        double t = loop.time();
        if (!started) {
            started = true;
            origin = t;
            tat = 0;
        }
        return Math.round((t - origin) * 1e9);
    }

    /**
     * The long-run rate.
     *
     * @return requests per second
     */
    public double rate() {
        return rate;
    }

    /**
     * The burst size.
     *
     * @return at least 1
     */
    public int burst() {
        return burst;
    }

    @Override
    public String toString() {
        return "RateLimiter[rate=" + format(rate) + "/s, burst=" + burst + ", admitted=" + admitted
                + (turn.locked() ? ", callers waiting" : "") + "]";
    }

    // ------------------------------------------------------------------------- demonstration

    /**
     * Runs the demonstration on a new loop and prints when each request was admitted.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        double rate = rateFromProperty();
        int burst = burstFromProperty();
        Aio.run(() -> demo(rate, burst, 20, System.out::println));
    }

    /**
     * The demonstration: {@code requests} tasks call {@link #acquire()} at the same instant.
     * Call it inside a task.
     *
     * @param rate the limiter's rate
     * @param burst the limiter's burst
     * @param requests how many requests
     * @param out receives one line per admission, then a summary
     * @return the admission times, in seconds from the start, in admission order
     */
    public static List<Double> demo(double rate, int burst, int requests, Consumer<String> out) {
        EventLoop loop = Aio.getRunningLoop();
        RateLimiter limiter = new RateLimiter(rate, burst);
        out.accept(requests + " requests at once through " + limiter);
        double t0 = loop.time();
        List<Double> times = new ArrayList<>();
        List<Task<Object>> tasks = new ArrayList<>();
        for (int i = 1; i <= requests; i++) {
            int n = i;
            tasks.add(Aio.createTask(() -> {
                limiter.acquire();
                double at = loop.time() - t0;
                times.add(at);
                out.accept(String.format(Locale.ROOT, "request %2d admitted at %.2f s", n, at));
                return null;
            }, "request-" + i));
        }
        Aio.gather(tasks).await();
        out.accept(String.format(Locale.ROOT, "%d requests in %.2f s: %d at once (the burst), then one every %.2f s; %s",
                requests, times.get(times.size() - 1), Math.min(burst, requests), 1 / rate, limiter));
        return times;
    }

    /**
     * The demonstration's rate from {@value #RATE_PROPERTY}, or {@value #DEFAULT_RATE}.
     *
     * @return requests per second, &gt; 0
     * @throws IllegalArgumentException if the property is not a number &gt; 0
     */
    public static double rateFromProperty() {
        String raw = System.getProperty(RATE_PROPERTY);
        if (raw == null || raw.isBlank()) {
            return DEFAULT_RATE;
        }
        double r;
        try {
            r = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            r = Double.NaN;
        }
        if (!(r > 0) || r > 1e9) {
            throw new IllegalArgumentException("-D" + RATE_PROPERTY + " must be a number of requests per second > 0, got " + raw);
        }
        return r;
    }

    /**
     * The demonstration's burst from {@value #BURST_PROPERTY}, or {@value #DEFAULT_BURST}.
     *
     * @return at least 1
     * @throws IllegalArgumentException if the property is not a whole number &gt;= 1
     */
    public static int burstFromProperty() {
        String raw = System.getProperty(BURST_PROPERTY);
        if (raw == null || raw.isBlank()) {
            return DEFAULT_BURST;
        }
        int b;
        try {
            b = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            b = 0;
        }
        if (b < 1) {
            throw new IllegalArgumentException("-D" + BURST_PROPERTY + " must be a whole number >= 1, got " + raw);
        }
        return b;
    }

    /** 10.0 -> "10.0", 0.5 -> "0.5". */
    private static String format(double value) {
        String s = String.format(Locale.ROOT, "%.3f", value).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }
}
