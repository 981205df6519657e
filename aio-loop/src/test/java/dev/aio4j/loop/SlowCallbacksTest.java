package dev.aio4j.loop;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debug mode's slow-callback rule ({@link SlowCallbacks}), stepped through exact durations.
 * aio4j-only: asyncio's base_events.py logs with the same threshold, untested as a function.
 */
class SlowCallbacksTest {
    private static final long MS = 1_000_000;

    @Test
    void aCallbackIsSlowFromTheThresholdOn() {
        assertNull(SlowCallbacks.callbackReport("cb", 0, 0.1));
        assertNull(SlowCallbacks.callbackReport("cb", 100 * MS - 1, 0.1)); // one nanosecond short
        assertEquals("Executing cb took 0.100 seconds", SlowCallbacks.callbackReport("cb", 100 * MS, 0.1));
        assertEquals("Executing cb took 2.500 seconds", SlowCallbacks.callbackReport("cb", 2_500 * MS, 0.1));
    }

    @Test
    void aSlowStepNamesTheTimeBlockedInsideAJdkCallFromHalfTheThresholdOn() {
        Task<Object> task = finishedTask();
        String prefix = "Executing " + task + " took 0.200 seconds";
        // fast: nothing, however long it blocked
        assertNull(SlowCallbacks.stepReport(task, 99 * MS, 99 * MS, 0.1));
        // slow, blocked under half the threshold: the plain report
        assertEquals(prefix, SlowCallbacks.stepReport(task, 200 * MS, 50 * MS - 1, 0.1));
        // slow, blocked for half the threshold: the report says where the time went
        String msg = SlowCallbacks.stepReport(task, 200 * MS, 50 * MS, 0.1);
        assertTrue(msg.startsWith(prefix + "; it blocked the loop for 0.050 seconds inside a JDK call"), msg);
    }

    @Test
    void thresholdMustBePositive() {
        SlowCallbacks rule = new SlowCallbacks();
        assertEquals(0.1, rule.threshold());
        rule.setThreshold(0.5);
        assertEquals(0.5, rule.threshold());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rule.setThreshold(-1));
        assertEquals("seconds must be a finite number > 0, got -1.0", e.getMessage());
    }

    /** A task to name in reports. */
    private static Task<Object> finishedTask() {
        try (EventLoop loop = EventLoop.create(TestClocks.autoJump())) {
            Task<Object> t = loop.createTask(() -> null, "stepper");
            loop.runUntilComplete(t);
            return t;
        }
    }
}
