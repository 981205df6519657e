package dev.aio4j.streams;

import dev.aio4j.streams.test.UdpEchoScenarios;

/**
 * The asyncio documentation's UDP echo example ({@link UdpEchoScenarios}) on real loopback
 * sockets; aio-test's {@code SimUdpEchoTest} runs it on a simulated network. aio4j-only as a test.
 */
class UdpEchoTest extends UdpEchoScenarios {
}
