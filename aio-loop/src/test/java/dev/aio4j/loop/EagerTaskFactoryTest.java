package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.RecordingExceptionHandler;
import dev.aio4j.loop.test.Steps;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors CPython's {@code Lib/test/test_asyncio/test_eager_task_factory.py}
 * ({@code EagerTaskFactoryLoopTests} and the eager parts of {@code BaseEagerTaskFactoryTests}),
 * the tests that apply, plus aio4j-only tests of where the eager step runs.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EagerTaskFactoryTest {
    private EventLoop loop;
    private RecordingExceptionHandler handler;

    @BeforeEach
    void createLoop() {
        loop = Loops.virtualLoop();
        handler = new RecordingExceptionHandler();
        loop.setExceptionHandler(handler);
        loop.setTaskFactory(Aio.eagerTaskFactory());
    }

    @AfterEach
    void closeLoop() {
        loop.close();
        handler.assertNothingReported();
    }

    private <T> T run(Coroutine<T> main) {
        return loop.runUntilComplete(loop.createTask(main));
    }

    @Test
    void eagerTaskFactorySet() {
        assertSame(Aio.eagerTaskFactory(), loop.getTaskFactory());
        loop.setTaskFactory(null);
        assertNull(loop.getTaskFactory());
    }

    @Test
    void eagerTasksCreatedInDebugMode() { // aio4j-only: debug mode steps tasks the classic way
        // The portable scheduler's runner, waiting for the main task's step, must still make the
        // fiber of an eager task that the step creates (it deadlocked with the runner waiting for
        // the step and the step waiting for the runner).
        loop.setDebug(true);
        assertEquals(1, run(() -> Aio.createTask(() -> 1).await()));
        assertEquals(3, run(() -> Aio.createTask(() -> Aio.createTask(() -> {
            Aio.sleep(0);
            return 1;
        }).await() + 2).await()));
    }

    @Test
    void awaitFutureDuringEagerStep() {
        Steps steps = new Steps();
        run(() -> {
            Future<String> fut = loop.createFuture();
            steps.expect(1);
            Task<String> t = Aio.createTask(() -> {
                steps.expect(2);
                String v = fut.await();
                steps.expect(5);
                return v;
            });
            steps.expect(3);
            assertFalse(t.done());
            loop.callSoon(() -> fut.setResult("ok"));
            steps.expect(4);
            assertEquals("ok", t.await());
            steps.finish(6);
            return null;
        });
    }

    @Test
    void eagerCompletion() {
        run(() -> {
            Task<String> t = Aio.createTask(() -> "hello");
            assertTrue(t.done(), "a task that finishes eagerly is done when createTask returns");
            assertEquals("hello", t.result());
            return null;
        });
    }

    @Test
    void blockAfterEagerStep() {
        run(() -> {
            Task<String> t = Aio.createTask(() -> {
                Aio.sleep(0);
                return "finished";
            });
            assertFalse(t.done());
            assertEquals("finished", t.await());
            return null;
        });
    }

    @Test
    void cancellationAfterEagerCompletion() {
        run(() -> {
            Task<String> t = Aio.createTask(() -> "done");
            assertFalse(t.cancel());
            assertFalse(t.cancelled());
            assertEquals("done", t.result());
            return null;
        });
    }

    @Test
    void cancellationAfterEagerStepBlocks() {
        run(() -> {
            Task<String> t = Aio.createTask(() -> {
                Aio.sleep(0);
                return "unreached";
            });
            assertTrue(t.cancel());
            assertThrows(CancelledError.class, t::await);
            assertTrue(t.cancelled());
            return null;
        });
    }

    @Test
    void currentTask() {
        run(() -> {
            Task<?> main = Aio.currentTask();
            List<Task<?>> seen = new ArrayList<>();
            Task<Object> t = Aio.createTask(() -> {
                seen.add(Aio.currentTask());
                Aio.sleep(0);
                seen.add(Aio.currentTask());
                return null;
            });
            assertSame(main, Aio.currentTask());
            t.await();
            assertEquals(List.of(t, t), seen);
            return null;
        });
    }

    @Test
    void allTasksWithEagerCompletion() {
        run(() -> {
            Task<Object> done = Aio.createTask(() -> null);
            Task<Object> pending = Aio.createTask(() -> {
                Aio.sleep(0);
                return null;
            });
            assertFalse(Aio.allTasks().contains(done));
            assertTrue(Aio.allTasks().contains(pending));
            pending.await();
            return null;
        });
    }

    @Test
    void eagerException() {
        run(() -> {
            Task<Object> t = Aio.createTask(() -> {
                throw new IllegalArgumentException("eager boom");
            });
            assertTrue(t.done());
            assertEquals("eager boom", t.exception().getMessage());
            return null;
        });
    }

    @Test
    void contextVars() {
        ContextVar<Integer> cv = new ContextVar<>("cv", 0);
        run(() -> {
            cv.set(1);
            List<Integer> seen = new ArrayList<>();
            Task<Object> t = Aio.createTask(() -> {
                seen.add(cv.get());
                cv.set(2);
                seen.add(cv.get());
                Aio.sleep(0);
                seen.add(cv.get());
                return null;
            });
            assertEquals(1, cv.get(), "the eager child's set stays in its own context");
            t.await();
            assertEquals(List.of(1, 2, 2), seen);
            assertEquals(1, cv.get());
            return null;
        });
    }

    @Test
    void eagerTaskFactoryWithCustomTaskConstructor() {
        List<String> made = new ArrayList<>();
        loop.setTaskFactory(Aio.createEagerTaskFactory((l, coro, name, context, eager) -> {
            Task<?> t = Task.create(l, coro, name, context, eager);
            made.add(t.getName() + (eager ? " eager" : ""));
            return t;
        }));
        run(() -> {
            Task<String> t = Aio.createTask(() -> "x", "child");
            assertTrue(t.done());
            return null;
        });
        assertEquals(2, made.size());
        assertEquals("child eager", made.get(1));
    }

    @Test
    void eagerStepRunsWithinTheCreatorsTurn() { // aio4j-only: one body at a time
        Steps steps = new Steps();
        run(() -> {
            loop.callSoon(() -> steps.expect(4));
            steps.expect(1);
            Task<Object> t = Aio.createTask(() -> {
                steps.expect(2);
                return null;
            });
            steps.expect(3);
            assertTrue(t.done());
            Aio.sleep(0);
            steps.finish(5);
            return null;
        });
    }

    @Test
    void doneCallbacksOfAnEagerTaskStillRunThroughTheLoop() { // aio4j-only
        Steps steps = new Steps();
        run(() -> {
            Task<Object> t = Aio.createTask(() -> null);
            t.addDoneCallback(f -> steps.expect(2));
            steps.expect(1);
            Aio.sleep(0);
            steps.finish(3);
            return null;
        });
    }

    @Test
    void nestedEagerTasks() { // aio4j-only
        Steps steps = new Steps();
        run(() -> {
            steps.expect(1);
            Task<String> outer = Aio.createTask(() -> {
                steps.expect(2);
                Task<String> inner = Aio.createTask(() -> {
                    steps.expect(3);
                    Aio.sleep(0);
                    steps.expect(6);
                    return "inner";
                });
                steps.expect(4);
                return inner.await() + "+outer";
            });
            steps.expect(5);
            assertEquals("inner+outer", outer.await());
            steps.finish(7);
            return null;
        });
    }

    @Test
    void eagerTaskFromALoopCallback() { // aio4j-only: the step runs inside the callback
        List<Boolean> doneAtOnce = new ArrayList<>();
        run(() -> {
            Future<Object> f = loop.createFuture();
            loop.callSoon(() -> {
                Task<Object> t = loop.createTask(() -> "cb");
                doneAtOnce.add(t.done());
                f.setResult(null);
            });
            f.await();
            return null;
        });
        assertEquals(List.of(true), doneAtOnce);
    }

    @Test
    void taskGroupWithEagerTasks() { // test_eager_task_factory.py: TaskGroup with eager children
        List<Object> results = run(() -> Aio.taskGroup(g -> {
            Task<String> done = g.createTask(() -> "at once");
            Task<String> later = g.createTask(() -> {
                Aio.sleep(0.01);
                return "later";
            });
            assertTrue(done.done());
            assertFalse(later.done());
            return List.of(done, later);
        }));
        assertEquals("at once", ((Task<?>) results.get(0)).result());
        assertEquals("later", ((Task<?>) results.get(1)).result());
    }

    @Test
    void taskGroupWithAnEagerTaskThatFails() { // aio4j-only: the group still ends with its error
        ExceptionGroup e = assertThrows(ExceptionGroup.class, () -> run(() -> Aio.taskGroup(g -> {
            g.createTask(() -> {
                throw new IllegalStateException("eager failure");
            });
            Aio.sleep(3600); // interrupted: the group cancels its body
            return null;
        })));
        assertEquals(1, e.exceptions().size());
        assertEquals("eager failure", e.exceptions().get(0).getMessage());
    }

    @Test
    void cancelsTaskIfCreatedDuringCreation() { // test_taskgroups.py TestEagerTaskTaskGroup (gh-128550)
        boolean[] ran = {false};
        ExceptionGroup e = assertThrows(ExceptionGroup.class, () -> run(() -> Aio.taskGroup(tg -> {
            tg.createTask(() -> {
                // eager: the third task fails inside this createTask, while the second task is
                // itself still inside the body's createTask (not yet one of the group's tasks)
                tg.createTask(() -> {
                    throw new IllegalStateException("third task failed");
                });
                assertThrows(CancelledError.class, () -> {
                    Aio.sleep(0); // eager tasks cancel here
                    Aio.sleep(0); // lazy tasks cancel here
                });
                ran[0] = true;
                return null;
            });
            return null;
        })));
        assertTrue(ran[0]);
        assertEquals(1, e.exceptions().size());
        assertEquals("third task failed", e.exceptions().get(0).getMessage());
    }

    @Test
    void eagerStartIsIgnoredWhileTheLoopIsNotRunning() { // asyncio: eager_start needs a running loop
        Task<String> t = loop.createTask(() -> "later");
        assertFalse(t.done());
        assertEquals("later", loop.runUntilComplete(t));
    }
}
