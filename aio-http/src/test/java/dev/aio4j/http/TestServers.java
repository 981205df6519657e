package dev.aio4j.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test peers aio4j did not write: the JDK's HttpServer, and raw scripted sockets. aio4j-only. */
final class TestServers {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private TestServers() {}

    /** The JDK's com.sun.net.httpserver on loopback; records the client ports it saw (one per connection). */
    static final class Jdk implements AutoCloseable {
        final HttpServer server;
        final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        final List<String> requests = new CopyOnWriteArrayList<>();
        private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "jdk-http-server");
            t.setDaemon(true);
            return t;
        });

        Jdk() throws IOException {
            this(HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 50));
        }

        Jdk(HttpServer server) {
            this.server = server;
            server.setExecutor(executor);
            server.start();
        }

        static Jdk https(SSLContext ctx) throws IOException {
            return https(ctx, LOOPBACK);
        }

        /** An https server on another loopback address, e.g. 127.0.0.2, which the test certificate does not name. */
        static Jdk https(SSLContext ctx, InetAddress bind) throws IOException {
            HttpsServer s = HttpsServer.create(new InetSocketAddress(bind, 0), 50);
            s.setHttpsConfigurator(new HttpsConfigurator(ctx));
            return new Jdk(s);
        }

        Jdk handle(String path, HttpHandler h) {
            server.createContext(path, ex -> {
                clientPorts.add(ex.getRemoteAddress().getPort());
                requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
                try {
                    h.handle(ex);
                } finally {
                    ex.close();
                }
            });
            return this;
        }

        int port() {
            return server.getAddress().getPort();
        }

        String url(String path) {
            return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + port() + path;
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    static void send(HttpExchange ex, int status, String body) throws IOException {
        send(ex, status, body.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** Sends {@code body} with chunked framing (the JDK chunks when the length is 0). */
    static void sendChunked(HttpExchange ex, int status, byte[] body, int piece) throws IOException {
        ex.sendResponseHeaders(status, 0);
        try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < body.length; i += piece) {
                out.write(body, i, Math.min(piece, body.length - i));
                out.flush();
            }
        }
    }

    /**
     * A raw loopback server that runs one script per accepted connection, in order, on a platform
     * thread: for malformed and edge cases byte by byte.
     */
    static final class Scripted implements AutoCloseable {
        interface Script {
            void run(Socket s, InputStream in, OutputStream out) throws Exception;
        }

        final ServerSocket server;
        final Thread thread;
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        volatile int accepted;

        Scripted(Script... scripts) throws IOException {
            server = new ServerSocket(0, 50, LOOPBACK);
            List<Script> list = new ArrayList<>(List.of(scripts));
            thread = Thread.ofPlatform().daemon(true).name("scripted-server").start(() -> {
                for (Script sc : list) {
                    try {
                        Socket s = server.accept();
                        accepted++;
                        Thread.ofPlatform().daemon(true).start(() -> {
                            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                                sc.run(s, in, out);
                            } catch (Throwable e) {
                                errors.add(e);
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        String url(String path) {
            return "http://127.0.0.1:" + port() + path;
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(5000);
        }
    }

    /** Reads one request head (up to the empty line) and returns it. */
    static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
                return sb.toString();
            }
        }
        return sb.toString();
    }

    static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    static byte[] payload(int n, int seed) {
        return dev.aio4j.loop.test.IoTestSupport.payload(n, seed);
    }

    static long countFds() throws IOException {
        return dev.aio4j.loop.test.IoTestSupport.countFds();
    }

    static boolean canCountFds() {
        return dev.aio4j.loop.test.IoTestSupport.canCountFds();
    }

    /** Waits (real time, from a test thread) until {@code cond} holds. */
    static void eventually(Supplier<Boolean> cond, String what) throws InterruptedException {
        dev.aio4j.loop.test.IoTestSupport.eventually(cond, what);
    }

    /** Asserts that {@code round} opens no file descriptor that it does not close. */
    static void assertNoFdLeak(ThrowingRunnable round) throws Exception {
        dev.aio4j.loop.test.IoTestSupport.assertNoFdLeak(round);
    }

    interface ThrowingRunnable extends dev.aio4j.loop.test.IoTestSupport.ThrowingRunnable {
    }
}
