package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Coroutine;
import dev.aio4j.loop.Schedule;
import dev.aio4j.test.Schedules;

/**
 * The simulated side of aio-streams' UDP scenarios (dev.aio4j.streams.test.UdpScenarios and its
 * subclasses): their {@code run} hook, overridden by {@link SimUdpEndpointTest},
 * {@link SimUdpEchoTest} and {@link SimUdpProperties}, calls {@link #run} here.
 */
final class SimLoopback {
    private SimLoopback() {}

    /**
     * Runs {@code body} on a virtual-clock loop (FIFO schedule) with a {@link SimNetwork} (seed 7)
     * installed, and returns what it returned. The scenarios bind loopback addresses, which the
     * simulated network takes as the current host ("local").
     */
    static <T> T run(Coroutine<T> body) {
        return Schedules.run(Schedule.fifo(), () -> {
            SimNetwork net = new SimNetwork(7);
            net.install(Aio.getRunningLoop());
            try {
                return body.call();
            } finally {
                net.uninstall();
            }
        });
    }
}
