package dev.aio4j.loop.internal;

import dev.aio4j.loop.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link OpenResources} on its own, with stand-in resources whose "closed" is a flag: what a tracked
 * loop keeps, in which order, how closed ones are pruned as the list doubles, and that an untracked
 * loop keeps nothing. aio4j-only (asyncio's counterpart is the {@code ResourceWarning} of a
 * transport collected unclosed); aio-streams' OpenResourcesTrackingTest checks the real transports
 * and servers that report to it.
 *
 * <p>What a loop holds is seen the way a resource sees it: every entry held is asked "closed?" by
 * each {@link OpenResources#stillOpen} and by each prune, so the asks counted here say which entries
 * are held and when a prune ran.
 */
class OpenResourcesTest {
    private EventLoop loop;
    private EventLoop other;
    /** Every "closed?" asked of any stand-in of this test. */
    private final AtomicInteger asks = new AtomicInteger();

    /** A stand-in transport: closed when its flag is set, named for the leak report; counts the asks. */
    private record Res(String name, AtomicBoolean closed, AtomicInteger asked) {
        Res(String name) {
            this(name, new AtomicBoolean(), new AtomicInteger());
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
        OpenResources.opened(on, r, () -> {
            r.asked().incrementAndGet();
            asks.incrementAndGet();
            return r.closed().get();
        });
        return r;
    }

    /** How many entries {@code stillOpen} asked about: the entries the loop holds, open or not yet pruned. */
    private int held(EventLoop on) {
        int before = asks.get();
        OpenResources.stillOpen(on);
        return asks.get() - before;
    }

    @Test
    void anUntrackedLoopKeepsNothing() {
        Res a = open(loop, "a");
        assertEquals(List.of(), OpenResources.stillOpen(loop));
        OpenResources.track(loop);
        assertEquals(List.of(), OpenResources.stillOpen(loop), "what opened before the tracking is not recorded");
        assertEquals(0, a.asked().get());
        assertThrows(NullPointerException.class, () -> OpenResources.track(null));
    }

    @Test
    void aTrackedLoopKeepsWhatIsStillOpenOldestFirst() {
        OpenResources.track(loop);
        Res a = open(loop, "a");
        Res b = open(loop, "b");
        Res c = open(loop, "c");
        Res elsewhere = open(other, "elsewhere"); // another loop, not tracked
        assertEquals(List.of(a, b, c), OpenResources.stillOpen(loop));
        assertEquals(3, held(loop));

        b.close(); // nothing tells OpenResources: the check asks each resource
        assertEquals(List.of(a, c), OpenResources.stillOpen(loop));
        int bAsked = b.asked().get();
        assertEquals(3, held(loop), "a closed entry stays until a prune");
        assertEquals(bAsked + 1, b.asked().get());
        assertEquals(List.of(), OpenResources.stillOpen(other));
        assertEquals(0, elsewhere.asked().get());

        OpenResources.track(loop); // tracking again keeps what was recorded
        assertEquals(List.of(a, c), OpenResources.stillOpen(loop));
        OpenResources.untrack(loop);
        assertEquals(List.of(), OpenResources.stillOpen(loop));
        Res after = open(loop, "after");
        OpenResources.track(loop);
        assertEquals(0, held(loop), "untrack forgets the resources, nor records new ones");
        assertEquals(0, after.asked().get());
    }

    @Test
    void closedEntriesArePrunedWhenTheListReaches64() {
        OpenResources.track(loop);
        Res keep = open(loop, "keep");
        List<Res> open = new ArrayList<>(List.of(keep));
        List<Res> closed = new ArrayList<>();
        for (int i = 1; i < 64; i++) {
            Res r = open(loop, "r" + i);
            if (i % 2 == 0) {
                open.add(r);
            } else {
                r.close();
                closed.add(r);
            }
        }
        assertEquals(0, asks.get(), "below the limit no entry is asked on an add");
        assertEquals(64, held(loop), "below the limit nothing is pruned");
        int before = asks.get();
        Res last = open(loop, "last"); // the 65th: the 64 before it are pruned of the closed ones first
        assertEquals(64, asks.get() - before, "the prune asked each of the 64");
        open.add(last);
        assertEquals(open, OpenResources.stillOpen(loop));
        closed.forEach(r -> r.asked().set(0));
        assertEquals(open.size(), held(loop), "only the open ones are left: " + open.size());
        closed.forEach(r -> assertEquals(0, r.asked().get(), () -> r + " was pruned, yet asked"));
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
        assertEquals(64, asks.get(), "the prune at the 65th asked the 64 before it");
        assertEquals(65, held(loop));
        first.forEach(Res::close);
        int before = asks.get();
        for (int i = 65; i < 128; i++) {
            open(loop, "o" + i);
        }
        assertEquals(before, asks.get(), "no prune before 128 entries");
        assertEquals(128, held(loop));
        before = asks.get();
        open(loop, "o128");
        assertEquals(128, asks.get() - before, "the prune at 128 asked each entry");
        assertEquals(128 - 64 + 1, held(loop), "the 64 closed ones went at 128");
        assertEquals(65, OpenResources.stillOpen(loop).size());
    }
}
