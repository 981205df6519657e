package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.test.RecordingExceptionHandler;
import dev.aio4j.streams.DatagramProtocol;
import dev.aio4j.streams.DatagramTransport;
import dev.aio4j.streams.DatagramTransportAndProtocol;
import dev.aio4j.streams.Streams;
import dev.aio4j.test.net.Dgrams.Echo;
import dev.aio4j.test.net.Dgrams.Recording;
import dev.aio4j.test.net.Dgrams.Responding;
import dev.aio4j.test.net.Dgrams.Where;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import static dev.aio4j.test.net.Dgrams.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * aio-streams' UDP tests (UdpTest's create_datagram_endpoint cases from test_events.py and
 * test_base_events.py, UdpEchoTest's asyncio documentation example, UdpProperties' burst), each
 * scenario written once and run twice: on real loopback sockets and on a {@link SimNetwork}, so
 * that the simulation cannot drift from what the real path does. The scenarios bind loopback
 * addresses, which the simulated network takes as the current host. aio4j-only (issue 17).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UdpBothWaysTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static InetSocketAddress any() {
        return new InetSocketAddress(LOOPBACK, 0);
    }

    private static InetSocketAddress sockname(DatagramTransportAndProtocol<?> e) {
        return (InetSocketAddress) e.transport().getExtraInfo("sockname");
    }

    // ---------------------------------------------------------------------- test_events.py

    @ParameterizedTest
    @EnumSource(Where.class)
    void createDatagramEndpoint(Where where) throws Exception { // test_create_datagram_endpoint
        where.run(() -> {
            DatagramTransportAndProtocol<Responding> server = Streams.createDatagramEndpoint(Responding::new, any(), null);
            InetSocketAddress serverAddr = sockname(server);
            // Bound to loopback, both report the loopback address (the simulated host "local" is 10.0.0.1).
            assertEquals(LOOPBACK, serverAddr.getAddress());
            assertEquals(where == Where.REAL, server.transport().getExtraInfo("socket") instanceof DatagramChannel);
            assertNull(server.transport().getExtraInfo("peername"));
            DatagramTransportAndProtocol<Recording> client = Streams.createDatagramEndpoint(Recording::new, null, serverAddr);
            DatagramTransport ct = client.transport();
            assertTrue(client.protocol().made.done(), "createDatagramEndpoint returns after connectionMade");
            assertEquals(serverAddr, ct.getExtraInfo("peername"));
            assertEquals("dflt", ct.getExtraInfo("nonsense", "dflt"));
            ct.sendto(ascii("xxx"));
            client.protocol().awaitDatagrams(1);
            assertEquals(List.of("resp:xxx"), client.protocol().texts());
            assertEquals(serverAddr, client.protocol().received.get(0).addr());
            assertEquals(List.of("xxx"), server.protocol().texts());
            // Connected to a loopback peer, the client's sockname and its datagrams' source are loopback too.
            assertEquals(LOOPBACK, ((InetSocketAddress) ct.getExtraInfo("sockname")).getAddress());
            assertEquals(ct.getExtraInfo("sockname"), server.protocol().received.get(0).addr());
            ct.close();
            assertNull(client.protocol().lost.await());
            server.transport().close();
            assertNull(server.protocol().lost.await());
            assertEquals(List.of("made", "datagram", "lost"), client.protocol().events);
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void createDatagramEndpointUnresolvedNames(Where where) throws Exception { // asyncio's (host, port) tuples
        where.run(() -> {
            var server = Streams.createDatagramEndpoint(Responding::new, InetSocketAddress.createUnresolved("127.0.0.1", 0), null);
            int port = sockname(server).getPort();
            var client = Streams.createDatagramEndpoint(Recording::new, InetSocketAddress.createUnresolved("localhost", 0),
                    InetSocketAddress.createUnresolved("127.0.0.1", port));
            client.transport().sendto(ascii("hi"));
            client.protocol().awaitDatagrams(1);
            assertEquals(List.of("resp:hi"), client.protocol().texts());
            client.transport().close();
            server.transport().close();
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void datagramSendToNonListeningAddress(Where where) throws Exception { // test_datagram_send_to_non_listening_address
        where.run(() -> {
            var gone = Streams.createDatagramEndpoint(Recording::new, any(), null);
            InetSocketAddress dead = sockname(gone);
            gone.transport().close();
            gone.protocol().lost.await();
            var client = Streams.createDatagramEndpoint(Recording::new, null, dead);
            DatagramTransport t = client.transport();
            t.sendto(ascii("hello"));
            client.protocol().awaitErrors(1);
            assertInstanceOf(PortUnreachableException.class, client.protocol().errors.get(0));
            assertFalse(t.isClosing(), "the endpoint stays open after an error");
            t.sendto(ascii("again"));
            client.protocol().awaitErrors(2);
            assertInstanceOf(PortUnreachableException.class, client.protocol().errors.get(1));
            // An endpoint that is not connected hears nothing of the same loss (Linux reports the
            // ICMP error to connected sockets only): its next answer comes with no error before it.
            var echo = Streams.createDatagramEndpoint(Echo::new, any(), null);
            var loose = Streams.createDatagramEndpoint(Recording::new, any(), null);
            loose.transport().sendto(ascii("into the void"), dead);
            loose.transport().sendto(ascii("marker"), sockname(echo));
            loose.protocol().awaitDatagrams(1);
            assertEquals(List.of("marker"), loose.protocol().texts());
            assertTrue(loose.protocol().errors.isEmpty(), loose.protocol().errors.toString());
            for (var e : List.of(client, echo, loose)) {
                e.transport().close();
            }
            assertNull(client.protocol().lost.await());
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void udpEchoServerAndClient(Where where) throws Exception { // asyncio-protocol.rst's UDP echo example (UdpEchoTest)
        List<String> serverOut = new ArrayList<>();
        List<String> clientOut = new ArrayList<>();
        where.run(() -> {
            var server = Streams.createDatagramEndpoint(() -> new DatagramProtocol() {
                DatagramTransport transport;

                @Override
                public void connectionMade(DatagramTransport transport) {
                    this.transport = transport;
                }

                @Override
                public void datagramReceived(byte[] data, SocketAddress addr) {
                    String message = new String(data, StandardCharsets.UTF_8);
                    serverOut.add("Received " + message + " from " + addr);
                    serverOut.add("Send " + message + " to " + addr);
                    transport.sendto(data, addr);
                }
            }, new InetSocketAddress("127.0.0.1", 0), null);
            Future<Boolean> onConLost = Aio.getRunningLoop().createFuture();
            var client = Streams.createDatagramEndpoint(() -> new DatagramProtocol() {
                DatagramTransport transport;

                @Override
                public void connectionMade(DatagramTransport transport) {
                    this.transport = transport;
                    clientOut.add("Send: Hello World!");
                    transport.sendto("Hello World!".getBytes(StandardCharsets.UTF_8));
                }

                @Override
                public void datagramReceived(byte[] data, SocketAddress addr) {
                    clientOut.add("Received: " + new String(data, StandardCharsets.UTF_8));
                    clientOut.add("Close the socket");
                    transport.close();
                }

                @Override
                public void errorReceived(Exception exc) {
                    clientOut.add("Error received: " + exc);
                }

                @Override
                public void connectionLost(Exception exc) {
                    clientOut.add("Connection closed");
                    onConLost.setResult(true);
                }
            }, null, sockname(server));
            try {
                onConLost.await();
            } finally {
                client.transport().close();
                server.transport().close();
            }
            return null;
        });
        assertEquals(List.of("Send: Hello World!", "Received: Hello World!", "Close the socket", "Connection closed"), clientOut);
        assertEquals(2, serverOut.size());
        assertTrue(serverOut.get(0).startsWith("Received Hello World! from "), serverOut.get(0));
    }

    // ----------------------------------------------------------------- test_base_events.py

    @ParameterizedTest
    @EnumSource(Where.class)
    void createDatagramEndpointCantBind(Where where) throws Exception {
        where.run(() -> {
            var taken = Streams.createDatagramEndpoint(Recording::new, any(), null);
            BindException e = assertThrows(BindException.class, () -> Streams.createDatagramEndpoint(Recording::new, sockname(taken), null));
            assertTrue(e.getMessage().contains("Address already in use"), e.getMessage());
            // With reusePort on both, two endpoints share the port (test_create_datagram_endpoint_sockopts).
            var a = Streams.createDatagramEndpoint(Recording::new, any(), null, true, false);
            var b = Streams.createDatagramEndpoint(Recording::new, sockname(a), null, true, false);
            assertEquals(sockname(a), sockname(b));
            // ...but not with one that did not ask for it.
            assertThrows(BindException.class, () -> Streams.createDatagramEndpoint(Recording::new, sockname(a), null));
            for (var x : List.of(taken, a, b)) {
                x.transport().close();
                x.protocol().lost.await(); // the real socket is released once the selector let go of it
            }
            // Closed, the port is free again.
            var again = Streams.createDatagramEndpoint(Recording::new, sockname(taken), null);
            again.transport().close();
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void createDatagramEndpointCancelledLeaksNothing(Where where) throws Exception { // aio4j-only
        where.run(() -> {
            Task<Object> task = Aio.createTask(() -> Streams.createDatagramEndpoint(Recording::new, any(), null));
            Aio.sleep(0); // the task made the socket and waits for connectionMade
            task.cancel();
            assertThrows(CancellationException.class, task::await);
            var tp = Streams.createDatagramEndpoint(Recording::new, any(), null);
            tp.transport().close();
            tp.protocol().lost.await();
            assertEquals(List.of("made", "lost"), tp.protocol().events);
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void createDatagramEndpointCancelledAfterConnectionMadeCallsConnectionLost(Where where) throws Exception { // aio4j-only
        where.run(() -> {
            List<Recording> made = new ArrayList<>();
            Task<Object> task = Aio.createTask(() -> Streams.createDatagramEndpoint(() -> {
                Recording r = new Recording();
                made.add(r);
                return r;
            }, any(), null));
            Aio.sleep(0); // the task made the socket and waits for connectionMade
            Aio.sleep(0); // connectionMade ran; the task has not resumed yet
            assertEquals(List.of("made"), made.get(0).events);
            task.cancel();
            assertThrows(CancellationException.class, task::await);
            assertNull(made.get(0).lost.await(), "aborted: connectionLost follows");
            assertEquals(List.of("made", "lost"), made.get(0).events);
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void aConnectedEndpointTakesDatagramsOnlyFromItsPeer(Where where) throws Exception { // aio4j-only
        where.run(() -> {
            var peer = Streams.createDatagramEndpoint(Recording::new, any(), null);
            var stranger = Streams.createDatagramEndpoint(Recording::new, any(), null);
            var connected = Streams.createDatagramEndpoint(Recording::new, any(), sockname(peer));
            stranger.transport().sendto(ascii("from a stranger"), sockname(connected));
            peer.transport().sendto(ascii("from the peer"), sockname(connected));
            connected.protocol().awaitDatagrams(1); // loopback keeps order: the stranger's came first, if at all
            connected.transport().sendto(ascii("ping"));
            peer.protocol().awaitDatagrams(1);
            assertEquals(List.of("from the peer"), connected.protocol().texts());
            assertEquals(List.of("ping"), peer.protocol().texts());
            for (var e : List.of(peer, stranger, connected)) {
                e.transport().close();
            }
            return null;
        });
    }

    // ------------------------------------------------------------ the transport (UdpTest)

    @ParameterizedTest
    @EnumSource(Where.class)
    void emptyDatagramsAndAddressChecks(Where where) throws Exception { // sendto_no_data, sendto_connected_addr
        where.run(() -> {
            var receiver = Streams.createDatagramEndpoint(Recording::new, any(), null);
            var sender = Streams.createDatagramEndpoint(Recording::new, any(), null);
            sender.transport().sendto(new byte[0], sockname(receiver)); // Python 3.13: an empty datagram is sent
            sender.transport().sendto(ascii("after"), sockname(receiver));
            receiver.protocol().awaitDatagrams(2);
            assertEquals(List.of("", "after"), receiver.protocol().texts());
            IllegalStateException noAddr = assertThrows(IllegalStateException.class, () -> sender.transport().sendto(ascii("x")));
            assertTrue(noAddr.getMessage().startsWith("sendto() without an address on an endpoint that is not connected"),
                    noAddr.getMessage());
            var connected = Streams.createDatagramEndpoint(Recording::new, null, sockname(receiver));
            UnsupportedOperationException empty = assertThrows(UnsupportedOperationException.class,
                    () -> connected.transport().sendto(new byte[0]));
            assertTrue(empty.getMessage().startsWith("sendto() of an empty datagram on a connected endpoint"), empty.getMessage());
            IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                    () -> connected.transport().sendto(ascii("x"), sockname(sender)));
            assertTrue(other.getMessage().startsWith("Invalid address: must be null or "), other.getMessage());
            connected.transport().sendto(ascii("x"), sockname(receiver)); // the peer's own address is fine
            receiver.protocol().awaitDatagrams(3);
            assertEquals("x", receiver.protocol().texts().get(2));
            for (var e : List.of(receiver, sender, connected)) {
                e.transport().close();
            }
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void messageTooLongIsAnErrorNotAClose(Where where) throws Exception { // aio4j-only: EMSGSIZE, Python's error_received(OSError)
        where.run(() -> {
            var receiver = Streams.createDatagramEndpoint(Recording::new, any(), null);
            if (receiver.transport().getExtraInfo("socket") instanceof DatagramChannel ch) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            }
            var sender = Streams.createDatagramEndpoint(Recording::new, any(), null);
            sender.transport().sendto(new byte[65_508], sockname(receiver));
            assertEquals(1, sender.protocol().errors.size(), "reported at once, as the real send fails");
            assertInstanceOf(SocketException.class, sender.protocol().errors.get(0));
            assertTrue(sender.protocol().errors.get(0).getMessage().startsWith("Message too long"),
                    sender.protocol().errors.get(0).getMessage());
            assertFalse(sender.transport().isClosing());
            sender.transport().sendto(new byte[65_507], sockname(receiver)); // the largest IPv4 payload crosses
            receiver.protocol().awaitDatagrams(1);
            assertEquals(65_507, receiver.protocol().received.get(0).data().length);
            sender.transport().close();
            receiver.transport().close();
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void close(Where where) throws Exception { // SelectorTransportTests.test_close
        where.run(() -> {
            var tp = Streams.createDatagramEndpoint(Recording::new, any(), null);
            InetSocketAddress bound = sockname(tp);
            DatagramTransport t = tp.transport();
            t.close();
            assertTrue(t.isClosing());
            assertFalse(tp.protocol().lost.done(), "connectionLost comes on the next iteration");
            t.sendto(ascii("dropped"), bound); // after close(): dropped, no error
            assertNull(tp.protocol().lost.await());
            t.close(); // idempotent
            assertEquals(List.of("made", "lost"), tp.protocol().events);
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void protocolCallbackErrorIsFatal(Where where) throws Exception { // aio4j-only: datagramReceived throws
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        Exception lost = where.run(() -> {
            Aio.getRunningLoop().setExceptionHandler(handler);
            var tp = Streams.createDatagramEndpoint(() -> new Recording() {
                @Override
                public void datagramReceived(byte[] data, SocketAddress addr) {
                    throw new IllegalStateException("bad datagram");
                }
            }, any(), null);
            var peer = Streams.createDatagramEndpoint(Recording::new, any(), null);
            peer.transport().sendto(ascii("x"), sockname(tp));
            Exception e = tp.protocol().lost.await();
            peer.transport().close();
            return e;
        });
        assertEquals("bad datagram", lost.getMessage());
        assertTrue(handler.messages().get(0).startsWith("Fatal error: protocol.datagramReceived() call failed."), handler.messages().get(0));
    }

    // ----------------------------------------------------------------------- UdpProperties

    @Provide
    Arbitrary<List<byte[]>> datagrams() {
        return Arbitraries.integers().between(0, 1400)
                .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n))
                .list().ofMinSize(1).ofMaxSize(24);
    }

    /**
     * UdpProperties' burst, on both: loopback neither reorders nor loses while the buffers have
     * room (set to 1 MiB on the real sockets), nor does a simulated link without jitter or loss.
     */
    @Property(tries = 30)
    void aBurstComesBackIntactAndInOrder(@ForAll("datagrams") List<byte[]> sent, @ForAll Where where) throws Exception {
        where.run(() -> {
            var echo = Streams.createDatagramEndpoint(Echo::new, any(), null);
            var client = Streams.createDatagramEndpoint(Recording::new, any(), null);
            try {
                for (var e : List.of(echo.transport(), client.transport())) {
                    if (e.getExtraInfo("socket") instanceof DatagramChannel ch) {
                        ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
                    }
                }
                for (byte[] d : sent) {
                    client.transport().sendto(d, sockname(echo));
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
