package dev.aio4j.test.net;

import dev.aio4j.streams.spi.Network.Acceptor;
import dev.aio4j.streams.spi.Network.Listener;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A listening port (or Unix domain socket path) of a simulated host: the {@link Listener} that
 * {@link SimNetwork#listen} and {@link SimNetwork#listenUnix} return, with its backlog (the
 * kernel's accept queue) of the connections made while its host's accepting was paused, and its
 * SYN queue of half-open requests, bounded as Linux's (past it, SYNs get SYN cookies, SimTcp; a
 * Unix listener has none, as AF_UNIX has no handshake: a connect past its full accept queue fails
 * at once). Its backlog is the one the listen asked for, cut to {@code somaxconn}.
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
    /**
     * Unix connections made while accepting was not paused whose accept runs on the next loop
     * iteration (SimTcp.connectUnix): until then they wait in the listener's queue too, as on a
     * real loop, whose accept runs only when the selector next reports the listener.
     */
    int pendingAccepts;
    /**
     * Its half-open requests (SYN-RCVD server ends, each with its SYN-ACK timer): Linux's SYN
     * queue, whose length ({@code qlen}) is at most {@code backlog + 1}, since a SYN that finds
     * more than {@code backlog} gets a SYN cookie instead ({@link #synQueueFull}). An end leaves it
     * when its handshake completes, its request is dropped, or it is lost.
     */
    final Set<SimEndpoint> requests = new LinkedHashSet<>();
    /** The most requests it held at once (for tests: the bound above, checked at every step). */
    int requestsPeak;
    /**
     * When it last sent a SYN cookie, as Linux records it ({@code tcp_synq_overflow}: at most once
     * a second, so up to 1 s earlier than the latest); cookies are checked only within
     * {@link SimNetwork#SYNCOOKIE_VALID} of it.
     */
    private double lastOverflow = Double.NEGATIVE_INFINITY;

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

    /**
     * Whether a SYN arriving now gets a SYN cookie rather than a request: more than
     * {@code backlog} requests are half open. Linux's {@code inet_csk_reqsk_queue_is_full}, which
     * compares with {@code >} since 6.13 (commit 3479c7549fb1, January 2025, also taken into the 5.15, 6.1, 6.6
     * and 6.12 stable kernels then; {@code >=} before, one request fewer), as {@link #acceptQueueFull} does.
     */
    boolean synQueueFull() {
        return requests.size() > backlog;
    }

    /**
     * Whether the accept queue has no room: accepting is paused and it holds more than
     * {@code backlog} connections (Linux's {@code sk_acceptq_is_full}, {@code >}: a backlog of
     * {@code n} holds {@code n + 1}). A SYN is dropped then, and so is the ACK that would complete a
     * handshake.
     */
    boolean acceptQueueFull() {
        return host.acceptPaused() && queued.size() > backlog;
    }

    /**
     * How many connections a Unix connect finds waiting in the listener's queue: those queued
     * while accepting is paused and those whose accept runs on the next loop iteration. A connect
     * fails with {@code EAGAIN} when there are more than {@code backlog} (Linux's
     * {@code unix_recvq_full}: {@code skb_queue_len > sk_max_ack_backlog}), paused or not.
     */
    int unixWaiting() {
        return queued.size() + pendingAccepts;
    }

    /** {@code server} is half open: it joins the SYN queue. */
    void requestAdded(SimEndpoint server) {
        requests.add(server);
        requestsPeak = Math.max(requestsPeak, requests.size());
    }

    /** A SYN cookie is sent at {@code now}: the overflow is recorded unless one was within the last second ({@code tcp_synq_overflow}). */
    void synQueueOverflowed(double now) {
        if (!(now >= lastOverflow && now <= lastOverflow + 1.0)) {
            lastOverflow = now;
        }
    }

    /**
     * Whether a cookie's ACK arriving at {@code now} is checked at all: only from 1 s before the
     * last recorded overflow to {@link SimNetwork#SYNCOOKIE_VALID} after it (Linux's
     * {@code tcp_synq_no_recent_overflow}, which answers the others as ACKs for no socket).
     */
    boolean overflowedRecently(double now) {
        return now >= lastOverflow - 1.0 && now <= lastOverflow + SimNetwork.SYNCOOKIE_VALID;
    }

    /** When it last recorded a SYN queue overflow ({@link #synQueueOverflowed}); negative infinity if never. */
    double lastOverflow() {
        return lastOverflow;
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
