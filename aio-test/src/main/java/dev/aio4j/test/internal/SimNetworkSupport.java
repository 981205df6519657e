package dev.aio4j.test.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.test.net.SimNetwork;

/**
 * What {@code AioExtension} does with a simulated network, in a class of its own so that the
 * extension loads without aio-streams when no test asks for a network.
 */
public final class SimNetworkSupport {
    private SimNetworkSupport() {}

    /** A network with {@code hosts} besides "local". */
    public static Object create(String[] hosts, long seed) {
        SimNetwork net = new SimNetwork(seed);
        for (String h : hosts) {
            if (!h.equalsIgnoreCase(SimNetwork.LOCAL)) {
                net.addHost(h);
            }
        }
        return net;
    }

    /** Installs it on the running loop. */
    public static void install(Object net) {
        ((SimNetwork) net).install(Aio.getRunningLoop());
    }

    /** The text a failure carries. */
    public static String report(Object net) {
        return ((SimNetwork) net).replayReport();
    }
}
