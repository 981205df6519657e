package dev.aio4j.loop.internal;

import dev.aio4j.loop.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link OpenResources} on its own, with stand-in resources whose "closed" is a flag: what a tracked
 * loop keeps, in which order, how closed ones are pruned as the list doubles, and that an untracked
 * loop keeps nothing. aio4j-only (asyncio's counterpart is the {@code ResourceWarning} of a
 * transport collected unclosed); aio-streams' OpenResourcesTrackingTest checks the real transports
 * and servers that report to it.
 */
class OpenResourcesTest {
    private EventLoop loop;
    private EventLoop other;

    /** A stand-in transport: closed when its flag is set, named for the leak report. */
    private record Res(String name, AtomicBoolean closed) {
        Res(String name) {
            this(name, new AtomicBoolean());
        }

        void close() {
            closed.set(true);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeEach
    void loops() {
        loop = EventLoop.create();
        other = EventLoop.create();
    }

    @AfterEach
    void closeLoops() {
        OpenResources.untrack(loop);
        OpenResources.untrack(other);
        loop.close();
        other.close();
    }

    private Res open(EventLoop on, String name) {
        Res r = new Res(name);
        OpenResources.opened(on, r, r.closed()::get);
        return r;
    }

    @Test
    void anUntrackedLoopKeepsNothing() {
        open(loop, "a");
        assertEquals(List.of(), OpenResources.stillOpen(loop));
        assertEquals(0, OpenResources.trackedCount(loop));
        assertThrows(NullPointerException.class, () -> OpenResources.track(null));
    }

    @Test
    void aTrackedLoopKeepsWhatIsStillOpenOldestFirst() {
        OpenResources.track(loop);
        Res a = open(loop, "a");
        Res b = open(loop, "b");
        Res c = open(loop, "c");
        open(other, "elsewhere"); // another loop, not tracked
        assertEquals(List.of(a, b, c), OpenResources.stillOpen(loop));
        assertEquals(3, OpenResources.trackedCount(loop));

        b.close(); // nothing tells OpenResources: the check asks each resource
        assertEquals(List.of(a, c), OpenResources.stillOpen(loop));
        assertEquals(3, OpenResources.trackedCount(loop), "a closed entry stays until a prune");
        assertEquals(List.of(), OpenResources.stillOpen(other));

        OpenResources.track(loop); // tracking again keeps what was recorded
        assertEquals(List.of(a, c), OpenResources.stillOpen(loop));
        OpenResources.untrack(loop);
        assertEquals(List.of(), OpenResources.stillOpen(loop));
        assertEquals(0, OpenResources.trackedCount(loop), "untrack forgets the resources");
        open(loop, "after");
        assertEquals(0, OpenResources.trackedCount(loop), "nor records new ones");
    }

    @Test
    void closedEntriesArePrunedWhenTheListReaches64() {
        OpenResources.track(loop);
        Res keep = open(loop, "keep");
        List<Res> open = new ArrayList<>(List.of(keep));
        for (int i = 1; i < 64; i++) {
            Res r = open(loop, "r" + i);
            if (i % 2 == 0) {
                open.add(r);
            } else {
                r.close();
            }
        }
        assertEquals(64, OpenResources.trackedCount(loop), "below the limit nothing is pruned");
        Res last = open(loop, "last"); // the 65th: the 64 before it are pruned of the closed ones first
        open.add(last);
        assertEquals(open, OpenResources.stillOpen(loop));
        assertEquals(open.size(), OpenResources.trackedCount(loop), "only the open ones are left: " + open.size());
    }

    @Test
    void theNextPruneWaitsUntilTheOpenOnesHaveDoubled() {
        // 64 open entries: the prune at the 65th removes nothing and sets the next one at 128, so a
        // long run of open resources is not scanned on every add.
        OpenResources.track(loop);
        List<Res> first = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            first.add(open(loop, "o" + i));
        }
        open(loop, "o64");
        assertEquals(65, OpenResources.trackedCount(loop));
        first.forEach(Res::close);
        for (int i = 65; i < 128; i++) {
            open(loop, "o" + i);
        }
        assertEquals(128, OpenResources.trackedCount(loop), "no prune before 128 entries");
        open(loop, "o128");
        assertEquals(128 - 64 + 1, OpenResources.trackedCount(loop), "the 64 closed ones went at 128");
        assertEquals(65, OpenResources.stillOpen(loop).size());
    }
}
