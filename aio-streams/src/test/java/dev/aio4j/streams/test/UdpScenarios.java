package dev.aio4j.streams.test;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Coroutine;
import dev.aio4j.streams.DatagramTransportAndProtocol;
import dev.aio4j.streams.internal.Networks;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The base of the UDP scenario classes ({@link UdpEndpointScenarios}, {@link UdpEchoScenarios},
 * {@link UdpBurstScenarios}): each scenario is written once and runs wherever a subclass puts it.
 * The one hook is {@link #run}, which says how the scenario's loop runs and which network its
 * endpoints use: by default real sockets on loopback (aio-streams' {@code UdpEndpointTest},
 * {@code UdpEchoTest}, {@code UdpProperties}); aio-test's subclasses override it to install a
 * simulated network on a virtual-clock loop, so that the simulation cannot drift from what the
 * real path does. The scenarios bind loopback addresses, which a simulated network takes as the
 * current host. aio4j-only test support (issue 17).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class UdpScenarios {
    /** The loopback address the scenarios bind. */
    protected static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** For subclasses. */
    protected UdpScenarios() {
    }

    /**
     * Runs {@code body} on a fresh loop whose endpoints use the network under test, and returns
     * what it returned. Here: {@link Aio#run}, real sockets.
     */
    protected <T> T run(Coroutine<T> body) throws Exception {
        return Aio.run(body);
    }

    /** Whether the running loop's endpoints are real sockets (no network is installed on it). */
    protected static boolean realSockets() {
        return Networks.of(Aio.getRunningLoop()) == null;
    }

    /** Loopback, any port. */
    protected static InetSocketAddress any() {
        return new InetSocketAddress(LOOPBACK, 0);
    }

    /** The address an endpoint is bound to. */
    protected static InetSocketAddress sockname(DatagramTransportAndProtocol<?> e) {
        return (InetSocketAddress) e.transport().getExtraInfo("sockname");
    }
}
