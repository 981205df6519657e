package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Properties of context variables in random task trees (aio4j-only; asyncio's rule from PEP 567):
 * a task sees exactly the values its own chain of creators set before creating it, then its own,
 * never a sibling's or a child's.
 */
class ContextProperties {
    private static final ContextVar<Integer> VAR = new ContextVar<>("node", -1);

    @Property(tries = 100)
    void eachTaskSeesOnlyItsOwnChain(@ForAll long seed, @ForAll boolean eager) {
        Random random = new Random(seed);
        AtomicInteger ids = new AtomicInteger();
        AtomicInteger checks = new AtomicInteger();
        Loops.runVirtual(() -> {
            if (eager) {
                Aio.getRunningLoop().setTaskFactory(Aio.eagerTaskFactory());
            }
            node(random, 0, -1, ids, checks);
            return null;
        });
        assertEquals(-1, VAR.get(), "nothing leaks into the test thread");
    }

    /** A task body: random sets, sleeps and spawns; checks its value after every step. */
    private static void node(Random random, int depth, int inherited, AtomicInteger ids, AtomicInteger checks) {
        assertEquals(inherited, VAR.get(), "a new task sees its creator's value");
        int expected = inherited;
        List<Task<Object>> children = new ArrayList<>();
        int ops = 1 + random.nextInt(6);
        for (int i = 0; i < ops; i++) {
            switch (random.nextInt(4)) {
                case 0 -> {
                    expected = ids.incrementAndGet();
                    VAR.set(expected);
                }
                case 1 -> Aio.sleep(random.nextInt(3) * 0.001);
                case 2 -> {
                    if (depth < 3) {
                        int childSeed = random.nextInt();
                        int value = expected;
                        children.add(Aio.createTask(() -> {
                            node(new Random(childSeed), depth + 1, value, ids, checks);
                            return null;
                        }));
                    }
                }
                default -> {
                    if (!children.isEmpty()) {
                        children.remove(random.nextInt(children.size())).await();
                    }
                }
            }
            assertEquals(expected, VAR.get(), "after a step, a task sees its own value");
            checks.incrementAndGet();
        }
        for (Task<Object> c : children) {
            c.await();
            assertEquals(expected, VAR.get(), "awaiting a child does not change the parent's value");
        }
    }
}
