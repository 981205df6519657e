package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Every case of {@link TaskGroupsTest} again with {@link Aio#eagerTaskFactory()} installed, as
 * CPython's {@code TestEagerTaskTaskGroup} reruns {@code BaseTestTaskGroup}
 * ({@code Lib/test/test_asyncio/test_taskgroups.py}).
 */
class EagerTaskGroupsTest extends TaskGroupsTest {
    @BeforeEach
    void installEagerTaskFactory() {
        Loops.taskFactoryOfNewLoops = Aio.eagerTaskFactory();
    }

    @AfterEach
    void removeEagerTaskFactory() {
        Loops.taskFactoryOfNewLoops = null;
    }
}
