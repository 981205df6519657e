package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Context;
import dev.aio4j.loop.ContextVar;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.TimerHandle;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * One host of a {@link SimNetwork}: its name and address, whether it is up, the context its code
 * runs in (callbacks scheduled with {@link #call} and {@link #callAt} run "on" it), its listeners
 * and UDP sockets, and the search for its free ephemeral ports.
 */
final class SimHost {
    /*
     * Maintainer notes. The listener and socket tables are the host's kernel state: the TCP side
     * (SimTcp, SimListener) and the UDP side (SimUdp) change them only through the methods
     * below; stop() empties them when the host crashes or vanishes. The port searches go round
     * the ephemeral range from where the last one stopped, so their results depend only on what
     * was bound before, in order.
     */
    /** The first of the ephemeral ports, as Linux's and IANA's range starts. */
    static final int FIRST_EPHEMERAL_PORT = 49152;
    /** The last of the ephemeral ports. */
    static final int LAST_EPHEMERAL_PORT = 65535;

    final String name;
    final InetAddress address;
    /** The context of callbacks on this host: the network's current-host variable is this host in it. */
    final Context context;
    private final ContextVar<SimHost> current;
    private final Supplier<EventLoop> loop;
    /** The network's timers: {@link #callAt} sets them there, so that uninstalling the network cancels them. */
    private final SimTimers timers;
    private final Map<Integer, SimListener> listeners = new LinkedHashMap<>();
    /** Its Unix domain listeners, by normalised path: a Unix socket is reachable only on its host. */
    private final Map<String, SimListener> unixListeners = new LinkedHashMap<>();
    /** Paths whose socket file outlived its listener (the host crashed): connects are refused. */
    private final Set<String> staleUnixFiles = new LinkedHashSet<>();
    /** Its UDP sockets by port: several on one port only if all of them asked for reusePort. */
    private final Map<Integer, List<SimDatagramEndpoint>> udp = new LinkedHashMap<>();
    /** Where the search for a free ephemeral TCP port (or Unix client label) starts. */
    private int nextPort = FIRST_EPHEMERAL_PORT;
    /** Whether {@code nextPort} went round the ephemeral range: live connections' ports are then skipped too. */
    private boolean tcpPortsWrapped;
    /** Where the search for a free ephemeral UDP port starts. */
    private int nextUdpPort = FIRST_EPHEMERAL_PORT;
    private boolean up = true;
    /** Down without a word ({@link SimNetwork#vanish}): what reaches it is dropped, nothing answers. */
    private boolean silent;
    private boolean acceptPaused;
    /**
     * How many times it came back up ({@link #restart}): a boot count. Linux draws its SYN cookie
     * secret once per boot, so a cookie sent before a restart is invalid after it (SimTcp).
     */
    private int boots;

    /**
     * @param current the network's current-host variable, set to this host in its context
     * @param loop the network's loop, looked up when a callback is scheduled
     * @param timers the network's timers
     */
    SimHost(String name, InetAddress address, ContextVar<SimHost> current, Supplier<EventLoop> loop, SimTimers timers) {
        this.name = name;
        this.address = address;
        this.current = current;
        this.loop = loop;
        this.timers = timers;
        this.context = new Context();
        context.run(() -> current.set(this));
    }

    boolean isUp() {
        return up;
    }

    /** Whether it is down without a word ({@link SimNetwork#vanish}) rather than crashed. */
    boolean vanished() {
        return silent;
    }

    boolean acceptPaused() {
        return acceptPaused;
    }

    /** Its boot count: how many times it came back up after going down. */
    int boot() {
        return boots;
    }

    /** Down, crashed ({@code silently} false) or vanished; see {@link #stop} for what goes with it. */
    void goDown(boolean silently) {
        up = false;
        if (silently) {
            silent = true;
        }
    }

    /** Up again, accepting, with nothing listening (the caller's {@link #stop} forgot it all). */
    void restart() {
        boots++;
        up = true;
        silent = false;
        acceptPaused = false;
    }

    void pauseAccepting() {
        acceptPaused = true;
    }

    /** Accepts at once again; false if accepting was not paused. */
    boolean resumeAccepting() {
        if (!acceptPaused) {
            return false;
        }
        acceptPaused = false;
        return true;
    }

    /** The listener on a TCP port, or null. */
    SimListener listener(int port) {
        return listeners.get(port);
    }

    /** The listener on a Unix socket path (normalised), or null. */
    SimListener unixListener(String path) {
        return unixListeners.get(path);
    }

    /** Its TCP listeners, then its Unix ones, each in the order they listened. */
    List<SimListener> allListeners() {
        List<SimListener> all = new ArrayList<>(listeners.values());
        all.addAll(unixListeners.values());
        return all;
    }

    void listen(int port, SimListener l) {
        listeners.put(port, l);
    }

    /** Listens on a Unix path, taking it over from a listener that has it or from a stale socket file. */
    void listenUnix(String path, SimListener l) {
        staleUnixFiles.remove(path);
        unixListeners.put(path, l);
    }

    /** Whether a Unix socket file outlived its listener at {@code path}. */
    boolean staleUnixFile(String path) {
        return staleUnixFiles.contains(path);
    }

    /** Forgets {@code l} if it still listens; false if it did not (closed, or its host went down). */
    boolean unlisten(SimListener l) {
        return l.path == null ? listeners.remove(l.port, l) : unixListeners.remove(l.path, l);
    }

    /** The UDP sockets bound to {@code port}, in the order they bound (empty if none); read only. */
    List<SimDatagramEndpoint> udpSockets(int port) {
        List<SimDatagramEndpoint> bound = udp.get(port);
        return bound == null ? List.of() : Collections.unmodifiableList(bound);
    }

    void bindUdp(int port, SimDatagramEndpoint e) {
        udp.computeIfAbsent(port, k -> new ArrayList<>()).add(e);
    }

    /** The socket closed: its port is free once no other socket is bound to it. */
    void unbindUdp(int port, SimDatagramEndpoint e) {
        List<SimDatagramEndpoint> bound = udp.get(port);
        if (bound != null && bound.remove(e) && bound.isEmpty()) {
            udp.remove(port);
        }
    }

    void call(Runnable r) {
        loop.get().callSoon(r, context);
    }

    /**
     * Runs {@code r} at {@code when} in this host's context; the handle cancels it (a timer whose
     * work ended before it fired). {@code what} and {@code subject} name it while it is pending
     * ({@link SimNetwork#assertNoPendingTimers}), e.g. "request timer" and the end's name.
     */
    TimerHandle callAt(double when, String what, String subject, Runnable r) {
        return timers.at(when, context, what, subject, r);
    }

    /** Its UDP sockets, by port in binding order (SimUdp.stopped). */
    List<SimDatagramEndpoint> udpEndpoints() {
        List<SimDatagramEndpoint> all = new java.util.ArrayList<>();
        for (List<SimDatagramEndpoint> bound : udp.values()) {
            all.addAll(bound);
        }
        return all;
    }

    /**
     * The host goes down: closes its UDP sockets ("Network is down (host h {@code how})"), forgets
     * its listeners (a Unix listener's path stays as a stale socket file) and cancels the tasks
     * running on it, in creation order, except the caller.
     */
    void stop(String how) {
        for (List<SimDatagramEndpoint> bound : List.copyOf(udp.values())) {
            for (SimDatagramEndpoint e : List.copyOf(bound)) {
                e.closeBy(new SocketException("Network is down (host " + name + " " + how + ")"));
            }
        }
        listeners.clear();
        staleUnixFiles.addAll(unixListeners.keySet()); // nobody removed the socket files
        unixListeners.clear();
        Task<?> caller = Aio.currentTask();
        for (Task<?> t : loop.get().allTasks()) {
            if (t != caller && !t.done() && t.getContext().get(current, null) == this) {
                t.cancel();
            }
        }
    }

    /**
     * The first ephemeral port from {@code next} on that {@code inUse} does not claim, going
     * round 49152–65535 once (so ports closed long ago are taken again, as the kernel does); -1
     * when every one is in use.
     */
    static int ephemeralPort(int next, IntPredicate inUse) {
        int span = LAST_EPHEMERAL_PORT - FIRST_EPHEMERAL_PORT + 1;
        for (int i = 0; i < span; i++) {
            int p = FIRST_EPHEMERAL_PORT + Math.floorMod(next - FIRST_EPHEMERAL_PORT + i, span);
            if (!inUse.test(p)) {
                return p;
            }
        }
        return -1;
    }

    /**
     * Tests: the next ephemeral TCP port search starts at {@code port}, as after the counter went
     * round the range (a restarted host using a port its crashed connect used, say).
     */
    void nextTcpPortForTests(int port) {
        nextPort = port;
    }

    /** A free ephemeral UDP port: no socket of the host is bound to it. */
    int freeUdpPort() throws BindException {
        int p = ephemeralPort(nextUdpPort, udp::containsKey);
        if (p < 0) {
            throw new BindException("Address already in use: no free UDP port on host " + name + " (all of "
                    + FIRST_EPHEMERAL_PORT + "-" + LAST_EPHEMERAL_PORT + " are bound; close sockets you no longer use)");
        }
        nextUdpPort = p + 1;
        return p;
    }

    /**
     * A free ephemeral TCP port (a connection's local port or a listener's port 0): not listened
     * on, and once the counter went round the range, not the local port of one of {@code live}'s
     * connections of this host either. {@code what} starts the BindException's message when none
     * is free.
     */
    int freeTcpPort(String what, Collection<SimEndpoint> live) throws BindException {
        IntPredicate inUse = listeners::containsKey;
        if (tcpPortsWrapped) {
            Set<Integer> local = new HashSet<>();
            for (SimEndpoint e : live) {
                if (e.host == this && e.local instanceof InetSocketAddress a) {
                    local.add(a.getPort());
                }
            }
            inUse = inUse.or(local::contains);
        }
        int p = ephemeralPort(nextPort, inUse);
        if (p < 0) {
            throw new BindException(what + ": no free TCP port on host " + name + " (all of " + FIRST_EPHEMERAL_PORT + "-"
                    + LAST_EPHEMERAL_PORT + " are taken by listeners and connections; close some)");
        }
        if (p == LAST_EPHEMERAL_PORT || p < nextPort) {
            tcpPortsWrapped = true;
        }
        nextPort = p + 1;
        return p;
    }

}
