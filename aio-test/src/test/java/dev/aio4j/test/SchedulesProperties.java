package dev.aio4j.test;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Schedule;
import dev.aio4j.loop.Task;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schedules keep every promise asyncio makes and vary only what a real run leaves open; the
 * same schedule always gives the same run. aio4j-only.
 */
class SchedulesProperties {

    /** A small program whose observable order depends on timer lateness. */
    private static List<String> program() {
        List<String> log = new ArrayList<>();
        EventLoop loop = Aio.getRunningLoop();
        List<Task<Object>> tasks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            tasks.add(Aio.createTask(() -> {
                Aio.sleep(1.0 + n * 0.004);
                log.add("t" + n + "@" + loop.time());
                return null;
            }));
        }
        Aio.gather(tasks).await();
        return log;
    }

    @Property(tries = 50)
    void theSameScheduleGivesTheSameRun(@ForAll Schedule schedule) {
        assertEquals(Schedules.run(schedule, SchedulesProperties::program), Schedules.run(schedule, SchedulesProperties::program));
    }

    @Property(tries = 50)
    void theSameSeedGivesTheSameRun(@ForAll long seed) {
        Schedule s = Schedule.seeded(seed);
        assertEquals(Schedules.run(s, SchedulesProperties::program), Schedules.run(Schedule.parse(s.toString()), SchedulesProperties::program));
    }

    @Example
    void differentSeedsExploreDifferentOrders() {
        Set<List<String>> orders = new HashSet<>();
        for (long seed = 1; seed <= 30; seed++) {
            List<String> run = Schedules.run(Schedule.seeded(seed), SchedulesProperties::program);
            List<String> names = new ArrayList<>();
            run.forEach(s -> names.add(s.substring(0, 2)));
            orders.add(names);
        }
        assertTrue(orders.size() > 1, "30 seeds all gave the same order: " + orders);
    }

    @Property(tries = 100)
    void timersNeverFireEarlyAndNeverLaterThanTheJitter(@ForAll Schedule schedule,
                                                        @ForAll @Size(min = 1, max = 8) List<@DoubleRange(min = 0.01, max = 5.0) Double> delays) {
        Schedules.run(schedule, () -> {
            EventLoop loop = Aio.getRunningLoop();
            List<Task<Object>> tasks = new ArrayList<>();
            for (double d : delays) {
                tasks.add(Aio.createTask(() -> {
                    double start = loop.time();
                    Aio.sleep(d);
                    double late = loop.time() - (start + d);
                    assertTrue(late >= -1e-9, "fired " + (-late) + " s early");
                    assertTrue(late <= schedule.maxJitter() + 1e-9, "fired " + late + " s late");
                    return null;
                }));
            }
            Aio.gather(tasks).await();
            return null;
        });
    }

    @Property(tries = 50)
    void callSoonStaysFifoUnderAnySchedule(@ForAll Schedule schedule, @ForAll @Size(max = 30) List<Integer> items) {
        List<Integer> seen = Schedules.run(schedule, () -> {
            List<Integer> out = new ArrayList<>();
            EventLoop loop = Aio.getRunningLoop();
            for (int i : items) {
                loop.callSoon(() -> out.add(i));
            }
            Aio.sleep(0.5);
            return out;
        });
        assertEquals(items, seen);
    }

    @Property(tries = 50)
    void printedSchedulesParseBack(@ForAll Schedule schedule) {
        assertEquals(schedule, Schedule.parse(schedule.toString()));
    }

    @Example
    void fifoIsWhatAllZeroDecisionsMean() {
        assertTrue(Schedule.of(0.5, 0, 0, 0).isFifo());
        assertEquals(Schedules.run(Schedule.fifo(), SchedulesProperties::program),
                Schedules.run(Schedule.of(0.5, 0, 0, 0, 0, 0, 0), SchedulesProperties::program));
    }
}
