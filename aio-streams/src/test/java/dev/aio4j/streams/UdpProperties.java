package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A property of UDP endpoints on loopback: datagrams sent in a burst to an echo endpoint come back
 * intact and in order. aio4j-only.
 *
 * <p>Loopback neither reorders nor loses datagrams while the receive buffers have room: a burst
 * holds at most 24 datagrams of at most 1,400 bytes, well under the buffers (set to 1 MiB, capped
 * by the kernel at {@code net.core.rmem_max}, 208 KiB by default). Each try's waits are bounded by
 * {@code Aio.waitFor} (jqwik does not apply JUnit's {@code @Timeout} to a try).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UdpProperties {

    @Provide
    Arbitrary<List<byte[]>> datagrams() {
        return Arbitraries.integers().between(0, 1400)
                .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n))
                .list().ofMinSize(1).ofMaxSize(24);
    }

    /** Echoes every datagram to its sender. */
    static final class Echo implements DatagramProtocol {
        private DatagramTransport transport;

        @Override
        public void connectionMade(DatagramTransport transport) {
            this.transport = transport;
        }

        @Override
        public void datagramReceived(byte[] data, SocketAddress addr) {
            transport.sendto(data, addr);
        }
    }

    private static void bigReceiveBuffer(DatagramTransport t) throws java.io.IOException {
        ((DatagramChannel) t.getExtraInfo("socket")).setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
    }

    @Property(tries = 60)
    void datagramsComeBackIntactAndInOrderOverLoopback(@ForAll("datagrams") List<byte[]> sent) throws Exception {
        Aio.run(() -> {
            DatagramTransportAndProtocol<Echo> echo = Streams.createDatagramEndpoint(Echo::new,
                    new InetSocketAddress(Net.LOOPBACK, 0), null);
            // Not connected: a connected JDK DatagramChannel cannot send an empty datagram.
            InetSocketAddress echoAddr = (InetSocketAddress) echo.transport().getExtraInfo("sockname");
            DatagramTransportAndProtocol<RecordingDatagramProtocol> client = Streams.createDatagramEndpoint(
                    RecordingDatagramProtocol::new, new InetSocketAddress(Net.LOOPBACK, 0), null);
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
