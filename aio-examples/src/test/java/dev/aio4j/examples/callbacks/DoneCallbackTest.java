package dev.aio4j.examples.callbacks;

import dev.aio4j.examples.StdoutCapture;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.VirtualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs {@link DoneCallback}: on a virtual clock, and its main with a tiny sleep. */
class DoneCallbackTest {

    @Test
    @Timeout(30)
    void callbackRunsAfterTheTaskAndBeforeRunUntilCompleteReturns_onVirtualClock() {
        List<String> lines = new ArrayList<>();
        String result;
        double elapsed;
        try (EventLoop loop = EventLoop.create(VirtualClock.autoJump())) {
            result = DoneCallback.run(loop, 1.0, lines::add);
            elapsed = loop.time();
        }

        assertEquals("slept 1.0 s", result);
        assertEquals(1.0, elapsed, 1e-9);
        assertEquals(List.of(
                "Start",
                "End",
                "callback: Task done, result = slept 1.0 s",
                "runUntilComplete returned: slept 1.0 s"), lines);
    }

    @Test
    @Timeout(30)
    void mainPrintsTheProgramInOrder() throws Exception {
        List<String> lines = StdoutCapture.lines(() -> DoneCallback.main(new String[0]),
                DoneCallback.SECONDS_PROPERTY, "0.01");

        assertEquals(List.of(
                "Start",
                "End",
                "callback: Task done, result = slept 0.01 s",
                "runUntilComplete returned: slept 0.01 s"), lines);
    }
}
