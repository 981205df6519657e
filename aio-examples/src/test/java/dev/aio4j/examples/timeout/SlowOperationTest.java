package dev.aio4j.examples.timeout;

import dev.aio4j.examples.StdoutCapture;
import dev.aio4j.loop.test.Loops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@link SlowOperation}: on a virtual clock for exact deadlines, and its main with a tiny unit. */
@Timeout(30)
class SlowOperationTest {

    @Test
    void deadlinesFireExactlyAndRescheduleMovesThem_onVirtualClock() {
        List<String> lines = new ArrayList<>();
        double[] total = new double[1];
        SlowOperation.Report r = Loops.runVirtual(() -> {
            // Test clocks start at a large random time (Loops), so measure from the start.
            double start = dev.aio4j.loop.Aio.getRunningLoop().time();
            SlowOperation.Report report = SlowOperation.run(1.0, lines::add);
            total[0] = dev.aio4j.loop.Aio.getRunningLoop().time() - start;
            return report;
        });

        assertEquals(new SlowOperation.Report(1.0, true, 1.25, 1.5, true, 0.25, 1.0, true), r);
        assertEquals(5.0, total[0], 1e-9, "the whole program is five units of loop time");
        assertEquals(List.of(
                "1. Aio.timeout(1.0) around an operation that needs 3.0 s",
                "report: started, needs 3.0 s",
                "report: cancelled after 1.00 s; its finally block runs",
                "caught TimeoutError after 1.00 s (its cause: CancelledError)",
                "2. Aio.timeout(1.0, cm -> ...) with cm.reschedule(loop.time() + 1.0) after each chunk",
                "download: chunk 1 at 0.25 s; deadline moved to 1.25 s",
                "download: chunk 2 at 0.50 s; deadline moved to 1.50 s",
                "download: chunk 3 at 0.75 s; deadline moved to 1.75 s",
                "download: chunk 4 at 1.00 s; deadline moved to 2.00 s",
                "download: chunk 5 at 1.25 s; deadline moved to 2.25 s",
                "download: all 5 chunks in 1.25 s, past the first deadline of 1.00 s",
                "stalled download: chunk 1 at 0.25 s; deadline moved to 1.25 s",
                "stalled download: chunk 2 at 0.50 s; deadline moved to 1.50 s",
                "stalled download: TimeoutError at 1.50 s, 1.00 s after the last chunk",
                "the stalled download's Timeout: expired() = true",
                "3. Aio.waitFor(..., 1.0)",
                "lookup: started, needs 0.25 s",
                "waitFor returned \"lookup: done\" after 0.25 s",
                "export: started, needs 3.0 s",
                "export: cancelled after 1.00 s; its finally block runs",
                "waitFor threw TimeoutError after 1.00 s; export.cancelled() = true"), lines);
    }

    @Test
    void mainRunsAllThreePartsWithTheUnitFromItsProperty() throws Exception {
        List<String> lines = StdoutCapture.lines(() -> SlowOperation.main(new String[0]),
                SlowOperation.SECONDS_PROPERTY, "0.2");

        // Real time: each deadline has at least 0.15 s of slack, and only the shape is asserted.
        assertEquals("1. Aio.timeout(0.2) around an operation that needs 0.6 s", lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.matches("caught TimeoutError after 0\\.\\d\\d s \\(its cause: CancelledError\\)")),
                lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.matches("download: all 5 chunks in 0\\.\\d\\d s, past the first deadline of 0\\.20 s")),
                lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.matches("stalled download: TimeoutError at 0\\.\\d\\d s, 0\\.\\d\\d s after the last chunk")),
                lines::toString);
        assertTrue(lines.contains("the stalled download's Timeout: expired() = true"), lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.matches("waitFor returned \"lookup: done\" after 0\\.\\d\\d s")), lines::toString);
        assertTrue(lines.get(lines.size() - 1).matches("waitFor threw TimeoutError after 0\\.\\d\\d s; export\\.cancelled\\(\\) = true"),
                lines::toString);
    }

    @Test
    void badSecondsPropertyIsRejectedWithItsValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StdoutCapture.lines(SlowOperation::secondsFromProperty, SlowOperation.SECONDS_PROPERTY, "NaN"));
        assertEquals("-Dtimeout.seconds must be a finite number of seconds >= 0, got NaN", e.getMessage());
    }
}
