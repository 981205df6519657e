package dev.aio4j.loop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors CPython's {@code Lib/test/test_context.py} ({@code ContextTest}), the parts that apply
 * to Java: no keyword arguments, no subclassing, no type errors the compiler already refuses.
 * Every test runs in fresh contexts ({@link Context#run}), so nothing leaks into the test thread's
 * own context.
 */
class ContextTest {

    @Test
    void contextVarNew1() {
        ContextVar<Integer> c = new ContextVar<>("aaa");
        assertEquals("aaa", c.name());
        assertThrows(NullPointerException.class, () -> new ContextVar<Integer>(null));
        assertEquals("ContextVar[name=aaa]", c.toString());
        assertEquals("ContextVar[name=aaa, default=1]", new ContextVar<>("aaa", 1).toString());
    }

    @Test
    void contextNew1() {
        Context ctx = new Context();
        assertEquals(0, ctx.size());
        assertFalse(ctx.iterator().hasNext());
        assertTrue(ctx.toMap().isEmpty());
    }

    @Test
    void contextGetContext1() {
        Context ctx = Context.copyContext();
        assertNotSame(ctx, Context.copyContext());
    }

    @Test
    void contextRun1() {
        Context ctx = new Context();
        assertEquals(List.of(1, 2, 3), ctx.run(() -> List.of(1, 2, 3)));
    }

    @Test
    void contextRun2() {
        Context ctx = new Context();
        IOException e = assertThrows(IOException.class, () -> ctx.run(() -> {
            throw new IOException("checked, unchanged");
        }));
        assertEquals("checked, unchanged", e.getMessage());
        // After a failing run the context can be entered again.
        assertEquals("ok", ctx.run(() -> "ok"));
    }

    @Test
    void contextRun3() {
        ContextVar<Integer> var = new ContextVar<>("a");
        Context ctx = new Context();
        ctx.run(() -> var.set(1));
        assertEquals(1, ctx.get(var));
        assertTrue(ctx.contains(var));
        new Context().run(() -> assertEquals(2, var.get(2)));
    }

    @Test
    void contextRun4() {
        ContextVar<String> var = new ContextVar<>("var");
        Context ctx1 = new Context();
        Context ctx2 = new Context();
        ctx1.run(() -> {
            assertNull(var.get(null));
            var.set("spam");
            assertEquals("spam", var.get());
            ctx2.run(() -> {
                assertNull(var.get(null));
                var.set("ham");
                Context cur = Context.copyContext();
                assertEquals("ham", cur.get(var));
            });
            assertEquals("spam", var.get());
            Context cur = Context.copyContext();
            assertEquals("spam", cur.get(var));
        });
        assertEquals("spam", ctx1.get(var));
        assertEquals("ham", ctx2.get(var));
    }

    @Test
    void contextRun5() {
        Context ctx = new Context();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ctx.run(() -> ctx.run(() -> 1)));
        assertTrue(e.getMessage().startsWith("cannot enter context: Context@"), e.getMessage());
        assertTrue(e.getMessage().endsWith(" is already entered"), e.getMessage());
    }

    @Test
    void contextRun6() {
        ContextVar<Integer> a = new ContextVar<>("a", 0);
        ContextVar<Integer> b = new ContextVar<>("b", 0);
        Context ctx = new Context();
        ctx.run(() -> {
            a.set(1);
            Context inner = Context.copyContext();
            inner.run(() -> {
                assertEquals(1, a.get());
                b.set(2);
            });
            assertEquals(0, b.get(), "the copy's change stays in the copy");
            assertEquals(2, inner.get(b));
        });
    }

    @Test
    void contextRun7() {
        ContextVar<Integer> a = new ContextVar<>("a");
        Context ctx = new Context();
        Context copy = ctx.run(() -> {
            a.set(1);
            return Context.copyContext();
        });
        assertEquals(1, copy.get(a));
        ctx.run(() -> a.set(2));
        assertEquals(1, copy.get(a), "a copy is a snapshot");
        assertEquals(2, ctx.get(a));
    }

    @Test
    void contextGetset1() {
        ContextVar<Integer> c = new ContextVar<>("c");
        assertThrows(NoSuchElementException.class, () -> new Context().run(() -> c.get()));
        new Context().run(() -> {
            assertNull(c.get(null));
            Token<Integer> t0 = c.set(42);
            assertEquals(42, c.get());
            assertEquals(42, c.get(null));
            assertSame(Token.MISSING, t0.oldValue());
            assertSame(c, t0.var());

            Token<Integer> t = c.set(0);
            assertEquals(42, t.oldValue());
            assertEquals(0, c.get());

            Context ctx1 = Context.copyContext();
            assertEquals(1, ctx1.size());
            assertEquals(0, ctx1.get(c));
            assertEquals(Map.of(c, 0), ctx1.toMap());
            List<ContextVar<?>> keys = new ArrayList<>();
            ctx1.forEach(keys::add);
            assertEquals(List.of(c), keys);

            c.reset(t);
            assertEquals(42, c.get());
            assertEquals(0, ctx1.get(c), "the copy keeps its value");

            c.reset(t0);
            assertNull(c.get(null));
            assertThrows(NoSuchElementException.class, c::get);
            assertEquals(0, Context.copyContext().size());
        });
    }

    @Test
    void contextGetset2() {
        ContextVar<Integer> v1 = new ContextVar<>("v1");
        ContextVar<Integer> v2 = new ContextVar<>("v2");
        new Context().run(() -> {
            Token<Integer> t1 = v1.set(42);
            @SuppressWarnings({"unchecked", "rawtypes"})
            ContextVar<Integer> other = (ContextVar) v2;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.reset(t1));
            assertEquals("Token[var=v1, oldValue=<Token.MISSING>] was created by a different ContextVar, not by "
                    + "ContextVar[name=v2]", e.getMessage());
        });
    }

    @Test
    void contextGetset3() {
        ContextVar<Integer> c = new ContextVar<>("c", 42);
        Context ctx = new Context();
        Token<Integer> t = ctx.run(() -> c.set(1));
        new Context().run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.reset(t));
            assertTrue(e.getMessage().endsWith(" was created in a different Context"), e.getMessage());
        });
        ctx.run(() -> c.reset(t));
        assertFalse(ctx.contains(c));
    }

    @Test
    void contextGetset4() {
        ContextVar<Integer> c = new ContextVar<>("c", 42);
        new Context().run(() -> {
            Token<Integer> t = c.set(1);
            c.reset(t);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.reset(t));
            assertEquals("Token[used, var=c, oldValue=<Token.MISSING>] has already been used once", e.getMessage());
        });
    }

    @Test
    void contextGetset5() {
        ContextVar<List<String>> c = new ContextVar<>("c", List.of());
        new Context().run(() -> {
            List<String> v = new ArrayList<>(c.get());
            v.add("x");
            c.set(v);
            assertEquals(List.of("x"), c.get());
        });
    }

    @Test
    void contextCopy1() {
        ContextVar<String> a = new ContextVar<>("a");
        ContextVar<String> b = new ContextVar<>("b");
        Context ctx = new Context();
        ctx.run(() -> {
            a.set("a1");
            b.set("b1");
        });
        Context copy = ctx.copy();
        copy.run(() -> b.set("b2"));
        assertEquals("b1", ctx.get(b));
        assertEquals("b2", copy.get(b));
        assertEquals("a1", copy.get(a));
        assertEquals("absent", new Context().get(a, "absent"));
        assertThrows(NoSuchElementException.class, () -> new Context().get(a));
    }

    @Test
    void varDefaultVersusGetArgument() { // aio4j-only: get(otherwise) wins over the default, as in Python
        ContextVar<String> c = new ContextVar<>("c", "dflt");
        new Context().run(() -> {
            assertEquals("dflt", c.get());
            assertEquals("arg", c.get("arg"));
            assertFalse(Context.copyContext().contains(c), "a default is not a value");
        });
    }

    @Test
    @Timeout(30)
    void contextThreads1() throws Exception {
        ContextVar<Integer> cvar = new ContextVar<>("cvar");
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                results.add(pool.submit(() -> new Context().run(() -> {
                    assertNull(cvar.get(null));
                    for (int k = 0; k < 100; k++) {
                        cvar.set(n);
                        assertEquals(n, cvar.get());
                        Token<Integer> t = cvar.set(-1);
                        cvar.reset(t);
                        assertEquals(n, cvar.get());
                        cvar.reset(cvar.set(n));
                        new Context().run(() -> assertNull(cvar.get(null)));
                    }
                    return n;
                })));
            }
            for (int i = 0; i < 10; i++) {
                assertEquals(i, results.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(30)
    void contextEnteredByAnotherThreadIsRefused() throws Exception { // aio4j-only
        Context ctx = new Context();
        java.util.concurrent.CountDownLatch in = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch out = new java.util.concurrent.CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> ctx.run(() -> {
            in.countDown();
            try {
                out.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        in.await();
        assertThrows(IllegalStateException.class, () -> ctx.run(() -> 1));
        out.countDown();
        t.join();
        assertEquals(1, ctx.run(() -> 1));
    }
}
