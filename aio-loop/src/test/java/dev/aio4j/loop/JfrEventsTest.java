package dev.aio4j.loop;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * aio4j-only (issue 12): debug mode's JDK Flight Recorder events ({@code dev.aio4j.SlowCallback},
 * {@code dev.aio4j.SlowTaskStep}, {@code dev.aio4j.BlockedLoop}), read back from a recording
 * file as {@code jfr print --events dev.aio4j.*} would read them. No timing: the blocker spins
 * until the watchdog's report has been logged.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JfrEventsTest {

    @Test
    void slowStepsCallbacksAndBlockedLoopsAreRecorded_issue12(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("aio4j.jfr");
        try (Recording recording = new Recording();
                BaseEventsTest.LogCapture log = new BaseEventsTest.LogCapture();
                EventLoop loop = EventLoop.create()) {
            recording.enable("dev.aio4j.SlowCallback");
            recording.enable("dev.aio4j.SlowTaskStep");
            recording.enable("dev.aio4j.BlockedLoop");
            recording.start();
            loop.setDebug(true);
            loop.setSlowCallbackDuration(0.02);
            loop.callSoon(() -> spinUntil(log, "Handle["));
            Task<String> slow = loop.createTask(() -> {
                spinUntil(log, "Task[name=jfr-blocker");
                return "done";
            }, "jfr-blocker");
            assertEquals("done", loop.runUntilComplete(slow));
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Map<String, List<RecordedEvent>> byType = events.stream()
                .collect(Collectors.groupingBy(e -> e.getEventType().getName()));

        RecordedEvent step = byType.get("dev.aio4j.SlowTaskStep").get(0);
        assertTrue(step.getString("task").startsWith("Task[name=jfr-blocker"), step.toString());
        assertTrue(step.getDuration("ranFor").toMillis() >= 20, step.toString());
        assertTrue(step.getString("loop").startsWith("EventLoop[id="), step.toString());
        assertTrue(step.getString("createdAt").contains("JfrEventsTest.slowStepsCallbacksAndBlockedLoopsAreRecorded_issue12("),
                step.toString());

        RecordedEvent callback = byType.get("dev.aio4j.SlowCallback").get(0);
        assertTrue(callback.getString("callback").startsWith("Handle[dev.aio4j.loop.JfrEventsTest$$Lambda"), callback.toString());
        assertTrue(callback.getDuration("ranFor").toMillis() >= 20, callback.toString());

        List<RecordedEvent> blocked = byType.get("dev.aio4j.BlockedLoop");
        RecordedEvent taskBlocked = blocked.stream().filter(e -> e.getString("blocker").startsWith("Task[name=jfr-blocker"))
                .findFirst().orElseThrow(() -> new AssertionError(blocked.toString()));
        assertTrue(taskBlocked.getDuration("blockedFor").toMillis() >= 20, taskBlocked.toString());
        assertTrue(taskBlocked.getString("stack").contains("JfrEventsTest.spinUntil("), taskBlocked.toString());
        assertFalse(taskBlocked.getString("createdAt").isEmpty(), taskBlocked.toString());
        assertTrue(blocked.stream().anyMatch(e -> e.getString("blocker").startsWith("Handle[")), blocked.toString());
    }

    /** Spins, holding the loop, until the watchdog has logged a report about {@code blocker}. */
    private static void spinUntil(BaseEventsTest.LogCapture log, String blocker) {
        while (log.messages().stream().noneMatch(m -> m.startsWith(blocker) && m.contains("has been blocking"))) {
            Thread.onSpinWait();
        }
    }
}
