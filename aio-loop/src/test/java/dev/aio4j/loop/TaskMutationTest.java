package dev.aio4j.loop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.aio4j.loop.test.Loops.inLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Edges of {@link Task} that its mutants (issue 11) showed untested. aio4j-only; complements
 * {@link TasksTest} (whose {@code uncancel} tests mirror CPython's {@code test_uncancel_*}).
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskMutationTest {

    @Test
    void uncancelReturnsTheCountLeft_issue11() {
        inLoop(() -> {
            Task<Object> t = Aio.createTask(() -> {
                Aio.sleep(10);
                return null;
            });
            Aio.sleep(0);
            t.cancel();
            t.cancel();
            assertEquals(2, t.cancelling());
            assertEquals(1, t.uncancel());
            assertEquals(1, t.cancelling());
            assertEquals(0, t.uncancel());
            assertEquals(0, t.uncancel(), "never below zero");
            t.cancel("again");
            CancelledError e = assertThrows(CancelledError.class, t::await);
            assertEquals(1, t.cancelling());
        });
    }
}
