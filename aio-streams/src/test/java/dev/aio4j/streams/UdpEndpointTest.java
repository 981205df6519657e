package dev.aio4j.streams;

import dev.aio4j.streams.test.RecordingDatagramProtocol;
import dev.aio4j.streams.test.UdpEndpointScenarios;
import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * UDP endpoints on real loopback sockets: the create_datagram_endpoint scenarios of
 * test_events.py and test_base_events.py ({@link UdpEndpointScenarios}, which aio-test's
 * {@code SimUdpEndpointTest} runs on a simulated network), and the cases only real sockets show:
 * IPv6 loopback and the socket options a JDK channel reports.
 */
class UdpEndpointTest extends UdpEndpointScenarios {

    @Test
    void createDatagramEndpointIpv6() throws Exception {
        datagramEndpointRoundTrip(InetAddress.getByName("::1"));
    }

    @Test
    void createDatagramEndpointAllowBroadcast() throws Exception {
        run(() -> {
            var tp = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null, false, true);
            DatagramChannel ch = (DatagramChannel) tp.transport().getExtraInfo("socket");
            assertTrue(ch.getOption(StandardSocketOptions.SO_BROADCAST));
            tp.transport().close();
            var plain = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null);
            assertFalse(((DatagramChannel) plain.transport().getExtraInfo("socket")).getOption(StandardSocketOptions.SO_BROADCAST));
            plain.transport().close();
            return null;
        });
    }

    @Test
    void createDatagramEndpointSockopts() throws Exception { // reuse_port sets SO_REUSEPORT (the sharing: UdpEndpointScenarios)
        run(() -> {
            var a = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null, true, false);
            assertTrue(((DatagramChannel) a.transport().getExtraInfo("socket")).getOption(StandardSocketOptions.SO_REUSEPORT));
            a.transport().close();
            return null;
        });
    }

    @Test
    void unsupportedFamilyAddressIsIpv6Capable() throws Exception { // aio4j-only: an IPv6 literal binds an IPv6 socket
        run(() -> {
            var tp = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, new InetSocketAddress(InetAddress.getByName("::1"), 0),
                    null);
            assertInstanceOf(Inet6Address.class, sockname(tp).getAddress());
            assertTrue(tp.transport().toString().startsWith("DatagramTransport[local=/[0:0:0:0:0:0:0:1]"), tp.transport().toString());
            tp.transport().close();
            return null;
        });
    }
}
