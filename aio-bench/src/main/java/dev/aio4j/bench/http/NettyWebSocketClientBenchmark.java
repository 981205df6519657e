package dev.aio4j.bench.http;

import dev.aio4j.bench.AbstractBenchmark;
import dev.aio4j.bench.AbstractLoopBenchmark;
import dev.aio4j.bench.web.NettyWebSocketEcho;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The WebSocket echo workload of {@link WebSocketEchoBenchmark} with Netty's client
 * ({@link NettyWebSocketEcho.Client}, one event loop) against an echo server:
 * {@code server=netty-same-loop} (Netty's server on the client's event loop: one thread in all, as
 * {@code WebSocketEchoBenchmark}'s {@code peer=aio4j} and {@code ws_echo.py} run), {@code server=netty}
 * (Netty's, on an event loop of its own) or {@code server=aio4j} (aio-http's, on its own loop with
 * the {@link #scheduler} back-end). Netty against Netty on one event loop is the reference of the
 * issue's "within 2x of Netty"; Netty's client against both servers on their own threads compares
 * the servers with a client that is not aio4j's. One operation is one 32-byte text message sent and its
 * echo received; 10,000 per invocation, over 1 or 100 connections. aio4j-only.
 */
public class NettyWebSocketClientBenchmark extends AbstractBenchmark {
    /** The echo server: {@code netty-same-loop}, {@code netty} or {@code aio4j}. */
    @Param({"netty-same-loop", "netty", "aio4j"})
    public String server;

    /** The back-end of the aio4j server's loop (unused with the Netty server). */
    @Param({"carrier"})
    public String scheduler;

    /** Messages per invocation (tests shrink it; a multiple of 100). */
    public int messages = WebSocketEchoBenchmark.MESSAGES;

    private EchoServers.Server echo;
    private NettyWebSocketEcho.Client one;
    private NettyWebSocketEcho.Client hundred;

    /** Creates the benchmark; the trial's set-up starts the server and connects. */
    public NettyWebSocketClientBenchmark() {}

    /**
     * Starts the server and opens the connections.
     *
     * @throws Exception if that fails
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (scheduler != null && !scheduler.isBlank()) {
            System.setProperty(AbstractLoopBenchmark.SCHEDULER_PROPERTY, scheduler);
        }
        echo = EchoServers.start(server.equals("aio4j") ? "aio4j-thread" : server);
        String url = "ws://127.0.0.1:" + echo.port() + "/ws";
        io.netty.channel.EventLoopGroup on = server.equals("netty-same-loop") ? echo.nettyGroup() : null;
        one = new NettyWebSocketEcho.Client(url, 1, WebSocketEchoBenchmark.MESSAGE, on);
        hundred = new NettyWebSocketEcho.Client(url, 100, WebSocketEchoBenchmark.MESSAGE, on);
    }

    /**
     * @return echoes received
     * @throws Exception if an echo fails
     */
    @Benchmark
    @OperationsPerInvocation(WebSocketEchoBenchmark.MESSAGES)
    public int oneConnection() throws Exception {
        return one.run(messages);
    }

    /**
     * @return echoes received
     * @throws Exception if an echo fails
     */
    @Benchmark
    @OperationsPerInvocation(WebSocketEchoBenchmark.MESSAGES)
    public int hundredConnections() throws Exception {
        return hundred.run(messages);
    }

    /**
     * Closes the connections and the server.
     *
     * @throws Exception if that fails
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        one.close();
        hundred.close();
        echo.close();
    }
}
