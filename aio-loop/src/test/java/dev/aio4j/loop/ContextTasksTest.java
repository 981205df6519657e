package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.RecordingExceptionHandler;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors the context tests of CPython's {@code Lib/test/test_asyncio/test_tasks.py}
 * ({@code test_context_1} to {@code test_context_6}, {@code test_create_task_with_context}...)
 * and of {@code test_base_events.py}/{@code test_futures.py} for callbacks, plus aio4j-only tests
 * of what {@code ThreadLocal}, {@code InheritableThreadLocal} and {@code ScopedValue} do in tasks
 * and executor jobs (docs/porting-guide.md, "Context variables").
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ContextTasksTest {
    private static final ContextVar<String> CVAR = new ContextVar<>("cvar", "nope");

    private EventLoop loop;
    private RecordingExceptionHandler handler;

    @BeforeEach
    void createLoop() {
        loop = Loops.virtualLoop();
        handler = new RecordingExceptionHandler();
        loop.setExceptionHandler(handler);
    }

    @AfterEach
    void closeLoop() {
        loop.close();
        handler.assertNothingReported();
    }

    @Test
    void context1() {
        loop.runUntilComplete(loop.createTask(() -> {
            assertEquals("nope", CVAR.get());
            Task<Object> sub = Aio.createTask(() -> {
                Aio.sleep(0.01);
                assertEquals("nope", CVAR.get());
                CVAR.set("something else");
                return null;
            });
            CVAR.set("yes");
            assertEquals("yes", CVAR.get());
            sub.await();
            assertEquals("yes", CVAR.get());
            return null;
        }));
    }

    @Test
    void context2() {
        loop.runUntilComplete(loop.createTask(() -> {
            assertEquals("nope", CVAR.get());
            for (int j = 0; j < 2; j++) {
                Future<Object> fut = loop.createFuture();
                // This change must not pollute the context of the main task.
                fut.addDoneCallback(f -> CVAR.set("something else"));
                CVAR.set("yes" + j);
                loop.callSoon(() -> fut.setResult(null));
                fut.await();
                assertEquals("yes" + j, CVAR.get());
                for (int i = 0; i < 3; i++) {
                    CVAR.set("yes" + i + "-" + j);
                    Aio.sleep(0.001);
                    assertEquals("yes" + i + "-" + j, CVAR.get());
                }
            }
            return null;
        }));
        assertEquals("nope", CVAR.get());
    }

    @Test
    void context3() {
        ContextVar<Integer> cvar = new ContextVar<>("cvar", -1);
        Random random = new Random(3);
        loop.runUntilComplete(loop.createTask(() -> {
            List<Task<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int num = random.nextInt(11);
                tasks.add(loop.createTask(() -> {
                    for (int k = 0; k < 10; k++) {
                        cvar.set(num + k);
                        Aio.sleep(0.001 + random.nextDouble() * 0.049);
                        assertEquals(num + k, cvar.get());
                    }
                    return null;
                }));
            }
            Aio.gather(tasks).await();
            return null;
        }));
        assertEquals(-1, cvar.get());
    }

    @Test
    void context4() {
        ContextVar<Integer> cvar = new ContextVar<>("cvar");
        List<Integer> ret = loop.runUntilComplete(loop.createTask(() -> {
            List<Integer> out = new ArrayList<>();
            Context ctx = Context.copyContext();
            out.add(ctx.get(cvar, null));
            Task<Object> t1 = Aio.createTask(() -> {
                Aio.sleep(0);
                cvar.set(1);
                return null;
            }, null, ctx);
            t1.await();
            out.add(ctx.get(cvar, null));
            Task<Object> t2 = Aio.createTask(() -> {
                Aio.sleep(0);
                cvar.set(2);
                return null;
            }, null, ctx);
            t2.await();
            out.add(ctx.get(cvar, null));
            return out;
        }));
        assertEquals(java.util.Arrays.asList(null, 1, 2), ret);
    }

    @Test
    void context5() { // the same through loop.createTask(coro, name, context)
        ContextVar<Integer> cvar = new ContextVar<>("cvar");
        Context ctx = new Context();
        loop.runUntilComplete(loop.createTask(() -> {
            cvar.set(5);
            return null;
        }, "t", ctx));
        assertEquals(5, ctx.get(cvar));
        assertFalse(Context.copyContext().contains(cvar));
    }

    @Test
    void context6() { // a task factory receives the context
        ContextVar<Integer> cvar = new ContextVar<>("cvar");
        List<Context> seen = new ArrayList<>();
        loop.setTaskFactory((l, coro, name, context) -> {
            seen.add(context);
            return Task.create(l, coro, name, context, false);
        });
        Context ctx = new Context();
        loop.runUntilComplete(loop.createTask(() -> {
            cvar.set(6);
            return null;
        }, null, ctx));
        assertEquals(6, ctx.get(cvar));
        assertSame(ctx, seen.get(0));
    }

    @Test
    void runnerRunWithContext() { // asyncio.Runner.run(coro, context=ctx)
        ContextVar<String> v = new ContextVar<>("v");
        Context ctx = new Context();
        ctx.run(() -> v.set("given"));
        try (Runner r = Runner.withLoopFactory(Loops::virtualLoop)) {
            assertEquals("given", r.run(() -> {
                String seen = v.get();
                v.set("changed by the main task");
                return seen;
            }, ctx));
            assertEquals("changed by the main task", ctx.get(v));
            assertEquals("-", r.run(() -> v.get("-"), null), "null: a copy of the current context");
        }
    }

    @Test
    void createTaskWithContextSharesIt() { // test_tasks.py: the task's context is the one given, not a copy
        Context ctx = new Context();
        Task<Object> t = loop.createTask(() -> null, null, ctx);
        assertSame(ctx, t.getContext());
        loop.runUntilComplete(t);
        Task<Object> u = loop.createTask(() -> null);
        assertTrue(u.getContext() != ctx);
        loop.runUntilComplete(u);
    }

    @Test
    void callbacksRunInTheContextOfTheirScheduling() { // test_base_events.py / test_futures.py
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        loop.runUntilComplete(loop.createTask(() -> {
            CVAR.set("soon");
            loop.callSoon(() -> {
                seen.add("callSoon:" + CVAR.get());
                CVAR.set("changed by a callback");
            });
            CVAR.set("later");
            loop.callLater(0.01, () -> seen.add("callLater:" + CVAR.get()));
            CVAR.set("at");
            loop.callAt(loop.time() + 0.02, () -> seen.add("callAt:" + CVAR.get()));
            CVAR.set("threadsafe");
            Future<Object> done = loop.createFuture();
            Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(() -> {
                seen.add("threadsafe:" + CVAR.get());
                done.setResult(null);
            })).join();
            CVAR.set("done-callback");
            done.addDoneCallback(f -> seen.add("doneCallback:" + CVAR.get()));
            CVAR.set("main");
            done.await();
            Aio.sleep(0.05);
            assertEquals("main", CVAR.get());
            return null;
        }));
        assertEquals(List.of("callSoon:soon", "threadsafe:nope", "doneCallback:done-callback", "callLater:later", "callAt:at"),
                seen);
    }

    @Test
    void callbacksWithAnExplicitContextShareIt() { // test_base_events.py / test_futures.py: context=
        ContextVar<Integer> count = new ContextVar<>("count", 0);
        Context ctx = new Context();
        Runnable increment = () -> count.set(count.get() + 1);
        loop.runUntilComplete(loop.createTask(() -> {
            loop.callSoon(increment, ctx);
            loop.callLater(0.01, increment, ctx);
            loop.callAt(loop.time() + 0.02, increment, ctx);
            Future<Object> f = loop.createFuture();
            f.addDoneCallback(x -> increment.run(), ctx);
            Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(() -> {
                increment.run();
                f.setResult(null);
            }, ctx)).join();
            f.await();
            Aio.sleep(0.05);
            f.addDoneCallback(x -> increment.run(), ctx); // already done: scheduled at once
            Aio.sleep(0);
            assertEquals(0, count.get(), "the task's own context is untouched");
            return null;
        }));
        assertEquals(6, ctx.get(count));
    }

    @Test
    void threadsafeCallbackRunsInTheSendingThreadsContext() {
        ContextVar<String> v = new ContextVar<>("v");
        List<String> seen = new ArrayList<>();
        Context sender = new Context();
        sender.run(() -> {
            v.set("from the sender");
            loop.callSoonThreadsafe(() -> seen.add(v.get("-")));
        });
        loop.callSoon(loop::stop);
        loop.runForever();
        assertEquals(List.of("from the sender"), seen);
    }

    @Test
    void toThreadAndRunInExecutorRunInACopyOfTheContext() {
        ExecutorService own = Executors.newSingleThreadExecutor();
        try {
            loop.runUntilComplete(loop.createTask(() -> {
                CVAR.set("caller");
                assertEquals("caller", Aio.toThread(() -> {
                    String v = CVAR.get();
                    CVAR.set("set on the executor thread");
                    return v;
                }));
                assertEquals("caller", CVAR.get(), "the executor's set stays in its copy");
                assertEquals("caller", loop.runInExecutor(own, () -> CVAR.get()).await());
                assertEquals("caller", loop.runInExecutor(null, () -> CVAR.get()).await());
                return null;
            }));
        } finally {
            own.shutdownNow();
        }
    }

    @Test
    void runCoroutineThreadsafeRunsInTheCallersContext() throws Exception { // tasks.py run_coroutine_threadsafe
        CompletableFuture<String> seen = new CompletableFuture<>();
        Thread caller = Thread.ofPlatform().start(() -> new Context().run(() -> {
            CVAR.set("from the calling thread");
            Aio.runCoroutineThreadsafe(() -> CVAR.get(), loop).whenComplete((v, e) -> {
                if (e != null) {
                    seen.completeExceptionally(e);
                } else {
                    seen.complete(v);
                }
            });
        }));
        caller.join();
        loop.runUntilComplete(loop.createTask(() -> {
            Aio.toThread(seen::join);
            return null;
        }));
        assertEquals("from the calling thread", seen.join());
    }

    /** A ContextVar-backed "MDC": what a logging adapter reads when it formats a line. */
    private static final class Mdc {
        static final ContextVar<Map<String, String>> MAP = new ContextVar<>("mdc", Map.of());

        static void put(String key, String value) {
            Map<String, String> m = new LinkedHashMap<>(MAP.get());
            m.put(key, value);
            MAP.set(Collections.unmodifiableMap(m));
        }

        static String line(String msg) {
            return MAP.get() + " " + msg;
        }
    }

    @Test
    void mdcFollowsARequestThroughTasksAndExecutorCalls() { // aio4j-only
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        loop.runUntilComplete(loop.createTask(() -> {
            List<Task<Object>> requests = new ArrayList<>();
            for (int r = 0; r < 8; r++) {
                String user = "user" + r;
                requests.add(Aio.createTask(() -> {
                    Mdc.put("user", user);
                    log.add(Mdc.line("start " + user));
                    Task<Object> child = Aio.createTask(() -> {
                        Mdc.put("step", "child");
                        Aio.sleep(0.001);
                        log.add(Mdc.line("child of " + user));
                        return null;
                    });
                    Aio.toThread(() -> log.add(Mdc.line("executor for " + user)));
                    child.await();
                    log.add(Mdc.line("end " + user));
                    return null;
                }));
            }
            Aio.gather(requests).await();
            return null;
        }));
        assertEquals(32, log.size());
        for (String line : log) {
            String user = line.substring(line.lastIndexOf(' ') + 1);
            String expected = line.contains("child of") ? "{user=" + user + ", step=child}" : "{user=" + user + "}";
            assertTrue(line.startsWith(expected + " "), line);
        }
    }

    private static final InheritableThreadLocal<String> ITL = new InheritableThreadLocal<>();

    @Test
    void defaultExecutorThreadsKeepNoInheritedValuesOfAnotherTask_issue13() { // aio4j-only: "user6 saw user0"
        int poolSize = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
        List<String> seen = loop.runUntilComplete(loop.createTask(() -> {
            Task<Object> first = Aio.createTask(() -> {
                ITL.set("user0");
                for (int i = 0; i < poolSize + 2; i++) {
                    Aio.toThread(() -> null); // every pool thread is created from this task's thread
                }
                return null;
            });
            first.await();
            Task<List<String>> second = Aio.createTask(() -> {
                ITL.set("user6");
                List<String> out = new ArrayList<>();
                for (int i = 0; i < poolSize + 2; i++) {
                    out.add(Aio.toThread(ITL::get));
                }
                return out;
            });
            return second.await();
        }));
        for (String s : seen) {
            assertNull(s, "a default-executor thread must not carry another task's InheritableThreadLocal");
        }
    }

    @Test
    void taskThreadsInheritTheLoopThreadsValuesNotTheParentTasks() { // aio4j-only, documented
        ITL.set("loop thread");
        try {
            List<String> seen = loop.runUntilComplete(loop.createTask(() -> {
                List<String> out = new ArrayList<>();
                out.add(ITL.get());
                ITL.set("parent");
                out.add(Aio.createTask(ITL::get).await());
                out.add(ITL.get());
                return out;
            }));
            assertEquals(List.of("loop thread", "loop thread", "parent"), seen);
        } finally {
            ITL.remove();
        }
    }

    @Test
    void eagerTaskThreadsInheritTheLoopThreadsValuesToo() { // aio4j-only, documented
        ITL.set("loop thread");
        try {
            loop.setTaskFactory(Aio.eagerTaskFactory());
            List<String> seen = loop.runUntilComplete(loop.createTask(() -> {
                ITL.set("parent");
                Aio.sleep(0); // resumed from the ready queue: its thread may now run the loop's code
                List<String> out = new ArrayList<>();
                out.add(Aio.createTask(ITL::get).await()); // eager: its first step runs inside createTask
                out.add(ITL.get());
                return out;
            }));
            assertEquals(List.of("loop thread", "parent"), seen);
        } finally {
            loop.setTaskFactory(null);
            ITL.remove();
        }
    }

    private static final ThreadLocal<String> TL = new ThreadLocal<>();

    @Test
    void threadLocalsAreNotSharedBetweenTasks() { // aio4j-only: each task has its own thread
        List<String> seen = loop.runUntilComplete(loop.createTask(() -> {
            TL.set("parent");
            List<String> out = new ArrayList<>();
            out.add(Aio.createTask(TL::get).await());
            out.add(TL.get());
            return out;
        }));
        assertEquals(java.util.Arrays.asList(null, "parent"), seen);
    }

    @Test
    void scopedValuesAreUnboundInEveryTask() throws Throwable { // aio4j-only
        Class<?> sv;
        Method where;
        Method isBound;
        Object key;
        try {
            sv = Class.forName("java.lang.ScopedValue");
            key = sv.getMethod("newInstance").invoke(null);
            where = sv.getMethod("where", sv, Object.class);
            isBound = sv.getMethod("isBound");
        } catch (ReflectiveOperationException | RuntimeException e) {
            Assumptions.abort("ScopedValue is not available on this JDK: " + e);
            return;
        }
        Object carrier = where.invoke(null, key, "bound");
        Method run = carrier.getClass().getMethod("run", Runnable.class);
        run.setAccessible(true);
        Object k = key;
        CompletableFuture<List<Boolean>> result = new CompletableFuture<>();
        run.invoke(carrier, (Runnable) () -> {
            try {
                result.complete(Loops.runVirtual(() -> {
                    List<Boolean> out = new ArrayList<>();
                    out.add((Boolean) isBound.invoke(k));
                    out.add(Aio.createTask(() -> (Boolean) isBound.invoke(k)).await());
                    return out;
                }));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        assertEquals(List.of(false, false), result.join());
    }
}
