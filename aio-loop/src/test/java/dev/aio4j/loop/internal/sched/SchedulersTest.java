package dev.aio4j.loop.internal.sched;

import dev.aio4j.loop.test.LogCapture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler choice is visible (issue 12: "no silent surprises"). aio4j-only. */
class SchedulersTest {

    @Test
    void portableFallbackIsAnnouncedOnceAtInfoThenAtDebug() {
        List<LogRecord> records;
        try (LogCapture log = new LogCapture("dev.aio4j.loop").level(Level.ALL)) {
            AtomicBoolean hinted = new AtomicBoolean();
            Schedulers.announcePortable(hinted);
            Schedulers.announcePortable(hinted);
            records = log.records();
        }
        assertEquals(2, records.size(), records.toString());
        assertEquals(Level.INFO, records.get(0).getLevel());
        assertEquals(Level.FINE, records.get(1).getLevel()); // System.Logger DEBUG
        String line = records.get(0).getMessage();
        assertTrue(line.contains("portable scheduler"), line);
        assertTrue(line.contains("--add-opens java.base/java.lang=dev.aio4j.loop (module path)"), line);
        assertTrue(line.contains("--add-opens java.base/java.lang=ALL-UNNAMED (class path)"), line);
    }

    @Test
    void unknownModeIsRefusedWithTheChoices() {
        String old = System.getProperty(Schedulers.PROPERTY);
        System.setProperty(Schedulers.PROPERTY, "fastest");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Schedulers::create);
            assertEquals("-Daio4j.scheduler must be auto, carrier or portable, got fastest", e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(Schedulers.PROPERTY);
            } else {
                System.setProperty(Schedulers.PROPERTY, old);
            }
        }
    }
}
