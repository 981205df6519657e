package dev.aio4j.bench.reference;

import dev.aio4j.bench.AbstractBenchmark;
import dev.aio4j.bench.http.FixedResponseServer;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.streams.Server;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reference point, not aio4j's client: the JDK's {@link HttpClient} (HTTP/1.1, its default
 * executor and connection pool) doing the load of {@code HttpKeepAliveBenchmark} against the
 * same {@link FixedResponseServer}, which here runs on an aio4j loop of its own platform thread
 * (scheduler: aio-loop's default choice). Sequential requests come from the benchmark thread;
 * 10 / 50 concurrent ones from 10 / 50 virtual threads each doing its share with the blocking
 * {@code send}. One operation is one request (5,000 per invocation).
 */
public class JdkHttpClientBenchmark extends AbstractBenchmark {
    public static final int REQUESTS = 5_000;

    /** Requests per invocation (tests shrink it; a multiple of 50). */
    public int requests = REQUESTS;

    private EventLoop serverLoop;
    private Thread serverThread;
    private Server server;
    private HttpClient client;
    private HttpRequest request;
    private ExecutorService threads;

    @Setup(Level.Trial)
    public void open() throws Exception {
        serverLoop = EventLoop.create();
        serverThread = new Thread(serverLoop::runForever, "http-server-loop");
        serverThread.setDaemon(true);
        serverThread.start();
        server = Aio.runCoroutineThreadsafe(FixedResponseServer::start, serverLoop).get();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/")).GET().build();
        threads = Executors.newVirtualThreadPerTaskExecutor();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        threads.shutdown();
        client.close();
        Aio.runCoroutineThreadsafe(() -> {
            server.close();
            server.abortClients();
            server.waitClosed();
            return null;
        }, serverLoop).get();
        serverLoop.callSoonThreadsafe(serverLoop::stop);
        serverThread.join();
        serverLoop.close();
    }

    private int get(int n) throws Exception {
        int ok = 0;
        for (int i = 0; i < n; i++) {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 200 && r.body().length == FixedResponseServer.BODY.length()) {
                ok++;
            }
        }
        return ok;
    }

    /**
     * Runs the requests from {@code concurrency} threads.
     *
     * @param concurrency 1 (the calling thread) or the number of virtual threads
     * @return successful requests
     * @throws Exception if a request fails
     */
    public int run(int concurrency) throws Exception {
        int each = requests / concurrency;
        if (concurrency == 1) {
            return get(each);
        }
        List<Future<Integer>> all = new ArrayList<>(concurrency);
        for (int c = 0; c < concurrency; c++) {
            all.add(threads.submit(() -> get(each)));
        }
        int sum = 0;
        for (Future<Integer> f : all) {
            sum += f.get();
        }
        return sum;
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
}
