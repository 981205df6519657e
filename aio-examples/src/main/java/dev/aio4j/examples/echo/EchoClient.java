package dev.aio4j.examples.echo;

import dev.aio4j.loop.Aio;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Ports the TCP echo client of asyncio's streams documentation ({@code asyncio.open_connection},
 * write, drain, read the reply, close).
 */
public final class EchoClient {
    private EchoClient() {}

    /**
     * {@code async def tcp_echo_client(message)}: sends {@code message} and returns the reply.
     *
     * @param message what to send
     * @param host the server's host
     * @param port the server's port
     * @return what the server sent back
     * @throws IOException if the connection fails
     */
    public static String tcpEchoClient(String message, String host, int port) throws IOException {
        StreamPair conn = Streams.openConnection(host, port);            // reader, writer = await open_connection(...)
        System.out.println("Send: '" + message + "'");
        conn.writer().write(message.getBytes(StandardCharsets.UTF_8));
        conn.writer().drain();
        byte[] data = conn.reader().read(100);
        String reply = new String(data, StandardCharsets.UTF_8);
        System.out.println("Received: '" + reply + "'");
        System.out.println("Close the connection");
        conn.writer().close();
        conn.writer().waitClosed();
        return reply;
    }

    /**
     * Sends the first argument (default "Hello World!") to 127.0.0.1 and {@code -Decho.port}
     * (default 8888).
     *
     * @param args optional message
     * @throws Exception what the body threw: the I/O error of a failed connection, as it was raised
     */
    public static void main(String[] args) throws Exception {
        String message = args.length > 0 ? args[0] : "Hello World!";
        int port = Integer.getInteger("echo.port", 8888);
        Aio.run(() -> tcpEchoClient(message, "127.0.0.1", port));
    }
}
