package dev.aio4j.loop;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * aio4j-only (issue 12): debug mode's blocked-loop watchdog reports a task or callback that
 * holds the loop while it still runs. asyncio has no counterpart (its slow-callback warning,
 * tested in {@code BaseEventsTest}, comes afterwards).
 *
 * <p>No assertion depends on timing: each blocker spins (or blocks) until the test has seen the
 * report it expects, so the report provably arrived while the blocker was running; the class
 * timeout turns a missing report into a failure instead of a hang.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BlockedLoopWatchdogTest {
    private static final String BLOCKING = "has been blocking";

    private BaseEventsTest.LogCapture log;
    private EventLoop loop;
    private String loopTag;

    @BeforeEach
    void setUp() {
        log = new BaseEventsTest.LogCapture();
        loop = EventLoop.create();
        loop.setDebug(true);
        loop.setSlowCallbackDuration(0.05);
        String s = loop.toString();
        loopTag = s.substring(0, s.indexOf(',') + 1); // "EventLoop[id=7,"
    }

    @AfterEach
    void tearDown() {
        loop.close();
        log.close();
    }

    /** The watchdog's reports about this test's loop (the watchdog serves every debug loop of the JVM). */
    private List<String> reports() {
        return log.messages().stream().filter(m -> m.contains(BLOCKING) && m.contains(loopTag)).toList();
    }

    /** Busy-waits (never yielding to the loop) until the watchdog has logged {@code n} reports. */
    private void spinUntilReported(int n) {
        while (reports().size() < n) {
            Thread.onSpinWait();
        }
    }

    @Test
    void busyTaskIsReportedWhileItRuns_issue12() {
        Task<String> blocker = loop.createTask(() -> {
            spinUntilReported(1);
            return "returned";
        }, "blocker");
        assertEquals("returned", loop.runUntilComplete(blocker));
        String report = reports().get(0);
        assertTrue(report.startsWith("Task[name=blocker, pending, running] has been blocking EventLoop[id="), report);
        assertTrue(report.contains("and is still running (slow callback duration 0.050 s; report 1, the next one at 0.100 s)"),
                report);
        assertTrue(report.contains("\n  coro=<"), report); // the innermost frame of the test's code, wherever the spin is
        assertTrue(report.contains("() running at "), report);
        assertTrue(report.contains("\tat dev.aio4j.loop.BlockedLoopWatchdogTest.spinUntilReported(BlockedLoopWatchdogTest.java:"),
                report);
        assertTrue(report.contains("\n  created at dev.aio4j.loop.BlockedLoopWatchdogTest.busyTaskIsReportedWhileItRuns_issue12("
                + "BlockedLoopWatchdogTest.java:"), report);
        assertTrue(report.contains("\n  current stack:\n\tat "), report);
        assertTrue(report.contains("lambda$busyTaskIsReportedWhileItRuns_issue12$"), report);
        // the stack stops at the task's body: no scheduler frames below the user's lambda
        assertTrue(!report.contains("Task.body") && !report.contains("internal.sched"), report);
    }

    @Test
    void reportsRepeatEachTimeTheBlockedTimeDoubles_issue12() {
        Task<String> blocker = loop.createTask(() -> {
            spinUntilReported(3);
            return "returned";
        }, "repeat");
        loop.runUntilComplete(blocker);
        List<String> reports = reports();
        // at least 3: on a busy machine the spin may notice the third report only after a fourth
        assertTrue(reports.size() >= 3, reports.toString());
        double[] minimum = {0.05, 0.1, 0.2};
        for (int i = 0; i < 3; i++) {
            assertTrue(reports.get(i).contains("report " + (i + 1) + ", the next one at " + String.format("%.3f", minimum[i] * 2)),
                    reports.get(i));
            assertTrue(blockedFor(reports.get(i)) >= minimum[i], reports.get(i));
        }
    }

    private static double blockedFor(String report) {
        Matcher m = Pattern.compile(" for (\\d+\\.\\d{3}) seconds and is still running").matcher(report);
        assertTrue(m.find(), report);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void taskBlockedInAJdkCallIsReportedWithThatCall_issue12() throws Exception {
        CompletableFuture<String> never = new CompletableFuture<>();
        Thread releaser = Thread.ofPlatform().start(() -> {
            while (reports().isEmpty()) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
            never.complete("released");
        });
        Task<String> blocker = loop.createTask(() -> never.get(), "getter");
        assertEquals("released", loop.runUntilComplete(blocker));
        releaser.join();
        String report = reports().get(0);
        assertTrue(report.startsWith("Task[name=getter, pending, running] has been blocking"), report);
        assertTrue(report.contains("\tat java.base/java.util.concurrent.CompletableFuture.get("), report);
        assertTrue(report.contains("\n  coro=<BlockedLoopWatchdogTest.lambda$taskBlockedInAJdkCallIsReportedWithThatCall_issue12$"),
                report);
    }

    @Test
    void taskInAMonitorWaitIsReported_issue12() throws Exception {
        Object monitor = new Object();
        boolean[] released = {false};
        Thread releaser = Thread.ofPlatform().start(() -> {
            while (reports().isEmpty()) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
            synchronized (monitor) {
                released[0] = true;
                monitor.notifyAll();
            }
        });
        Task<String> waiter = loop.createTask(() -> {
            synchronized (monitor) {
                while (!released[0]) {
                    monitor.wait();
                }
            }
            return "woken";
        }, "monitor-waiter");
        assertEquals("woken", loop.runUntilComplete(waiter));
        releaser.join();
        String report = reports().get(0);
        assertTrue(report.startsWith("Task[name=monitor-waiter, pending, running] has been blocking"), report);
        assertTrue(report.contains("\tat java.base/java.lang.Object.wait"), report);
    }

    @Test
    void blockingCallbackIsReportedWithItsCode_issue12() {
        loop.callSoon(() -> spinUntilReported(1));
        loop.runUntilComplete(loop.createTask(() -> Aio.sleep(0)));
        String report = reports().get(0);
        assertTrue(report.startsWith("Handle[dev.aio4j.loop.BlockedLoopWatchdogTest$$Lambda] has been blocking EventLoop[id="),
                report);
        assertTrue(report.contains("\n  coro=<"), report); // the innermost frame of the test's code, wherever the spin is
        assertTrue(report.contains("() running at "), report);
        assertTrue(report.contains("\tat dev.aio4j.loop.BlockedLoopWatchdogTest.spinUntilReported(BlockedLoopWatchdogTest.java:"),
                report);
        assertTrue(!report.contains("created at"), report);
    }

    @Test
    void slowStepReportNamesWhereTheTaskIsAndWasCreated_issue12() {
        Task<String> slow = loop.createTask(() -> {
            spinUntilReported(1);
            Aio.sleep(0);
            return "done";
        }, "slow");
        loop.runUntilComplete(slow);
        String after = log.messages().stream().filter(m -> m.startsWith("Executing Task[name=slow")).findFirst().orElseThrow();
        assertTrue(after.contains(" took "), after);
        assertTrue(after.contains("\n  coro=<BlockedLoopWatchdogTest.lambda$slowStepReportNamesWhereTheTaskIsAndWasCreated_issue12$"),
                after);
        assertTrue(after.contains("\n  created at dev.aio4j.loop.BlockedLoopWatchdogTest."
                + "slowStepReportNamesWhereTheTaskIsAndWasCreated_issue12(BlockedLoopWatchdogTest.java:"), after);
    }

    @Test
    void nothingIsWatchedWithoutDebugMode_issue12() {
        loop.setDebug(false);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        loop.runUntilComplete(loop.createTask(() -> {
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }));
        assertEquals(List.of(), reports());
    }

    @Test
    void reportScheduleDoublesFromTheThreshold_issue12() {
        assertEquals(1_050, BlockedLoopWatchdog.reportDue(1_000, 50, 0));
        assertEquals(1_100, BlockedLoopWatchdog.reportDue(1_000, 50, 1));
        assertEquals(1_200, BlockedLoopWatchdog.reportDue(1_000, 50, 2));
        assertEquals(1_000 + (50L << 30), BlockedLoopWatchdog.reportDue(1_000, 50, 99));
    }
}
