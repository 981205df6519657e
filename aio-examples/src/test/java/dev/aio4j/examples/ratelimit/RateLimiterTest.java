package dev.aio4j.examples.ratelimit;

import dev.aio4j.examples.StdoutCapture;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.TimeoutError;
import dev.aio4j.test.AioTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RateLimiter} on virtual time: admission instants asserted exactly, an hour of steady
 * demand counted request by request. Each test runs as the main task of a fresh virtual-clock
 * loop ({@code @AioTest}).
 */
@Timeout(60)
class RateLimiterTest {

    private static double now() {
        return Aio.getRunningLoop().time();
    }

    /** Starts {@code n} tasks that each call acquire() once and return the loop time they got through. */
    private static List<Task<Double>> requests(RateLimiter limiter, int n) {
        List<Task<Double>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(Aio.createTask(() -> {
                limiter.acquire();
                return now();
            }, "request-" + (i + 1)));
        }
        return tasks;
    }

    @AioTest(timeout = 30)
    void tenPerSecondAdmitsExactly36000RequestsInAVirtualHour() {
        RateLimiter limiter = RateLimiter.perSecond(10);
        double t0 = now();
        List<Double> admitted = new ArrayList<>();
        int[] perClient = new int[3];

        // Three clients ask as fast as they can for one hour; the limiter decides.
        assertThrows(TimeoutError.class, () -> Aio.timeout(3600, () -> Aio.taskGroup(tg -> {
            for (int c = 0; c < 3; c++) {
                int client = c;
                tg.createTask(() -> {
                    while (true) {
                        limiter.acquire();
                        admitted.add(now() - t0);
                        perClient[client]++;
                    }
                }, "client-" + c);
            }
            return null;
        })));

        assertEquals(3600.0, now() - t0);
        assertEquals(36_000, admitted.size());
        for (int k = 0; k < admitted.size(); k++) {
            assertEquals(k / 10.0, admitted.get(k), "admission " + k + " is on its 0.1 s grid, with no drift");
        }
        // Waiting callers are served in arrival order, so the clients take turns. Client 0 gets the
        // first token and, as nobody is queued yet, the second; then 1, 2, 0, 1, 2, ...
        assertEquals(List.of(12_001, 12_000, 11_999), List.of(perClient[0], perClient[1], perClient[2]));
    }

    @AioTest
    void aRateThatDoesNotDivideASecondIsNeverExceeded() {
        RateLimiter limiter = RateLimiter.perSecond(3);
        double t0 = now();
        int[] count = {0};

        assertThrows(TimeoutError.class, () -> Aio.timeout(3600, () -> {
            while (true) {
                limiter.acquire();
                count[0]++;
            }
        }));

        // The interval is rounded up to 333,333,334 ns: 10,800 requests fit in the hour, never 10,801.
        assertEquals(10_800, count[0]);
        assertEquals(3600.0, now() - t0);
    }

    @AioTest
    void aBurstPassesAtOnceThenOneRequestPerInterval() {
        assertEquals(0.0, now(), "a fresh virtual loop starts at 0");
        List<Double> times = Aio.gather(requests(new RateLimiter(10, 5), 12)).await();

        assertEquals(List.of(0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7), times);
    }

    @AioTest
    void aQuietSpellRefillsTheBucket() {
        assertEquals(0.0, now());
        RateLimiter limiter = new RateLimiter(10, 5);
        assertEquals(List.of(0.0, 0.0, 0.0, 0.0, 0.0, 0.1), Aio.gather(requests(limiter, 6)).await());

        Aio.sleep(0.3); // at 0.4 s the bucket has 3 tokens again (it would be full at 0.6 s)
        assertEquals(List.of(0.4, 0.4, 0.4, 0.5, 0.6), Aio.gather(requests(limiter, 5)).await());

        Aio.sleep(10); // long enough to fill it: exactly 5 pass at once, no more
        assertEquals(List.of(10.6, 10.6, 10.6, 10.6, 10.6, 10.7), Aio.gather(requests(limiter, 6)).await());
    }

    @AioTest
    void tryAcquireNeverWaitsAndNeverOvertakesAWaitingCaller() {
        assertEquals(0.0, now());
        RateLimiter limiter = new RateLimiter(2, 2);
        assertTrue(limiter.tryAcquire());
        assertTrue(limiter.tryAcquire());
        assertFalse(limiter.tryAcquire(), "the bucket is empty");

        Task<Double> waiting = requests(limiter, 1).get(0);
        Aio.sleep(0.25);
        assertFalse(limiter.tryAcquire(), "a caller is waiting for the next token");
        assertEquals("RateLimiter[rate=2.0/s, burst=2, admitted=2, callers waiting]", limiter.toString());
        assertEquals(0.5, waiting.await());
        assertFalse(limiter.tryAcquire(), "the waiting caller took the token due at 0.5 s");
        Aio.sleep(0.5);
        assertTrue(limiter.tryAcquire());
        assertEquals("RateLimiter[rate=2.0/s, burst=2, admitted=4]", limiter.toString());
    }

    @AioTest
    void aCancelledWaiterTakesNoTokenAndTheNextCallerMovesUp() {
        assertEquals(0.0, now());
        RateLimiter limiter = RateLimiter.perSecond(1);
        limiter.acquire();                                // at 0
        List<Task<Double>> waiters = requests(limiter, 3); // due at 1, 2, 3
        Aio.sleep(0.5);
        waiters.get(0).cancel();

        assertThrows(CancelledError.class, () -> waiters.get(0).await());
        assertEquals(1.0, waiters.get(1).await(), "the second caller gets the token the cancelled one was waiting for");
        assertEquals(2.0, waiters.get(2).await());
    }

    @AioTest
    void theDemonstrationOnVirtualTime() {
        List<String> lines = new ArrayList<>();
        List<Double> times = RateLimiter.demo(10, 5, 20, lines::add);

        assertEquals(20, times.size());
        assertEquals(1.5, times.get(19));
        assertEquals("20 requests at once through RateLimiter[rate=10.0/s, burst=5, admitted=0]", lines.get(0));
        assertEquals("request  1 admitted at 0.00 s", lines.get(1));
        assertEquals("request  6 admitted at 0.10 s", lines.get(6));
        assertEquals("request 20 admitted at 1.50 s", lines.get(20));
        assertEquals("20 requests in 1.50 s: 5 at once (the burst), then one every 0.10 s;"
                + " RateLimiter[rate=10.0/s, burst=5, admitted=20]", lines.get(21));
    }

    @Test
    void mainAdmitsTheBurstAtOnceThenPacesTheRest() throws Exception {
        List<String> lines = StdoutCapture.lines(() -> RateLimiter.main(new String[0]),
                RateLimiter.RATE_PROPERTY, "100", RateLimiter.BURST_PROPERTY, "4");

        assertEquals("20 requests at once through RateLimiter[rate=100.0/s, burst=4, admitted=0]", lines.get(0));
        assertEquals(20, lines.stream().filter(l -> l.matches("request +\\d+ admitted at \\d+\\.\\d\\d s")).count(), lines::toString);
        assertTrue(lines.get(21).matches("20 requests in \\d+\\.\\d\\d s: 4 at once \\(the burst\\), then one every 0\\.01 s;"
                + " RateLimiter\\[rate=100\\.0/s, burst=4, admitted=20]"), lines.get(21));
        // A lower bound only: 16 requests after the burst need at least 0.16 s at 100 per second.
        double last = Double.parseDouble(lines.get(21).split(" ")[3]);
        assertTrue(last >= 0.15, lines.get(21));
    }

    @Test
    void badArgumentsAreRejectedWithTheirValue() throws Exception {
        assertEquals("ratePerSecond must be > 0 and <= 1e9, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, 1)).getMessage());
        assertEquals("burst must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new RateLimiter(1, 0)).getMessage());
        assertEquals("-Dratelimit.rate must be a number of requests per second > 0, got fast",
                assertThrows(IllegalArgumentException.class,
                        () -> StdoutCapture.lines(RateLimiter::rateFromProperty, RateLimiter.RATE_PROPERTY, "fast")).getMessage());
        assertEquals("-Dratelimit.burst must be a whole number >= 1, got 0",
                assertThrows(IllegalArgumentException.class,
                        () -> StdoutCapture.lines(RateLimiter::burstFromProperty, RateLimiter.BURST_PROPERTY, "0")).getMessage());
    }
}
