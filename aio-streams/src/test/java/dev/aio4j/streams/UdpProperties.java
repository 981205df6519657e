package dev.aio4j.streams;

import dev.aio4j.streams.test.UdpBurstScenarios;

/**
 * The UDP burst property ({@link UdpBurstScenarios}) on real loopback sockets; aio-test's
 * {@code SimUdpProperties} checks it on a simulated network. aio4j-only.
 */
class UdpProperties extends UdpBurstScenarios {
}
