package dev.aio4j.test;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.VirtualClock;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test classes that {@link AioExtensionTest} runs through JUnit's EngineTestKit to see how
 * {@link AioTest} reports them. Not run directly (the name does not match surefire's includes).
 */
final class ExtensionFixtures {
    private ExtensionFixtures() {}

    static class Passing {
        @AioTest
        void anHourOfVirtualSleep() {
            EventLoop loop = Aio.getRunningLoop();
            assertNotNull(Aio.currentTask());
            assertNotNull(loop.virtualClock());
            Aio.sleep(3600);
            assertEquals(3600.0, loop.time());
        }

        @AioTest(clock = ClockMode.REAL)
        void realClock() {
            assertNull(Aio.getRunningLoop().virtualClock());
            Aio.sleep(0.001);
        }

        @AioTest(clock = ClockMode.MANUAL)
        void manualClock() {
            EventLoop loop = Aio.getRunningLoop();
            VirtualClock clock = loop.virtualClock();
            Task<Double> sleeper = Aio.createTask(() -> {
                Aio.sleep(5);
                return loop.time();
            });
            Aio.sleep(0);
            clock.advance(5);
            assertEquals(5.0, sleeper.await());
        }

        @AioTest(allowPendingTasks = true)
        void pendingTasksAllowed() {
            Aio.createTask(() -> {
                Aio.sleep(100);
                return null;
            });
        }
    }

    static class LeaksATask {
        @AioTest
        void forgetsItsChild() {
            Aio.createTask(() -> {
                Aio.sleep(100);
                return null;
            }, "forgotten-child");
        }
    }

    static class LeaksAnException {
        @AioTest
        void nobodyRetrieves() {
            Aio.createTask(() -> {
                throw new IllegalStateException("lost failure");
            }, "failing-child");
            Aio.sleep(1);
        }
    }

    static class Hangs {
        @AioTest(timeout = 0.3)
        void awaitsForever() {
            Future<Void> never = Aio.getRunningLoop().createFuture();
            Aio.createTask(never::await, "waiter").await();
        }
    }

    static class FailsUnderSomeSchedule {
        static final List<Long> SEEDS_SEEN = new ArrayList<>();

        @AioTest(explore = 40, maxJitter = 0.02)
        void racyOrder() {
            List<String> order = new ArrayList<>();
            Task<?> a = Aio.createTask(() -> {
                Aio.sleep(1.00);
                return order.add("a");
            });
            Task<?> b = Aio.createTask(() -> {
                Aio.sleep(1.01);
                return order.add("b");
            });
            Aio.gather(a, b).await();
            assertEquals(List.of("a", "b"), order, "b overtook a");
        }
    }

    static class Explores {
        @AioTest(explore = 5)
        void alwaysFine() {
            Aio.sleep(1);
            assertTrue(Aio.getRunningLoop().time() >= 1.0);
        }
    }

    /** @BeforeEach and @AfterEach await, on the test's own loop (issue 12). */
    static class WithFixtures {
        static final List<String> EVENTS = new ArrayList<>();
        dev.aio4j.loop.Queue<String> queue;
        dev.aio4j.loop.EventLoop fixtureLoop;
        Task<Void> producer;

        @org.junit.jupiter.api.BeforeEach
        void setUp() {
            fixtureLoop = Aio.getRunningLoop();
            double t0 = fixtureLoop.time();
            Aio.sleep(5);
            EVENTS.add("setUp slept " + (fixtureLoop.time() - t0));
            queue = new dev.aio4j.loop.Queue<>();
            producer = Aio.createTask(() -> {
                queue.put("from setUp's task");
                return null;
            }, "producer");
        }

        @AioTest
        void usesWhatSetUpMade() {
            assertTrue(Aio.getRunningLoop() == fixtureLoop, "the test runs on the loop setUp ran on");
            EVENTS.add("test got " + queue.get());
            producer.await();
        }

        @org.junit.jupiter.api.AfterEach
        void tearDown() {
            Aio.sleep(1);
            EVENTS.add("tearDown on the same loop: " + (Aio.getRunningLoop() == fixtureLoop));
        }
    }

    /** An explored run whose assertion has expected and actual values. */
    static class ExploreComparison {
        @AioTest(explore = 3)
        void comparesValues() {
            assertEquals("expected-value", "actual-value");
        }
    }

    /** A @BeforeEach that leaves a failed task nobody awaits: the loop's report fails the test. */
    static class FixtureLeaksAnException {
        @org.junit.jupiter.api.BeforeEach
        void setUp() {
            Aio.createTask(() -> {
                throw new IllegalStateException("lost in setUp");
            }, "fixture-child");
            Aio.sleep(0);
        }

        @AioTest
        void body() {
            Aio.sleep(1);
        }
    }

    /** A client connection on loopback that is read to its end and never closed. */
    static class LeaksAConnection {
        @AioTest(clock = ClockMode.REAL)
        void forgetsToCloseTheClient() throws Exception {
            dev.aio4j.streams.Server server = dev.aio4j.streams.Streams.startServer((r, w) -> w.close(), "127.0.0.1", 0);
            int port = ((java.net.InetSocketAddress) server.addresses().get(0)).getPort();
            dev.aio4j.streams.StreamPair c = dev.aio4j.streams.Streams.openConnection("127.0.0.1", port);
            assertEquals(0, c.reader().read().length); // the server closed its side; ours stays open
            server.close();
            server.waitClosed();
        }
    }

    /** A server that is never closed, and a test that allows it. */
    static class LeavesAServerOpen {
        @AioTest(clock = ClockMode.REAL)
        void forgetsTheServer() throws Exception {
            dev.aio4j.streams.Streams.startServer((r, w) -> w.close(), "127.0.0.1", 0);
        }

        @AioTest(clock = ClockMode.REAL, allowUnclosedTransports = true)
        void allowsIt() throws Exception {
            dev.aio4j.streams.Streams.startServer((r, w) -> w.close(), "127.0.0.1", 0);
        }
    }

    /**
     * A server a @BeforeEach opened is the test's to use, as its tasks are; a connection the body
     * opened and an @AfterEach closed is no leak.
     */
    static class ServerFromAFixture {
        dev.aio4j.streams.Server server;
        dev.aio4j.streams.StreamPair client;

        @org.junit.jupiter.api.BeforeEach
        void setUp() throws Exception {
            server = dev.aio4j.streams.Streams.startServer((r, w) -> {
                w.write(r.readline());
                w.close();
            }, "127.0.0.1", 0);
        }

        @AioTest(clock = ClockMode.REAL)
        void usesIt() throws Exception {
            int port = ((java.net.InetSocketAddress) server.addresses().get(0)).getPort();
            client = dev.aio4j.streams.Streams.openConnection("127.0.0.1", port);
            client.writer().write("hi\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals("hi\n", new String(client.reader().readline(), java.nio.charset.StandardCharsets.US_ASCII));
        }

        @org.junit.jupiter.api.AfterEach
        void tearDown() {
            client.writer().close();
        }
    }
}
