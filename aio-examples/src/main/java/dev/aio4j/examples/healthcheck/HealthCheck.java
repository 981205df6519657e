package dev.aio4j.examples.healthcheck;

import dev.aio4j.loop.Acquired;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Queue;
import dev.aio4j.loop.Semaphore;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.TimeoutError;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Ports a 60-line asyncio TCP health checker (a queue of targets, a pool of workers, a semaphore
 * limiting connections, wait_for timeouts, open_connection, a printer task, and an orderly
 * shutdown with join and cancel) line for line; it is the worked example of the porting guide.
 */
public final class HealthCheck {
    private HealthCheck() {}

    /**
     * A target to probe: {@code (host, port)}.
     *
     * @param host the host name or address to connect to
     * @param port the TCP port to connect to
     */
    public record Target(String host, int port) {}

    /** One line of the report: {@code (host, port, state, detail)}. */
    record Result(String host, int port, String state, String detail) {}

    /** {@code class Stats}. */
    static final class Stats {
        int ok;
        int failed;
        final List<Double> latencies = new ArrayList<>();
    }

    static double probe(String host, int port, double timeout) throws IOException {          // async def probe(host, port, timeout):
        double start = Aio.getRunningLoop().time();                                           //     start = loop.time()
        StreamPair conn = Aio.waitFor(() -> Streams.openConnection(host, port), timeout);    //     reader, writer = await wait_for(open_connection(...), timeout)
        try {
            conn.writer().write("PING\n".getBytes(StandardCharsets.US_ASCII));                //         writer.write(b"PING\n")
            conn.writer().drain();                                                            //         await writer.drain()
            byte[] line = Aio.waitFor(() -> conn.reader().readline(), timeout);              //         line = await wait_for(reader.readline(), timeout)
            if (!Arrays.equals(line, "PONG\n".getBytes(StandardCharsets.US_ASCII))) {
                throw new IllegalArgumentException("unexpected reply " + quote(line));       //             raise ValueError(f"unexpected reply {line!r}")
            }
            return Aio.getRunningLoop().time() - start;
        } finally {
            conn.writer().close();                                                            //         writer.close()
            conn.writer().waitClosed();                                                       //         await writer.wait_closed()
        }
    }

    static Void worker(Queue<Target> queue, Queue<Result> results, Semaphore limit, Stats stats) {  // async def worker(...):
        while (true) {
            Target t = queue.get();                                                           //     host, port = await queue.get()
            try {
                double latency;
                try (Acquired held = limit.hold()) {                                          //         async with limit:
                    latency = probe(t.host(), t.port(), 1.0);
                }
                stats.ok++;
                stats.latencies.add(latency);
                results.put(new Result(t.host(), t.port(), "up", String.format(Locale.ROOT, "%.3fs", latency)));
            } catch (IOException | TimeoutError | IllegalArgumentException e) {              //     except (OSError, TimeoutError, ValueError) as e:
                stats.failed++;
                results.put(new Result(t.host(), t.port(), "down", e.getClass().getSimpleName() + ": " + e.getMessage()));
            } finally {
                queue.taskDone();                                                             //         queue.task_done()
            }
        }
    }

    static Void printer(Queue<Result> results, List<String> out) {                            // async def printer(results):
        while (true) {
            Result r = results.get();
            String line = r.host() + ":" + r.port() + " " + r.state() + " " + r.detail();     //     print(f"{host}:{port} {state} {detail}")
            System.out.println(line);
            out.add(line);
            results.taskDone();
        }
    }

    /**
     * {@code async def main(targets)}: probes every target with 4 workers, at most 2 connections
     * at a time, and prints a line per target and a summary.
     *
     * @param targets what to probe
     * @return the printed lines
     */
    public static List<String> main(List<Target> targets) {
        Queue<Target> queue = new Queue<>();                                                  // queue, results = Queue(), Queue()
        Queue<Result> results = new Queue<>();
        Semaphore limit = new Semaphore(2);                                                   // limit = asyncio.Semaphore(2)
        Stats stats = new Stats();
        List<String> out = new ArrayList<>();
        for (Target t : targets) {
            queue.putNowait(t);                                                               // queue.put_nowait(t)
        }
        List<Task<Void>> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {                                                         // [create_task(worker(...)) for i in range(4)]
            workers.add(Aio.createTask(() -> worker(queue, results, limit, stats), "w" + i));
        }
        Task<Void> printer = Aio.createTask(() -> printer(results, out));
        queue.join();                                                                         // await queue.join()
        results.join();                                                                       // await results.join()
        List<Task<Void>> all = new ArrayList<>(workers);
        all.add(printer);
        for (Task<Void> w : all) {
            w.cancel();                                                                       // for w in workers + [out]: w.cancel()
        }
        Aio.gatherReturnExceptions(all).await();                                              // await gather(*..., return_exceptions=True)
        String summary = stats.ok + " up, " + stats.failed + " down";                        // print(f"{stats.ok} up, {stats.failed} down")
        System.out.println(summary);
        out.add(summary);
        return out;
    }

    private static String quote(byte[] line) {
        return "b'" + new String(line, StandardCharsets.US_ASCII).replace("\r", "\\r").replace("\n", "\\n") + "'";
    }

    /**
     * Runs the checker against local servers started for the demo ({@link DemoServers}): one
     * healthy, one answering garbage, one that never answers, and a closed port.
     *
     * @param args unused
     * @throws Exception what the body threw: the I/O error of a failed connection, as it was raised
     */
    public static void main(String[] args) throws Exception {
        Aio.run(() -> {
            try (DemoServers servers = DemoServers.start()) {
                return main(servers.targets());
            }
        });
    }
}
