package dev.aio4j.bench.http;

import dev.aio4j.bench.AbstractLoopBenchmark;
import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.ClientSession;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Server;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

import java.util.ArrayList;
import java.util.List;

/**
 * HTTP/1.1 GETs over keep-alive with aio-http's {@link ClientSession} against a local server on
 * the same loop ({@link FixedResponseServer}: a minimal aio-streams server answering a fixed
 * 13-byte response). Each request reads the whole body ({@code bytes()}) and closes the response,
 * which returns the connection to the session's pool. One operation is one request, so
 * requests/s = 10^9 / score; 5,000 requests per invocation.
 *
 * <ul>
 *   <li>{@link #sequential()}: one task, one request at a time (one connection).
 *   <li>{@link #concurrent10()} / {@link #concurrent50()}: 10 / 50 tasks, each doing its share
 *       sequentially, so 10 / 50 requests are in flight (10 / 50 keep-alive connections).
 * </ul>
 *
 * <p>The server and the session are created once per trial, so connections are reused across
 * invocations (keep-alive), as in the twin.
 *
 * <p>CPython twin: {@code aio-bench/python/http_client.py --concurrency 1|10|50} (aiohttp's
 * ClientSession against the same fixed-response server written with asyncio.start_server on the
 * same loop). JDK reference: {@code dev.aio4j.bench.reference.JdkHttpClientBenchmark}.
 */
public class HttpKeepAliveBenchmark extends AbstractLoopBenchmark {
    public static final int REQUESTS = 5_000;

    /** Requests per invocation (tests shrink it; a multiple of 50). */
    public int requests = REQUESTS;

    private Server server;
    private ClientSession session;
    private String url;

    @Override
    protected void prepareOnLoop() throws Exception {
        loop.runUntilComplete(() -> {
            server = FixedResponseServer.start();
            url = "http://127.0.0.1:" + server.port() + "/";
            session = ClientSession.builder().limit(100).build();
            return null;
        });
    }

    private int get(int n) {
        int ok = 0;
        for (int i = 0; i < n; i++) {
            try (ClientResponse r = session.get(url)) {
                if (r.status() == 200 && r.bytes().length == FixedResponseServer.BODY.length()) {
                    ok++;
                }
            }
        }
        return ok;
    }

    /**
     * Runs the requests with {@code concurrency} tasks.
     *
     * @param concurrency tasks, each doing {@code requests / concurrency} requests
     * @return the number of 200 responses with the expected body
     */
    public int run(int concurrency) throws Exception {
        ensurePrepared();
        final int each = requests / concurrency;
        if (concurrency == 1) {
            return loop.runUntilComplete(() -> get(each));
        }
        return loop.runUntilComplete(() -> {
            List<Task<Integer>> all = new ArrayList<>(concurrency);
            for (int c = 0; c < concurrency; c++) {
                all.add(Aio.createTask(() -> get(each)));
            }
            int sum = 0;
            for (int ok : Aio.gather(all).await()) {
                sum += ok;
            }
            return sum;
        });
    }

    /**
     * @return successful requests
     * @throws Exception if a request fails
     */
    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public int sequential() throws Exception {
        return run(1);
    }

    /**
     * @return successful requests
     * @throws Exception if a request fails
     */
    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public int concurrent10() throws Exception {
        return run(10);
    }

    /**
     * @return successful requests
     * @throws Exception if a request fails
     */
    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public int concurrent50() throws Exception {
        return run(50);
    }

    /** @return connections the session holds open (for tests) */
    public int openConnections() {
        return session.openConnections();
    }

    @Override
    protected void cleanUp() {
        if (server == null) {
            return;
        }
        loop.runUntilComplete(() -> {
            session.close();
            server.close();
            server.waitClosed();
            return null;
        });
        server = null;
    }
}
