package dev.aio4j.examples.gather;

import dev.aio4j.examples.StdoutCapture;
import dev.aio4j.loop.test.Loops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@link GatherSleep}: on a virtual clock for exact times, and its main with tiny sleeps. */
class GatherSleepTest {
    private static final Pattern TOOK = Pattern.compile("Took (\\d+\\.\\d\\d) seconds");

    @Test
    @Timeout(30)
    void concurrentTakesOneSleepNotThree_onVirtualClock() {
        List<String> lines = new ArrayList<>();
        double took = Loops.runVirtual(() -> GatherSleep.concurrent(2.0, lines::add));

        assertEquals(2.0, took, 1e-9, "three 2 s sleeps under gather take 2 s of loop time");
        assertEquals(List.of(
                "task 1 started, sleeping 2.0 s",
                "task 2 started, sleeping 2.0 s",
                "task 3 started, sleeping 2.0 s",
                "task 1 finished",
                "task 2 finished",
                "task 3 finished",
                "gather returned [1, 2, 3]"), lines);
    }

    @Test
    @Timeout(30)
    void blockingTakesThreeSleeps() throws Exception {
        List<String> lines = new ArrayList<>();
        double took = GatherSleep.blocking(0.02, lines::add);

        assertTrue(took >= 0.06, "three Thread.sleep(0.02 s) in a row take at least 0.06 s, took " + took);
        assertEquals(List.of(
                "task 1 started, Thread.sleep(0.02 s)", "task 1 finished",
                "task 2 started, Thread.sleep(0.02 s)", "task 2 finished",
                "task 3 started, Thread.sleep(0.02 s)", "task 3 finished"), lines);
    }

    @Test
    @Timeout(30)
    void mainPrintsBothVersionsAndTheirTimes() throws Exception {
        List<String> lines = StdoutCapture.lines(() -> GatherSleep.main(new String[0]),
                GatherSleep.SECONDS_PROPERTY, "0.05");

        assertEquals("Three tasks, each sleeping 0.05 s, under Aio.gather:", lines.get(0));
        assertEquals(3, lines.stream().filter(l -> l.endsWith("sleeping 0.05 s")).count(), lines::toString);
        assertEquals(6, lines.stream().filter(l -> l.endsWith(" finished")).count(), lines::toString);
        List<Double> took = new ArrayList<>();
        for (String l : lines) {
            Matcher m = TOOK.matcher(l);
            if (m.matches()) {
                took.add(Double.parseDouble(m.group(1)));
            }
        }
        assertEquals(2, took.size(), "one 'Took' line per version: " + lines);
        // Lower bounds only: a loaded machine may make anything slower, never faster.
        assertTrue(took.get(0) >= 0.04, "gather took " + took.get(0));
        assertTrue(took.get(1) >= 0.15, "three blocking sleeps took " + took.get(1));
        int blockingHeader = lines.indexOf("The blocking version, Thread.sleep three times in a row:");
        assertTrue(blockingHeader > lines.indexOf("gather returned [1, 2, 3]"), lines::toString);
    }

    @Test
    @Timeout(30)
    void badSecondsPropertyIsRejectedWithItsValue() {
        String saved = System.getProperty(GatherSleep.SECONDS_PROPERTY);
        System.setProperty(GatherSleep.SECONDS_PROPERTY, "two");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, GatherSleep::secondsFromProperty);
            assertEquals("-Dgather.seconds must be a finite number of seconds >= 0, got two", e.getMessage());
        } finally {
            if (saved == null) {
                System.clearProperty(GatherSleep.SECONDS_PROPERTY);
            } else {
                System.setProperty(GatherSleep.SECONDS_PROPERTY, saved);
            }
        }
    }
}
