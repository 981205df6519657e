package dev.aio4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * Collects latency samples (in seconds) in batches, one batch per benchmark invocation, and
 * reports percentiles (nearest rank, the same rule as {@code aio-bench/python/_harness.py}).
 *
 * <p>Samples go into a histogram of 1 µs buckets up to {@value #RANGE_SECONDS} s that is
 * allocated once, so that recording adds no garbage while a benchmark runs (a growing sample
 * array would itself cause GC pauses and skew the lateness it measures). Percentiles are
 * therefore exact to 1 µs; the maximum is exact. Each batch's own p99 is computed exactly (from
 * a scratch copy) to show whether a bad tail comes from every batch or from a few.
 *
 * <p>{@link #report} prints one JSON line to standard output (JMH relays a fork's output) and,
 * when the environment variable {@value #OUT_ENV} names a file, appends the line to it; forks
 * inherit the environment of the JMH launcher, so {@code compare.sh} sets it once.
 */
public final class LatencyRecorder {
    /** Environment variable naming a file to append result lines to. */
    public static final String OUT_ENV = "AIO4J_BENCH_OUT";
    /** Samples above this go to the overflow count (their maximum is still exact). */
    public static final int RANGE_SECONDS = 2;

    private static final double BUCKETS_PER_SECOND = 1e6;

    private final long[] buckets = new long[(int) (RANGE_SECONDS * BUCKETS_PER_SECOND)];
    private long overflow;
    private long count;
    private double sum;
    private double max = Double.NEGATIVE_INFINITY;
    private double[] scratch = new double[0];
    private double[] batchP99 = new double[64];
    private int batchCount;

    /**
     * Adds the first {@code n} values of {@code seconds} as one batch.
     *
     * @param seconds samples in seconds (negative values count as 0)
     * @param n how many to take
     */
    public void addBatch(double[] seconds, int n) {
        if (n == 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            double s = seconds[i];
            sum += s;
            if (s > max) {
                max = s;
            }
            long b = (long) (Math.max(0.0, s) * BUCKETS_PER_SECOND);
            if (b >= buckets.length) {
                overflow++;
            } else {
                buckets[(int) b]++;
            }
        }
        count += n;
        if (scratch.length < n) {
            scratch = new double[n];
        }
        System.arraycopy(seconds, 0, scratch, 0, n);
        Arrays.sort(scratch, 0, n);
        if (batchCount == batchP99.length) {
            batchP99 = Arrays.copyOf(batchP99, batchCount * 2);
        }
        batchP99[batchCount++] = scratch[rank(99, n)] * 1e3;
    }

    public long count() {
        return count;
    }

    public int batches() {
        return batchCount;
    }

    public void clear() {
        Arrays.fill(buckets, 0);
        overflow = 0;
        count = 0;
        sum = 0;
        max = Double.NEGATIVE_INFINITY;
        batchCount = 0;
    }

    /**
     * The {@code p}-th percentile in milliseconds, nearest rank, to 1 µs (the upper edge of the
     * bucket it falls in, but never above the exact maximum).
     *
     * @param p between 0 and 100
     * @return milliseconds, NaN when empty
     */
    public double percentileMillis(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long target = rank(p, count) + 1; // 1-based rank
        long seen = 0;
        for (int b = 0; b < buckets.length; b++) {
            seen += buckets[b];
            if (seen >= target) {
                return Math.min((b + 1) / BUCKETS_PER_SECOND, Math.max(max, 0.0)) * 1e3;
            }
        }
        return max * 1e3; // in the overflow: report the maximum
    }

    static int rank(double p, long n) {
        long r = (long) Math.ceil(p / 100.0 * n) - 1;
        return (int) Math.min(n - 1, Math.max(0, r));
    }

    /**
     * The p99 of each batch in milliseconds, in order.
     *
     * @return one value per batch
     */
    public double[] batchP99Millis() {
        return Arrays.copyOf(batchP99, batchCount);
    }

    /**
     * The summary as one JSON line.
     *
     * @param workload workload name shared with the Python twin
     * @param impl implementation label, e.g. {@code aio4j-carrier}
     * @return the line, without a newline
     */
    public String toJson(String workload, String impl) {
        double[] sortedBatch = batchP99Millis();
        Arrays.sort(sortedBatch);
        int over20 = 0;
        for (double v : sortedBatch) {
            if (v >= 20.0) {
                over20++;
            }
        }
        return String.format(Locale.ROOT,
                "{\"workload\":\"%s\",\"impl\":\"%s\",\"samples\":%d,\"lateness_mean_ms\":%.3f,"
                        + "\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f,"
                        + "\"batches\":%d,\"batch_p99_median_ms\":%.3f,\"batches_p99_over_20ms\":%d}",
                workload, impl, count, count == 0 ? Double.NaN : sum / count * 1e3,
                percentileMillis(50), percentileMillis(90), percentileMillis(99), percentileMillis(99.9),
                count == 0 ? Double.NaN : max * 1e3,
                batchCount, batchCount == 0 ? Double.NaN : sortedBatch[(batchCount - 1) / 2], over20);
    }

    /**
     * Prints {@link #toJson} and appends it to {@code $AIO4J_BENCH_OUT} when set.
     *
     * @param workload workload name
     * @param impl implementation label
     */
    public void report(String workload, String impl) {
        String line = toJson(workload, impl);
        System.out.println(line);
        String out = System.getenv(OUT_ENV);
        if (out != null && !out.isBlank()) {
            try {
                Files.writeString(Path.of(out), line + System.lineSeparator(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append the result line to " + out, e);
            }
        }
    }
}
