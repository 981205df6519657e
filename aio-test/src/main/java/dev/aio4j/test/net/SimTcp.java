package dev.aio4j.test.net;

import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.TimerHandle;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.spi.Network.Acceptor;
import dev.aio4j.streams.spi.Network.Listener;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * The TCP side of a {@link SimNetwork} (and of its Unix domain sockets, whose connections behave
 * as TCP's on a host's own link, but are made with no handshake, as AF_UNIX's): connects and their handshake (the SYN, the SYN-ACK, refusals, SYNs dropped
 * at a full backlog and retransmitted, SYN cookies past a full SYN queue, connect timeouts), listens, accepting, the live
 * connections that faults reset, and what a hold or partition keeps waiting (SYNs and pipes)
 * until {@link #releaseHeldPipes} and {@link #releaseHeldSyns}. The connection itself is
 * {@link SimEndpoint} and {@link SimPipe}; the listener is {@link SimListener}.
 */
final class SimTcp {
    /*
     * Maintainer notes. `live` holds the endpoints not yet lost, in creation order, so that
     * resets and crashes visit them in a fixed order. Every protocol callback runs as a loop
     * callback in the context of the host it belongs to (SimHost.call / callAt). The network is
     * kept for its loop and its name in messages, and handed to the endpoints made here. A server
     * end a SYN cookie stands for is not in `live` (the server has no socket for it) until a valid
     * cookie's ACK makes the connection; its client end is, as any client's.
     */
    private final SimNetwork net;
    private final SimTrace trace;
    private final SimLinks links;
    private final SimHosts hosts;
    private final Set<SimEndpoint> live = new LinkedHashSet<>();
    private final List<Syn> heldSyns = new ArrayList<>();
    /** Pipes whose head waited at a cut link, in the order they did. */
    private final Set<SimPipe> heldPipes = new LinkedHashSet<>();
    /** The connects waiting for their SYN-ACK (handshake), in the order they started: uninstall() fails them. */
    private final Set<Syn> connecting = new LinkedHashSet<>();
    private double connectTimeout = SimNetwork.DEFAULT_CONNECT_TIMEOUT;
    private double giveUpAfter = SimNetwork.DEFAULT_GIVE_UP;
    private int somaxconn = SimNetwork.DEFAULT_SOMAXCONN;

    SimTcp(SimNetwork net, SimTrace trace, SimLinks links, SimHosts hosts) {
        this.net = net;
        this.trace = trace;
        this.links = links;
        this.hosts = hosts;
    }

    void setTimeouts(double connectTimeout, double giveUpAfter) {
        this.connectTimeout = connectTimeout;
        this.giveUpAfter = giveUpAfter;
    }

    double giveUpAfter() {
        return giveUpAfter;
    }

    double connectTimeout() {
        return connectTimeout;
    }

    void setSomaxconn(int somaxconn) {
        this.somaxconn = somaxconn;
    }

    /**
     * The backlog a listen gets, as Linux's: {@code __sys_listen} (net/socket.c) caps it at
     * {@code net.core.somaxconn} ({@code (unsigned int) backlog > somaxconn}), and
     * {@code inet_listen} and {@code unix_listen} keep what is left as {@code sk_max_ack_backlog},
     * 0 included: {@code sk_acceptq_is_full} and {@code unix_recvq_full} compare with {@code >},
     * so a backlog of 0 still lets one connection wait. The cap applies when the listener is made
     * (a later {@link #setSomaxconn} changes no listener). A negative backlog, which Linux's
     * unsigned comparison would turn into somaxconn, is refused: no caller of the seam means it.
     */
    private int effectiveBacklog(int backlog) {
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog must be >= 0 (Linux's listen() takes a negative one as net.core.somaxconn;"
                    + " pass that, " + somaxconn + " here, if you mean it), got " + backlog);
        }
        return Math.min(backlog, somaxconn);
    }

    /**
     * How many connections are up (two live endpoints each). A client end whose server end is a
     * SYN cookie not yet turned into a connection, or a request its host's crash took, counts for
     * nothing: the server has no socket. Nor does a half-open server end whose client is gone (its
     * host crashed or vanished): it waits for its timer or a RST, and no client is there. An end
     * that is lost counts for nothing from then on, although it stays in {@code live} until its
     * connectionLost runs on the next iteration: a crash's client ends, say, as soon as it happens.
     */
    int connections() {
        int ends = 0;
        for (SimEndpoint e : live) {
            if (!e.isLost() && !e.peer.keptByNoServer() && !(e.isHalfOpen() && e.peer.isLost())) {
                ends++;
            }
        }
        return ends / 2;
    }

    /** How many server ends are half open (SYN-RCVD: in a listener's SYN queue, their handshake not complete). */
    int halfOpen() {
        int n = 0;
        for (SimEndpoint e : live) {
            if (e.isHalfOpen()) {
                n++;
            }
        }
        return n;
    }

    /** Resets the connections between {@code x} and {@code y}, in creation order, saying {@code why}. */
    void resetBetween(SimHost x, SimHost y, String why) {
        for (SimEndpoint e : List.copyOf(live)) {
            if (between(e, x, y)) {
                e.resetBy(why);
            }
        }
    }

    /**
     * {@code h} crashed: every connection it has is reset at both ends, except its handshakes with
     * other hosts, at either end. A crashed host sends no segment, so the other end is not told.
     * As the server: for a SYN cookie the host kept nothing (no request, no socket: tcp_conn_request
     * with want_cookie frees the request once the SYN-ACK is sent), and a half-open request
     * (SYN-RCVD) goes with the host's memory; neither client is told, whether it has the SYN-ACK
     * (connected, as far as it knows) or still waits for it. They learn of it only when their next
     * segment arrives: an ACK, data or a FIN is dropped unanswered while the host is down (data and
     * a FIN are retransmitted until the sender gives up) and answered with a RST once it is back
     * (cookieAckArrived, crashedRequestAckArrived); a SYN sent again fails as every connect to a
     * host that is down does, or reaches the restarted host as a new connect. As the client: its
     * end goes (its ACK too, if it was still on the wire, as the crash drops what the host's
     * connections had in flight), and the server's request (SYN-RCVD) stays half open, in its
     * listener's SYN queue, its timer running: its SYN-ACK, sent again at 1, 2, 4, 8, 16 s, is
     * dropped unanswered while the host is down (synAckArrived) and the request is dropped when
     * its retries run out, 63 s after its first SYN-ACK, as Linux's reqsk_timer_handler does; a
     * SYN-ACK that reaches the restarted host finds no socket and is answered with a RST, which
     * drops the request when it arrives.
     */
    void crashed(SimHost h) {
        Set<SimEndpoint> requests = new LinkedHashSet<>();
        for (SimEndpoint e : live) {
            if (e.host == h && e.isHalfOpen() && e.peer.host != h && !e.peer.isLost()) {
                requests.add(e);
            }
        }
        for (SimEndpoint e : List.copyOf(live)) {
            if (requests.contains(e)) {
                e.requestLostInCrash();
                endpointLost(e); // no socket of the host's any longer; faults no longer visit it
            } else if (e.host != h && e.peer.host == h && (e.peer.holdsCookie() || requests.contains(e.peer))) {
                continue; // its client: told nothing
            } else if (e.host != h && e.peer.host == h && e.isHalfOpen()) {
                continue; // a request of the crashed host's connect: told nothing, its timer goes on (its client end goes below)
            } else if (e.host == h || e.peer.host == h) {
                e.resetBy("host " + h.name + " crashed");
            }
        }
    }

    /** {@code h} vanished: its ends go quiet, and their peers find out by their own timeouts. */
    void vanished(SimHost h) {
        for (SimEndpoint e : List.copyOf(live)) {
            if (e.host == h) {
                e.vanish();
            }
        }
    }

    /** {@code h} accepts again: each of its listeners accepts what waited in its backlog, in order. */
    void acceptingResumed(SimHost h) {
        for (SimListener l : h.allListeners()) {
            h.call(l::acceptQueued);
        }
    }

    /** {@link SimNetwork#connect}, after the loop check. */
    Transport connect(EventLoop loop, InetSocketAddress address, Protocol protocol) throws IOException {
        SimHost src = hosts.current();
        if (!src.isUp()) {
            throw new NoRouteToHostException("Network is unreachable: host " + src.name + " is down");
        }
        SimHost dst = address.getAddress() == null ? null : hosts.at(address.getAddress());
        if (dst == null) {
            throw new NoRouteToHostException("No route to host " + address + " (not a host of " + net + ")");
        }
        InetSocketAddress local = new InetSocketAddress(src.address, src.freeTcpPort("Cannot assign requested address", live));
        InetSocketAddress remote = new InetSocketAddress(dst.address, address.getPort());
        Future<SimEndpoint> made = loop.createFuture();
        return handshake(new Syn(src, dst, local, remote, SimNetwork.label(local), SimNetwork.label(remote), protocol, made));
    }

    /** Sends the SYN and waits for the SYN-ACK, the refusal or the timeout. */
    private Transport handshake(Syn syn) throws IOException {
        Future<SimEndpoint> made = syn.made;
        syn.sentAt = net.loop().time();
        trace.record("connect", syn.localLabel + "->" + syn.remoteLabel);
        transmitSyn(syn);
        armSynTimer(syn);
        // Whatever ends the connect (the SYN-ACK, a refusal, the timeout, a cancel) deletes its
        // SYN timer, as Linux stops the retransmission timer when it leaves SYN-SENT.
        connecting.add(syn);
        made.addDoneCallback(f -> {
            connecting.remove(syn);
            if (syn.timer != null) {
                syn.timer.cancel();
                syn.timer = null;
            }
        });
        try {
            return made.await();
        } catch (CancelledError e) {
            if (syn.client != null) {
                syn.client.reset();
            }
            throw e;
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /**
     * One transmission of the SYN (in the connecting host's context), drawing its loss now. What
     * becomes of it (lost, dropped at a full backlog, answered or not) does not change when the
     * next one leaves: that is the connecting end's own timer ({@link #armSynTimer}), as on Linux.
     */
    private void transmitSyn(Syn syn) {
        double now = net.loop().time();
        if (links.loses(syn.src, syn.dst)) {
            trace.record("dropped", syn.localLabel + "->" + syn.remoteLabel + " SYN (lost" + nextSyn(syn) + ")");
            return;
        }
        syn.dst.callAt(now + links.latency(syn.src, syn.dst), "SYN due", syn.name, () -> synArrived(syn));
    }

    /**
     * The connecting end's SYN timer, as Linux's in SYN-SENT: the SYN is sent again 1 s
     * ({@code TCP_TIMEOUT_INIT}) after it first left, then 2, 4, 8... s after each retransmission,
     * whatever became of the last one, until the SYN-ACK or a refusal arrives; a retransmission
     * that would leave at or past the connect timeout is not sent, and the connect fails then
     * ({@code tcp_syn_retries} = 6 gives SYNs at 0, 1, 3, 7, 15, 31 and 63 s and the failure at 127 s).
     */
    private void armSynTimer(Syn syn) {
        // Offsets from the first SYN (1, 3, 7... s, exact in doubles), not differences of clock
        // readings: 127.04 - 0.04 is 126.99999999999999 and would send an eighth SYN.
        double offset = syn.lastOffset + synRto(syn);
        if (offset >= connectTimeout) {
            syn.timer = syn.src.callAt(Math.max(net.loop().time(), syn.sentAt + connectTimeout), "connect timeout", syn.name, () -> {
                syn.timer = null;
                connectTimedOut(syn);
            });
            return;
        }
        syn.timer = syn.src.callAt(syn.sentAt + offset, "SYN retransmission", syn.name, () -> {
            syn.timer = null;
            if (syn.made.done()) {
                return; // answered (or the connecting task gave up)
            }
            double waited = synRto(syn);
            syn.retransmissions++;
            syn.lastOffset = offset;
            trace.record("retransmit", syn.localLabel + "->" + syn.remoteLabel + " SYN (no answer for " + waited + " s)");
            transmitSyn(syn);
            armSynTimer(syn);
        });
    }

    /** How the trace says when the connecting end sends its SYN next: "; retransmitted in N s", or nothing when the connect times out first. */
    private String nextSyn(Syn syn) {
        double rto = synRto(syn);
        return syn.lastOffset + rto >= connectTimeout ? "" : "; retransmitted in " + rto + " s";
    }

    /** The timeout the SYN timer waits after the latest transmission: 1 s, doubling with each retransmission, at most 120 s. */
    private static double synRto(Syn syn) {
        return handshakeRto(syn.retransmissions);
    }

    /** A handshake timer's timeout after {@code timeouts} expiries: 1 s ({@code TCP_TIMEOUT_INIT}), doubling, at most 120 s. */
    private static double handshakeRto(int timeouts) {
        return Math.min(SimNetwork.SYN_RTO * (1 << Math.min(timeouts, 20)), SimNetwork.MAX_RTO);
    }

    /**
     * A transmission of the SYN got no answer ({@code why}: a full backlog dropped it, or the
     * refusal was lost or held): traced; the connecting end's timer sends the next one.
     */
    private void synUnanswered(Syn syn, String why) {
        trace.record("dropped", syn.localLabel + "->" + syn.remoteLabel + " SYN (" + why + nextSyn(syn) + ")");
    }

    /** {@link SimNetwork#listen}, after the loop check. */
    Listener listen(InetSocketAddress address, int backlog, Acceptor acceptor) throws IOException {
        int effective = effectiveBacklog(backlog);
        InetAddress a = address.getAddress();
        SimHost h = a == null || a.isAnyLocalAddress() ? hosts.current() : hosts.at(a);
        if (h == null || !h.isUp()) {
            throw new BindException("Cannot assign requested address: " + address + (h == null ? " (no such host in " + net + ")"
                    : " (host " + h.name + " is down)"));
        }
        int port = address.getPort() == 0 ? h.freeTcpPort("Address already in use", live) : address.getPort();
        if (h.listener(port) != null) {
            throw new BindException("Address already in use: " + h.name + ":" + port
                    + " (a simulated TCP port takes one listener; reusePort is not modelled)");
        }
        SimListener l = new SimListener(this, trace, h, port, null, effective, acceptor);
        h.listen(port, l);
        trace.record("listen", l.label());
        return l;
    }

    /** {@link SimNetwork#connectUnix}, after the loop check. */
    Transport connectUnix(EventLoop loop, Path path, Protocol protocol) throws IOException {
        SimHost h = hosts.current();
        if (!h.isUp()) {
            throw new NoRouteToHostException("Network is unreachable: host " + h.name + " is down");
        }
        String key = unixKey(path);
        if (h.unixListener(key) == null) {
            boolean stale = h.staleUnixFile(key);
            trace.record("refused", h.name + ":" + key + (stale ? " (stale socket file)" : " (no such file)"));
            throw stale ? new ConnectException("Connection refused: " + path + " on host " + h.name)
                    : new SocketException("No such file or directory: " + path + " on host " + h.name
                    + " (a Unix socket is reachable only from the host that listens on it)");
        }
        SimListener l = h.unixListener(key);
        String local = h.name + ":unix#" + h.freeTcpPort("Cannot assign requested address", live);
        String remote = h.name + ":" + key;
        trace.record("connect", local + "->" + remote);
        // AF_UNIX has no handshake (no SYN, no SYN queue, no SYN cookies): unix_stream_connect
        // (net/unix/af_unix.c) puts the new connection on the listener's queue at once, or, when
        // the queue holds more than the backlog (unix_recvq_full: skb_queue_len >
        // sk_max_ack_backlog) and the socket is non-blocking, as the loop's sockets are, fails
        // with EAGAIN. The JDK reports that as a SocketException "Resource temporarily
        // unavailable", which aio-streams passes on ("Connect call failed to <path>: ...").
        // The queue holds the connections made in this loop iteration too, while accepting goes on:
        // the server takes them on the next (a real loop accepts when the selector next reports
        // the listener), so a burst of connects fills it as on Linux.
        int waiting = l.unixWaiting();
        if (waiting > l.backlog) {
            trace.record("refused", local + "->" + remote + " (accept queue of " + waiting + " full, backlog " + l.backlog
                    + ": EAGAIN)");
            throw new SocketException("Resource temporarily unavailable: the Unix socket " + path + " on host " + h.name
                    + " has " + waiting + " connections waiting to be accepted, more than its backlog of " + l.backlog
                    + " (a non-blocking connect fails at once, EAGAIN; connect again once the server accepts)");
        }
        SimEndpoint server = new SimEndpoint(net, h, UnixDomainSocketAddress.of(path), UnixDomainSocketAddress.of(""), remote, local);
        SimEndpoint client = new SimEndpoint(net, h, UnixDomainSocketAddress.of(""), UnixDomainSocketAddress.of(path), local, remote);
        server.peer = client;
        client.peer = server;
        server.out = new SimPipe(net, server, client);
        client.out = new SimPipe(net, client, server);
        Future<SimEndpoint> made = loop.createFuture();
        client.connecting = made;
        client.protocol = protocol;
        live.add(server);
        live.add(client);
        if (h.acceptPaused()) {
            established(l, server); // into the accept queue now, so that the next connect counts it
        } else {
            // Accepted when the server's loop next runs, in the host's context, as the listener's
            // readiness is reported on the next iteration; it waits in the queue until then.
            l.pendingAccepts++;
            h.call(() -> {
                l.pendingAccepts--;
                if (server.isLost()) {
                    return;
                }
                if (!l.listening()) {
                    server.reset(" (listener closed before it accepted)");
                    return;
                }
                established(l, server);
            });
        }
        h.call(() -> {
            if (made.done() || client.isLost()) {
                return; // cancelled, or reset before the transport was made
            }
            trace.record("connected", client.name);
            if (client.start()) {
                made.setResult(client);
            }
        });
        try {
            return made.await();
        } catch (CancelledError e) {
            client.reset();
            throw e;
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /** {@link SimNetwork#listenUnix}, after the loop check. */
    Listener listenUnix(Path path, int backlog, Acceptor acceptor) throws IOException {
        int effective = effectiveBacklog(backlog);
        SimHost h = hosts.current();
        if (!h.isUp()) {
            throw new BindException("Cannot assign requested address: " + path + " (host " + h.name + " is down)");
        }
        String key = unixKey(path);
        SimListener l = new SimListener(this, trace, h, -1, key, effective, acceptor);
        h.listenUnix(key, l);
        trace.record("listen", l.label());
        return l;
    }

    private static String unixKey(Path path) {
        if (path == null) {
            throw new IllegalArgumentException("path must not be null, got null");
        }
        return path.normalize().toString();
    }

    private static boolean between(SimEndpoint e, SimHost x, SimHost y) {
        return (e.host == x && e.peer.host == y) || (e.host == y && e.peer.host == x);
    }

    /** A pipe's head reached a held link: {@link #releaseHeldPipes} pumps it when the link lets it cross. */
    void pipeHeld(SimPipe p) {
        heldPipes.add(p);
    }

    /** Pumps the pipes that waited at links that let them cross now, in the order they waited. */
    void releaseHeldPipes() {
        if (!heldPipes.isEmpty()) {
            List<SimPipe> still = new ArrayList<>();
            for (SimPipe p : heldPipes) {
                if (links.held(p.from.host, p.to.host)) {
                    still.add(p);
                } else {
                    p.to.host.call(p::pump);
                }
            }
            heldPipes.clear();
            heldPipes.addAll(still);
        }
    }

    /** Delivers the SYNs that waited at links that let them cross now, in the order they waited. */
    void releaseHeldSyns() {
        if (!heldSyns.isEmpty()) {
            List<Syn> still = new ArrayList<>();
            for (Syn s : heldSyns) {
                if (links.held(s.src, s.dst)) {
                    still.add(s);
                } else {
                    s.dst.call(() -> synArrived(s));
                }
            }
            heldSyns.clear();
            heldSyns.addAll(still);
        }
    }

    /**
     * The network stopped: what waited at cuts goes nowhere, and is forgotten. On
     * {@code uninstall()} ({@code settle}; not when the loop closes, which ends its tasks itself)
     * what only the cancelled timers would have ended ends now: a connect still waiting for its
     * SYN-ACK fails (its SYN timers and connect timeout are gone), and each end drops its write
     * buffer (no delivery or give-up timer will empty it), so that a paused writer resumes.
     */
    void stopped(boolean settle) {
        heldSyns.clear();
        heldPipes.clear();
        if (!settle) {
            return;
        }
        for (Syn syn : new ArrayList<>(connecting)) {
            if (syn.client != null) {
                syn.client.discardUnconnected();
            }
            if (!syn.made.done()) {
                syn.made.setException(new ConnectException("Connection aborted: " + syn.name
                        + " was connecting when its SimNetwork was uninstalled (stopped: nothing will answer)"));
            }
        }
        for (SimEndpoint e : live) {
            e.networkStopped();
        }
    }

    /** How many SYNs wait at held links (tests: it must not grow with the attempts of a long partition). */
    int heldSynCount() {
        return heldSyns.size();
    }

    /** {@code e}'s connectionLost is scheduled (or its accept failed): faults no longer visit it. */
    void endpointLost(SimEndpoint e) {
        live.remove(e);
    }

    /** The SYN reached the destination host (in its context). */
    private void synArrived(Syn syn) {
        if (syn.made.done()) {
            return; // the connecting task gave up
        }
        if (links.held(syn.src, syn.dst)) {
            if (!heldSyns.contains(syn)) {
                // the SYNs of connects that gave up meanwhile go now: a long partition with a
                // connect after each timeout holds one SYN per live connect, not one per attempt
                heldSyns.removeIf(s -> s.made.done());
                heldSyns.add(syn); // its retransmissions would only wait behind it
            }
            return; // unless the release comes first, the connecting end's timer times it out
        }
        if (!syn.dst.isUp() && syn.dst.vanished()) {
            trace.record("dropped", syn.localLabel + "->" + syn.remoteLabel + " SYN (host " + syn.dst.name + " vanished)");
            return;
        }
        if (syn.client != null) {
            SimEndpoint server = syn.client.peer;
            if (server.isHalfOpen() && !server.synReceivedBy.listening()) {
                // Its listener closed: Linux drops the request and looks the SYN up again
                // (tcp_v4_rcv), which finds another listener or none.
                server.handshakeAbandoned("; listener closed");
            }
            if (server.isHalfOpen()) {
                // A retransmission of the SYN of a request in SYN-RCVD: Linux answers it with the
                // SYN-ACK again (tcp_check_req) and restarts the request's timer.
                synAgain(server);
                return;
            }
            // The request is gone (its SYN-ACK retries ran out, or it was reset): this SYN opens
            // a new one, as on Linux; the old client end never connected and goes quietly.
            syn.client.discardUnconnected();
            syn.client = null;
        }
        SimListener l = !syn.dst.isUp() ? null : syn.dst.listener(((InetSocketAddress) syn.remote).getPort());
        if (l == null) {
            String why = syn.dst.isUp() ? null : "host " + syn.dst.name + " is down";
            trace.record("refused", syn.localLabel + "->" + syn.remoteLabel + (why == null ? "" : " (" + why + ")"));
            if (links.held(syn.dst, syn.src)) {
                // A partition or hold keeps the refusal from the connecting end: it hears nothing
                // and retransmits its SYN, whose refusal crosses once the link lets it.
                synUnanswered(syn, "refusal held");
                return;
            }
            if (links.loses(syn.dst, syn.src)) {
                // The refusal (a RST, or the ICMP error of a host that is down) is lost: the
                // connecting end hears nothing and retransmits its SYN, as for a lost SYN.
                synUnanswered(syn, "refusal lost");
                return;
            }
            syn.src.callAt(net.loop().time() + links.latency(syn.dst, syn.src), "refusal due", syn.name, () -> {
                if (!syn.made.done()) {
                    syn.made.setException(why == null
                            ? new ConnectException("Connection refused: " + syn.remoteLabel)
                            : new NoRouteToHostException("Host is down: " + syn.remoteLabel));
                }
            });
            return;
        }
        SimEndpoint stale = staleRequest(l, syn);
        if (stale != null) {
            staleRequestAnswers(stale, syn);
            return;
        }
        // Linux's tcp_conn_request: a SYN that finds more than backlog requests half open gets a
        // SYN cookie (tcp_syncookies = 1); then, cookie or not, a SYN the full accept queue has no
        // room for is dropped, and the client retransmits it.
        boolean cookie = l.synQueueFull();
        if (l.acceptQueueFull()) {
            synUnanswered(syn, "backlog of " + l.backlog + " full");
            return;
        }
        SimEndpoint server = new SimEndpoint(net, syn.dst, syn.remote, syn.local, syn.remoteLabel, syn.localLabel);
        SimEndpoint client = new SimEndpoint(net, syn.src, syn.local, syn.remote, syn.localLabel, syn.remoteLabel);
        server.peer = client;
        client.peer = server;
        server.out = new SimPipe(net, server, client);
        client.out = new SimPipe(net, client, server);
        client.connecting = syn.made;
        client.protocol = syn.protocol; // not called before the SYN-ACK arrives
        syn.client = client;
        double now = net.loop().time();
        if (cookie) {
            // A SYN cookie: the SYN-ACK goes, and the listener keeps nothing (no request in its SYN
            // queue, no timer: a lost SYN-ACK is not sent again, the client's next SYN starts over).
            // The server end stands for what the cookie encodes; it joins the connections when a
            // valid cookie's ACK finds room (cookieAckArrived).
            trace.record("syncookie", server.name + " (SYN queue of " + l.requests.size() + " full, backlog " + l.backlog
                    + "; no request kept)");
            l.synQueueOverflowed(now);
            server.cookieFrom = l;
            server.cookieSentAt = now;
            server.cookieBoot = syn.dst.boot();
            live.add(client);
            server.out.sendSynAck();
            return;
        }
        // SYN-RCVD: in Linux's SYN queue, not its accept queue. The listener gets the connection
        // when the client's ACK of this SYN-ACK arrives (ackArrived), as accept() returns only
        // connections whose handshake completed; a lost SYN-ACK leaves nothing to accept.
        server.synReceivedBy = l;
        l.requestAdded(server);
        live.add(server);
        live.add(client);
        server.out.sendSynAck();
        armRequestTimer(server, now + SimNetwork.SYN_RTO);
    }

    /**
     * The half-open request of {@code l} that a new connect's SYN would find for its four-tuple (the
     * same client address and port), or null: a request whose client end went without a word (its
     * host crashed) and whose port the client uses again. Linux keeps requests in the same hash
     * table as connected sockets ({@code inet_ehash}), so such a SYN reaches the request, not the
     * listener.
     */
    private static SimEndpoint staleRequest(SimListener l, Syn syn) {
        for (SimEndpoint e : l.requests) {
            if (e.isHalfOpen() && e.remote.equals(syn.local)) {
                return e;
            }
        }
        return null;
    }

    /**
     * A new connect's SYN reached a request in SYN-RCVD for the same four-tuple, made by an
     * earlier SYN (the client's host restarted and uses the port again). Its sequence number is
     * not the one the request holds, so Linux's {@code tcp_check_req} finds it out of the window:
     * it answers with an ACK for the sequence it expects and drops the SYN (at most once per
     * 500 ms, {@code tcp_oow_rate_limited} with the request's {@code last_oow_ack_time}, the stamp
     * a retransmitted SYN's answer uses too), and the request's timer goes on. The ACK acknowledges
     * nothing the connecting socket sent: in SYN-SENT, {@code tcp_rcv_synsent_state_process}
     * answers it with a RST ({@code reset_and_undo}) and the connect goes on, its SYN timer
     * running; the RST carries the sequence the request expects, so it drops the request
     * ({@code tcp_check_req}'s embryonic reset), and the connect's next SYN, 1 s after its first,
     * opens a new one.
     */
    private void staleRequestAnswers(SimEndpoint stale, Syn syn) {
        double now = net.loop().time();
        if (now - stale.synAnsweredAt < SimNetwork.OUT_OF_WINDOW_RATELIMIT) {
            trace.record("dropped", syn.name + " SYN (answered " + seconds(now - stale.synAnsweredAt) + " s ago)");
            return;
        }
        stale.synAnsweredAt = now;
        trace.record("challenge-ack", stale.name + " (SYN-RCVD for an earlier SYN: this one is out of its window)");
        stale.out.sendOutOfWindowAck(() -> staleAckArrived(stale, syn));
    }

    /**
     * The ACK a stale request sent for an out-of-window SYN reached the connecting host (in its
     * context): a connect still in SYN-SENT answers with a RST (an unacceptable ACK), as does a
     * host where the connect ended (no socket); a host that is down drops it, and a connect that
     * completed meanwhile (a later SYN went through) ignores it.
     */
    private void staleAckArrived(SimEndpoint stale, Syn syn) {
        SimHost h = syn.src;
        if (!h.isUp()) {
            trace.record("dropped", stale.name + " ack (host " + h.name + (h.vanished() ? " vanished)" : " is down)"));
            return;
        }
        if (syn.client != null && syn.client.started) {
            return;
        }
        stale.peer.out.sendReset(false, syn.made.done() ? " (ACK for a connect that ended)" : " (unacceptable ACK in SYN-SENT)");
    }

    /**
     * (Re)starts the timer of a half-open request, as Linux's {@code reqsk_timer}: when it fires
     * the SYN-ACK is sent again and the timer doubles, 1, 2, 4, 8, 16 s ({@code tcp_synack_retries}
     * = 5), and the next time after that the request is dropped (63 s after its SYN-ACK when
     * nothing restarted it); it is dropped at once, without a SYN-ACK, when it finds its listener
     * closed. Setting it cancels the one pending (Linux's {@code mod_timer}); completing the
     * handshake or losing the end cancels it too (SimEndpoint.stopRequestTimer).
     */
    private void armRequestTimer(SimEndpoint server, double at) {
        server.stopRequestTimer();
        server.requestTimer = server.host.callAt(at, "request timer", server.name, () -> {
            server.requestTimer = null;
            if (server.isHalfOpen()) {
                requestTimerFired(server);
            }
        });
    }

    private void requestTimerFired(SimEndpoint server) {
        double now = net.loop().time();
        if (!server.synReceivedBy.listening()) {
            // Its listener closed: Linux's timer drops the request without a SYN-ACK (reqsk_timer_handler).
            server.handshakeAbandoned("; listener closed");
            return;
        }
        int retries = synAckRetries(server.synReceivedBy);
        if (server.synAckTimeouts >= retries) {
            // Nobody ACKed its SYN-ACKs: Linux drops the request quietly (sooner when the SYN queue is crowded).
            server.handshakeAbandoned(retries == SimNetwork.SYNACK_RETRIES ? ""
                    : "; SYN queue more than half full: " + retries + " SYN-ACK retries");
            return;
        }
        server.out.resendSynAck("timeout");
        server.synAckTimeouts++;
        armRequestTimer(server, now + handshakeRto(server.synAckTimeouts));
    }

    /**
     * How many SYN-ACK retransmissions a request of {@code l} gets when its timer fires now, as
     * Linux's {@code reqsk_timer_handler} decides: {@code tcp_synack_retries} (5), unless the SYN
     * queue is more than half full ({@code qlen * 2 > max(8, backlog)}), when old requests are
     * pruned to keep room for young ones (those whose timer never fired): the retries drop by one,
     * down to 2, for each doubling of twice the young count that the queue length still reaches
     * ({@code while (retries > 2 && qlen >= young * 2^k)}). The firing request counts as young if
     * its timer never fired before.
     */
    private static int synAckRetries(SimListener l) {
        int retries = SimNetwork.SYNACK_RETRIES;
        int qlen = l.requests.size();
        if (qlen * 2 > Math.max(8, l.backlog)) {
            long young = 0;
            for (SimEndpoint e : l.requests) {
                if (e.synAckTimeouts == 0) {
                    young++;
                }
            }
            young <<= 1;
            while (retries > 2 && qlen >= young) {
                retries--;
                young <<= 1;
            }
        }
        return retries;
    }

    /**
     * A retransmitted SYN reached a request in SYN-RCVD: it is answered with the SYN-ACK at once
     * (at most once per 500 ms, Linux's {@code tcp_invalid_ratelimit}), and the request's timer
     * starts again from now with the timeout it had reached (a SYN does not count as a timeout).
     */
    private void synAgain(SimEndpoint server) {
        double now = net.loop().time();
        if (now - server.synAnsweredAt < SimNetwork.OUT_OF_WINDOW_RATELIMIT) {
            trace.record("dropped", server.peer.name + " SYN (answered " + String.format(java.util.Locale.ROOT, "%.3f", now - server.synAnsweredAt)
                    + " s ago)");
            return;
        }
        server.synAnsweredAt = now;
        server.out.resendSynAck("answering a retransmitted SYN");
        armRequestTimer(server, now + handshakeRto(server.synAckTimeouts));
    }

    /**
     * The client's ACK of the SYN-ACK reached the server end (in its host's context): the
     * handshake is complete and the connection goes to the listener, accepted at once or queued
     * in its backlog while accepting is paused. False when the backlog is full: Linux drops that
     * ACK ({@code what} carried it: "ACK", or a data segment or FIN), the connection stays half
     * open, and the next ACK completes it when there is room: the client's answer to the SYN-ACK
     * its request's timer sends again, or its next segment.
     */
    AckOutcome ackArrived(SimEndpoint server, String what) {
        if (server.holdsCookie()) {
            return cookieAckArrived(server, what);
        }
        if (server.lostInCrash()) {
            return crashedRequestAckArrived(server, what);
        }
        SimListener l = server.synReceivedBy;
        if (l == null || server.isLost()) {
            return AckOutcome.COMPLETED; // reset meanwhile (a crash, the client's RST): nothing to accept
        }
        if (!l.listening()) {
            // The listener closed (or its host crashed and restarted) during the handshake: the
            // half-open connection went with it, and the segment is answered with one RST (Linux's
            // tcp_v4_rcv drops the request and looks the segment up again, finds no socket, and
            // sends the reset), not delivered to the end that is gone.
            return resetFor(server, " (listener closed during the handshake)");
        }
        if (l.acceptQueueFull()) {
            // tcp_check_req with tcp_abort_on_overflow = 0: the ACK is dropped (the request is
            // marked acked and its timer goes on).
            trace.record("dropped", server.peer.name + " " + what + " (backlog of " + l.backlog + " full)");
            return AckOutcome.DROPPED;
        }
        server.leaveSynQueue();
        server.stopRequestTimer(); // ESTABLISHED: Linux deletes the request, and its timer with it
        established(l, server);
        return AckOutcome.COMPLETED;
    }

    /**
     * What became of the client's ACK (or the data or FIN that carries it) at a server end
     * still in its handshake ({@link #ackArrived}).
     */
    enum AckOutcome {
        /** The handshake completed (or there was none to complete): what the segment carries goes on to the end. */
        COMPLETED,
        /** Dropped without an answer (a full accept queue, a host that is down): data or a FIN is retransmitted. */
        DROPPED,
        /** Answered with a RST, which got through: the segment is consumed, and nothing of it is delivered. */
        RESET
    }

    /**
     * The server end is reset in answer to the segment that reached it ({@code why} for the
     * trace): one RST for the segment, as Linux sends one ({@code tcp_v4_send_reset}). A RST the
     * link lost leaves the segment unanswered: data or a FIN is retransmitted, and its next
     * arrival finds a socket that is gone, answered with a RST again.
     */
    private static AckOutcome resetFor(SimEndpoint server, String why) {
        return server.reset(why) ? AckOutcome.RESET : AckOutcome.DROPPED;
    }

    /**
     * The client's ACK (or the data or FIN that carries it) reached a server end a SYN cookie
     * stands for, as Linux's {@code cookie_v4_check} (syncookies.c) takes an ACK that matches no
     * request. The checks go in Linux's order, each failure an ACK for no socket, answered with
     * one RST whose trace says which check failed: no listener on that port now (tcp_v4_rcv finds
     * none); no SYN queue overflow recorded by that listener from 1 s before to 120 s after now
     * ({@code tcp_synq_no_recent_overflow}: the cookie is not even checked); a cookie sent before
     * its host last restarted (a new boot, a new {@code syncookie_secret}: the hash does not
     * match); a cookie whose counter is {@link SimNetwork#MAX_SYNCOOKIE_AGE} periods old or more
     * ({@code check_tcp_syn_cookie}). A valid cookie makes the connection when the accept queue
     * has room ({@code tcp_get_cookie_sock}); while it is full the segment is dropped and nothing
     * is kept (data or a FIN is retransmitted, and checked again, when it comes). A host that is
     * down, crashed or vanished, answers nothing: the segment is dropped, and the client
     * retransmits until it gives up or the host is back (and then answers with a RST).
     */
    private AckOutcome cookieAckArrived(SimEndpoint server, String what) {
        SimHost h = server.host;
        SimListener sent = server.cookieFrom;
        if (!h.isUp()) {
            trace.record("dropped", server.peer.name + " " + what + " (host " + h.name + (h.vanished() ? " vanished)" : " is down)"));
            return AckOutcome.DROPPED;
        }
        double now = net.loop().time();
        SimListener l = h.listener(sent.port); // cookies are TCP's: a Unix connect has no handshake
        String invalid = l == null ? "no listener for a SYN cookie's ACK"
                : !l.overflowedRecently(now) ? notChecked(l)
                : server.cookieBoot != h.boot() ? "SYN cookie from before host " + h.name + " restarted"
                : cookieAge(server.cookieSentAt, now) >= SimNetwork.MAX_SYNCOOKIE_AGE ? expired(server.cookieSentAt, now)
                : null;
        if (invalid != null) {
            server.cookieFrom = null;
            return resetFor(server, " (" + invalid + ")");
        }
        if (l.acceptQueueFull()) {
            trace.record("dropped", server.peer.name + " " + what + " (backlog of " + l.backlog + " full)");
            return AckOutcome.DROPPED;
        }
        server.cookieFrom = null;
        live.add(server);
        established(l, server);
        return AckOutcome.COMPLETED;
    }

    /**
     * The client's ACK (or the data or FIN that carries it) reached a server end whose request
     * its host's crash took ({@link SimEndpoint#requestLostInCrash}). While the host is down
     * nothing answers: the segment is dropped (data or a FIN is retransmitted until the sender
     * gives up). Once it is back it is a segment for no socket, and Linux's {@code tcp_v4_rcv}
     * answers it with one RST ({@code tcp_v4_send_reset}; a listener on the port now holds no
     * request for it, and its ACK is no valid SYN cookie), so the client is reset.
     */
    private AckOutcome crashedRequestAckArrived(SimEndpoint server, String what) {
        SimHost h = server.host;
        if (!h.isUp()) {
            trace.record("dropped", server.peer.name + " " + what + " (host " + h.name + (h.vanished() ? " vanished)" : " is down)"));
            return AckOutcome.DROPPED;
        }
        server.crashAnswered();
        return resetFor(server, " (no socket: its request was lost when host " + h.name + " crashed)");
    }

    /** How many {@link SimNetwork#SYNCOOKIE_PERIOD}s a cookie's counter moved on since it was sent (Linux's {@code diff}). */
    private static double cookieAge(double sentAt, double now) {
        return Math.floor(now / SimNetwork.SYNCOOKIE_PERIOD) - Math.floor(sentAt / SimNetwork.SYNCOOKIE_PERIOD);
    }

    private static String notChecked(SimListener l) {
        double last = l.lastOverflow();
        return last == Double.NEGATIVE_INFINITY ? "SYN cookie not checked: the listener on " + l.label() + " never overflowed"
                : "SYN cookie not checked: no SYN queue overflow since " + seconds(last) + " s";
    }

    private static String expired(double sentAt, double now) {
        return "SYN cookie expired: sent at " + seconds(sentAt) + " s, its counter " + (long) cookieAge(sentAt, now) + " periods of "
                + (long) SimNetwork.SYNCOOKIE_PERIOD + " s old";
    }

    private static String seconds(double t) {
        return String.format(java.util.Locale.ROOT, "%.3f", t);
    }

    /** A handshake completed at the listener: the connection is accepted at once, or queued in its backlog while accepting is paused. */
    private void established(SimListener l, SimEndpoint server) {
        boolean queue = server.host.acceptPaused();
        if (queue) {
            trace.record("queued", server.name + " (accept queue " + (l.queued.size() + 1) + ", backlog " + l.backlog + ")");
            server.awaitingAccept = true;
            l.queued.add(server);
            return;
        }
        trace.record("accept", server.name);
        if (accept(l, server)) {
            server.start();
            server.deferFirstRead(); // after what connectionMade scheduled
        } else {
            endpointLost(server);
        }
    }

    /**
     * Hands a connection whose handshake completed to the listener's acceptor; false if that
     * failed, and the end is closed, as a real server closes a socket it could not set up (a FIN,
     * or a RST over bytes that arrived unread), so that what the client, connected already, sends
     * next is answered with a RST. The caller starts the endpoint when it succeeded.
     */
    boolean accept(SimListener l, SimEndpoint server) {
        Protocol p;
        try {
            p = l.acceptor.accepted(server);
        } catch (RuntimeException e) {
            net.loop().callExceptionHandler(ExceptionContext.of("Error setting up a connection accepted by " + l.label(), e));
            server.close();
            return false;
        }
        server.protocol = p;
        server.acceptor = l.acceptor;
        return true;
    }

    /**
     * The connecting end's SYN timer ran out (the connect timeout after the first SYN): unless an
     * answer came, the connect fails with "Connection timed out". A client end that a request made
     * (its SYN-ACK was lost or held) goes with it, and a SYN-ACK that reaches it later is answered
     * with a RST.
     */
    private void connectTimedOut(Syn syn) {
        if (syn.made.done()) {
            return;
        }
        if (syn.client != null && !syn.client.isLost()) {
            syn.client.timeOutConnect();
            return;
        }
        trace.record("timeout", syn.localLabel + "->" + syn.remoteLabel + " connect");
        syn.made.setException(new ConnectException("Connection timed out: " + syn.remoteLabel
                + " did not answer within " + connectTimeout + " s"));
    }

    /**
     * The SYN-ACK reached the client (in its context): the connect completes, and the client's
     * ACK, sent ahead of anything its protocol writes, completes the handshake at the server. A
     * SYN-ACK that reaches a host that is down (it crashed during the handshake, {@link #crashed})
     * is dropped unanswered; one for a socket that is gone or a connect that ended is answered
     * with one RST.
     */
    void synAckArrived(SimEndpoint client) {
        if (!client.host.isUp()) {
            // The client's host crashed (SimPipe drops what reaches a vanished one's ends, but an
            // end a crash took before is no end of the host's when it vanishes, so the host says
            // which way it is down): nothing answers, and the request's timer sends the SYN-ACK
            // again until its retries run out.
            trace.record("dropped", client.peer.name + " synack (host " + client.host.name
                    + (client.host.vanished() ? " vanished)" : " is down)"));
            return;
        }
        if (client.started) {
            // A retransmission of the SYN-ACK (the server has not had the ACK, or a full accept
            // queue dropped it): Linux's connected socket answers it with an ACK (closed with a
            // FIN too: it is still there), and a host whose socket is gone (reset, timed out, a
            // vanished host that came back) with a RST.
            if (!client.isGone()) {
                client.out.sendAnsweringAck();
            } else if (!client.peer.isLost()) {
                client.out.sendReset(false, " (SYN-ACK for a socket that is gone)");
            }
            return;
        }
        Future<SimEndpoint> made = client.connecting;
        if (client.isLost() || made == null || made.done()) {
            if (!client.peer.isLost()) {
                // The connect timed out or was cancelled before the SYN-ACK came: the socket is
                // gone, and a SYN-ACK for no socket is answered with a RST.
                client.out.sendReset(false, " (SYN-ACK for a connect that ended)");
            }
            return;
        }
        trace.record("connected", client.name);
        client.out.sendAck();
        if (client.start()) {
            made.setResult(client);
        }
    }

    /** A connect on its way: the SYN, and what completes when the SYN-ACK is back. */
    private static final class Syn {
        final SimHost src;
        final SimHost dst;
        final SocketAddress local;
        final SocketAddress remote;
        final String localLabel;
        final String remoteLabel;
        /** "local->remote", naming its timers. */
        final String name;
        final Protocol protocol;
        final Future<SimEndpoint> made;
        SimEndpoint client;
        /** When the connect sent its first SYN: the connect timeout counts from then. */
        double sentAt;
        /** When its latest transmission left, in seconds after the first (0, 1, 3, 7...). */
        double lastOffset;
        /** How many times the connecting end's timer sent the SYN again. */
        int retransmissions;
        /** Its SYN timer while one is pending (the next retransmission, or the connect timeout); cancelled when the connect ends. */
        TimerHandle timer;

        Syn(SimHost src, SimHost dst, SocketAddress local, SocketAddress remote, String localLabel, String remoteLabel,
            Protocol protocol, Future<SimEndpoint> made) {
            this.src = src;
            this.dst = dst;
            this.local = local;
            this.remote = remote;
            this.localLabel = localLabel;
            this.remoteLabel = remoteLabel;
            this.name = localLabel + "->" + remoteLabel;
            this.protocol = protocol;
            this.made = made;
        }
    }
}
