package dev.aio4j.examples.selectserver;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Ports the tutorials' {@code select.select()} callback server (accept on the listening socket,
 * answer "Hello, World!" to each request, close on EOF) onto the loop's readiness callbacks,
 * {@code loop.add_reader}, instead of a hand-written select loop.
 *
 * <p>Run it with {@code -Dselect.port=8000} (the default) and connect with any TCP client.
 */
public final class CallbackServer implements AutoCloseable {
    private static final byte[] RESPONSE = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private final EventLoop loop;
    private final ServerSocketChannel serverSocket;
    private int served;
    private int open;

    private CallbackServer(EventLoop loop, ServerSocketChannel serverSocket) {
        this.loop = loop;
        this.serverSocket = serverSocket;
    }

    /**
     * Binds {@code host:port} and starts accepting on the running loop.
     *
     * @param host the address to bind
     * @param port the port, or 0 for a free one
     * @return the server
     * @throws IOException if binding fails
     */
    public static CallbackServer start(String host, int port) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        s.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);   // setsockopt(SO_REUSEADDR)
        s.bind(new InetSocketAddress(host, port), 5);                    // bind + listen(5)
        s.configureBlocking(false);
        CallbackServer server = new CallbackServer(Aio.getRunningLoop(), s);
        server.loop.addReader(s, server::accept);                        // inputs = [server_socket]
        System.out.println("Listening on " + s.getLocalAddress());
        return server;
    }

    /** The listening socket is readable: a client is waiting to be accepted. */
    private void accept() {
        try {
            SocketChannel client = serverSocket.accept();
            if (client == null) {
                return;
            }
            client.configureBlocking(false);
            open++;
            loop.addReader(client, () -> handleRequest(client));       // inputs.append(client_socket)
        } catch (IOException e) {
            throw new UncheckedIOException("accept failed", e);
        }
    }

    /** {@code handle_request(client_socket)}: answer a request, or close on end of stream. */
    private void handleRequest(SocketChannel client) {
        try {
            ByteBuffer request = ByteBuffer.allocate(1024);
            int n = client.read(request);
            if (n > 0) {
                client.write(ByteBuffer.wrap(RESPONSE));                 // small: fits the send buffer
                served++;
                System.out.println("Answered a " + n + "-byte request from " + client.getRemoteAddress());
            } else if (n < 0) {
                loop.removeReader(client);                               // inputs.remove(sock)
                client.close();
                open--;
            }
        } catch (IOException e) {
            loop.removeReader(client);
            try {
                client.close();
            } catch (IOException ignored) {
                // already broken
            }
            open--;
        }
    }

    /**
     * The bound port.
     *
     * @return the port
     */
    public int port() {
        return serverSocket.socket().getLocalPort();
    }

    /**
     * Requests answered so far.
     *
     * @return the count
     */
    public int served() {
        return served;
    }

    /**
     * Client connections still open.
     *
     * @return the count
     */
    public int openConnections() {
        return open;
    }

    /** Stops accepting and closes the listening socket (open clients close on their EOF). */
    @Override
    public void close() {
        loop.removeReader(serverSocket);
        try {
            serverSocket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Serves forever on localhost and {@code -Dselect.port} (default 8000).
     *
     * @param args unused
     * @throws Exception what the body threw: the I/O error of a failed connection, as it was raised
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.getInteger("select.port", 8000);
        Aio.run(() -> {
            try (CallbackServer server = start("localhost", port)) {
                Future<Void> never = Aio.getRunningLoop().createFuture();
                never.await();
            }
            return null;
        });
    }
}
