package dev.aio4j.bench.http;

import dev.aio4j.bench.AbstractLoopBenchmark;
import dev.aio4j.http.ClientSession;
import dev.aio4j.http.ClientWebSocketResponse;
import dev.aio4j.bench.web.NettyWebSocketEcho;
import dev.aio4j.http.web.AppRunner;
import dev.aio4j.http.web.TCPSite;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;

import java.util.ArrayList;
import java.util.List;

/**
 * Echo of small text messages over WebSockets (issue 16): aio-http's client, on the benchmark's
 * loop, against an echo server chosen by {@link #peer}. One operation is one 32-byte text message
 * sent and its echo received, so messages/s = 10^9 / score; 10,000 messages per invocation.
 *
 * <ul>
 *   <li>{@code peer=aio4j}: aio-http's server (the echo handler of BenchServer's {@code GET /ws})
 *       on the same loop as the client: one thread in all, as the twin {@code ws_echo.py} runs
 *       aiohttp's client and server on one asyncio/uvloop loop.
 *   <li>{@code peer=aio4j-thread}: the same aio-http server on a loop of its own (its own platform
 *       thread), so client and server each have a thread, as with Netty below.
 *   <li>{@code peer=netty}: Netty 4.2's WebSocket echo server on one event loop
 *       ({@link NettyWebSocketEcho}), in this JVM.
 * </ul>
 *
 * <ul>
 *   <li>{@link #oneConnection()}: one client sends a message and waits for its echo, one at a time.
 *   <li>{@link #hundredConnections()}: 100 clients, each doing its share one at a time, so 100
 *       messages are in flight.
 * </ul>
 *
 * <p>The server, the session and the connections are created once per trial. The CPython twin is
 * {@code python/ws_echo.py}; a Netty client for the same workload is
 * {@link NettyWebSocketClientBenchmark}.
 */
public class WebSocketEchoBenchmark extends AbstractLoopBenchmark {
    public static final int MESSAGES = 10_000;
    static final String MESSAGE = "0123456789abcdef0123456789abcdef";

    /** Messages per invocation (tests shrink it; a multiple of 100). */
    public int messages = MESSAGES;

    /** The echo server: {@code aio4j} (same loop), {@code aio4j-thread} (own loop) or {@code netty}. */
    @Param({"aio4j", "aio4j-thread", "netty"})
    public String peer = "aio4j";

    private AppRunner runner;
    private EchoServers.Server server;
    private ClientSession session;
    private final List<ClientWebSocketResponse> sockets = new ArrayList<>();

    /** Creates the benchmark; the trial's set-up starts the server. */
    public WebSocketEchoBenchmark() {}

    @Override
    protected void prepareOnLoop() throws Exception {
        if (!peer.equals("aio4j")) {
            server = EchoServers.start(peer);
        }
        loop.runUntilComplete(() -> {
            int port;
            if (server == null) {
                runner = new AppRunner(EchoServers.echoApp());
                runner.setup();
                TCPSite site = new TCPSite(runner, "127.0.0.1", 0);
                site.start();
                port = site.port();
            } else {
                port = server.port();
            }
            session = ClientSession.builder().limit(0).build();
            for (int i = 0; i < 100; i++) {
                sockets.add(session.wsConnect("ws://127.0.0.1:" + port + "/ws"));
            }
            return null;
        });
    }

    private static int echo(ClientWebSocketResponse ws, int n) {
        int ok = 0;
        for (int i = 0; i < n; i++) {
            ws.sendStr(MESSAGE);
            if (ws.receiveStr().length() == MESSAGE.length()) {
                ok++;
            }
        }
        return ok;
    }

    /**
     * Runs the echoes over {@code connections} WebSockets, one task each.
     *
     * @param connections 1 to 100
     * @return the echoes received
     * @throws Exception if an echo fails
     */
    public int run(int connections) throws Exception {
        ensurePrepared();
        final int each = messages / connections;
        if (connections == 1) {
            return loop.runUntilComplete(() -> echo(sockets.get(0), each));
        }
        return loop.runUntilComplete(() -> {
            List<Task<Integer>> all = new ArrayList<>(connections);
            for (int c = 0; c < connections; c++) {
                ClientWebSocketResponse ws = sockets.get(c);
                all.add(Aio.createTask(() -> echo(ws, each)));
            }
            int sum = 0;
            for (int ok : Aio.gather(all).await()) {
                sum += ok;
            }
            return sum;
        });
    }

    /**
     * @return echoes received
     * @throws Exception if an echo fails
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public int oneConnection() throws Exception {
        return run(1);
    }

    /**
     * @return echoes received
     * @throws Exception if an echo fails
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public int hundredConnections() throws Exception {
        return run(100);
    }

    @Override
    protected void cleanUp() throws Exception {
        if (session == null) {
            return;
        }
        loop.runUntilComplete(() -> {
            for (ClientWebSocketResponse ws : sockets) {
                ws.close();
            }
            session.close();
            if (runner != null) {
                runner.cleanup();
            }
            return null;
        });
        sockets.clear();
        runner = null;
        session = null;
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
