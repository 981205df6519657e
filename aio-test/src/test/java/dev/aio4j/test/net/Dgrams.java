package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Coroutine;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Schedule;
import dev.aio4j.streams.DatagramProtocol;
import dev.aio4j.streams.DatagramTransport;
import dev.aio4j.streams.Streams;
import dev.aio4j.test.Schedules;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Helpers of the UDP tests: where a scenario runs (real loopback or a simulated network), and a
 * datagram protocol that records its callbacks (aio-streams' RecordingDatagramProtocol).
 */
final class Dgrams {
    private Dgrams() {}

    /** Where a scenario runs. */
    enum Where {
        /** Real UDP sockets on loopback, on a real-time loop. */
        REAL,
        /** A {@link SimNetwork} (seed 7) on a virtual-clock loop; loopback addresses are the host "local". */
        SIM;

        /** Runs {@code body} here; returns what it returned. */
        <T> T run(Coroutine<T> body) throws Exception {
            if (this == REAL) {
                return Aio.run(body);
            }
            return Schedules.run(Schedule.fifo(), () -> {
                EventLoop loop = Aio.getRunningLoop();
                SimNetwork net = new SimNetwork(7);
                net.install(loop);
                try {
                    return body.call();
                } finally {
                    net.uninstall();
                }
            });
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** A datagram protocol that records its callbacks, with futures for "made" and "lost". */
    static class Recording implements DatagramProtocol {
        record Received(byte[] data, SocketAddress addr) {
        }

        final List<String> events = new ArrayList<>();
        final List<Received> received = new ArrayList<>();
        final List<Exception> errors = new ArrayList<>();
        final Future<DatagramTransport> made = Aio.getRunningLoop().createFuture();
        final Future<Exception> lost = Aio.getRunningLoop().createFuture();
        DatagramTransport transport;
        private Future<Void> waiter;

        @Override
        public void connectionMade(DatagramTransport transport) {
            this.transport = transport;
            events.add("made");
            made.setResult(transport);
        }

        @Override
        public void datagramReceived(byte[] data, SocketAddress addr) {
            events.add("datagram");
            received.add(new Received(data, addr));
            wake();
        }

        @Override
        public void errorReceived(Exception exc) {
            events.add("error");
            errors.add(exc);
            wake();
        }

        @Override
        public void connectionLost(Exception exc) {
            events.add("lost");
            lost.setResult(exc);
            wake();
        }

        private void wake() {
            if (waiter != null && !waiter.done()) {
                waiter.setResult(null);
            }
        }

        /** Suspends until at least {@code n} datagrams arrived (or the endpoint closed); at most 10 s without news. */
        void awaitDatagrams(int n) {
            while (received.size() < n && !lost.done()) {
                waiter = Aio.getRunningLoop().createFuture();
                Aio.waitFor(waiter, 10);
            }
        }

        /** Suspends until at least {@code n} errors arrived (or the endpoint closed). */
        void awaitErrors(int n) {
            while (errors.size() < n && !lost.done()) {
                waiter = Aio.getRunningLoop().createFuture();
                Aio.waitFor(waiter, 10);
            }
        }

        List<String> texts() {
            return received.stream().map(r -> ascii(r.data())).toList();
        }
    }

    /** test_events.py's MyDatagramProto: answers "resp:" + data. */
    static class Responding extends Recording {
        @Override
        public void datagramReceived(byte[] data, SocketAddress addr) {
            super.datagramReceived(data, addr);
            transport.sendto(ascii("resp:" + ascii(data)), addr);
        }
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

    /** Opens an endpoint from the current host (shorthand). */
    static <P extends DatagramProtocol> dev.aio4j.streams.DatagramTransportAndProtocol<P> open(
            java.util.function.Supplier<P> factory, java.net.InetSocketAddress local, java.net.InetSocketAddress remote)
            throws java.io.IOException {
        return Streams.createDatagramEndpoint(factory, local, remote);
    }
}
