package dev.aio4j.test.net;

import dev.aio4j.loop.Coroutine;
import dev.aio4j.streams.test.UdpEchoScenarios;

/**
 * The asyncio documentation's UDP echo example ({@link UdpEchoScenarios}, which aio-streams'
 * UdpEchoTest runs on real loopback) on a {@link SimNetwork}. aio4j-only (issue 17).
 */
class SimUdpEchoTest extends UdpEchoScenarios {
    @Override
    protected <T> T run(Coroutine<T> body) {
        return SimLoopback.run(body);
    }
}
