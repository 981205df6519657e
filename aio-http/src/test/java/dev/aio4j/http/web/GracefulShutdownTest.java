package dev.aio4j.http.web;

import dev.aio4j.http.ClientConnectorError;
import dev.aio4j.http.ClientError;
import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.ClientSession;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Event;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors the graceful-shutdown tests of aiohttp's tests/test_run_app.py ({@code TestShutdown}):
 * in-flight requests finish within the shutdown timeout and are cancelled after it, new
 * connections are refused, idle keep-alive connections close at once, and the application's
 * signals run in order. aiohttp drives {@code run_app} and stops it with a KeyboardInterrupt
 * raised in the loop; here {@link AppRunner#cleanup()} is the same shutdown without the blocking
 * call, and {@link Web#runApp} itself (on a platform thread) is stopped by cancelling its main
 * task, the one signal-free way to stop it (see {@link #runAppStopsWhenItsMainTaskIsCancelled}).
 *
 * <p>Real sockets and real time; no test asserts a duration. "Did not wait for the shutdown
 * timeout" is checked with a timeout of 1000 s that would trip the class's {@code @Timeout}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GracefulShutdownTest {
    private static final double NEVER = 1000;

    /** One app as aiohttp's TestShutdown.run_app builds it: "/" runs {@code task}, on_shutdown releases it. */
    private static final class Harness {
        final Application app = new Application();
        final Event handlerStarted = new Event();
        final Event releaseHandler = new Event();
        final List<String> events = new CopyOnWriteArrayList<>();
        final AtomicReference<Task<?>> handlerTask = new AtomicReference<>();

        Harness(Body task) {
            app.router().addGet("/", r -> {
                handlerTask.set(Aio.currentTask());
                handlerStarted.set();
                try {
                    task.run(this);
                } catch (CancelledError e) {
                    events.add("handler cancelled");
                    throw e;
                }
                events.add("handler finished");
                return new Response().text("FOO");
            });
            app.onShutdown().add(a -> {
                events.add("on_shutdown");
                releaseHandler.set();
            });
            app.onCleanup().add(a -> events.add("on_cleanup"));
        }
    }

    private interface Body {
        void run(Harness h) throws Exception;
    }

    /** Starts the in-flight request, waits until its handler runs, shuts down; returns the client's outcome. */
    private static Object runAndShutDown(Harness h, double shutdownTimeout, VoidBody duringShutdown) throws Exception {
        return Aio.run(() -> {
            WebFixture f = WebFixture.start(h.app, ServerConfig.defaults().shutdownTimeout(shutdownTimeout));
            Task<Object> inFlight = Aio.createTask(() -> {
                try (ClientResponse r = f.get("/")) {
                    return r.status() + " " + r.text() + " connection=" + r.headers().get("Connection");
                } catch (ClientError e) {
                    return e;
                }
            });
            h.handlerStarted.await();
            Task<Void> extra = duringShutdown == null ? null : Aio.createTask(() -> duringShutdown.run(f));
            f.runner.cleanup();
            h.events.add("cleanup returned");
            if (extra != null) {
                extra.await();
            }
            Object outcome = inFlight.await();
            for (int i = 0; i < 3000 && f.runner.connectionCount() > 0; i++) {
                Aio.sleep(0.01); // an aborted connection is forgotten when its loss is reported
            }
            assertEquals(0, f.runner.connectionCount());
            f.session.close();
            return outcome;
        });
    }

    private interface VoidBody {
        void run(WebFixture f) throws Exception;
    }

    @Test
    void shutdownWaitForHandler() throws Exception {
        Harness h = new Harness(self -> {
            self.releaseHandler.await();
            Aio.sleep(0.5); // still working after the shutdown began: the server must wait
        });
        Object outcome = runAndShutDown(h, 30, null);
        assertEquals("200 FOO connection=close", outcome);
        assertEquals(List.of("on_shutdown", "handler finished", "on_cleanup", "cleanup returned"), h.events);
        assertTrue(h.handlerTask.get().done() && !h.handlerTask.get().cancelled());
    }

    @Test
    void shutdownTimeoutHandler() throws Exception {
        Harness h = new Harness(self -> new Event().await()); // never finishes
        Object outcome = runAndShutDown(h, 0.5, null);
        // the handler was cancelled at the deadline and its connection dropped mid-request
        assertInstanceOf(ClientError.class, outcome, String.valueOf(outcome));
        assertEquals(List.of("on_shutdown", "handler cancelled", "on_cleanup", "cleanup returned"), h.events);
        assertTrue(h.handlerTask.get().done());
    }

    @Test
    void shutdownTimeoutNotReached() throws Exception {
        // with a 1000 s timeout, a handler that ends at once must not keep cleanup waiting
        Harness h = new Harness(self -> self.releaseHandler.await());
        Object outcome = runAndShutDown(h, NEVER, null);
        assertEquals("200 FOO connection=close", outcome);
        assertEquals(List.of("on_shutdown", "handler finished", "on_cleanup", "cleanup returned"), h.events);
    }

    @Test
    void shutdownNewConnRejected() throws Exception {
        Event testComplete = new Event();
        List<Object> refused = new CopyOnWriteArrayList<>();
        Harness h = new Harness(self -> testComplete.await());
        Object outcome = runAndShutDown(h, 30, f -> {
            h.releaseHandler.await(); // set by on_shutdown: the sites have stopped
            try (ClientSession other = ClientSession.create(); ClientResponse r = other.get(f.url("/"))) {
                refused.add("answered " + r.status());
            } catch (ClientConnectorError e) {
                refused.add(e);
            }
            refused.add(h.events.contains("handler finished"));
            testComplete.set();
        });
        assertEquals(2, refused.size(), refused.toString());
        assertInstanceOf(ClientConnectorError.class, refused.get(0));
        assertEquals(false, refused.get(1));
        assertEquals("200 FOO connection=close", outcome);
    }

    @Test
    void shutdownPendingHandlerResponds() throws Exception {
        // the response of a handler that finishes during the shutdown reaches the client whole
        byte[] big = new byte[2_000_000];
        Application app = new Application();
        Event started = new Event();
        Event release = new Event();
        app.router().addGet("/", r -> {
            started.set();
            release.await();
            Aio.sleep(0.2);
            return new Response().body(big);
        });
        app.onShutdown().add(a -> release.set());
        Aio.run(() -> {
            WebFixture f = WebFixture.start(app, ServerConfig.defaults().shutdownTimeout(30));
            Task<Integer> inFlight = Aio.createTask(() -> {
                try (ClientResponse r = f.get("/")) {
                    return r.bytes().length;
                }
            });
            started.await();
            f.runner.cleanup();
            assertEquals(big.length, inFlight.await());
            f.session.close();
        });
    }

    @Test
    void shutdownCloseIdleKeepalive() throws Exception {
        Application app = new Application();
        app.router().addGet("/stop", r -> new Response().text("ok"));
        String result = Aio.run(() -> {
            WebFixture f = WebFixture.start(app, ServerConfig.defaults().shutdownTimeout(NEVER));
            int port = f.port();
            CompletableFuture<Void> answered = new CompletableFuture<>();
            // a client that keeps its keep-alive connection open and waits on it
            Task<String> holder = Aio.createTask(() -> Aio.toThread(() -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    s.setSoTimeout(60_000);
                    OutputStream out = s.getOutputStream();
                    out.write("GET /stop HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    InputStream in = s.getInputStream();
                    String head = readResponse(in);
                    answered.complete(null);
                    int next = in.read(); // blocks until the server closes the idle connection
                    return head.split("\r\n")[0] + " then " + (next < 0 ? "EOF" : "byte " + next);
                }
            }));
            Aio.wrapFuture(answered).await();
            f.runner.cleanup(); // must not wait 1000 s for the idle connection
            String r = holder.await();
            f.session.close();
            return r;
        });
        assertEquals("HTTP/1.1 200 OK then EOF", result);
    }

    /** Reads one response with a Content-Length body. */
    private static String readResponse(InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new java.io.EOFException("closed in the head: " + sb);
            }
            sb.append((char) c);
        }
        Matcher m = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(sb);
        int n = m.find() ? Integer.parseInt(m.group(1)) : 0;
        sb.append(new String(in.readNBytes(n), StandardCharsets.ISO_8859_1));
        return sb.toString();
    }

    @Test
    void signalsRunInOrder() throws Exception { // aio4j-only: the whole life of one app, with a cleanup context
        List<String> order = new CopyOnWriteArrayList<>();
        Application app = new Application();
        app.cleanupCtx().add(a -> {
            order.add("ctx enter");
            return () -> order.add("ctx exit");
        });
        app.onStartup().add(a -> order.add("on_startup"));
        app.onShutdown().add(a -> order.add("on_shutdown"));
        app.onCleanup().add(a -> order.add("on_cleanup"));
        app.router().addGet("/", r -> {
            order.add("request");
            return new Response();
        });
        Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app); ClientResponse r = f.get("/")) {
                assertEquals(200, r.status());
            }
        });
        assertEquals(List.of("ctx enter", "on_startup", "request", "on_shutdown", "ctx exit", "on_cleanup"), order);
    }

    @Test
    void failingShutdownCallbackStillCleansUp() throws Exception { // aio4j-only: every step runs, the first failure is thrown
        List<String> order = new CopyOnWriteArrayList<>();
        Application app = new Application();
        app.onShutdown().add(a -> {
            order.add("on_shutdown");
            throw new IllegalStateException("shutdown failed");
        });
        app.onCleanup().add(a -> order.add("on_cleanup"));
        Aio.run(() -> {
            AppRunner runner = new AppRunner(app);
            runner.setup();
            new TCPSite(runner, "127.0.0.1", 0).start();
            IllegalStateException e = assertThrows(IllegalStateException.class, runner::cleanup);
            assertEquals("shutdown failed", e.getMessage());
        });
        assertEquals(List.of("on_shutdown", "on_cleanup"), order);
    }

    // ------------------------------------------------------------------------ Web.runApp

    /** Runs Web.runApp on a platform thread; the app's startup hands out its main task and loop. */
    private static final class RunningApp {
        final CompletableFuture<String> ready = new CompletableFuture<>();
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();
        final AtomicReference<Task<?>> main = new AtomicReference<>();
        final AtomicReference<EventLoop> loop = new AtomicReference<>();
        Thread thread;

        RunningApp(Application app, ServerConfig config) {
            app.onStartup().add(a -> {
                main.set(Aio.currentTask());
                loop.set(Aio.getRunningLoop());
            });
            ServerConfig c = config.host("127.0.0.1").port(0).handleSignals(false).print(ready::complete);
            thread = Thread.ofPlatform().name("runApp").daemon(true).start(() -> {
                try {
                    Web.runApp(app, c);
                    ended.complete(null);
                } catch (Throwable e) {
                    ended.complete(e);
                }
            });
        }

        int port() throws Exception {
            Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)").matcher(ready.get(30, TimeUnit.SECONDS));
            assertTrue(m.find());
            return Integer.parseInt(m.group(1));
        }

        /** The signal-free stop: cancel runApp's main task from its own loop. */
        Throwable stop() throws Exception {
            ready.get(30, TimeUnit.SECONDS);
            loop.get().callSoonThreadsafe(() -> main.get().cancel("test: stop runApp"));
            Throwable t = ended.get(60, TimeUnit.SECONDS);
            thread.join();
            return t;
        }
    }

    private static String get(int port, String path) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return all.substring(all.indexOf("\r\n\r\n") + 4);
        }
    }

    @Test
    void runAppStopsWhenItsMainTaskIsCancelled() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        Application app = new Application();
        app.router().addGet("/", r -> new Response().text("up"));
        app.onShutdown().add(a -> order.add("on_shutdown"));
        app.onCleanup().add(a -> order.add("on_cleanup"));
        RunningApp running = new RunningApp(app, ServerConfig.defaults());
        assertEquals("up", get(running.port(), "/"));
        Throwable outcome = running.stop();
        // runApp ends by rethrowing the cancellation, after the graceful shutdown ran
        assertInstanceOf(java.util.concurrent.CancellationException.class, outcome, String.valueOf(outcome));
        assertEquals(List.of("on_shutdown", "on_cleanup"), order);
    }

    @Test
    void workersServeOneAppFromTwoLoops() throws Exception {
        Set<Integer> loops = ConcurrentHashMap.newKeySet();
        List<String> order = new CopyOnWriteArrayList<>();
        Application app = new Application();
        app.router().addGet("/", r -> {
            int id = System.identityHashCode(r.loop());
            loops.add(id);
            return new Response().text(Integer.toString(id));
        });
        app.onStartup().add(a -> order.add("on_startup"));
        app.onShutdown().add(a -> order.add("on_shutdown"));
        app.onCleanup().add(a -> order.add("on_cleanup"));
        RunningApp running = new RunningApp(app, ServerConfig.defaults().workers(2));
        int port = running.port();
        assertTrue(running.ready.get().contains("with 2 event loops"), running.ready.get());
        // SO_REUSEPORT spreads new connections by their addresses: 60 connections all landing on one
        // of two listeners has a chance of 2^-59
        for (int i = 0; i < 60 && loops.size() < 2; i++) {
            get(port, "/");
        }
        Throwable outcome = running.stop();
        assertInstanceOf(java.util.concurrent.CancellationException.class, outcome, String.valueOf(outcome));
        assertEquals(2, loops.size(), "requests were served by " + loops.size() + " loop(s)");
        assertEquals(List.of("on_startup", "on_shutdown", "on_cleanup"), order);
    }

    @Test
    void workersFinishInFlightRequestsOnEveryLoop() throws Exception {
        // an in-flight request on each loop when the stop comes: both finish before cleanup
        Set<Integer> loops = ConcurrentHashMap.newKeySet();
        List<String> order = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        Application app = new Application();
        app.router().addGet("/slow", r -> {
            loops.add(System.identityHashCode(r.loop()));
            Aio.wrapFuture(release).await();
            order.add("slow done");
            return new Response().text("slow");
        });
        app.router().addGet("/", r -> new Response().text(Integer.toString(System.identityHashCode(r.loop()))));
        app.onShutdown().add(a -> {
            order.add("on_shutdown");
            release.complete(null);
        });
        app.onCleanup().add(a -> order.add("on_cleanup"));
        RunningApp running = new RunningApp(app, ServerConfig.defaults().workers(2).shutdownTimeout(30));
        int port = running.port();
        // open slow requests until both loops hold one (each on its own connection and thread)
        List<CompletableFuture<String>> slow = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 60 && loops.size() < 2; i++) {
            slow.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return get(port, "/slow");
                } catch (Exception e) {
                    return e.toString();
                }
            }, r -> Thread.ofPlatform().daemon(true).start(r)));
            for (int j = 0; j < 200 && loops.size() < Math.min(2, slow.size()); j++) {
                Thread.sleep(10);
            }
        }
        assertEquals(2, loops.size());
        Throwable outcome = running.stop();
        assertInstanceOf(java.util.concurrent.CancellationException.class, outcome, String.valueOf(outcome));
        for (CompletableFuture<String> s : slow) {
            assertEquals("slow", s.get(30, TimeUnit.SECONDS));
        }
        assertEquals("on_shutdown", order.get(0));
        assertEquals("on_cleanup", order.get(order.size() - 1));
        assertEquals(slow.size(), order.stream().filter("slow done"::equals).count());
    }
}
