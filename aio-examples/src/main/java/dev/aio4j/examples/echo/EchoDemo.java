package dev.aio4j.examples.echo;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Server;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the echo server of asyncio's streams documentation and several of its clients in one
 * program, on a free loopback port: what {@link EchoServer} and {@link EchoClient} do in two
 * terminals.
 *
 * <p>{@code -Decho.clients=3} sets how many clients talk to the server concurrently.
 */
public final class EchoDemo {
    private EchoDemo() {}

    /**
     * Starts the server, runs {@code clients} clients concurrently, closes the server.
     *
     * @param clients how many clients
     * @return the replies, in client order
     * @throws Exception what the body threw: the I/O error of a failed connection, as it was raised
     */
    public static List<String> run(int clients) throws Exception {
        return Aio.run(() -> {
            try (Server server = EchoServer.start("127.0.0.1", 0)) {
                List<Task<String>> tasks = new ArrayList<>();
                for (int i = 1; i <= clients; i++) {
                    String message = "Hello World! #" + i;
                    tasks.add(Aio.createTask(() -> EchoClient.tcpEchoClient(message, "127.0.0.1", server.port())));
                }
                List<String> replies = Aio.gather(tasks).await();
                server.close();
                server.waitClosed();
                System.out.println("Server closed after " + replies.size() + " connections");
                return replies;
            }
        });
    }

    /**
     * Runs the demo.
     *
     * @param args unused
     * @throws Exception what the body threw: the I/O error of a failed connection, as it was raised
     */
    public static void main(String[] args) throws Exception {
        run(Integer.getInteger("echo.clients", 3));
    }
}
