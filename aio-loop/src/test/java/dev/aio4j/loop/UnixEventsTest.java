package dev.aio4j.loop;

import dev.aio4j.loop.test.RecordingExceptionHandler;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors the signal-handler tests of CPython's {@code Lib/test/test_asyncio/test_unix_events.py}
 * ({@code SelectorEventLoopSignalTests}) that apply, with real signals sent to this JVM with
 * {@code kill} (SIGHUP and SIGWINCH, whose handlers these tests own while they run), plus
 * {@code set_default_executor} and {@code getnameinfo} of {@code test_base_events.py}.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnixEventsTest {
    private EventLoop loop;
    private RecordingExceptionHandler handler;

    @BeforeEach
    void createLoop() {
        loop = EventLoop.create();
        handler = new RecordingExceptionHandler();
        loop.setExceptionHandler(handler);
    }

    @AfterEach
    void closeLoop() {
        loop.close();
        handler.assertNothingReported();
    }

    static void kill(String signal) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), "kill -" + signal);
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void addSignalHandler() throws Exception { // the handler is called in the loop, on each delivery
        List<String> calls = new ArrayList<>();
        ContextVar<String> v = new ContextVar<>("v");
        AtomicReference<Future<Object>> second = new AtomicReference<>();
        Future<Object> first = loop.createFuture();
        second.set(loop.createFuture());
        Token<String> t = v.set("at add time");
        try {
            loop.addSignalHandler("SIGWINCH", () -> {
                assertSame(loop, Aio.getRunningLoop(), "runs in the loop");
                calls.add(v.get("-"));
                if (!first.done()) {
                    first.setResult(null);
                } else {
                    second.get().setResult(null);
                }
            });
        } finally {
            v.reset(t);
        }
        loop.runUntilComplete(loop.createTask(() -> {
            Aio.toThread(() -> {
                kill("WINCH");
                return null;
            });
            first.await();
            Aio.toThread(() -> {
                kill("WINCH");
                return null;
            });
            second.get().await();
            return null;
        }));
        assertEquals(List.of("at add time", "at add time"), calls);
        assertTrue(loop.removeSignalHandler("WINCH"));
        assertFalse(loop.removeSignalHandler("SIGWINCH"));
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void addSignalHandlerForSighupReplacesTheJvmsShutdown() throws Exception { // aio4j-only
        Future<String> got = loop.createFuture();
        loop.addSignalHandler("HUP", () -> got.setResult("hup"));
        try {
            assertEquals("hup", loop.runUntilComplete(loop.createTask(() -> {
                Aio.toThread(() -> {
                    kill("HUP");
                    return null;
                });
                return got.await();
            })));
        } finally {
            assertTrue(loop.removeSignalHandler("SIGHUP"));
        }
    }

    @Test
    void addSignalHandlerInvalidSignal() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loop.addSignalHandler("SIGBOGUS", () -> { }));
        assertTrue(e.getMessage().startsWith("invalid signal: SIGBOGUS"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loop.removeSignalHandler("BOGUS"));
    }

    @Test
    void addSignalHandlerUncatchableSignals() {
        assertEquals("SIGKILL cannot be caught (by any process)",
                assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler("SIGKILL", () -> { })).getMessage());
        assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler("STOP", () -> { }));
        assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler("QUIT", () -> { }),
                "the JVM's thread dump");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void signalsTheJvmHandlesNativelyAreRefused() { // aio4j-only
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loop.addSignalHandler("SIGPIPE", () -> { }));
        assertEquals("SIGPIPE is used by the JVM itself and cannot be handled", e.getMessage());
    }

    @Test
    void removeSignalHandlerNotInstalled() {
        assertFalse(loop.removeSignalHandler("SIGWINCH"));
    }

    @Test
    void closeRemovesSignalHandlers() throws Exception {
        EventLoop other = EventLoop.create();
        sun.misc.SignalHandler before = sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), sun.misc.SignalHandler.SIG_DFL);
        sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), before);
        other.addSignalHandler("WINCH", () -> { });
        other.close();
        sun.misc.SignalHandler after = sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), before);
        assertSame(before, after, "close() restored the handler it replaced");
    }

    @Test
    void addSignalHandlerTwiceKeepsTheOriginalToRestore() { // aio4j-only
        sun.misc.SignalHandler before = sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), sun.misc.SignalHandler.SIG_DFL);
        sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), before);
        loop.addSignalHandler("WINCH", () -> { });
        loop.addSignalHandler("WINCH", () -> { });
        assertTrue(loop.removeSignalHandler("WINCH"));
        assertSame(before, sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), before));
    }

    @Test
    void twoLoopsOnOneSignalRemovedInAnyOrder() { // aio4j-only: asyncio allows signal handlers in the main thread only
        sun.misc.Signal winch = new sun.misc.Signal("WINCH");
        sun.misc.SignalHandler before = sun.misc.Signal.handle(winch, sun.misc.SignalHandler.SIG_DFL);
        sun.misc.Signal.handle(winch, before);
        EventLoop other = EventLoop.create();
        try {
            loop.addSignalHandler("WINCH", () -> { });
            other.addSignalHandler("WINCH", () -> { });
            assertTrue(loop.removeSignalHandler("WINCH")); // the first one goes first
            sun.misc.SignalHandler current = sun.misc.Signal.handle(winch, before);
            sun.misc.Signal.handle(winch, current);
            assertFalse(current == before, "the other loop still handles SIGWINCH");
            assertTrue(other.removeSignalHandler("WINCH"));
            assertSame(before, sun.misc.Signal.handle(winch, before), "the JVM's handler is back, not the removed loop's");
        } finally {
            other.close();
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void twoLoopsOnOneSignalTheLatestGetsItAndThenTheOther() throws Exception { // aio4j-only
        EventLoop other = EventLoop.create();
        try {
            List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
            Future<Object> mine = loop.createFuture();
            loop.addSignalHandler("WINCH", () -> {
                calls.add("loop");
                mine.setResult(null);
            });
            other.addSignalHandler("WINCH", () -> calls.add("other"));
            other.close(); // the latest goes away: the first loop handles the signal again
            loop.runUntilComplete(loop.createTask(() -> {
                Aio.toThread(() -> {
                    kill("WINCH");
                    return null;
                });
                return mine.await();
            }));
            assertEquals(List.of("loop"), calls);
            assertTrue(loop.removeSignalHandler("WINCH"));
        } finally {
            other.close();
        }
    }

    /**
     * A signal that arrived before removeSignalHandler (or a replacing addSignalHandler) but that
     * the loop had not handled yet: asyncio's {@code _handle_signal} looks the handler up when the
     * loop runs, so a removed one is not called, and a replaced one's successor is.
     */
    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aSignalPendingWhenItsHandlerIsRemovedOrReplacedRunsOnlyTheCurrentOne() throws Exception { // aio4j-only: asyncio has no dispatcher thread
        sun.misc.Signal winch = new sun.misc.Signal("WINCH");
        List<String> calls = new ArrayList<>();
        loop.addSignalHandler("WINCH", () -> calls.add("removed"));
        // The handler the bridge installed, called as the JDK's Signal Dispatcher thread would
        // (SIGWINCH's default action is to ignore it, so the swap is harmless).
        sun.misc.SignalHandler dispatcher = sun.misc.Signal.handle(winch, sun.misc.SignalHandler.SIG_DFL);
        sun.misc.Signal.handle(winch, dispatcher);
        dispatcher.handle(winch); // the signal arrives; the loop has not run yet
        assertTrue(loop.removeSignalHandler("WINCH"));
        loop.runUntilComplete(loop.createTask(() -> {
            Aio.sleep(0);
            return null;
        }));
        assertEquals(List.of(), calls, "a removed handler is not called");

        loop.addSignalHandler("WINCH", () -> calls.add("replaced"));
        dispatcher = sun.misc.Signal.handle(winch, sun.misc.SignalHandler.SIG_DFL);
        sun.misc.Signal.handle(winch, dispatcher);
        dispatcher.handle(winch);
        loop.addSignalHandler("WINCH", () -> calls.add("current"));
        loop.runUntilComplete(loop.createTask(() -> {
            Aio.sleep(0);
            return null;
        }));
        assertEquals(List.of("current"), calls, "the handler current when the loop handles the signal");
        assertTrue(loop.removeSignalHandler("WINCH"));
    }

    @Test
    void signalHandlersOfAClosedLoop() { // test_close: close() removed them; add is refused, remove finds none
        EventLoop other = EventLoop.create();
        other.addSignalHandler("WINCH", () -> { });
        other.close();
        assertThrows(IllegalStateException.class, () -> other.addSignalHandler("WINCH", () -> { }));
        assertFalse(other.removeSignalHandler("WINCH"));
    }

    @Test
    void removeSignalHandlerRestoresSigint() { // test_remove_signal_handler_2: SIGINT gets its handler back
        sun.misc.Signal intr = new sun.misc.Signal("INT");
        sun.misc.SignalHandler before = sun.misc.Signal.handle(intr, sun.misc.SignalHandler.SIG_DFL);
        sun.misc.Signal.handle(intr, before);
        loop.addSignalHandler("SIGINT", () -> { });
        assertTrue(loop.removeSignalHandler("INT"));
        sun.misc.SignalHandler after = sun.misc.Signal.handle(intr, before);
        // (sun.misc.Signal wraps the JDK's handler anew each time; toString() names the wrapped one.)
        assertEquals(String.valueOf(before), String.valueOf(after), "the JVM's SIGINT handler (its shutdown) is back");
    }

    @Test
    void addSignalHandlerByNumberIsRefused() { // test_check_signal: aio4j names signals; a number is no name
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler("9", () -> { }));
        assertTrue(e.getMessage().startsWith("invalid signal: 9"), e.getMessage());
        assertThrows(NullPointerException.class, () -> loop.addSignalHandler(null, () -> { }));
    }

    @Test
    void setDefaultExecutor() { // test_base_events.py test_set_default_executor
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> new Thread(r, "my-default"));
        loop.setDefaultExecutor(ex);
        String name = loop.runUntilComplete(loop.createTask(() -> Aio.toThread(() -> Thread.currentThread().getName())));
        assertEquals("my-default", name);
        loop.runUntilComplete(loop.createTask(() -> {
            loop.shutdownDefaultExecutor();
            return null;
        }));
        assertTrue(ex.isShutdown(), "shutdownDefaultExecutor shuts the set executor down");
        assertThrows(NullPointerException.class, () -> loop.setDefaultExecutor(null));
    }

    @Test
    void getnameinfoNumericHost() { // aio4j-only: no executor, no lookup
        InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
        List<String> info = loop.runUntilComplete(loop.createTask(() -> loop.getnameinfo(a, EventLoop.NI_NUMERICHOST)));
        assertEquals(List.of(a.getAddress().getHostAddress(), "8080"), info);
    }

    @Test
    void getnameinfoLoopback() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        String expected = InetAddress.getByAddress(lo.getAddress()).getCanonicalHostName();
        InetSocketAddress a = new InetSocketAddress(lo, 80);
        List<String> info = loop.runUntilComplete(loop.createTask(() -> loop.getnameinfo(a)));
        assertEquals(List.of(expected, "80"), info);
        assertNotNull(info.get(0));
    }

    @Test
    void getnameinfoNameRequired() throws Exception {
        // 192.0.2.0/24 (TEST-NET-1) has no names.
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}), 1);
        String name = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}).getCanonicalHostName();
        org.junit.jupiter.api.Assumptions.assumeTrue(name.equals("192.0.2.1"), "this resolver names TEST-NET-1");
        java.util.concurrent.CompletionException e = assertThrows(java.util.concurrent.CompletionException.class,
                () -> loop.runUntilComplete(loop.createTask(() -> loop.getnameinfo(a, EventLoop.NI_NAMEREQD))));
        assertTrue(e.getCause() instanceof UnknownHostException, e.toString());
        assertEquals("getnameinfo(): 192.0.2.1 has no name (NI_NAMEREQD)", e.getCause().getMessage());
        assertEquals(List.of("192.0.2.1", "1"), loop.runUntilComplete(loop.createTask(() -> loop.getnameinfo(a))));
        assertThrows(IllegalArgumentException.class, () -> loop.runUntilComplete(loop.createTask(() ->
                loop.getnameinfo(a, EventLoop.NI_NUMERICHOST | EventLoop.NI_NAMEREQD))));
    }
}
