package dev.aio4j.streams.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A listener whose accept queue is full, so that the kernel drops new SYNs: a connect to it hangs
 * as one to a dead route (an IPv6 address that leads nowhere) does. For the Happy Eyeballs tests
 * of aio-streams and aio-http. {@link #dropsSyns} is false where the kernel answers such SYNs
 * anyway; tests assume it. aio4j-only test support.
 */
public final class FullListener implements AutoCloseable {
    private final ServerSocketChannel server;
    private final List<Socket> fillers = new ArrayList<>();
    private final boolean dropsSyns;

    /**
     * Binds {@code address:port} with a backlog of 1 and fills the queue.
     *
     * @param address a loopback address
     * @param port the port, 0 for any
     * @throws IOException if it cannot be bound
     */
    public FullListener(InetAddress address, int port) throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(address, port), 1);
        boolean timedOut = false;
        for (int i = 0; i < 64 && !timedOut; i++) {
            Socket s = new Socket();
            try {
                s.connect(server.getLocalAddress(), 200);
                fillers.add(s);
            } catch (SocketTimeoutException e) {
                s.close();
                timedOut = true;
            }
        }
        dropsSyns = timedOut;
    }

    /** @return whether a connect to it now hangs */
    public boolean dropsSyns() {
        return dropsSyns;
    }

    /**
     * @return the bound address
     * @throws IOException if the socket is closed
     */
    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    @Override
    public void close() throws IOException {
        for (Socket s : fillers) {
            s.close();
        }
        server.close();
    }
}
