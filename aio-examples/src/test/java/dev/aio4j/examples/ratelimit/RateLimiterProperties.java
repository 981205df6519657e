package dev.aio4j.examples.ratelimit;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Schedule;
import dev.aio4j.loop.Task;
import dev.aio4j.test.Schedules;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RateLimiter} over generated request arrival times (spread over up to four virtual
 * hours), rates and bursts: on the plain FIFO schedule every admission matches a model of the
 * token bucket computed by hand, to the nanosecond; under any {@link Schedule} (timers firing up
 * to 10 ms late) the limiter never admits more than the rate allows in any window, admits
 * callers in the order they arrived, and never keeps one waiting longer than the bucket
 * requires. About a third of the runs span an hour of virtual time or more (the first property
 * checks that at least 5% do); each takes milliseconds. aio4j-only.
 */
class RateLimiterProperties {

    /**
     * What a run did.
     *
     * @param origin loop time of the first call to acquire()
     * @param arrivals loop time of each call to acquire(), in call order
     * @param admissions loop time at which each of those calls returned, in the same order
     * @param admissionOrder the call indexes in the order they were admitted
     */
    record Run(double origin, List<Double> arrivals, List<Double> admissions, List<Integer> admissionOrder) {}

    /** One task per arrival time; each sleeps until then and calls acquire(). */
    static Run run(double rate, int burst, List<Double> arrivalTimes) {
        RateLimiter limiter = new RateLimiter(rate, burst);
        List<Double> arrivals = new ArrayList<>();
        List<Double> admissions = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        List<Task<Object>> tasks = new ArrayList<>();
        for (double at : arrivalTimes) {
            tasks.add(Aio.createTask(() -> {
                Aio.sleep(at);
                int me = arrivals.size();
                arrivals.add(Aio.getRunningLoop().time());
                admissions.add(null);
                limiter.acquire();
                admissions.set(me, Aio.getRunningLoop().time());
                order.add(me);
                return null;
            }));
        }
        Aio.gather(tasks).await();
        double origin = arrivals.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        return new Run(origin, arrivals, admissions, order);
    }

    /** Nanoseconds since {@code origin}, as the limiter counts them. */
    static long nanos(double t, double origin) {
        return Math.round((t - origin) * 1e9);
    }

    @Provide
    Arbitrary<List<Double>> arrivals() {
        Arbitrary<Double> clumped = Arbitraries.integers().between(0, 40).map(i -> i * 0.25);   // many at the same instant
        Arbitrary<Double> spread = Arbitraries.doubles().between(0, 4 * 3600).ofScale(3);         // over four hours
        return Arbitraries.oneOf(clumped, spread).list().ofMinSize(1).ofMaxSize(200);
    }

    @Provide
    Arbitrary<Double> rates() {
        return Arbitraries.of(0.01, 0.5, 1.0, 3.0, 7.0, 10.0, 100.0);
    }

    @Property(tries = 200)
    void onTheFifoScheduleEveryAdmissionMatchesTheModel(@ForAll("rates") double rate,
                                                         @ForAll @IntRange(min = 1, max = 10) int burst,
                                                         @ForAll("arrivals") List<Double> arrivalTimes) {
        Run run = Schedules.run(Schedule.fifo(), () -> run(rate, burst, arrivalTimes));

        // The model: a bucket kept as its "full again" time (tat), in whole nanoseconds.
        long interval = (long) Math.ceil(1e9 / rate);
        long tat = 0;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < run.arrivals().size(); i++) {
            order.add(i); // first come, first served
            long arrival = nanos(run.arrivals().get(i), run.origin());
            long admit = Math.max(arrival, Math.max(tat, arrival) - (burst - 1) * interval);
            assertEquals(admit, nanos(run.admissions().get(i), run.origin()), "admission of call " + i);
            tat = Math.max(tat, admit) + interval;
        }
        assertEquals(order, run.admissionOrder());
        double span = run.admissions().stream().mapToDouble(Double::doubleValue).max().orElse(0) - run.origin();
        Statistics.label("virtual time").collect(span >= 3600 ? "an hour or more" : span >= 60 ? "minutes" : "under a minute");
        Statistics.label("virtual time").coverage(c -> c.check("an hour or more").percentage(p -> p >= 5));
    }

    @Property(tries = 200)
    void underAnyScheduleNoWindowGetsMoreThanTheRateAllows(@ForAll Schedule schedule,
                                                           @ForAll("rates") double rate,
                                                           @ForAll @IntRange(min = 1, max = 10) int burst,
                                                           @ForAll("arrivals") List<Double> arrivalTimes) {
        Run run = Schedules.run(schedule, () -> run(rate, burst, arrivalTimes));
        long interval = (long) Math.ceil(1e9 / rate);
        int n = run.arrivals().size();
        assertEquals(arrivalTimes.size(), n, "every request was admitted");

        // First come, first served.
        List<Integer> fifo = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fifo.add(i);
        }
        assertEquals(fifo, run.admissionOrder());

        long[] admitted = new long[n];
        for (int i = 0; i < n; i++) {
            admitted[i] = nanos(run.admissions().get(i), run.origin());
            assertTrue(run.admissions().get(i) >= run.arrivals().get(i), "admitted before it asked");
        }
        // Never too many: any k+1 consecutive admissions span at least (k - burst + 1) intervals,
        // which is the same as "at most burst - 1 + ceil(w * rate) admissions in any window of w".
        for (int i = 0; i < n; i++) {
            for (int j = i + burst; j < n; j++) {
                long least = (long) (j - i - burst + 1) * interval;
                assertTrue(admitted[j] - admitted[i] >= least,
                        "admissions " + i + " and " + j + " are " + (admitted[j] - admitted[i]) + " ns apart, less than " + least);
            }
        }
        for (double window : new double[] {1, 60, 3600}) {
            long w = Math.round(window * 1e9);
            long allowed = burst - 1 + (w + interval - 1) / interval;
            for (int i = 0, j = 0; i < n; i++) {
                while (j < n && admitted[j] < admitted[i] + w) {
                    j++;
                }
                assertTrue(j - i <= allowed, (j - i) + " admissions in the " + window + " s from call " + i + "; at most " + allowed);
            }
        }
        // Never too slow: each caller is admitted as soon as the bucket and the callers before it
        // allow, give or take the schedule's lateness for the one wait it may need.
        long late = Math.round(schedule.maxJitter() * 1e9) + 1;
        long tat = 0;
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long arrival = nanos(run.arrivals().get(i), run.origin());
            long earliest = Math.max(Math.max(arrival, previous), Math.max(tat, arrival) - (burst - 1) * interval);
            assertTrue(admitted[i] >= earliest && admitted[i] <= earliest + late,
                    "call " + i + " admitted at " + admitted[i] + " ns; it could go at " + earliest + " ns");
            tat = Math.max(tat, admitted[i]) + interval;
            previous = admitted[i];
        }
    }
}
