package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The "UDP Echo Server" and "UDP Echo Client" examples of the asyncio documentation
 * (asyncio-protocol.rst), ported and run against each other on loopback; the printed lines are
 * collected and checked. aio4j-only as a test.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UdpEchoTest {

    /** The server: answers every datagram with itself. */
    static final class EchoServerProtocol implements DatagramProtocol {
        private final List<String> out;
        private DatagramTransport transport;

        EchoServerProtocol(List<String> out) {
            this.out = out;
        }

        @Override
        public void connectionMade(DatagramTransport transport) {
            this.transport = transport;
        }

        @Override
        public void datagramReceived(byte[] data, SocketAddress addr) {
            String message = new String(data, StandardCharsets.UTF_8);
            out.add("Received " + message + " from " + addr);
            out.add("Send " + message + " to " + addr);
            transport.sendto(data, addr);
        }
    }

    /** The client: sends one message, prints the answer, closes. */
    static final class EchoClientProtocol implements DatagramProtocol {
        private final String message;
        private final Future<Boolean> onConLost;
        private final List<String> out;
        private DatagramTransport transport;

        EchoClientProtocol(String message, Future<Boolean> onConLost, List<String> out) {
            this.message = message;
            this.onConLost = onConLost;
            this.out = out;
        }

        @Override
        public void connectionMade(DatagramTransport transport) {
            this.transport = transport;
            out.add("Send: " + message);
            transport.sendto(message.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void datagramReceived(byte[] data, SocketAddress addr) {
            out.add("Received: " + new String(data, StandardCharsets.UTF_8));
            out.add("Close the socket");
            transport.close();
        }

        @Override
        public void errorReceived(Exception exc) {
            out.add("Error received: " + exc);
        }

        @Override
        public void connectionLost(Exception exc) {
            out.add("Connection closed");
            onConLost.setResult(true);
        }
    }

    @Test
    void udpEchoServerAndClient() throws Exception {
        List<String> serverOut = new ArrayList<>();
        List<String> clientOut = new ArrayList<>();
        Aio.run(() -> {
            // Server: "Starting UDP server"; one endpoint serving all clients (port 0 instead of 9999).
            DatagramTransportAndProtocol<EchoServerProtocol> server = Streams.createDatagramEndpoint(
                    () -> new EchoServerProtocol(serverOut), new InetSocketAddress("127.0.0.1", 0), null);
            InetSocketAddress addr = (InetSocketAddress) server.transport().getExtraInfo("sockname");
            try {
                // Client.
                EventLoop loop = Aio.getRunningLoop();
                Future<Boolean> onConLost = loop.createFuture();
                DatagramTransportAndProtocol<EchoClientProtocol> client = Streams.createDatagramEndpoint(
                        () -> new EchoClientProtocol("Hello World!", onConLost, clientOut), null, addr);
                try {
                    onConLost.await();
                } finally {
                    client.transport().close();
                }
            } finally {
                server.transport().close();
            }
            return null;
        });
        assertEquals(List.of("Send: Hello World!", "Received: Hello World!", "Close the socket", "Connection closed"), clientOut);
        assertEquals(2, serverOut.size());
        assertEquals(true, serverOut.get(0).startsWith("Received Hello World! from /127.0.0.1:"), serverOut.get(0));
    }
}
