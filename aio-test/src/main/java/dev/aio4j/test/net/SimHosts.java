package dev.aio4j.test.net;

import dev.aio4j.loop.ContextVar;
import dev.aio4j.loop.EventLoop;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The address book of a {@link SimNetwork}: its hosts by name (case-insensitive) and by address,
 * in the order they were added, the addresses it hands out (10.0.0.n), which host the running
 * code is on, and how a name or address resolves.
 */
final class SimHosts {
    private final Map<String, SimHost> byName = new LinkedHashMap<>();
    private final Map<InetAddress, SimHost> byAddress = new LinkedHashMap<>();
    /** The host code runs on: set in each host's context, unset (the local host) elsewhere. */
    private final ContextVar<SimHost> current = new ContextVar<>("SimNetwork.host", null);
    private final Supplier<EventLoop> loop;
    private final SimTimers timers;

    /**
     * @param loop the network's loop, for the hosts' callbacks
     * @param timers the network's timers, which the hosts' timers go through
     */
    SimHosts(Supplier<EventLoop> loop, SimTimers timers) {
        this.loop = loop;
        this.timers = timers;
    }

    boolean has(String name) {
        return byName.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** Adds a host (its name checked by the caller) at the next free address of 10.0.0.0/16. */
    SimHost add(String name) {
        int n = byName.size() + 1;
        InetAddress a;
        try {
            a = InetAddress.getByAddress(name, new byte[] {10, 0, (byte) (n / 256), (byte) (n % 256)});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        SimHost h = new SimHost(name, a, current, loop, timers);
        byName.put(name.toLowerCase(Locale.ROOT), h);
        byAddress.put(a, h);
        return h;
    }

    /** The host of that name, or null. */
    SimHost named(String name) {
        return name == null ? null : byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** The host of that address, or null. */
    SimHost at(InetAddress address) {
        return byAddress.get(address);
    }

    /** The host the running code is on: {@value SimNetwork#LOCAL} unless it was placed elsewhere. */
    SimHost current() {
        SimHost h = current.get();
        return h != null ? h : byName.get(SimNetwork.LOCAL);
    }

    /** The host a name, an address or {@code "localhost"} (the current host) names; null if none. */
    SimHost resolve(String host) {
        if (host.equalsIgnoreCase("localhost") || host.equals("127.0.0.1") || host.equals("::1")) {
            return current();
        }
        SimHost h = byName.get(host.toLowerCase(Locale.ROOT));
        if (h == null) {
            for (SimHost x : byName.values()) {
                if (x.address.getHostAddress().equals(host)) {
                    h = x;
                }
            }
        }
        return h;
    }

    List<String> names() {
        return byName.values().stream().map(h -> h.name).toList();
    }
}
