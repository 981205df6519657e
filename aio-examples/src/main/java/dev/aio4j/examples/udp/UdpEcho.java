package dev.aio4j.examples.udp;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.DatagramProtocol;
import dev.aio4j.streams.DatagramTransport;
import dev.aio4j.streams.DatagramTransportAndProtocol;
import dev.aio4j.streams.Streams;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * asyncio's "UDP Echo Server" and "UDP Echo Client" (the transports-and-protocols documentation),
 * run in one program on a free loopback port: one endpoint answers every datagram with itself,
 * and several clients each send one message, print the answer and close.
 *
 * <p>{@code -Dudp.clients=3} sets how many clients run concurrently.
 */
public final class UdpEcho {
    private UdpEcho() {}

    /** The server's protocol: every datagram goes back to where it came from. */
    public static final class EchoServerProtocol implements DatagramProtocol {
        private DatagramTransport transport;

        /** Creates the protocol; the endpoint calls {@link #connectionMade}. */
        public EchoServerProtocol() {}

        @Override
        public void connectionMade(DatagramTransport transport) {
            this.transport = transport;
        }

        @Override
        public void datagramReceived(byte[] data, SocketAddress addr) {
            String message = new String(data, StandardCharsets.UTF_8);
            System.out.println("Received " + message + " from " + addr);
            System.out.println("Send " + message + " to " + addr);
            transport.sendto(data, addr);
        }
    }

    /** A client's protocol: sends its message on connect, closes on the answer. */
    public static final class EchoClientProtocol implements DatagramProtocol {
        private final String message;
        private final Future<String> answer;
        private DatagramTransport transport;

        /**
         * Creates the protocol of one client.
         *
         * @param message what to send
         * @param answer completed with the answer when the endpoint closes
         */
        public EchoClientProtocol(String message, Future<String> answer) {
            this.message = message;
            this.answer = answer;
        }

        @Override
        public void connectionMade(DatagramTransport transport) {
            this.transport = transport;
            System.out.println("Send: " + message);
            transport.sendto(message.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void datagramReceived(byte[] data, SocketAddress addr) {
            String text = new String(data, StandardCharsets.UTF_8);
            System.out.println("Received: " + text);
            System.out.println("Close the socket");
            if (!answer.done()) {
                answer.setResult(text);
            }
            transport.close();
        }

        @Override
        public void errorReceived(Exception exc) {
            System.out.println("Error received: " + exc);
        }

        @Override
        public void connectionLost(Exception exc) {
            System.out.println("Connection closed");
            if (!answer.done()) {
                answer.setException(exc != null ? exc : new IllegalStateException("closed before an answer came"));
            }
        }
    }

    /**
     * Starts the server, runs {@code clients} clients concurrently, closes the server: on a loop of
     * its own, with real UDP sockets.
     *
     * @param clients how many clients
     * @return the answers, in client order
     * @throws Exception what the body threw: the I/O error of a failed connection, as it was raised
     */
    public static List<String> run(int clients) throws Exception {
        return Aio.run(() -> session(clients));
    }

    /**
     * The body of {@link #run}, on the running loop: on real sockets, or on whatever network is
     * installed on the loop (aio-test's {@code SimNetwork} runs it unchanged, its loopback address
     * being the current simulated host).
     *
     * @param clients how many clients
     * @return the answers, in client order
     * @throws IOException if an endpoint cannot be made
     */
    public static List<String> session(int clients) throws IOException {
        System.out.println("Starting UDP server");
        DatagramTransportAndProtocol<EchoServerProtocol> server = Streams.createDatagramEndpoint(
                EchoServerProtocol::new, new InetSocketAddress("127.0.0.1", 0), null);
        try {
            InetSocketAddress addr = (InetSocketAddress) server.transport().getExtraInfo("sockname");
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 1; i <= clients; i++) {
                String message = "Hello World! #" + i;
                tasks.add(Aio.createTask(() -> {
                    Future<String> answer = Aio.getRunningLoop().createFuture();
                    DatagramTransportAndProtocol<EchoClientProtocol> client = Streams.createDatagramEndpoint(
                            () -> new EchoClientProtocol(message, answer), null, addr);
                    try {
                        return Aio.waitFor(answer, 5.0);
                    } finally {
                        client.transport().close();
                    }
                }));
            }
            return Aio.gather(tasks).await();
        } finally {
            server.transport().close();
        }
    }

    /**
     * Runs the demo.
     *
     * @param args unused
     * @throws Exception what the body threw: the I/O error of a failed connection, as it was raised
     */
    public static void main(String[] args) throws Exception {
        run(Integer.getInteger("udp.clients", 3));
    }
}
