package dev.aio4j.bench.http;

import dev.aio4j.bench.web.NettyWebSocketEcho;
import dev.aio4j.examples.web.BenchServer;
import dev.aio4j.http.web.AppRunner;
import dev.aio4j.http.web.Application;
import dev.aio4j.http.web.TCPSite;
import dev.aio4j.loop.Aio;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket echo servers of the WebSocket benchmarks, each on a thread of its own: aio-http's
 * (BenchServer's {@code GET /ws} handler on its own loop) and Netty's (one event loop).
 * aio4j-only.
 */
public final class EchoServers {
    private EchoServers() {}

    /** A running echo server. */
    public interface Server extends AutoCloseable {
        /** @return its port on 127.0.0.1; the path is {@code /ws} */
        int port();

        /** @return the Netty server's event loop group, or {@code null} for aio4j's */
        default EventLoopGroup nettyGroup() {
            return null;
        }

        @Override
        void close() throws Exception;
    }

    /**
     * An application with only BenchServer's {@code GET /ws} ({@link BenchServer#wsEcho}): text and
     * binary echoed, a close answered.
     *
     * @return a new application
     */
    public static Application echoApp() {
        Application app = new Application();
        app.router().addGet("/ws", BenchServer::wsEcho);
        return app;
    }

    /**
     * Starts one.
     *
     * @param which {@code aio4j-thread} or {@code netty}
     * @return the running server
     * @throws Exception if it cannot start
     */
    public static Server start(String which) throws Exception {
        return switch (which) {
            case "aio4j-thread", "aio4j" -> aio4jOnOwnLoop();
            case "netty", "netty-same-loop" -> netty();
            default -> throw new IllegalArgumentException("unknown echo server " + which + " (aio4j-thread or netty)");
        };
    }

    private static Server aio4jOnOwnLoop() throws Exception {
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                Aio.run(() -> {
                    AppRunner runner = new AppRunner(echoApp());
                    runner.setup();
                    TCPSite site = new TCPSite(runner, "127.0.0.1", 0);
                    site.start();
                    ready.complete(site.port());
                    Aio.wrapFuture(stop).await();
                    runner.cleanup();
                    return null;
                });
            } catch (Throwable e) {
                ready.completeExceptionally(e);
            }
        }, "aio4j-ws-echo-server");
        t.setDaemon(true);
        t.start();
        int port = ready.get(30, TimeUnit.SECONDS);
        return new Server() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() throws InterruptedException {
                stop.complete(null);
                t.join(30_000);
            }
        };
    }

    private static Server netty() throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel ch = NettyWebSocketEcho.serve(group, 0);
        int port = ((InetSocketAddress) ch.localAddress()).getPort();
        return new Server() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public EventLoopGroup nettyGroup() {
                return group;
            }

            @Override
            public void close() throws InterruptedException {
                ch.close().sync();
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        };
    }
}
