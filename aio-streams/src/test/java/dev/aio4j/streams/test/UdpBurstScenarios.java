package dev.aio4j.streams.test;

import dev.aio4j.loop.Aio;
import dev.aio4j.streams.DatagramTransport;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.test.RecordingDatagramProtocol.Echo;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A property of UDP endpoints on loopback, on whatever network the subclass's {@link #run}
 * installs: datagrams sent in a burst to an echo endpoint come back intact and in order.
 * aio4j-only.
 *
 * <p>Real loopback neither reorders nor loses datagrams while the receive buffers have room: a
 * burst holds at most 24 datagrams of at most 1,400 bytes, well under the buffers (set to 1 MiB
 * on real sockets, capped by the kernel at {@code net.core.rmem_max}, 208 KiB by default); nor
 * does a simulated link without jitter or loss. Each try's waits are bounded by
 * {@code Aio.waitFor} (jqwik does not apply JUnit's {@code @Timeout} to a try).
 */
public abstract class UdpBurstScenarios extends UdpScenarios {
    /** For subclasses. */
    protected UdpBurstScenarios() {
    }

    /** Bursts of 1 to 24 datagrams of 0 to 1,400 bytes. */
    @Provide
    protected Arbitrary<List<byte[]>> datagrams() {
        return Arbitraries.integers().between(0, 1400)
                .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n))
                .list().ofMinSize(1).ofMaxSize(24);
    }

    private static void bigReceiveBuffer(DatagramTransport t) throws java.io.IOException {
        if (t.getExtraInfo("socket") instanceof DatagramChannel ch) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        }
    }

    @Property(tries = 60)
    void datagramsComeBackIntactAndInOrderOverLoopback(@ForAll("datagrams") List<byte[]> sent) throws Exception {
        run(() -> {
            var echo = Streams.createDatagramEndpoint(Echo::new, any(), null);
            // Not connected: a connected JDK DatagramChannel cannot send an empty datagram.
            InetSocketAddress echoAddr = sockname(echo);
            var client = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null);
            try {
                bigReceiveBuffer(echo.transport());
                bigReceiveBuffer(client.transport());
                for (byte[] d : sent) {
                    client.transport().sendto(d, echoAddr);
                }
                Aio.waitFor(() -> {
                    client.protocol().awaitDatagrams(sent.size());
                    return null;
                }, 20);
                assertEquals(sent.size(), client.protocol().received.size());
                for (int i = 0; i < sent.size(); i++) {
                    assertArrayEquals(sent.get(i), client.protocol().received.get(i).data(), "datagram " + i);
                }
            } finally {
                client.transport().close();
                echo.transport().close();
            }
            return null;
        });
    }
}
