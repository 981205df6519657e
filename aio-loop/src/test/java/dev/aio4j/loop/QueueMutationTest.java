package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import static dev.aio4j.loop.test.Loops.inLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edges of {@link Queue} that its mutants (issue 11) showed untested: loop binding of
 * {@code getNowait()} and of {@code put()} on a full queue, {@code isShutdown()}, and the stored
 * items' iteration order. aio4j-only; complements {@link QueuesTest}.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueueMutationTest {

    @Test
    void getNowaitIsBoundToTheFirstLoop_issue11() throws Exception {
        Queue<Integer> q = new Queue<>();
        Loops.assertBoundToFirstLoop("Queue", () -> {
            if (q.empty()) {
                q.putNowait(1);
            } else {
                q.getNowait();
            }
        });
        assertEquals(1, q.qsize(), "the refused getNowait() took nothing");
    }

    @Test
    void putOnAFullQueueIsBoundToTheFirstLoop_issue11() throws Exception {
        Queue<Integer> q = new Queue<>(1);
        Loops.assertBoundToFirstLoop("Queue", () -> {
            if (q.full()) {
                q.put(2);
            } else {
                q.putNowait(1);
            }
        });
        assertEquals(1, q.qsize());
    }

    @Test
    void isShutdownIsFalseUntilShutdown_issue11() throws Exception {
        inLoop(() -> {
            Queue<Integer> q = new Queue<>();
            assertFalse(q.isShutdown());
            q.putNowait(1);
            assertFalse(q.isShutdown());
            q.shutdown();
            assertTrue(q.isShutdown());
        });
    }

    @Test
    void storedItemsAreInFifoOrderWithNullsUnmasked_issue11() throws Exception {
        inLoop(() -> {
            Queue<String> q = new Queue<>();
            q.putNowait("a");
            q.putNowait(null);
            q.putNowait("c");
            List<String> seen = new ArrayList<>();
            Iterator<String> it = q.storedItems();
            while (it.hasNext()) {
                seen.add(it.next());
            }
            assertEquals(Arrays.asList("a", null, "c"), seen);
            assertEquals(3, q.qsize(), "iterating takes nothing");
        });
    }
}
