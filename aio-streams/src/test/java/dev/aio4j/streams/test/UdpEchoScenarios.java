package dev.aio4j.streams.test;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Future;
import dev.aio4j.streams.DatagramProtocol;
import dev.aio4j.streams.DatagramTransport;
import dev.aio4j.streams.DatagramTransportAndProtocol;
import dev.aio4j.streams.Streams;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The "UDP Echo Server" and "UDP Echo Client" examples of the asyncio documentation
 * (asyncio-protocol.rst), ported and run against each other on loopback, on whatever network the
 * subclass's {@link #run} installs; the printed lines are collected and checked. aio4j-only as a
 * test.
 */
public abstract class UdpEchoScenarios extends UdpScenarios {
    /** For subclasses. */
    protected UdpEchoScenarios() {
    }

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
        run(() -> {
            // Server: "Starting UDP server"; one endpoint serving all clients (port 0 instead of 9999).
            DatagramTransportAndProtocol<EchoServerProtocol> server = Streams.createDatagramEndpoint(
                    () -> new EchoServerProtocol(serverOut), new InetSocketAddress("127.0.0.1", 0), null);
            InetSocketAddress addr = sockname(server);
            try {
                // Client.
                Future<Boolean> onConLost = Aio.getRunningLoop().createFuture();
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
        assertTrue(serverOut.get(0).startsWith("Received Hello World! from /127.0.0.1:"), serverOut.get(0));
    }
}
