package dev.aio4j.test.net;

import dev.aio4j.loop.Coroutine;
import dev.aio4j.streams.test.UdpEndpointScenarios;

/**
 * aio-streams' UDP endpoint scenarios ({@link UdpEndpointScenarios}: the create_datagram_endpoint
 * tests of test_events.py and test_base_events.py, and the transport seen through an endpoint) on
 * a {@link SimNetwork}, so that the simulation cannot drift from the real path, which
 * aio-streams' UdpEndpointTest runs. What only the simulation shows is {@link SimUdpTest}.
 * aio4j-only (issue 17).
 */
class SimUdpEndpointTest extends UdpEndpointScenarios {
    @Override
    protected <T> T run(Coroutine<T> body) {
        return SimLoopback.run(body);
    }
}
