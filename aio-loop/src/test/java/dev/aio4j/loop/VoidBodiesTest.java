package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.aio4j.loop.test.Loops.inLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * aio4j-only (issue 12): the {@link VoidCoroutine} overloads. asyncio needs none: a coroutine
 * that returns nothing returns {@code None}.
 *
 * <p>Half of this class is checked by the compiler: each statement below assigns the result of
 * an overloaded call to a variable of the type that only the intended overload returns, so
 * choosing the other overload, or an ambiguity, fails the build. The shapes are the ones user
 * code has: expression lambdas with and without a value, blocks with and without
 * {@code return}, blocks that only throw, exact method references to value and void methods,
 * and variables of either interface type.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VoidBodiesTest {
    static final List<String> LOG = new ArrayList<>();

    static String value() {
        return "v";
    }

    static void sideEffect() {
        LOG.add("side effect");
    }

    static String valueThrowing() throws IOException {
        return "io";
    }

    static void voidThrowing() throws IOException {
        LOG.add("void throwing");
    }

    // ============================================================= the shapes, per overload

    @Test
    void runPicksTheValueOverloadForEveryValueShape() throws Exception {
        Integer fortyTwo = Aio.run(() -> 42);
        String v = Aio.run(() -> value());
        String ref = Aio.run(VoidBodiesTest::value);
        String checked = Aio.run(VoidBodiesTest::valueThrowing);
        Object nothing = Aio.run(() -> {
            return null;
        });
        String block = Aio.run(() -> {
            Aio.sleep(0);
            return "block";
        });
        Coroutine<String> typed = () -> "typed";
        String viaVariable = Aio.run(typed);
        String slept = Aio.run(() -> Aio.sleep(0.0, "slept"));
        assertEquals(List.of(42, "v", "v", "io", "block", "typed", "slept"),
                List.of(fortyTwo, v, ref, checked, block, viaVariable, slept));
        assertNull(nothing);
        // a block that only throws is value-compatible too: it stays a Coroutine
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            Object never = Aio.run(() -> {
                throw new IllegalStateException("thrown");
            });
        });
        assertEquals("thrown", e.getMessage());
        Integer debug = Aio.run(() -> 7, true);
        assertEquals(7, debug);
    }

    @Test
    void runTakesVoidBodies() throws Exception {
        LOG.clear();
        Aio.run(() -> {
            sideEffect();
        });
        Aio.run(() -> sideEffect());
        Aio.run(VoidBodiesTest::sideEffect);
        Aio.run(VoidBodiesTest::voidThrowing);
        Aio.run(() -> Aio.sleep(0));
        VoidCoroutine typed = () -> LOG.add("typed");
        Aio.run(typed);
        Aio.run(() -> {
            LOG.add("debug");
        }, true);
        assertEquals(List.of("side effect", "side effect", "side effect", "void throwing", "typed", "debug"), LOG);
    }

    @Test
    void voidBodyFailuresSurfaceAsForCoroutines() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.run(() -> {
            Aio.sleep(0);
            if (!LOG.isEmpty() || LOG.isEmpty()) {
                throw new IllegalStateException("from a void body");
            }
        }));
        assertEquals("from a void body", e.getMessage());
        IOException checked = assertThrows(IOException.class, () -> Aio.run(() -> {
            voidThrowing();
            throw new IOException("checked");
        }));
        assertEquals("checked", checked.getMessage());
    }

    @Test
    void createTaskShapes() throws Exception {
        inLoop(() -> {
            Task<Integer> one = Aio.createTask(() -> 1);
            Task<String> named = Aio.createTask(() -> value(), "named");
            Task<String> ref = Aio.createTask(VoidBodiesTest::value);
            Task<Object> thrower = Aio.createTask(() -> {
                throw new IllegalStateException("x");
            });
            Task<Void> v = Aio.createTask(() -> {
                Aio.sleep(0);
            });
            Task<Void> vNamed = Aio.createTask(() -> Aio.sleep(0), "void-named");
            Task<Void> vRef = Aio.createTask(VoidBodiesTest::sideEffect);
            Task<Integer> ensured = Aio.ensureFuture(() -> 5);
            Task<Void> ensuredVoid = Aio.ensureFuture(() -> {
                Aio.sleep(0);
            });
            Future<Integer> same = Aio.ensureFuture(ensured);
            assertSame(ensured, same);
            EventLoop loop = Aio.getRunningLoop();
            Task<Integer> onLoop = loop.createTask(() -> 2);
            Task<Void> onLoopVoid = loop.createTask(() -> {
            });
            Task<Void> onLoopVoidNamed = loop.createTask(() -> {
            }, "loop-void");
            assertEquals(List.of(1, "v", "v", 2), List.of(one.await(), named.await(), ref.await(), onLoop.await()));
            assertThrows(IllegalStateException.class, thrower::await);
            assertNull(v.await());
            assertNull(vNamed.await());
            assertNull(vRef.await());
            assertEquals(5, ensured.await());
            assertNull(ensuredVoid.await());
            assertNull(onLoopVoid.await());
            assertNull(onLoopVoidNamed.await());
            assertEquals("void-named", vNamed.getName());
            assertEquals("loop-void", onLoopVoidNamed.getName());
        });
    }

    @Test
    void taskGroupShapes() throws Exception {
        inLoop(() -> {
            List<Object> results = Aio.taskGroup(tg -> {
                Task<Integer> a = tg.createTask(() -> 1);
                Task<String> b = tg.createTask(() -> value(), "b");
                Task<Void> c = tg.createTask(() -> {
                    Aio.sleep(0);
                });
                Task<Void> d = tg.createTask(() -> Aio.sleep(0), "d");
                return List.of(a, b, c, d);
            });
            assertEquals(4, results.size());
            for (Object t : results) {
                assertSame(true, ((Task<?>) t).done());
            }
            assertNull(((Task<?>) results.get(2)).result());
        });
    }

    @Test
    void waitForTimeoutAndShieldShapes() throws Exception {
        inLoop(() -> {
            Integer w = Aio.waitFor(() -> 3, 1.0);
            String wd = Aio.waitFor(() -> Aio.sleep(0.1, "late"), Duration.ofSeconds(1));
            Aio.waitFor(() -> {
                Aio.sleep(0.1);
            }, 1.0);
            Aio.waitFor(() -> Aio.sleep(0.1), Duration.ofSeconds(1));
            assertThrows(TimeoutError.class, () -> Aio.waitFor(() -> Aio.sleep(10), 0.5));
            assertThrows(TimeoutError.class, () -> Aio.waitFor(() -> Aio.sleep(10), 0.0));
            Integer t = Aio.timeout(1.0, () -> 4);
            Integer tb = Aio.timeout(1.0, cm -> 5);
            Integer td = Aio.timeout(Duration.ofSeconds(1), cm -> 6);
            Aio.timeout(1.0, () -> {
                Aio.sleep(0.1);
            });
            Aio.timeout(Duration.ofMillis(500), () -> Aio.sleep(0.1));
            assertThrows(TimeoutError.class, () -> Aio.timeout(Duration.ofMillis(500), () -> Aio.sleep(10)));
            double now = Aio.getRunningLoop().time();
            Integer at = Aio.timeoutAt(now + 1, () -> 7);
            Integer atBody = Aio.timeoutAt(now + 1, cm -> 8);
            Aio.timeoutAt(now + 1, () -> Aio.sleep(0.1));
            assertThrows(TimeoutError.class, () -> Aio.timeoutAt(Aio.getRunningLoop().time() + 0.5, () -> Aio.sleep(10)));
            Future<Integer> s = Aio.shield(() -> 9);
            Future<Void> sv = Aio.shield(() -> Aio.sleep(0));
            assertEquals(List.of(3, "late", 4, 5, 6, 7, 8, 9), List.of(w, wd, t, tb, td, at, atBody, s.await()));
            assertNull(sv.await());
        });
    }

    @Test
    void gatherShapes() throws Exception {
        inLoop(() -> {
            List<Integer> values = Aio.gather(() -> 1, () -> 2).await();
            List<String> refs = Aio.gather(VoidBodiesTest::value, () -> "w").await();
            List<Void> voids = Aio.gather(() -> Aio.sleep(0), () -> {
                Aio.sleep(0.1);
            }).await();
            assertEquals(List.of(1, 2), values);
            assertEquals(List.of("v", "w"), refs);
            assertEquals(2, voids.size());
            assertNull(voids.get(0));
        });
    }

    @Test
    void executorShapes() throws Exception {
        inLoop(() -> {
            Integer fromThread = Aio.toThread(() -> 10);
            String fromThreadRef = Aio.toThread(VoidBodiesTest::valueThrowing);
            List<String> seen = new ArrayList<>();
            Aio.toThread(() -> {
                seen.add(Thread.currentThread().isVirtual() ? "virtual" : "platform");
            });
            EventLoop loop = Aio.getRunningLoop();
            Future<Integer> ex = loop.runInExecutor(null, () -> 11);
            Future<Void> exVoid = loop.runInExecutor(null, () -> {
                seen.add("job");
            });
            assertEquals(List.of(10, "io", 11), List.of(fromThread, fromThreadRef, ex.await()));
            assertNull(exVoid.await());
            assertEquals(List.of("platform", "job"), seen);
        });
    }

    @Test
    void eventLoopAndRunnerShapes() throws Exception {
        try (EventLoop loop = EventLoop.create()) {
            Integer r = loop.runUntilComplete(() -> 12);
            List<String> seen = new ArrayList<>();
            loop.runUntilComplete(() -> {
                Aio.sleep(0);
                seen.add("void");
            });
            assertEquals(12, r);
            assertEquals(List.of("void"), seen);
        }
        try (Runner runner = Runner.withLoopFactory(Loops::virtualLoop)) {
            Integer r = runner.run(() -> 13);
            List<String> seen = new ArrayList<>();
            runner.run(() -> seen.add("not a void body: add returns boolean"));
            runner.run(() -> {
                seen.add("void");
            });
            assertEquals(13, r);
            assertEquals(List.of("not a void body: add returns boolean", "void"), seen);
        }
    }

    @Test
    void runCoroutineThreadsafeShapes() throws Exception {
        try (EventLoop loop = EventLoop.create()) {
            Thread t = Thread.ofPlatform().start(loop::runForever);
            try {
                CompletableFuture<Integer> v = Aio.runCoroutineThreadsafe(() -> 14, loop);
                List<String> seen = new ArrayList<>();
                CompletableFuture<Void> nothing = Aio.runCoroutineThreadsafe(() -> {
                    Aio.sleep(0);
                    seen.add("ran");
                }, loop);
                assertEquals(14, v.get(10, TimeUnit.SECONDS));
                assertNull(nothing.get(10, TimeUnit.SECONDS));
                assertEquals(List.of("ran"), seen);
            } finally {
                loop.callSoonThreadsafe(loop::stop);
                t.join();
            }
        }
    }
}
