package dev.aio4j.test.net;

import dev.aio4j.streams.spi.Network.Acceptor;
import dev.aio4j.streams.spi.Network.Listener;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * A listening port (or Unix domain socket path) of a simulated host: the {@link Listener} that
 * {@link SimNetwork#listen} and {@link SimNetwork#listenUnix} return, with its backlog (the
 * kernel's accept queue) of the connections made while its host's accepting was paused.
 */
final class SimListener implements Listener {
    /*
     * Maintainer notes. The host's listener tables say whether it still listens (a Unix path
     * taken over by another listener, or a crash, ends that without close()). Handing a
     * connection to the acceptor is the TCP side's (SimTcp.accept), as for connections accepted
     * at once.
     */
    private final SimTcp tcp;
    private final SimTrace trace;
    final SimHost host;
    final int port;
    /** The normalised path of a Unix domain listener; null for TCP. */
    final String path;
    final int backlog;
    final Acceptor acceptor;
    /** Connections made while accepting was paused: the kernel's accept queue. */
    final ArrayDeque<SimEndpoint> queued = new ArrayDeque<>();

    SimListener(SimTcp tcp, SimTrace trace, SimHost host, int port, String path, int backlog, Acceptor acceptor) {
        this.tcp = tcp;
        this.trace = trace;
        this.host = host;
        this.port = port;
        this.path = path;
        this.backlog = backlog;
        this.acceptor = acceptor;
    }

    /** Accepts what waited in the backlog, in order, while accepting is not paused again. */
    void acceptQueued() {
        while (!host.acceptPaused() && !queued.isEmpty() && listening()) {
            SimEndpoint server = queued.poll();
            if (server.isLost()) {
                continue; // reset while it waited
            }
            trace.record("accept", server.name);
            server.awaitingAccept = false;
            if (tcp.accept(this, server)) {
                server.start();
                server.deferFirstRead(); // what waited in the backlog: after what connectionMade scheduled
            } else {
                tcp.endpointLost(server);
            }
        }
    }

    boolean listening() {
        return path == null ? host.listener(port) == this : host.unixListener(path) == this;
    }

    String label() {
        return host.name + ":" + (path == null ? String.valueOf(port) : path);
    }

    @Override
    public InetSocketAddress address() {
        return path == null ? new InetSocketAddress(host.address, port) : null;
    }

    @Override
    public void close() {
        // Closing a Unix server removes its socket file: later connects find no such file.
        if (host.unlisten(this)) {
            trace.record("unlisten", label());
            for (SimEndpoint e : queued) {
                e.reset(); // closing a listener resets the connections it never accepted
            }
            queued.clear();
        }
    }
}
