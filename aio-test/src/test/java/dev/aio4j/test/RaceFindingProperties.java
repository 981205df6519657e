package dev.aio4j.test;

import dev.aio4j.loop.Acquired;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Event;
import dev.aio4j.loop.Lock;
import dev.aio4j.loop.Schedule;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.TimeoutError;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proof of issue 6: two classic races planted in small user-style programs are found by a
 * property over {@link Schedule}s, shrunk to a small schedule, and replayed from its printed
 * form; the plain FIFO schedule hides them; the fixed programs pass the same property.
 * aio4j-only.
 */
class RaceFindingProperties {

    // ------------------------------------------------------------------ the programs under test

    /** Check-then-act across an await: two buyers, one ticket. Returns how many were sold. */
    static int sellOneTicket(boolean fixed) {
        int[] stock = {1};
        int[] sold = {0};
        Lock lock = new Lock();
        Function<Double, Task<Object>> buyer = arrival -> Aio.createTask(() -> {
            Aio.sleep(arrival);
            if (fixed) {
                try (Acquired held = lock.hold()) {
                    buy(stock, sold);
                }
            } else {
                buy(stock, sold);
            }
            return null;
        });
        Aio.gather(buyer.apply(1.00), buyer.apply(1.06)).await();
        return sold[0];
    }

    private static void buy(int[] stock, int[] sold) {
        if (stock[0] > 0) {
            Aio.sleep(0.05); // the payment round trip
            stock[0]--;
            sold[0]++;
        }
    }

    /** A lost wake-up: the consumer clears the event after checking, across an await. */
    static String consumeOne(boolean fixed) {
        List<String> items = new ArrayList<>();
        Event ready = new Event();
        Task<Object> producer = Aio.createTask(() -> {
            Aio.sleep(1.0);
            items.add("item");
            ready.set();
            return null;
        });
        Task<String> consumer = Aio.createTask(() -> {
            Aio.sleep(0.985);
            while (items.isEmpty()) {
                if (fixed) {
                    ready.clear();
                    if (!items.isEmpty()) {
                        break;
                    }
                    ready.await();
                } else {
                    Aio.sleep(0.01); // e.g. log "waiting" through an async logger
                    ready.clear();
                    ready.await();
                }
            }
            return items.remove(0);
        });
        try {
            return Aio.waitFor(consumer, 5.0);
        } catch (TimeoutError e) {
            return "lost wake-up";
        } finally {
            producer.cancel();
        }
    }

    @Provide
    Arbitrary<Schedule> jittery() {
        return Schedules.arbitrary(0.02);
    }

    // --------------------------------------------------------------------------- the racy ones

    @Property(tries = 300, seed = "42")
    @AddLifecycleHook(ExpectRaceFound.class)
    void racySellerNeverOversells(@ForAll("jittery") Schedule schedule) {
        assertEquals(1, Schedules.run(schedule, () -> sellOneTicket(false)), "oversold");
    }

    @Property(tries = 300, seed = "42")
    @AddLifecycleHook(ExpectRaceFound.class)
    void racyConsumerNeverLosesAWakeUp(@ForAll("jittery") Schedule schedule) {
        assertEquals("item", Schedules.run(schedule, () -> consumeOne(false)));
    }

    // ------------------------------------------------------------------------- the fixed ones

    @Property(tries = 300, seed = "42")
    void fixedSellerNeverOversells(@ForAll("jittery") Schedule schedule) {
        assertEquals(1, Schedules.run(schedule, () -> sellOneTicket(true)));
    }

    @Property(tries = 300, seed = "42")
    void fixedConsumerNeverLosesAWakeUp(@ForAll("jittery") Schedule schedule) {
        assertEquals("item", Schedules.run(schedule, () -> consumeOne(true)));
    }

    /**
     * Wraps a property that must fail: checks that jqwik found a failing schedule, that the
     * shrunk one is small, that its printed form replays the failure, and that the plain FIFO
     * schedule passes (the race is invisible without exploration). Then reports success.
     */
    static final class ExpectRaceFound implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            PropertyExecutionResult r = property.execute();
            try {
                assertEquals(PropertyExecutionResult.Status.FAILED, r.status(), "the property did not find the race");
                Schedule shrunk = (Schedule) r.falsifiedParameters().orElseThrow().get(0);
                String printed = shrunk.toString();
                int decisions = printed.substring(printed.indexOf("decisions=") + 10, printed.length() - 1).split(",").length;
                assertTrue(decisions <= 4, "shrinking should leave a small schedule, got " + printed);
                Schedule replay = Schedule.parse(printed);
                Object instance = context.testInstance();
                java.lang.reflect.Method m = context.targetMethod();
                m.setAccessible(true);
                assertFails(() -> m.invoke(instance, replay), "replaying " + printed + " did not fail again");
                m.invoke(instance, Schedule.fifo()); // the FIFO schedule hides the race
                return r.mapToSuccessful();
            } catch (Throwable e) {
                return r.mapToFailed(e);
            }
        }

        private static void assertFails(ThrowingRunnable run, String message) {
            try {
                run.run();
            } catch (java.lang.reflect.InvocationTargetException expected) {
                return;
            } catch (Throwable other) {
                throw new AssertionError(message + " (unexpected " + other + ")", other);
            }
            throw new AssertionError(message);
        }

        @FunctionalInterface
        interface ThrowingRunnable {
            void run() throws Throwable;
        }
    }
}
