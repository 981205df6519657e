package dev.aio4j.examples.echo;

import dev.aio4j.loop.Aio;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.StreamWriter;
import dev.aio4j.streams.Streams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Ports the TCP echo server of asyncio's streams documentation ({@code asyncio.start_server}
 * with a {@code handle_echo(reader, writer)} coroutine that writes back what it read and drains).
 *
 * <p>Run it with {@code -Decho.port=8888} (the default) and talk to it with {@link EchoClient}.
 */
public final class EchoServer {
    private EchoServer() {}

    /**
     * The connection handler: {@code async def handle_echo(reader, writer)}.
     *
     * @param reader the connection's reader
     * @param writer the connection's writer
     * @throws IOException if the connection fails
     */
    public static void handleEcho(StreamReader reader, StreamWriter writer) throws IOException {
        byte[] data = reader.read(100);                                   // data = await reader.read(100)
        String message = new String(data, StandardCharsets.UTF_8);
        Object addr = writer.getExtraInfo("peername");                   // writer.get_extra_info('peername')
        System.out.println("Received '" + message + "' from " + addr);
        System.out.println("Send: '" + message + "'");
        writer.write(data);
        writer.drain();                                                   // await writer.drain()
        System.out.println("Close the connection");
        writer.close();
        writer.waitClosed();                                              // await writer.wait_closed()
    }

    /**
     * Starts the echo server on {@code host:port} (0 picks a free port) and prints where it serves.
     *
     * @param host the address to bind
     * @param port the port, or 0
     * @return the started server
     * @throws IOException if binding fails
     */
    public static Server start(String host, int port) throws IOException {
        Server server = Streams.startServer(EchoServer::handleEcho, host, port);
        System.out.println("Serving on " + server.addresses());
        return server;
    }

    /**
     * Serves forever on 127.0.0.1 and {@code -Decho.port} (default 8888).
     *
     * @param args unused
     * @throws Exception what the body threw: the I/O error of a failed connection, as it was raised
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.getInteger("echo.port", 8888);
        Aio.run(() -> {
            try (Server server = start("127.0.0.1", port)) {              // async with server:
                server.serveForever();                                    // await server.serve_forever()
            }
            return null;
        });
    }
}
