package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Task;
import dev.aio4j.test.AioTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assertions.assertSame;

/** Test classes that {@link SimReviewTest} runs through JUnit's EngineTestKit; not run on their own. */
final class SimReviewFixtures {
    private SimReviewFixtures() {}

    /** A long-lived task that a test's fixture or body starts. */
    private static Task<Void> service(String name) {
        return Aio.createTask(() -> {
            Aio.sleep(1e6);
            return null;
        }, name);
    }

    private static void stop(Task<Void> t) {
        t.cancel();
        try {
            t.await();
        } catch (java.util.concurrent.CancellationException expected) {
            // stopped
        }
    }

    static class BeforeEachTaskStoppedInAfterEach {
        Task<Void> service;

        @BeforeEach
        void setUp() {
            service = service("fixture-service");
        }

        @AioTest
        void body() {
            Aio.sleep(1);
        }

        @AfterEach
        void tearDown() {
            stop(service);
        }
    }

    static class BodyTaskStoppedInAfterEach {
        Task<Void> service;
        EventLoop bodyLoop;

        @AioTest
        void body() {
            bodyLoop = Aio.getRunningLoop();
            service = service("body-service");
            Aio.sleep(1);
        }

        @AfterEach
        void tearDown() {
            assertSame(bodyLoop, Aio.getRunningLoop(), "@AfterEach runs on the body's loop");
            stop(service);
        }
    }

    static class AfterEachLeavesATask {
        @AioTest
        void body() {
            Aio.sleep(1);
        }

        @AfterEach
        void tearDown() {
            service("left-by-tearDown");
        }
    }

    static class BodyLeaksBesideAFixtureTask {
        @BeforeEach
        void setUp() {
            service("fixture-service");
        }

        @AioTest
        void body() {
            service("left-by-body");
        }
    }

    static class ExploredAssumption {
        @AioTest(explore = 3)
        void needsSomethingMissing() {
            Assumptions.assumeTrue(false, "not on this machine");
        }
    }
}
