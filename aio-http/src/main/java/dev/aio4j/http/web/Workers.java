package dev.aio4j.http.web;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code runApp} with {@link ServerConfig#workers(int) workers > 1}: one event loop per worker,
 * each on its own thread with its own {@code SO_REUSEPORT} listener on the same address, all
 * serving one application. The first worker (on the calling thread) runs the application's
 * startup before the others listen, handles the signals, and runs the cleanup after every
 * worker has finished its connections.
 */
final class Workers {
    /** One secondary worker, as the primary sees it. */
    private record Secondary(Thread thread, CompletableFuture<Runnable> ready, CompletableFuture<Void> done) {}

    private Workers() {}

    static void run(Application app, ServerConfig config) throws Exception {
        ServerConfig shared = config.reusePort(true);
        Aio.run(() -> primary(app, shared));
    }

    private static void primary(Application app, ServerConfig config) throws Exception {
        AppRunner runner = new AppRunner(app, config, false);
        runner.setup();
        app.startup();
        EventLoop loop = Aio.getRunningLoop();
        List<Secondary> others = new ArrayList<>();
        Signals signals = null;
        Exception failure = null;
        try {
            BaseSite site = Web.siteFor(runner, config);
            site.start();
            int port = config.port();
            for (SocketAddress a : site.addresses()) {
                if (a instanceof InetSocketAddress i) {
                    port = i.getPort();
                }
            }
            ServerConfig same = config.port(port);
            for (int i = 1; i < config.workers(); i++) {
                others.add(start(app, same, i));
            }
            for (Secondary s : others) {
                Aio.wrapFuture(s.ready()).await();
            }
            Future<Void> stop = loop.createFuture();
            signals = Signals.install(loop, config, () -> {
                if (!stop.done()) {
                    stop.setResult(null);
                }
            });
            config.print().accept("======== Running on " + site.name() + " with " + config.workers()
                    + " event loops ========\n(Press CTRL+C to quit)");
            stop.await();
        } catch (Exception e) {
            failure = e;
        } finally {
            if (signals != null) {
                signals.remove();
            }
            runner.stopSites();
            for (Secondary s : others) {
                if (s.ready().isDone() && !s.ready().isCompletedExceptionally()) {
                    s.ready().join().run(); // asks that worker to stop accepting and finish its connections
                }
            }
            try {
                app.shutdown();
            } catch (Exception e) {
                failure = add(failure, e);
            }
            runner.shutdownConnections();
            for (Secondary s : others) {
                try {
                    Aio.wrapFuture(s.done()).await();
                } catch (RuntimeException e) {
                    failure = add(failure, e);
                }
            }
            try {
                app.cleanup();
            } catch (Exception e) {
                failure = add(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static Exception add(Exception first, Exception next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private static Secondary start(Application app, ServerConfig config, int index) {
        CompletableFuture<Runnable> ready = new CompletableFuture<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                Aio.run(() -> {
                    secondary(app, config, ready);
                    return null;
                });
                done.complete(null);
            } catch (Throwable e) {
                ready.completeExceptionally(e);
                done.completeExceptionally(e);
            }
        }, "aio4j-web-worker-" + index);
        t.start();
        return new Secondary(t, ready, done);
    }

    private static void secondary(Application app, ServerConfig config, CompletableFuture<Runnable> ready) throws Exception {
        AppRunner runner = new AppRunner(app, config, false);
        runner.setup();
        EventLoop loop = Aio.getRunningLoop();
        Future<Void> stop = loop.createFuture();
        try {
            Web.siteFor(runner, config).start();
            ready.complete(() -> loop.callSoonThreadsafe(() -> {
                if (!stop.done()) {
                    stop.setResult(null);
                }
            }));
            stop.await();
        } finally {
            runner.stopSites();
            runner.shutdownConnections();
        }
    }
}
