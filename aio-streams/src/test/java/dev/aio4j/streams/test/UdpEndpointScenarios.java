package dev.aio4j.streams.test;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.test.IoTestSupport;
import dev.aio4j.loop.test.RecordingExceptionHandler;
import dev.aio4j.streams.DatagramTransport;
import dev.aio4j.streams.DatagramTransportAndProtocol;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.test.RecordingDatagramProtocol.Echo;
import dev.aio4j.streams.test.RecordingDatagramProtocol.Responding;
import org.junit.jupiter.api.Test;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static dev.aio4j.streams.test.RecordingDatagramProtocol.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * UDP endpoints made by {@link Streams#createDatagramEndpoint}, on whatever network the subclass's
 * {@link #run} installs: the create_datagram_endpoint tests of Lib/test/test_asyncio/test_events.py
 * (EventLoopTestsMixin, which CPython likewise runs once per event loop class) and of
 * test_base_events.py, then what the transport does through an endpoint (test_selector_events.py's
 * sendto and close cases, seen from outside). The transport's internals, driven through a socket
 * seam, are aio-streams' {@code UdpTest}; what only one network can show stays in its own class
 * (aio-streams' {@code UdpEndpointTest}: IPv6, socket options; aio-test's {@code SimUdpTest}).
 */
public abstract class UdpEndpointScenarios extends UdpScenarios {
    /** For subclasses. */
    protected UdpEndpointScenarios() {
    }

    // ---------------------------------------------------------------------- test_events.py

    /**
     * test_create_datagram_endpoint's round trip, with the server bound to {@code host}: the
     * client, connected, sends "xxx" and gets "resp:xxx" back.
     */
    protected void datagramEndpointRoundTrip(InetAddress host) throws Exception {
        run(() -> {
            DatagramTransportAndProtocol<Responding> server = Streams.createDatagramEndpoint(Responding::new,
                    new InetSocketAddress(host, 0), null);
            InetSocketAddress serverAddr = sockname(server);
            assertEquals(host, serverAddr.getAddress());
            // A simulated network exposes no JDK channel; the real one does.
            assertEquals(realSockets(), server.transport().getExtraInfo("socket") instanceof DatagramChannel);
            assertNull(server.transport().getExtraInfo("peername"));
            DatagramTransportAndProtocol<RecordingDatagramProtocol> client = Streams.createDatagramEndpoint(
                    RecordingDatagramProtocol::new, null, serverAddr);
            DatagramTransport ct = client.transport();
            assertTrue(client.protocol().made.done(), "createDatagramEndpoint returns after connectionMade");
            assertEquals(serverAddr, ct.getExtraInfo("peername"));
            assertEquals(realSockets(), ct.getExtraInfo("socket") instanceof DatagramChannel);
            assertEquals("dflt", ct.getExtraInfo("nonsense", "dflt"));
            ct.sendto(ascii("xxx"));
            client.protocol().awaitDatagrams(1);
            assertEquals(List.of("resp:xxx"), client.protocol().texts());
            assertEquals(serverAddr, client.protocol().received.get(0).addr());
            assertEquals(List.of("xxx"), server.protocol().texts());
            // Connected to a peer on host, the client's sockname and its datagrams' source are on host too.
            assertEquals(host, ((InetSocketAddress) ct.getExtraInfo("sockname")).getAddress());
            assertEquals(ct.getExtraInfo("sockname"), server.protocol().received.get(0).addr());
            ct.close();
            assertNull(client.protocol().lost.await());
            server.transport().close();
            assertNull(server.protocol().lost.await());
            assertEquals(List.of("made", "datagram", "lost"), client.protocol().events);
            return null;
        });
    }

    @Test
    void createDatagramEndpoint() throws Exception {
        datagramEndpointRoundTrip(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void createDatagramEndpointUnresolvedNames() throws Exception { // the (host, port) tuples of asyncio
        run(() -> {
            var server = Streams.createDatagramEndpoint(Responding::new, InetSocketAddress.createUnresolved("127.0.0.1", 0), null);
            int port = sockname(server).getPort();
            var client = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, InetSocketAddress.createUnresolved("localhost", 0),
                    InetSocketAddress.createUnresolved("127.0.0.1", port));
            client.transport().sendto(ascii("hi"));
            client.protocol().awaitDatagrams(1);
            assertEquals(List.of("resp:hi"), client.protocol().texts());
            client.transport().close();
            server.transport().close();
            return null;
        });
    }

    @Test
    void datagramSendToNonListeningAddress() throws Exception {
        run(() -> {
            var gone = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null);
            InetSocketAddress dead = sockname(gone);
            gone.transport().close();
            gone.protocol().lost.await();
            var client = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, null, dead);
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
            var loose = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null);
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

    // ----------------------------------------------------------------- test_base_events.py

    @Test
    void createDatagramEndpointNoaddrNofamily() throws Exception {
        run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, null, null));
            assertEquals("createDatagramEndpoint needs a local address, a remote address or both, got neither", e.getMessage());
            return null;
        });
    }

    @Test
    void createDatagramEndpointNoMatchingFamily() throws Exception {
        run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new,
                            new InetSocketAddress(InetAddress.getByName("::1"), 0), new InetSocketAddress(LOOPBACK, 9)));
            assertTrue(e.getMessage().contains("no address family in common"), e.getMessage());
            return null;
        });
    }

    @Test
    void createDatagramEndpointCantBind() throws Exception {
        run(() -> {
            var taken = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null);
            BindException e = assertThrows(BindException.class,
                    () -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, sockname(taken), null));
            assertTrue(e.getMessage().contains("Address already in use"), e.getMessage());
            taken.transport().close();
            taken.protocol().lost.await(); // the real socket is released once the selector let go of it
            // Closed, the port is free again.
            var again = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, sockname(taken), null);
            again.transport().close();
            return null;
        });
    }

    @Test
    void createDatagramEndpointReusePortSharesThePort() throws Exception { // test_create_datagram_endpoint_sockopts' reuse_port
        run(() -> {
            var a = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null, true, false);
            var b = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, sockname(a), null, true, false);
            assertEquals(sockname(a), sockname(b));
            // ...but not with one that did not ask for it.
            assertThrows(BindException.class, () -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, sockname(a), null));
            a.transport().close();
            b.transport().close();
            return null;
        });
    }

    @Test
    void createDatagramEndpointCancelledLeaksNothing() throws Exception { // aio4j-only
        IoTestSupport.assertNoFdLeak(() -> run(() -> {
            Task<Object> task = Aio.createTask(() -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null));
            Aio.sleep(0); // the task made the socket and waits for connectionMade
            task.cancel();
            assertThrows(CancellationException.class, task::await);
            var tp = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null);
            tp.transport().close();
            tp.protocol().lost.await();
            assertEquals(List.of("made", "lost"), tp.protocol().events);
            return null;
        }));
    }

    @Test
    void createDatagramEndpointCancelledAfterConnectionMadeCallsConnectionLost() throws Exception { // aio4j-only
        run(() -> {
            List<RecordingDatagramProtocol> made = new ArrayList<>();
            Task<Object> task = Aio.createTask(() -> Streams.createDatagramEndpoint(() -> {
                RecordingDatagramProtocol r = new RecordingDatagramProtocol();
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

    // ------------------------------------ the transport through an endpoint (test_selector_events.py)

    @Test
    void aConnectedEndpointTakesDatagramsOnlyFromItsPeer() throws Exception { // aio4j-only
        run(() -> {
            var peer = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null);
            var stranger = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null);
            var connected = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), sockname(peer));
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

    @Test
    void emptyDatagramsAndAddressChecks() throws Exception { // sendto_no_data, sendto_connected_addr
        run(() -> {
            var receiver = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null);
            var sender = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null);
            sender.transport().sendto(new byte[0], sockname(receiver)); // Python 3.13: an empty datagram is sent
            sender.transport().sendto(ascii("after"), sockname(receiver));
            receiver.protocol().awaitDatagrams(2);
            assertEquals(List.of("", "after"), receiver.protocol().texts());
            IllegalStateException noAddr = assertThrows(IllegalStateException.class, () -> sender.transport().sendto(ascii("x")));
            assertTrue(noAddr.getMessage().startsWith("sendto() without an address on an endpoint that is not connected"),
                    noAddr.getMessage());
            var connected = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, null, sockname(receiver));
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

    @Test
    void messageTooLongIsAnErrorNotAClose() throws Exception { // aio4j-only: EMSGSIZE, Python's error_received(OSError)
        run(() -> {
            var receiver = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null);
            if (receiver.transport().getExtraInfo("socket") instanceof DatagramChannel ch) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            }
            var sender = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null);
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

    @Test
    void close() throws Exception { // SelectorTransportTests.test_close, through an endpoint
        run(() -> {
            var tp = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null);
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

    @Test
    void protocolCallbackErrorIsFatal() throws Exception { // aio4j-only: datagramReceived throws
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        Exception lost = run(() -> {
            Aio.getRunningLoop().setExceptionHandler(handler);
            var tp = Streams.createDatagramEndpoint(() -> new RecordingDatagramProtocol() {
                @Override
                public void datagramReceived(byte[] data, SocketAddress addr) {
                    throw new IllegalStateException("bad datagram");
                }
            }, any(), null);
            var peer = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, any(), null);
            peer.transport().sendto(ascii("x"), sockname(tp));
            Exception e = tp.protocol().lost.await();
            peer.transport().close();
            return e;
        });
        assertEquals("bad datagram", lost.getMessage());
        assertTrue(handler.messages().get(0).startsWith("Fatal error: protocol.datagramReceived() call failed."), handler.messages().get(0));
    }
}
