package dev.aio4j.http.web;

import dev.aio4j.loop.Aio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * A web application served on 127.0.0.1 by its own loop on its own thread, for tests that talk
 * raw bytes over {@link java.net.Socket}s from the test thread. aio4j-only test support.
 */
final class LoopbackServer implements AutoCloseable {
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> stop = new CompletableFuture<>();
    private final Thread thread;

    LoopbackServer(ServerConfig config, Consumer<Application> routes) throws InterruptedException, ExecutionException {
        thread = new Thread(() -> {
            try {
                Aio.run(() -> {
                    Application app = new Application();
                    routes.accept(app);
                    AppRunner runner = new AppRunner(app, config);
                    runner.setup();
                    TCPSite site = new TCPSite(runner, "127.0.0.1", 0);
                    site.start();
                    ready.complete(site.port());
                    Aio.wrapFuture(stop).await();
                    runner.cleanup();
                    return null;
                });
            } catch (Throwable t) {
                ready.completeExceptionally(t);
            }
        }, "loopback-server");
        thread.setDaemon(true);
        thread.start();
        ready.get();
    }

    int port() {
        return ready.join();
    }

    Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port());
        s.setSoTimeout(20_000);
        return s;
    }

    /** Sends {@code request} on a new connection and reads until the server closes it. */
    String exchange(String request) throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return readUntilClosed(s);
        }
    }

    /** Reads until the server closes (EOF or reset); fails if it stays open for 20 s. */
    static String readUntilClosed(Socket s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection; got so far: "
                    + out.toString(StandardCharsets.ISO_8859_1), e);
        } catch (IOException reset) {
            // a reset after the response counts as closed
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws InterruptedException {
        stop.complete(null);
        thread.join(30_000);
    }
}
