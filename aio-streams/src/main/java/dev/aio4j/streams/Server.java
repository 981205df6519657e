package dev.aio4j.streams;

import dev.aio4j.loop.internal.OpenResources;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.streams.internal.ServerCore;

import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.List;

/**
 * A listening server: accepts connections and gives each its own protocol (or stream handler).
 *
 * <p><b>asyncio:</b> {@code asyncio.Server}. <b>Differences:</b> {@code sockets} is
 * {@link #sockets()} (the {@link ServerSocketChannel}s) and {@link #addresses()} (their bound
 * addresses, handy with port 0); {@link #close()} is also {@link AutoCloseable#close()}, and, like
 * asyncio's {@code close()}, does not wait: call {@link #waitClosed()} for that (asyncio's
 * {@code async with server} does both).
 *
 * <h2>How to get one</h2>
 * {@link Streams#createServer} (protocols) or {@link Streams#startServer} (streams); both start
 * serving at once. Then either keep the task busy elsewhere, or call {@link #serveForever()}.
 *
 * <h2>Closing</h2>
 * {@link #close()} stops listening; connections already accepted go on.
 * {@link #waitClosed()} returns once the server is closed <em>and</em> every connection it
 * accepted has ended (Python 3.12's behaviour); {@link #closeClients()} and
 * {@link #abortClients()} (Python 3.13) end them.
 *
 * <p><b>Threading:</b> loop-confined.
 *
 * @since 0.1
 */
public final class Server implements AutoCloseable {
    private final ServerCore core;

    Server(ServerCore core) {
        this.core = core;
        OpenResources.opened(core.loop(), this, core::isClosed);
    }

    /**
     * The loop this server runs on.
     *
     * @return the loop
     */
    public EventLoop getLoop() {
        return core.loop();
    }

    /**
     * Stops listening and closes the listening sockets (a Unix socket's file is removed).
     * Idempotent; never suspends. On the loop's side only, as asyncio's: from another thread while
     * the loop runs it throws {@link IllegalStateException} and leaves the server open (use
     * {@code loop.callSoonThreadsafe(server::close)}).
     */
    @Override
    public void close() {
        core.close();
    }

    /** Closes every connection this server accepted (their buffers are sent first). */
    public void closeClients() {
        core.closeClients();
    }

    /** Aborts every connection this server accepted (their buffers are dropped). */
    public void abortClients() {
        core.abortClients();
    }

    /**
     * Suspends until the server is closed and all its connections have ended.
     *
     * <p><b>Cancellation:</b> this method may suspend. If the task is cancelled while it waits,
     * the server is not affected.
     */
    public void waitClosed() {
        core.waitClosed();
    }

    /** Starts accepting connections, if not already. */
    public void startServing() {
        core.startServing();
    }

    /**
     * Whether the server is accepting connections.
     *
     * @return true between {@link #startServing()} and {@link #close()}
     */
    public boolean isServing() {
        return core.isServing();
    }

    /**
     * Accepts connections until the calling task is cancelled or the server is closed; then
     * closes the server and waits for its connections to end.
     *
     * <p><b>Cancellation:</b> this method suspends until cancelled: the cancellation closes the
     * server, waits as {@link #waitClosed()} does, and is then thrown on. {@link #close()} from
     * elsewhere ends it the same way (it throws {@link dev.aio4j.loop.CancelledError}).
     *
     * @throws IllegalStateException if the server is closed, or another task already serves forever
     */
    public void serveForever() {
        core.serveForever();
    }

    /**
     * The listening channels.
     *
     * @return them; empty once closed
     */
    public List<ServerSocketChannel> sockets() {
        return core.sockets();
    }

    /**
     * The addresses the server listens on (an {@link java.net.InetSocketAddress} with the real
     * port when bound to port 0, or a {@link java.net.UnixDomainSocketAddress}).
     *
     * @return them; empty once closed
     */
    public List<SocketAddress> addresses() {
        return core.addresses();
    }

    /**
     * The port of the first address: a convenience for servers bound to port 0 (aio4j-only).
     *
     * @return the port
     * @throws IllegalStateException if the server is closed or listens on a Unix socket
     */
    public int port() {
        for (SocketAddress a : core.addresses()) {
            if (a instanceof java.net.InetSocketAddress ia) {
                return ia.getPort();
            }
        }
        throw new IllegalStateException("the server has no TCP address: " + this);
    }

    @Override
    public String toString() {
        return core.toString();
    }
}
