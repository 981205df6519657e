package dev.aio4j.examples.tour;

import dev.aio4j.examples.echo.EchoClient;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.StreamWriter;
import dev.aio4j.streams.Streams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static dev.aio4j.examples.tour.TourContext.secs;

/**
 * Tour step "echo": the echo server of asyncio's streams documentation on loopback, first with
 * one client exactly as the docs write it, then with 50 concurrent clients doing 64-byte round
 * trips.
 *
 * <p><b>asyncio:</b> {@code asyncio.start_server(handle_echo, ...)} and
 * {@code asyncio.open_connection(...)}.
 *
 * @since 0.1
 */
public final class EchoStep implements TourStep {
    private static final int CLIENTS = 50;
    private static final int MESSAGE = 64;

    /** Creates the step. It keeps no state, so one instance can run any number of times. */
    public EchoStep() {}

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String summary() {
        return "an echo server (start_server) with one client as in asyncio's docs, then 50 concurrent clients doing 64-byte round trips";
    }

    @Override
    public String asyncio() {
        return "server = await asyncio.start_server(handle_echo, '127.0.0.1', 8888); reader, writer = await asyncio.open_connection(...)";
    }

    /** The echo handler used for the load part: echoes lines until EOF, quietly. */
    static void echoLines(StreamReader reader, StreamWriter writer) throws Exception {
        while (true) {
            byte[] line = reader.readline();
            if (line.length == 0) {
                break;
            }
            writer.write(line);
            writer.drain();
        }
        writer.close();
        writer.waitClosed();
    }

    @Override
    public void run(TourContext ctx) throws Exception {
        int rounds = ctx.quick() ? 20 : 400;
        ctx.did("Streams.startServer(handle_echo as a lambda: read(100), write, drain, close; \"127.0.0.1\", port 0); EchoClient.tcpEchoClient(\"Hello World!\", ...)");
        String reply = Aio.run(() -> {
            try (Server server = Streams.startServer((r, w) -> {
                byte[] data = r.read(100);
                w.write(data);
                w.drain();
                w.close();
                w.waitClosed();
            }, "127.0.0.1", 0)) {
                ctx.progress("serving on " + server.addresses());
                String got = EchoClient.tcpEchoClient("Hello World!", "127.0.0.1", server.port());
                server.close();
                server.waitClosed();
                return got;
            }
        });
        ctx.progress("the client got back '" + reply + "'");
        ctx.did(CLIENTS + " clients, each openConnection() then " + rounds + " x (write " + MESSAGE + " bytes, drain, readline)");
        double[] elapsed = new double[1];
        long total = Aio.run(() -> {
            try (Server server = Streams.startServer(EchoStep::echoLines, "127.0.0.1", 0)) {
                byte[] message = new byte[MESSAGE];
                Arrays.fill(message, (byte) 'x');
                message[MESSAGE - 1] = '\n';
                double t0 = Aio.getRunningLoop().time();
                List<Task<Integer>> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    clients.add(Aio.createTask(() -> {
                        StreamPair conn = Streams.openConnection("127.0.0.1", server.port());
                        int ok = 0;
                        for (int i = 0; i < rounds; i++) {
                            conn.writer().write(message);
                            conn.writer().drain();
                            if (conn.reader().readline().length == MESSAGE) {
                                ok++;
                            }
                        }
                        conn.writer().close();
                        conn.writer().waitClosed();
                        return ok;
                    }));
                }
                long sum = 0;
                for (int ok : Aio.gather(clients).await()) {
                    sum += ok;
                }
                elapsed[0] = Aio.getRunningLoop().time() - t0;
                server.close();
                server.waitClosed();
                return sum;
            }
        });
        long expected = (long) CLIENTS * rounds;
        ctx.measured(String.format(Locale.ROOT, "one docs-style client echoed '%s'; %d clients did %d round trips of %d bytes in %s"
                        + " (%.0f round trips/s, client and server in the same loop)%s",
                reply, CLIENTS, total, MESSAGE, secs(elapsed[0]), total / Math.max(elapsed[0], 1e-9),
                total == expected && "Hello World!".equals(reply) ? "" : " -- FAILED: expected " + expected + " round trips"));
    }
}
