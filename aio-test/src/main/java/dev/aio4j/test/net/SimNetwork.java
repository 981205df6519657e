package dev.aio4j.test.net;

import dev.aio4j.loop.Coroutine;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.DatagramProtocol;
import dev.aio4j.streams.DatagramTransport;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.spi.Network;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * A deterministic simulated network for tests: named hosts, TCP-like connections between them
 * driven by the event loop's clock, and faults (resets, partitions, latency, crashes) injected on
 * purpose, so that unmodified code calling {@link Streams#openConnection} and
 * {@link Streams#startServer} (and aio-http's client and web server, which are built on them)
 * runs without a socket, in virtual time, and replays exactly from a seed.
 *
 * <p><b>asyncio:</b> none (aio4j-only). The model is tokio's turmoil (named hosts, a simulated
 * network under unchanged code, partitions and crashes) and FoundationDB's deterministic
 * simulation. It implements aio-streams's {@link Network} seam.
 *
 * <h2>How to use it</h2>
 * <pre>{@code
 * @AioTest
 * void echoOverTheSimulatedNetwork() throws IOException {
 *     SimNetwork net = new SimNetwork(42);
 *     net.addHost("server");
 *     net.setLatency(0.050, 0.010);           // 50 ms plus up to 10 ms of seeded jitter
 *     net.install(Aio.getRunningLoop());      // Streams now connects and listens here
 *     Server server = Streams.startServer(EchoServer::handle, "server", 7);
 *     StreamPair c = Streams.openConnection("server", 7);   // from the host "local"
 *     ...
 * }
 * }</pre>
 * Code runs "on" a host: {@link #spawn(String, Coroutine)} starts a task there; a server's
 * handler tasks run on the server's host; code that was not placed anywhere runs on the host
 * {@value #LOCAL}, which every network has. A host's name resolves to its address (10.0.0.n);
 * {@code "localhost"} resolves to the current host. A server listening on a host name listens on
 * that host; on {@code null} (every interface), on the current host.
 *
 * <h2>What a connection does</h2>
 * Bytes arrive in order, after the link's latency: a fixed part plus jitter drawn from the
 * network's seeded generator, never reordering a connection's bytes. A connect is the three-way
 * handshake: the SYN, the SYN-ACK (the connect returns when it arrives) and the client's ACK,
 * which goes ahead of anything the client writes; as on Linux, the server's listener gets the
 * connection only when that ACK arrives (until then it is half open, in the SYN queue, and does
 * not count against the backlog), so a lost or held SYN-ACK leaves the server nothing to accept.
 * A connect to a port nothing listens on fails with {@link ConnectException}. {@link Transport#close()} and
 * {@link Transport#writeEof()} send a FIN (the peer's {@code eofReceived}); {@link Transport#abort()}
 * drops the write buffer and closes as asyncio's does on Linux (a plain {@code close()} of the
 * socket: a FIN, not a RST); data sent to a closed end is answered with a RST, as TCP does;
 * {@link Transport#close()} or {@code abort()} while received bytes wait unread (reading paused)
 * sends a RST instead of the FIN, as Linux does, and the peer's next read or write fails with
 * "Connection reset by peer" (a {@link java.net.SocketException}, asyncio's
 * {@code ConnectionResetError}); {@link #reset} resets a connection on purpose. A SYN or SYN-ACK that a partition or hold keeps
 * past the connect timeout fails the connect with "Connection timed out". The write buffer size of a transport is its bytes in
 * flight (not yet handed to the peer's protocol, including those waiting while the peer paused
 * reading), so {@code pauseWriting}/{@code resumeWriting} and {@code StreamWriter.drain()}
 * apply back-pressure past the high watermark.
 *
 * <h2>Faults</h2>
 * {@link #reset(String, String)}, {@link #partition(String, String, boolean)} and
 * {@link #repair(String, String)}, {@link #setLatency(String, String, double, double)},
 * {@link #crash(String)} and {@link #restart(String)}, and the link properties below, called
 * directly or at virtual times from a {@link FaultPlan} (which jqwik can generate and shrink: {@link FaultPlans}).
 *
 * <h2>Determinism</h2>
 * Everything happens in loop callbacks at virtual times, and every random draw comes from one
 * {@link Random} seeded with {@link #seed()}: on a virtual-clock loop with the same schedule, the
 * same seed gives the same run, byte for byte. {@link #trace()} records every event (listen,
 * connect, accept, send, deliver, fin, reset, refused, partition, hold, release, repair, crash, and the
 * {@code udp-} events of datagrams) as a readable
 * line, and {@link #traceHash()} condenses it.
 *
 * <h2>Link properties</h2>
 * Per link: latency and jitter ({@link #setLatency(String, String, double, double)}), bandwidth
 * ({@link #setBandwidth}: bytes serialise one after the other on each direction), loss
 * ({@link #setLoss}: each lost transmission costs a retransmission timeout, and losses past the
 * give-up time of {@link #setTcpTimeouts} time the connection out), two-way and one-way cuts
 * ({@link #partition(String, String, boolean)}, {@link #partitionOneWay}), and holds
 * ({@link #hold} and {@link #release}, as turmoil names them; apart from partitions). Per host: {@link #crash} (connections reset),
 * {@link #vanish} (no FIN, no RST: peers find out by their timeouts), and
 * {@link #pauseAccepting} (connects wait in the listener's backlog, and past it their SYNs are
 * dropped and retransmitted as Linux does).
 *
 * <p>Options this network does not use (said here, not ignored silently): a host name resolves
 * to one address, so a connect's {@code happyEyeballsDelay} and {@code interleave} have nothing
 * to race or reorder; a server's {@code reusePort} does not reach {@link #listen}, and a host's
 * port takes one listener, so a second server on it fails with "Address already in use", with
 * {@code reusePort} or not. A connect's {@code localAddr} is refused by aio-streams.
 *
 * <p>Unix domain sockets ({@link Streams#openUnixConnection}, {@link Streams#startUnixServer}) are
 * simulated too, local to each host: see {@link #connectUnix} and {@link #listenUnix}.
 *
 * <h2>UDP</h2>
 * {@link Streams#createDatagramEndpoint} makes a simulated UDP socket on a host
 * ({@link #datagramEndpoint}): ports per host, apart from TCP's, port 0 for a free one, the
 * wildcard address, {@code reusePort}. Each datagram travels alone: it leaves after the link's
 * bandwidth and arrives after a latency drawn for it, so datagrams may be reordered (unlike a
 * connection's bytes); the link's loss drops it (no retransmission); a partition
 * ({@link #partition(String, String, boolean)}, {@link #partitionOneWay}) drops it, while
 * {@link #hold} keeps it until {@link #release} (up to {@link #setUdpHoldQueue} datagrams each
 * way, {@value #DEFAULT_UDP_HOLD_QUEUE} by default, past which it drops them); on a bandwidth-limited link a socket's send
 * buffer ({@link #setUdpSendBuffer}) fills and sends queue in the transport with back-pressure;
 * a datagram for a host that is down, or beyond a
 * socket's receive buffer ({@link #setUdpReceiveBuffer}, {@value #DEFAULT_UDP_RECEIVE_BUFFER}
 * bytes by default), is dropped; one for a port nothing is bound to is dropped, and a connected
 * sender hears {@link PortUnreachableException} one round trip later, as on Linux. A datagram of
 * more than {@value #MAX_UDP_PAYLOAD} bytes is not sent: {@code errorReceived} gets "Message too
 * long". A crash or vanish closes the host's UDP sockets. The trace records {@code udp-bind},
 * {@code udp-send}, {@code udp-deliver} (handed to the protocol), {@code udp-drop} with its
 * reason, {@code udp-unreachable} and {@code udp-close}.
 *
 * <p>Not modelled (yet): TCP keepalive, DNS latency and failures, UDP broadcast and multicast,
 * restarting a crashed host's software, reordering across connections beyond what latency draws
 * give.
 *
 * <p><b>Threading:</b> loop-confined: install it on one loop and use it from that loop's thread.
 *
 * @since 0.2
 */
public final class SimNetwork implements Network {
    /*
     * Maintainer notes. This class is the facade: the public API and its argument checks, the
     * loop it is installed on, and the faults that involve more than one collaborator (a crash or
     * vanish stops the host, then resets or silences its TCP connections; a repair or release lets
     * what waited cross, TCP and UDP, in one fixed order). The work is done by package-private
     * collaborators with one job each, which get what they need at construction:
     *   SimHosts, SimHost   the address book; each host's state, context, ports, going down
     *   SimLinks            the links and their faults; every random draw of the run
     *   SimTcp, SimListener connects and their handshake, listens, live connections, held SYNs/pipes
     *   SimUdp              binding datagram sockets, routing datagrams, ICMP, held datagrams
     *   SimTrace            the trace, its hash, the plans applied, the replay report
     * The connections are SimEndpoint and SimPipe, the UDP sockets SimDatagramEndpoint; they reach
     * the collaborators through the package-private methods at the end of this class. Every
     * protocol callback runs as a loop callback in the context of the host it belongs to
     * (SimHost.call / callAt), never synchronously from another host's code, except pauseWriting
     * from inside write(), as asyncio does.
     */
    /** The host that code not placed on any host runs on: {@value}. */
    public static final String LOCAL = "local";
    /**
     * How long a connect whose SYNs get no answer waits before it fails with "Connection timed
     * out", by default: {@value} s, Linux's with its default 6 SYN retransmissions.
     */
    public static final double DEFAULT_CONNECT_TIMEOUT = 127.0;
    /**
     * How long an end retransmits data nobody acknowledges before it gives up with "Connection
     * timed out", by default: {@value} s, Linux's with its default {@code tcp_retries2} of 15.
     */
    public static final double DEFAULT_GIVE_UP = 924.6;
    /** The first retransmission timeout: 200 ms, Linux's minimum. */
    static final double MIN_RTO = 0.200;
    /**
     * The first retransmission timeout of a SYN or a SYN-ACK: 1 s, Linux's {@code TCP_TIMEOUT_INIT}
     * (RFC 6298 2.1), doubling with each loss ({@code tcp_synack_retries} = 5 gives 1, 2, 4, 8, 16 s).
     */
    static final double SYN_RTO = 1.0;
    /**
     * How many times a half-open request's timer sends its SYN-ACK again before the request is
     * dropped: 5, Linux's {@code tcp_synack_retries} (SYN-ACKs 1, 3, 7, 15 and 31 s after the
     * first, the request dropped at 63 s unless a retransmitted SYN restarted the timer).
     */
    static final int SYNACK_RETRIES = 5;
    /**
     * A half-open request answers a retransmitted SYN with its SYN-ACK at most once in this many
     * seconds: Linux's {@code tcp_invalid_ratelimit}, 500 ms.
     */
    static final double OUT_OF_WINDOW_RATELIMIT = 0.5;
    /**
     * A SYN cookie's counter counts periods of this many seconds of virtual time (Linux's
     * {@code TCP_SYNCOOKIE_PERIOD}, 60 s, counted there from boot): a cookie is valid while the
     * counter has moved on by less than {@link #MAX_SYNCOOKIE_AGE} since it was sent.
     */
    static final double SYNCOOKIE_PERIOD = 60.0;
    /** How many counter periods a SYN cookie lives: Linux's {@code MAX_SYNCOOKIE_AGE}, 2 (so 60 to 120 s). */
    static final int MAX_SYNCOOKIE_AGE = 2;
    /**
     * A listener checks cookies only within this many seconds of its last SYN queue overflow:
     * Linux's {@code TCP_SYNCOOKIE_VALID}, 120 s ({@code tcp_synq_no_recent_overflow}).
     */
    static final double SYNCOOKIE_VALID = MAX_SYNCOOKIE_AGE * SYNCOOKIE_PERIOD;
    /** The longest retransmission timeout: 120 s, Linux's maximum. */
    static final double MAX_RTO = 120.0;
    /**
     * The largest UDP payload over IPv4: {@value} bytes (65,535 less the IP and UDP headers). A
     * larger datagram is not sent: the sender's {@code errorReceived} gets "Message too long", as
     * the real socket reports it.
     */
    public static final int MAX_UDP_PAYLOAD = 65_507;
    /**
     * The receive buffer of each simulated UDP socket by default: {@value} bytes, Linux's
     * {@code net.core.rmem_default}. Each waiting datagram counts its payload plus
     * {@value #UDP_DATAGRAM_OVERHEAD} bytes.
     */
    public static final int DEFAULT_UDP_RECEIVE_BUFFER = 212_992;
    /**
     * What each UDP datagram costs a simulated socket's receive or send buffer besides its
     * payload: {@value} bytes, about what Linux charges a small datagram (its skb's truesize:
     * the sk_buff and shared info besides the data, on x86-64). Linux charges large datagrams
     * more (their data is rounded up by the allocator); that is not modelled.
     *
     * @since 0.2
     */
    public static final int UDP_DATAGRAM_OVERHEAD = 768;
    /**
     * The send buffer of each simulated UDP socket by default: {@value} bytes, Linux's
     * {@code net.core.wmem_default} ({@link #setUdpSendBuffer}).
     *
     * @since 0.2
     */
    public static final int DEFAULT_UDP_SEND_BUFFER = 212_992;
    /**
     * How many UDP datagrams a {@link #hold} keeps on each direction of a link by default:
     * {@value}, the length of Linux's default transmit queue ({@code txqueuelen}), as a router
     * queue in front of a stalled link holds about that many packets and drops the rest
     * ({@link #setUdpHoldQueue}). A datagram that reaches a held direction already keeping that
     * many is dropped ({@code udp-drop ... (held queue full)}).
     *
     * @since 0.2
     */
    public static final int DEFAULT_UDP_HOLD_QUEUE = 1_000;
    /**
     * The most a listen backlog can be by default: {@value}, Linux's {@code net.core.somaxconn}
     * since 5.4 (128 before). A larger backlog is cut to it when the listener is made, as
     * Linux's {@code listen()} does ({@link #setSomaxconn}).
     *
     * @since 0.2
     */
    public static final int DEFAULT_SOMAXCONN = 4096;

    private final long seed;
    private final SimTimers timers = new SimTimers(this::loop);
    private final SimHosts hosts = new SimHosts(this::loop, timers);
    private final SimTrace trace = new SimTrace(() -> this.loop == null ? 0.0 : this.loop.time());
    private final SimLinks links;
    private final SimTcp tcp;
    private final SimUdp udp;
    private EventLoop loop;
    /** Removes the hook that stops the network when its loop closes (LoopAccess.onClose); null while none is set. */
    private Runnable closeHook;

    /**
     * A network with the host {@value #LOCAL} and links of 1 ms latency without jitter.
     *
     * @param seed the seed of every random draw (latency jitter)
     */
    public SimNetwork(long seed) {
        this.seed = seed;
        this.links = new SimLinks(new Random(seed), trace);
        this.tcp = new SimTcp(this, trace, links, hosts);
        this.udp = new SimUdp(this, trace, links, hosts);
        addHost(LOCAL);
    }

    // ------------------------------------------------------------------------------- set-up

    /**
     * Adds a host; its address is the next free one of 10.0.0.0/16.
     *
     * @param name its name, which resolves to its address
     * @return its address
     * @throws IllegalArgumentException if a host has that name already
     */
    public InetAddress addHost(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("host name must not be empty, got " + (name == null ? "null" : "\"\""));
        }
        if (hosts.has(name)) {
            throw new IllegalArgumentException("host " + name + " exists already in " + this);
        }
        return hosts.add(name).address;
    }

    /**
     * The address of a host.
     *
     * @param host the host's name
     * @return its address
     * @throws IllegalArgumentException if there is no such host
     */
    public InetAddress address(String host) {
        return host(host).address;
    }

    /**
     * The names of the hosts, in the order they were added ({@value #LOCAL} first).
     *
     * @return the names
     */
    public List<String> hosts() {
        return hosts.names();
    }

    /**
     * Makes {@code loop}'s connections, servers and name resolution use this network
     * ({@link Streams#useNetwork}). A network serves one loop.
     *
     * @param loop the loop, typically {@code Aio.getRunningLoop()} in an {@code @AioTest}
     * @throws IllegalStateException if it is installed on another loop already, or was uninstalled
     *     (a network stopped by {@link #uninstall} does not start again: make a new one), or the
     *     loop is closed
     */
    public void install(EventLoop loop) {
        if (loop == null) {
            throw new IllegalArgumentException("loop must not be null, got null");
        }
        if (this.loop != null && this.loop != loop) {
            throw new IllegalStateException("SimNetwork.install() on a second loop: it serves " + this.loop + " already");
        }
        checkNotStopped("SimNetwork.install()");
        attach(loop);
        Streams.useNetwork(loop, this);
    }

    /**
     * Puts real sockets back on the loop it was installed on and stops the network: every timer it
     * set on the loop is cancelled (segments and datagrams on their way, retransmissions, the SYN
     * and SYN-ACK timers of handshakes, half-open requests' timers, give-up timers, the faults of
     * plans still to come and the ends of those in force), releasing what they hold, and it sets
     * no timer from then on. Its connections, listeners and sockets stay as they are but carry
     * nothing more: a write or a close is taken and goes nowhere (and fills no write buffer: a
     * paused writer resumes, a UDP close with datagrams queued ends), a connect still waiting for
     * its SYN-ACK fails with a {@link java.net.ConnectException}, and callbacks already due at
     * this instant (a {@code connectionLost}, an accept) still run on the next loop iteration. A
     * stopped network is not installed again. Closing the loop stops it too. Does nothing on a
     * network that was never installed, or a second time.
     */
    public void uninstall() {
        if (loop == null) {
            return;
        }
        if (Streams.network(loop) == this) {
            Streams.useNetwork(loop, null);
        }
        stop(true);
    }

    /** Ties the network to {@code l} and stops it when {@code l} closes. */
    private void attach(EventLoop l) {
        if (closeHook == null) {
            closeHook = dev.aio4j.loop.internal.LoopAccess.onClose(l, () -> {
                closeHook = null;
                stop(false);
            });
        }
        this.loop = l;
    }

    /**
     * Cancels every timer of the network, forgets what waited at cuts, and removes the loop's
     * close hook; with {@code settle} (uninstall, the loop still open), fails the connects still
     * waiting and drops the ends' write buffers (SimTcp.stopped).
     */
    private void stop(boolean settle) {
        boolean first = !timers.stopped();
        if (closeHook != null) {
            closeHook.run();
            closeHook = null;
        }
        timers.stop();
        tcp.stopped(settle && first);
        udp.stopped(settle && first);
    }

    private void checkNotStopped(String what) {
        if (timers.stopped()) {
            throw new IllegalStateException(what + " on a SimNetwork that was uninstalled (or whose loop closed): it is stopped,"
                    + " its timers cancelled; make a new SimNetwork");
        }
    }

    /** Whether it was uninstalled, or its loop closed. */
    boolean isStopped() {
        return timers.stopped();
    }

    /** For FaultPlan.apply: installed, and not stopped. */
    void checkRunning(String what) {
        loop();
        checkNotStopped(what);
    }

    /**
     * Fails when the network has timers pending on its loop, naming each: when it is due and what
     * it is, e.g. {@code "63.010000 request timer server:7->local:49152"} (a half-open request's
     * timer, whose next run sends the SYN-ACK again or drops the request), soonest first. The
     * kinds are {@code segment due} and {@code ack due} (a segment on its way, due at the far
     * end), {@code retransmission}, {@code SYN due}, {@code refusal due}, {@code SYN
     * retransmission}, {@code connect timeout}, {@code request timer}, {@code give-up timer},
     * {@code datagram due}, {@code icmp due}, {@code udp send buffer} (a datagram leaving a
     * bandwidth-limited link), and {@code fault} and {@code end of} (a fault plan's steps). A
     * test that expects the network to be quiet by its end (every connection closed, every
     * handshake done) calls it there; after {@link #uninstall} (or the loop's close) it always
     * passes, as nothing is left pending.
     *
     * @throws AssertionError if a timer is pending, naming them all and the network
     * @since 0.2
     */
    public void assertNoPendingTimers() {
        List<String> pending = timers.pending();
        if (!pending.isEmpty()) {
            throw new AssertionError(pending.size() + " timer(s) of " + this + " still pending: " + pending);
        }
    }

    /** The network's pending timers, soonest first ({@link #assertNoPendingTimers}). */
    List<String> pendingTimers() {
        return timers.pending();
    }

    /** A fault plan's fault, at {@code at} (FaultPlan.apply). */
    void faultTimer(double at, Fault f, Runnable r) {
        timers.at(at, "fault", f.toString(), r);
    }

    /** The end of fault {@code f}, {@code after} seconds from now. */
    void faultEnds(double after, Fault f, Runnable r) {
        timers.later(after, "end of", f.toString(), r);
    }

    /**
     * Starts {@code body} as a task running on {@code host}: its connects leave from that host,
     * and servers it starts on {@code null} listen there.
     *
     * @param host the host's name
     * @param body the code
     * @param <T> the result type
     * @return the task
     * @throws IllegalArgumentException if there is no such host
     * @throws IllegalStateException if the network is not installed
     */
    public <T> Task<T> spawn(String host, Coroutine<T> body) {
        SimHost h = host(host);
        return loop().createTask(body, "on " + h.name, h.context.copy());
    }

    /**
     * The latency of every link without its own: {@code fixed} seconds plus a uniform draw in
     * {@code [0, jitter)}.
     *
     * @param fixed the fixed part, seconds
     * @param jitter the bound of the random part, seconds
     * @throws IllegalArgumentException if either is negative
     */
    public void setLatency(double fixed, double jitter) {
        checkLatency(fixed, jitter);
        links.setDefaultLatency(fixed, jitter);
    }

    /**
     * {@link #setLatency(double, double)} with {@link Duration}s.
     *
     * @param fixed the fixed part
     * @param jitter the bound of the random part
     * @throws IllegalArgumentException if either is negative
     * @since 0.2
     */
    public void setLatency(Duration fixed, Duration jitter) {
        setLatency(Checks.seconds(fixed, "fixed"), Checks.seconds(jitter, "jitter"));
    }

    /**
     * The latency of the link between two hosts (both directions), from now on; bytes in flight
     * keep the time they were given.
     *
     * @param a one host
     * @param b the other (may be {@code a}: connections within a host)
     * @param fixed the fixed part, seconds
     * @param jitter the bound of the random part, seconds
     * @throws IllegalArgumentException if a host does not exist or a value is negative
     */
    public void setLatency(String a, String b, double fixed, double jitter) {
        checkLatency(fixed, jitter);
        links.setLatency(host(a), host(b), fixed, jitter);
    }

    /**
     * {@link #setLatency(String, String, double, double)} with {@link Duration}s.
     *
     * @param a one host
     * @param b the other (may be {@code a}: connections within a host)
     * @param fixed the fixed part
     * @param jitter the bound of the random part
     * @throws IllegalArgumentException if a host does not exist or a value is negative
     * @since 0.2
     */
    public void setLatency(String a, String b, Duration fixed, Duration jitter) {
        setLatency(a, b, Checks.seconds(fixed, "fixed"), Checks.seconds(jitter, "jitter"));
    }

    private static void checkLatency(double fixed, double jitter) {
        if (!(fixed >= 0) || !(jitter >= 0)) {
            throw new IllegalArgumentException("latency must be >= 0, got fixed=" + fixed + ", jitter=" + jitter);
        }
    }

    // ------------------------------------------------------------------------------- faults

    /**
     * Resets every connection between two hosts now: both ends get {@code connectionLost} with
     * "Connection reset by peer", as when a middlebox drops the connection's state.
     *
     * @param a one host
     * @param b the other
     * @throws IllegalArgumentException if a host does not exist
     */
    public void reset(String a, String b) {
        SimHost x = host(a);
        SimHost y = host(b);
        record("reset-link", links.key(x, y));
        tcp.resetBetween(x, y, "link " + links.key(x, y) + " reset");
    }

    /** Tests: how many SYNs wait at held links now (SimTcp.heldSynCount). */
    int heldSynCountForTests() {
        return tcp.heldSynCount();
    }

    /**
     * Cuts the link between two hosts until {@link #repair}: nothing crosses it (TCP bytes in
     * flight and connects wait, UDP datagrams are dropped); with {@code reset}, the connections
     * between them are reset as well. Partitions compose: this one adds to the one-way cuts
     * ({@link #partitionOneWay}) and the partitions of fault plans ({@link Fault.Partition}) of
     * the link, and its repair ends only what it cut; calling it again while it holds changes
     * nothing.
     *
     * @param a one host
     * @param b the other
     * @param reset whether the connections between them are reset now
     * @throws IllegalArgumentException if a host does not exist
     */
    public void partition(String a, String b, boolean reset) {
        partition(a, b, reset, SimLinks.API);
    }

    /** A partition on behalf of {@code owner}: {@link SimLinks#API}, or the fault that makes it. */
    void partition(String a, String b, boolean reset, Object owner) {
        String key = links.partition(host(a), host(b), reset, owner);
        if (reset) {
            tcp.resetBetween(host(a), host(b), "partition " + key);
        }
    }

    /**
     * Ends the partition that {@link #partition} made: what waited crosses now, in order, unless
     * something else still stops it. Healing restores only what this partition cut: a one-way
     * cut ({@link #partitionOneWay}, ended by {@link #repairOneWay}) or a fault plan's partition
     * of the same link still cuts what it cuts, and a hold is ended only by {@link #release}.
     *
     * @param a one host
     * @param b the other
     * @throws IllegalArgumentException if a host does not exist
     */
    public void repair(String a, String b) {
        repair(a, b, SimLinks.API);
    }

    /** Ends the partition {@code owner} made. */
    void repair(String a, String b, Object owner) {
        if (links.repair(host(a), host(b), owner)) {
            releaseHeld();
        }
    }

    /** Sends on what waited at cuts that are gone now, in the order it waited. */
    private void releaseHeld() {
        // Each list in one pass, rebuilt once (a long hold may keep many); what crosses is
        // scheduled in the order it waited, and nothing is re-held before the loop runs it. The
        // order of the four kinds is part of every pinned trace.
        udp.releaseHeldIcmp();
        tcp.releaseHeldPipes();
        tcp.releaseHeldSyns();
        udp.releaseHeldDatagrams();
    }

    /**
     * Cuts one direction of the link: bytes and connects from {@code from} to {@code to} wait
     * (datagrams are dropped) until {@link #repairOneWay}, while the other direction still
     * carries bytes. A connect from {@code to} reaches {@code from} but its SYN-ACK waits, as
     * does every reply, so the side that still hears its peer believes the peer is well. It
     * composes with the link's other partitions as {@link #partition} does.
     *
     * @param from the sending host whose bytes wait
     * @param to the receiving host
     * @throws IllegalArgumentException if a host does not exist
     */
    public void partitionOneWay(String from, String to) {
        partitionOneWay(from, to, SimLinks.API);
    }

    /** A one-way cut on behalf of {@code owner}. */
    void partitionOneWay(String from, String to, Object owner) {
        links.partitionOneWay(host(from), host(to), owner);
    }

    /**
     * Ends the one-way cut made by {@link #partitionOneWay}: what waited crosses now, in order,
     * unless a two-way partition of the link still cuts that direction.
     *
     * @param from the sending host
     * @param to the receiving host
     * @throws IllegalArgumentException if a host does not exist
     */
    public void repairOneWay(String from, String to) {
        repairOneWay(from, to, SimLinks.API);
    }

    /** Ends the one-way cut {@code owner} made. */
    void repairOneWay(String from, String to, Object owner) {
        if (links.repairOneWay(host(from), host(to), owner)) {
            releaseHeld();
        }
    }

    /**
     * Holds what is in flight between two hosts, both ways, until {@link #release}: turmoil's
     * {@code hold}. When released, held TCP segments, FINs and connects cross in the order they
     * were sent (nothing is lost: the senders' flow control bounds what waits), and UDP datagrams
     * in the order they reached the far end of the link (each after its own latency, so jitter
     * may have reordered them already), as do ICMP port-unreachable replies. Each direction keeps
     * at most {@link #setUdpHoldQueue} datagrams ({@value #DEFAULT_UDP_HOLD_QUEUE} by default) and
     * drops the rest, as a router's queue does. For TCP it is the same as {@code partition(a, b, false)}; a
     * partition, unlike a hold, drops UDP datagrams. A hold and a partition are apart: repairing a
     * partition does not end a hold, nor releasing a hold a partition.
     *
     * @param a one host
     * @param b the other
     * @throws IllegalArgumentException if a host does not exist
     */
    public void hold(String a, String b) {
        links.hold(host(a), host(b));
    }

    /**
     * Ends a {@link #hold}: turmoil's {@code release}. What it kept crosses now, in order, unless
     * a partition still cuts the link (then TCP keeps waiting and UDP datagrams are dropped).
     *
     * @param a one host
     * @param b the other
     * @throws IllegalArgumentException if a host does not exist
     */
    public void release(String a, String b) {
        if (links.release(host(a), host(b))) {
            releaseHeld();
        }
    }

    /**
     * The bandwidth of the link between two hosts, each direction: a segment of n bytes leaves
     * n / {@code bytesPerSecond} seconds after the bytes queued before it on that direction
     * (every connection between the two hosts shares it), then travels the latency. A
     * retransmission takes its turn on the link again, as the original did.
     *
     * @param a one host
     * @param b the other
     * @param bytesPerSecond the rate; 0 for unlimited (the default)
     * @throws IllegalArgumentException if a host does not exist or the rate is negative
     */
    public void setBandwidth(String a, String b, double bytesPerSecond) {
        if (!(bytesPerSecond >= 0) || Double.isInfinite(bytesPerSecond)) {
            throw new IllegalArgumentException("bandwidth must be >= 0 bytes/s (0 for unlimited), got " + bytesPerSecond);
        }
        links.setBandwidth(host(a), host(b), bytesPerSecond);
    }

    /**
     * The chance that the link loses one transmission of a segment (data, FIN, SYN, SYN-ACK,
     * RST, a refusal).
     * Each transmission draws its own loss when it is sent, against the loss the link has then,
     * and so does each retransmission. TCP turns a loss into delay: each lost transmission costs
     * a retransmission timeout (200 ms, doubling up to 120 s), and a connection is held up behind
     * its lost segment (no reordering). The handshake runs Linux's timers instead: the connecting
     * end sends its SYN again 1 s after the first, then 2, 4... s after each, whatever became of
     * the last, until the connect timeout (SYNs at 0, 1, 3, 7, 15, 31 and 63 s and
     * "Connection timed out" at 127 s by default); a half-open request answers a retransmitted SYN
     * with its SYN-ACK at once and sends the SYN-ACK again on its own timer (1, 2, 4, 8, 16 s, then
     * it is dropped, 63 s after its first SYN-ACK, and a later SYN opens a new one); the client's
     * ACK is never retransmitted by itself (each SYN-ACK that comes again is answered, and its data
     * carries the ACK too). So a lost SYN or a lost SYN-ACK costs 1 s.
     * When the losses of one segment last past the give-up time ({@link #setTcpTimeouts}) the
     * sender's connection fails with "Connection timed out" (a connect, at the connect timeout)
     * and the peer learns of it by a reset when it next sends. A RST is never retransmitted: a
     * peer whose RST was lost learns of the reset when its next data reaches the closed end,
     * which answers with a RST of its own (lost too, the data is retransmitted on its timeout and
     * answered again); a peer that only reads is not told. A lost refusal makes the connect
     * retransmit its SYN. A UDP datagram is not
     * retransmitted: a loss drops it, as it may drop the ICMP port-unreachable reply to one.
     * Every loss draws from the seeded generator; a loss of 0 draws nothing.
     *
     * @param a one host
     * @param b the other
     * @param probability in [0, 1]; 1 loses everything (the connection times out)
     * @throws IllegalArgumentException if a host does not exist or the probability is outside [0, 1]
     */
    public void setLoss(String a, String b, double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("loss must be a probability in [0, 1], got " + probability);
        }
        links.setLoss(host(a), host(b), probability);
    }

    /** The loss of the link between two hosts now ({@link #setLoss}), 0 for a link without one. */
    double loss(String a, String b) {
        return links.loss(host(a), host(b));
    }

    /**
     * TCP's own timeouts in this network: how long a connect whose SYN gets no answer (the host
     * vanished, the backlog stays full) waits before "Connection timed out", and how long data
     * nobody acknowledges (lost, or sent to a host that vanished) is retransmitted before the
     * connection fails the same way.
     *
     * @param connectTimeout seconds; {@value #DEFAULT_CONNECT_TIMEOUT} by default
     * @param giveUpAfter seconds; {@value #DEFAULT_GIVE_UP} by default
     * @throws IllegalArgumentException if either is not positive
     */
    public void setTcpTimeouts(double connectTimeout, double giveUpAfter) {
        if (!(connectTimeout > 0) || !(giveUpAfter > 0)) {
            throw new IllegalArgumentException("TCP timeouts must be > 0 seconds, got connectTimeout=" + connectTimeout
                    + ", giveUpAfter=" + giveUpAfter);
        }
        tcp.setTimeouts(connectTimeout, giveUpAfter);
    }

    /**
     * {@link #setTcpTimeouts(double, double)} with {@link Duration}s.
     *
     * @param connectTimeout how long an unanswered connect waits
     * @param giveUpAfter how long unacknowledged data is retransmitted
     * @throws IllegalArgumentException if either is not positive
     * @since 0.2
     */
    public void setTcpTimeouts(Duration connectTimeout, Duration giveUpAfter) {
        setTcpTimeouts(Checks.seconds(connectTimeout, "connectTimeout"), Checks.seconds(giveUpAfter, "giveUpAfter"));
    }

    /**
     * Caps every listen backlog from now on, as Linux's {@code net.core.somaxconn} does
     * ({@code __sys_listen} takes {@code min(backlog, somaxconn)}): a server that asks for more
     * gets this many, and its accept queue holds one more (the queue is full only past the
     * backlog). Listeners made before keep their backlog, as on Linux. One value for every host.
     *
     * @param somaxconn the cap, &gt;= 0; {@value #DEFAULT_SOMAXCONN} by default (0 makes every
     *     backlog 0: one connection waits)
     * @throws IllegalArgumentException if it is negative
     * @since 0.2
     */
    public void setSomaxconn(int somaxconn) {
        if (somaxconn < 0) {
            throw new IllegalArgumentException("somaxconn must be >= 0 (Linux's net.core.somaxconn range), got " + somaxconn);
        }
        tcp.setSomaxconn(somaxconn);
    }

    /**
     * How long unacknowledged data is retransmitted before its connection times out.
     *
     * @return seconds
     */
    public double giveUpAfter() {
        return tcp.giveUpAfter();
    }

    /**
     * Stops the host's listeners from accepting (as a server whose accept loop is stalled, or a
     * host too busy to run it): connects still complete into each listener's backlog (the
     * kernel's accept queue, holding one more than the backlog the server asked for as Linux's
     * does, counting completed handshakes only) and their bytes wait there; once it is full, further SYNs are dropped and
     * retransmitted after 1, 2, 4... s, as Linux does, until the connect timeout, and the ACK
     * of a handshake that was half open when the backlog filled is dropped, with any data or FIN
     * that carries it (data is retransmitted on its timeout). As on Linux the request's SYN-ACK
     * goes again 1, 3, 7, 15 and 31 s after the first and the client answers each with an ACK: the
     * first ACK or data segment that arrives while there is room completes the handshake; a request
     * still half open 63 s after its SYN-ACK is dropped. {@link #resumeAccepting} accepts what waited, in
     * order.
     *
     * @param host the host
     * @throws IllegalArgumentException if there is no such host
     */
    public void pauseAccepting(String host) {
        SimHost h = host(host);
        h.pauseAccepting();
        record("accept-paused", h.name);
    }

    /**
     * Accepts, in order, the connections that waited in the host's backlogs, and accepts new ones
     * at once again.
     *
     * @param host the host
     * @throws IllegalArgumentException if there is no such host
     */
    public void resumeAccepting(String host) {
        SimHost h = host(host);
        if (!h.resumeAccepting()) {
            return;
        }
        record("accept-resumed", h.name);
        tcp.acceptingResumed(h);
    }

    /**
     * A host vanishes without a word, as when it loses power or its cable: its tasks are
     * cancelled and its listeners gone as in {@link #crash}, but no FIN or RST leaves it. Its
     * peers notice only by their own timeouts: what they send is never acknowledged (their
     * writes stop draining and the connection times out after the give-up time), connects to it
     * time out, and a peer that only waits to read waits until its application gives up. After
     * {@link #restart} the host answers bytes of its old connections with a reset, as a rebooted
     * machine does.
     *
     * @param host the host
     * @throws IllegalArgumentException if there is no such host
     */
    public void vanish(String host) {
        SimHost h = host(host);
        h.goDown(true);
        record("vanish", h.name);
        h.stop("vanished");
        tcp.vanished(h);
    }

    /**
     * Crashes a host: the tasks running on it (started with {@link #spawn} there, or by its
     * servers for their connections, and the tasks those started) are cancelled, in creation
     * order; its listeners are gone; every connection it has is reset at both ends; connects to
     * or from it fail until {@link #restart}. A crashed host sends nothing, so the other ends of
     * its handshakes with other hosts are not told. As the server, it kept nothing for a SYN
     * cookie, as Linux keeps nothing for one, and a half-open request (the client's ACK had not
     * arrived) goes with its memory: the client's next ACK, data or FIN goes unanswered while it
     * is down (data is retransmitted until the client gives up) and is answered with a RST once
     * it is back; a SYN sent again fails as any connect to a host that is down. So a connection
     * whose connect has just returned may not be the server's yet, and then is not reset. As the
     * client, its connect goes (with its ACK, if that was still on the wire, as the crash drops
     * what its connections had in flight), but the server's half-open request (SYN-RCVD) stays in
     * its listener's SYN queue, holding its slot, as on Linux, where the server knows nothing of
     * the crash: it sends its SYN-ACK again 1, 2, 4, 8 and 16 s apart ({@code tcp_synack_retries}
     * = 5), unanswered while the host is down, and is dropped when the last timeout runs out, 63 s
     * after its first SYN-ACK; a SYN-ACK that reaches the restarted host finds no socket and is
     * answered with a RST, which drops the request when it arrives. The calling task is never
     * cancelled, and nothing is cancelled on the host {@value #LOCAL} for code that was not placed
     * on it.
     *
     * @param host the host
     * @throws IllegalArgumentException if there is no such host
     */
    public void crash(String host) {
        SimHost h = host(host);
        h.goDown(false);
        record("crash", h.name);
        h.stop("crashed");
        tcp.crashed(h);
    }

    /**
     * Brings a crashed host back, with no listener: servers start again by listening again.
     *
     * @param host the host
     * @throws IllegalArgumentException if there is no such host
     */
    public void restart(String host) {
        SimHost h = host(host);
        h.restart();
        record("restart", h.name);
    }

    // -------------------------------------------------------------------------------- trace

    /**
     * Every event so far, one line each: the loop time, the event, the endpoints, e.g.
     * {@code "0.002000 deliver local:49152->server:7 5B"}.
     *
     * @return a copy of the trace
     */
    public List<String> trace() {
        return trace.lines();
    }

    /**
     * A stable hash of {@link #trace()}: the first 16 hex digits of its SHA-256. Equal hashes
     * mean the same events at the same virtual times.
     *
     * @return the hash
     */
    public String traceHash() {
        return trace.hash();
    }

    /**
     * What a failure report needs to replay and understand this run: the seed, the fault plans
     * applied ({@link FaultPlan#toJava()}), the trace hash, and the last 20 events of the trace.
     * aio-test's {@code @AioTest(network = ...)} and {@link SimRun#run} put it in the message of a
     * failing test.
     *
     * @return several lines of text
     */
    public String replayReport() {
        return trace.replayReport(seed);
    }

    /** {@link FaultPlan#apply} tells the network, for {@link #replayReport()}. */
    void planApplied(FaultPlan plan) {
        trace.planApplied(plan);
    }

    /**
     * The simulated network installed on {@code loop}, if any.
     *
     * @param loop a loop
     * @return its network, or null when it uses real sockets or another {@link Network}
     */
    public static SimNetwork of(EventLoop loop) {
        return Streams.network(loop) instanceof SimNetwork n ? n : null;
    }

    /**
     * The seed given at creation.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /** Tests: {@code host}'s next connect takes {@code port} if it is free ({@link SimHost#nextTcpPortForTests}). */
    void nextTcpPortForTests(String host, int port) {
        host(host).nextTcpPortForTests(port);
    }

    /** How many server ends are half open, in a listener's SYN queue (for tests). */
    int halfOpen() {
        return tcp.halfOpen();
    }

    /** How many half-open requests the TCP listener on {@code host}'s {@code port} holds now (Linux's {@code qlen}; for tests). */
    int synQueueLength(String host, int port) {
        return listenerFor(host, port).requests.size();
    }

    /** The most half-open requests the TCP listener on {@code host}'s {@code port} ever held at once (for tests). */
    int synQueuePeak(String host, int port) {
        return listenerFor(host, port).requestsPeak;
    }

    private SimListener listenerFor(String host, int port) {
        SimListener l = host(host).listener(port);
        if (l == null) {
            throw new IllegalArgumentException("nothing listens on " + host + ":" + port + " in " + this);
        }
        return l;
    }

    @Override
    public String toString() {
        return "SimNetwork[seed=" + seed + ", hosts=" + hosts() + ", connections=" + tcp.connections() + ", events=" + trace.size() + "]";
    }

    // -------------------------------------------------------------------------- the Network SPI

    /**
     * Resolves a host's name, or one of its addresses, or {@code "localhost"} (the current host).
     * Does not suspend.
     *
     * @param loop the loop this network is installed on
     * @param host a host name or address
     * @param port the port to put in the address
     * @return the host's one address
     * @throws UnknownHostException if no host has that name or address
     */
    @Override
    public List<InetSocketAddress> getaddrinfo(EventLoop loop, String host, int port) throws UnknownHostException {
        checkLoop(loop);
        SimHost h = hosts.resolve(host);
        if (h == null) {
            throw new UnknownHostException(host + ": Name or service not known (no such host in " + this
                    + "; add it with addHost)");
        }
        return List.of(new InetSocketAddress(h.address, port));
    }

    /**
     * Connects from the current host; suspends for a round trip (longer across a partition).
     *
     * <p><b>Cancellation:</b> suspends until the SYN-ACK or the refusal is back. If the task is
     * cancelled, a connection that the server accepted meanwhile is reset and {@code protocol}
     * is never called.
     *
     * @param loop the loop this network is installed on
     * @param address a host's address and port
     * @param protocol the protocol to attach
     * @return the connected transport
     * @throws IOException only as one of the three below
     * @throws ConnectException if nothing listens there ("Connection refused")
     * @throws NoRouteToHostException if the address is no host's, or either host is down
     * @throws BindException if every ephemeral port (49152–65535) of the current host is taken
     *     ("Cannot assign requested address")
     */
    @Override
    public Transport connect(EventLoop loop, InetSocketAddress address, Protocol protocol) throws IOException {
        checkLoop(loop);
        return tcp.connect(loop, address, protocol);
    }

    /**
     * Listens on a host's port (the current host's for the wildcard address); port 0 takes the
     * host's next free port. Connections are accepted when their handshake completes (the
     * client's ACK of the SYN-ACK arrives), unless the host's accepting is paused
     * ({@link #pauseAccepting}): they then wait in an accept queue that counts completed
     * handshakes only and holds {@code backlog + 1} connections, as Linux's does (its queue is
     * full only when it holds more than the backlog).
     *
     * @param loop the loop this network is installed on
     * @param address a host's address (or the wildcard) and port
     * @param backlog the listen backlog: one less than the most connections that wait while
     *     accepting is paused, as on Linux; cut to {@link #setSomaxconn somaxconn} (4096 by
     *     default), and 0 is kept (one connection waits), as Linux's {@code listen()} does
     * @param acceptor what to do with each connection
     * @return the listener
     * @throws IOException only as the one below
     * @throws BindException if the address is no host's, the host is down, or the port is taken
     * @throws IllegalArgumentException if the backlog is negative
     */
    @Override
    public Listener listen(EventLoop loop, InetSocketAddress address, int backlog, Acceptor acceptor) throws IOException {
        checkLoop(loop);
        return tcp.listen(address, backlog, acceptor);
    }

    /**
     * Connects to a Unix domain socket listened on the current host ({@link #listenUnix}): a Unix
     * socket is local to its host, so code on another host cannot reach it. As Linux's AF_UNIX
     * ({@code unix_stream_connect}), there is no handshake: the connection is made at once, in
     * no loop time, and goes to the listener (accepted on the next loop iteration, or into its
     * accept queue while accepting is paused), and waits in the listener's queue until then, so
     * the connects of one loop iteration count against the backlog even while the server accepts;
     * when that queue already holds more than the backlog, the connect fails at once, as a non-blocking one does there with {@code EAGAIN}.
     * The connection then behaves as a TCP one between the host and itself (the host's own link:
     * its latency, partitions and faults; ordered bytes, back-pressure, FIN and RST; a crash of
     * the host resets it), and the trace names its ends {@code host:unix#n} and {@code host:path}.
     *
     * <p><b>Cancellation:</b> suspends until the next loop iteration, when the transport's
     * {@code connectionMade} runs; if the task is cancelled meanwhile, the connection is reset and
     * {@code protocol} is never called.
     *
     * @param loop the loop this network is installed on
     * @param path the socket's path (compared after {@link Path#normalize()})
     * @param protocol the protocol to attach
     * @return the connected transport; its {@code peername} is the path
     * @throws IOException only as one of the four below
     * @throws SocketException if nothing listens at the path on this host ("No such file or
     *     directory", as the JDK reports the real one)
     * @throws ConnectException if the path's socket file outlived its server (the host crashed
     *     while it listened): "Connection refused", as for a real stale socket file
     * @throws SocketException if the listener's accept queue holds more than its backlog:
     *     "Resource temporarily unavailable", as the JDK reports the real connect's {@code EAGAIN}
     * @throws NoRouteToHostException if the current host is down
     * @since 0.2
     */
    @Override
    public Transport connectUnix(EventLoop loop, Path path, Protocol protocol) throws IOException {
        checkLoop(loop);
        return tcp.connectUnix(loop, path, protocol);
    }

    /**
     * Listens on a Unix domain socket path of the current host. As aio-streams removes a stale
     * socket file before it binds, a path another listener of the host holds is taken over (that
     * listener hears of no more connections), as on a real machine; closing the listener removes
     * the path. A crash of the host leaves the path as a stale socket file (connects are refused)
     * until something listens there again.
     *
     * @param loop the loop this network is installed on
     * @param path the socket's path (compared after {@link Path#normalize()})
     * @param backlog the listen backlog: one less than the most connections that wait while
     *     accepting is paused (Linux's {@code unix_recvq_full} compares with {@code >}); cut to
     *     {@link #setSomaxconn somaxconn}, 0 kept, as for TCP
     * @param acceptor what to do with each connection
     * @return the listener ({@link Listener#address()} is null)
     * @throws IOException only as the one below
     * @throws BindException if the current host is down
     * @throws IllegalArgumentException if the backlog is negative
     * @since 0.2
     */
    @Override
    public Listener listenUnix(EventLoop loop, Path path, int backlog, Acceptor acceptor) throws IOException {
        checkLoop(loop);
        return tcp.listenUnix(path, backlog, acceptor);
    }

    /**
     * Makes a UDP socket on a host: the current host for a null, wildcard or loopback local
     * address, else the host whose address it is. Port 0 (or no local address) takes the host's
     * next free UDP port (from 49152; UDP ports are apart from TCP's). Binding a port a socket of
     * the host holds fails, unless both asked for {@code reusePort}: then each sender's datagrams
     * go to one of them, always the same for a sender. With a remote address the socket is
     * connected: it sends only there, takes datagrams only from there, and hears "port
     * unreachable" (a {@link PortUnreachableException} to {@code errorReceived}, one round trip
     * after the send) when nothing is bound at the remote port, as Linux reports the ICMP error to
     * a connected socket; an unconnected socket hears nothing, and the datagram is dropped.
     * {@code allowBroadcast} is accepted and has no effect: broadcast is not modelled.
     *
     * <p><b>Cancellation:</b> suspends until {@code connectionMade} ran on the next loop
     * iteration. If the task is cancelled the socket is closed: before {@code connectionMade}
     * ran, {@code protocol} is never called; after it (the cancel came while the call was
     * returning), the socket is aborted and {@code protocol.connectionLost(null)} follows.
     *
     * @param loop the loop this network is installed on
     * @param local a host's address (or the wildcard or loopback) and port, or null
     * @param remote the peer, or null
     * @param reusePort whether several sockets may bind this port
     * @param allowBroadcast no effect
     * @param protocol the protocol to attach
     * @return the endpoint; its {@code "socket"} extra info is null (no real channel)
     * @throws IOException only as one of the two below
     * @throws BindException if the address is no host's, the host is down, or the port is taken
     *     (or, for port 0, every ephemeral port is)
     * @throws SocketException if the host crashed or vanished after the bind, before
     *     {@code connectionMade} ran ("Network is down (host h crashed)")
     * @throws IllegalArgumentException if {@code protocol} is null, both addresses are null, or
     *     {@code remote} is unresolved
     * @since 0.2
     */
    @Override
    public DatagramTransport datagramEndpoint(EventLoop loop, InetSocketAddress local, InetSocketAddress remote, boolean reusePort,
                                              boolean allowBroadcast, DatagramProtocol protocol) throws IOException {
        checkLoop(loop);
        return udp.datagramEndpoint(loop, local, remote, reusePort, protocol);
    }

    /**
     * The receive buffer of every simulated UDP socket from now on: a datagram that arrives when
     * the datagrams waiting to be handed to the protocol (plus {@value #UDP_DATAGRAM_OVERHEAD}
     * bytes each) and it would exceed
     * it is dropped, as the kernel drops what its socket buffer has no room for.
     *
     * @param bytes the cap; {@value #DEFAULT_UDP_RECEIVE_BUFFER} by default
     * @throws IllegalArgumentException if it is not positive
     * @since 0.2
     */
    public void setUdpReceiveBuffer(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("UDP receive buffer must be > 0 bytes, got " + bytes);
        }
        udp.setReceiveBuffer(bytes);
    }

    /**
     * The send buffer of every simulated UDP socket from now on: the kernel takes a datagram
     * while the socket's datagrams still waiting for the link's bandwidth
     * ({@link #setBandwidth}) take less than this (each counted as on the receive side), as
     * Linux's {@code sock_alloc_send_skb} does; past it {@code sendto} queues in the transport,
     * whose {@code getWriteBufferSize} grows and whose protocol hears {@code pauseWriting} past
     * the high watermark and {@code resumeWriting} at the low one, as on the real transport.
     * Without a bandwidth limit nothing waits on the link and sends never queue.
     *
     * @param bytes the send buffer; {@value #DEFAULT_UDP_SEND_BUFFER} by default
     * @throws IllegalArgumentException if it is not positive
     * @since 0.2
     */
    public void setUdpSendBuffer(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("UDP send buffer must be > 0 bytes, got " + bytes);
        }
        udp.setSendBuffer(bytes);
    }

    /**
     * How many UDP datagrams a {@link #hold} keeps on each direction of a link from now on: one
     * that reaches a held direction already keeping that many is dropped and traced as
     * {@code udp-drop ... (held queue full)}, as a router's queue in front of a stalled link
     * drops what it has no room for. Datagrams already kept stay kept.
     *
     * @param datagrams the cap; {@value #DEFAULT_UDP_HOLD_QUEUE} by default; 0 makes a hold drop
     *     every datagram, as a partition does
     * @throws IllegalArgumentException if it is negative
     * @since 0.2
     */
    public void setUdpHoldQueue(int datagrams) {
        if (datagrams < 0) {
            throw new IllegalArgumentException("UDP hold queue must be >= 0 datagrams, got " + datagrams);
        }
        udp.setHoldQueue(datagrams);
    }

    // -------------------------------------------------------------------------- internals

    EventLoop loop() {
        if (loop == null) {
            throw new IllegalStateException("SimNetwork is not installed on a loop; call install(Aio.getRunningLoop()) first");
        }
        return loop;
    }

    private void checkLoop(EventLoop l) {
        checkNotStopped("SimNetwork used from " + l);
        if (loop == null) {
            attach(l); // installed with Streams.useNetwork directly
        } else if (l != loop) {
            throw new IllegalStateException("SimNetwork used from " + l + " but it serves " + loop);
        }
    }

    SimHost host(String name) {
        SimHost h = hosts.named(name);
        if (h == null) {
            throw new IllegalArgumentException("no host named " + name + " in " + this + "; add it with addHost");
        }
        return h;
    }

    double latency(SimHost a, SimHost b) {
        return links.latency(a, b);
    }

    /** Whether bytes from {@code a} to {@code b} wait at a cut (a partition, one-way or not). */
    boolean held(SimHost a, SimHost b) {
        return links.held(a, b);
    }

    /** When {@code n} bytes sent now from {@code a} to {@code b} have left {@code a} ({@link SimLinks#serialised}). */
    double serialised(SimHost a, SimHost b, int n) {
        return links.serialised(a, b, n, loop().time());
    }

    /** When {@code n} bytes sent at {@code at} from {@code a} to {@code b} have left {@code a}: a retransmission's turn on the link. */
    double serialised(SimHost a, SimHost b, int n, double at) {
        return links.serialised(a, b, n, at);
    }

    /** {@link SimLinks#freeAt}. */
    double linkFreeAt(SimHost a, SimHost b) {
        return links.freeAt(a, b);
    }

    /** {@link SimLinks#unserialise}. */
    void unserialise(SimHost a, SimHost b, double start, double done) {
        links.unserialise(a, b, start, done, loop().time());
    }

    /** How long a connect waits for its SYN-ACK ({@link #setTcpTimeouts}). */
    double connectTimeout() {
        return tcp.connectTimeout();
    }

    /** Whether the link loses this transmission from {@code a} to {@code b} ({@link SimLinks#loses}): one draw per transmission. */
    boolean loses(SimHost a, SimHost b) {
        return links.loses(a, b);
    }

    // ------------------------------------------- for SimEndpoint, SimPipe, SimDatagramEndpoint

    void record(String event, String detail) {
        trace.record(event, detail);
    }

    static String label(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    void endpointLost(SimEndpoint e) {
        tcp.endpointLost(e);
    }

    /** A pipe's head reached a held link. */
    void pipeHeld(SimPipe p) {
        tcp.pipeHeld(p);
    }

    /** The SYN-ACK reached the client (in its context): the connect completes. */
    void synAckArrived(SimEndpoint client) {
        tcp.synAckArrived(client);
    }

    /** The client's ACK of the SYN-ACK reached the server end (in its context): what became of it ({@link SimTcp#ackArrived}). */
    SimTcp.AckOutcome ackArrived(SimEndpoint server, String what) {
        return tcp.ackArrived(server, what);
    }

    int udpReceiveBuffer() {
        return udp.udpReceiveBuffer();
    }

    int udpSendBuffer() {
        return udp.udpSendBuffer();
    }

    /** A datagram too long to send: traced as sent and dropped ({@link SimUdp#messageTooLong}). */
    void messageTooLong(SimDatagramEndpoint from, byte[] data, InetSocketAddress to) {
        udp.messageTooLong(from, data, to);
    }

    /** Sends one datagram; returns when it has left the link's bandwidth queue ({@link SimUdp#sendDatagram}). */
    double sendDatagram(SimDatagramEndpoint from, byte[] data, InetSocketAddress to) {
        return udp.sendDatagram(from, data, to);
    }
}
