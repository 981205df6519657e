package dev.aio4j.streams.test;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Future;
import dev.aio4j.streams.DatagramProtocol;
import dev.aio4j.streams.DatagramTransport;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A datagram protocol that records its callbacks, with futures for "made" and "lost": the one
 * recording protocol of the UDP tests of aio-streams and aio-test (shared through aio-streams'
 * test-jar). Make it on the loop's thread (its futures belong to the running loop). aio4j-only
 * test support.
 */
public class RecordingDatagramProtocol implements DatagramProtocol {
    /** A datagram as received: its bytes and its sender. */
    public record Received(byte[] data, SocketAddress addr) {
    }

    /** "made", "datagram", "error", "pause", "resume", "lost", in the order they came. */
    public final List<String> events = new ArrayList<>();
    /** The datagrams received, in order. */
    public final List<Received> received = new ArrayList<>();
    /** The exceptions passed to {@link #errorReceived}, in order. */
    public final List<Exception> errors = new ArrayList<>();
    /** Done with the transport once {@link #connectionMade} ran. */
    public final Future<DatagramTransport> made = Aio.getRunningLoop().createFuture();
    /** Done with connectionLost's exception (null for a clean close). */
    public final Future<Exception> lost = Aio.getRunningLoop().createFuture();
    /** The transport, once made. */
    public DatagramTransport transport;
    private Future<Void> waiter;

    /** A recording protocol, made on the running loop's thread. */
    public RecordingDatagramProtocol() {
    }

    /** {@code s} in ASCII. */
    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code b} read as ASCII. */
    public static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

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

    @Override
    public void pauseWriting() {
        events.add("pause");
    }

    @Override
    public void resumeWriting() {
        events.add("resume");
    }

    private void wake() {
        if (waiter != null && !waiter.done()) {
            waiter.setResult(null);
        }
    }

    /** Suspends until at least {@code n} datagrams arrived (or the endpoint closed); at most 10 s without news. */
    public void awaitDatagrams(int n) {
        while (received.size() < n && !lost.done()) {
            waiter = Aio.getRunningLoop().createFuture();
            Aio.waitFor(waiter, 10);
        }
    }

    /** Suspends until at least {@code n} errors arrived (or the endpoint closed); at most 10 s without news. */
    public void awaitErrors(int n) {
        while (errors.size() < n && !lost.done()) {
            waiter = Aio.getRunningLoop().createFuture();
            Aio.waitFor(waiter, 10);
        }
    }

    /** The datagrams received, read as ASCII. */
    public List<String> texts() {
        return received.stream().map(r -> ascii(r.data())).toList();
    }

    /** test_events.py's MyDatagramProto: records, then answers "resp:" + data to the sender. */
    public static class Responding extends RecordingDatagramProtocol {
        /** A responding protocol, made on the running loop's thread. */
        public Responding() {
        }

        @Override
        public void datagramReceived(byte[] data, SocketAddress addr) {
            super.datagramReceived(data, addr);
            transport.sendto(ascii("resp:" + ascii(data)), addr);
        }
    }

    /** Echoes every datagram to its sender; records nothing. */
    public static final class Echo implements DatagramProtocol {
        private DatagramTransport transport;

        /** An echoing protocol. */
        public Echo() {
        }

        @Override
        public void connectionMade(DatagramTransport transport) {
            this.transport = transport;
        }

        @Override
        public void datagramReceived(byte[] data, SocketAddress addr) {
            transport.sendto(data, addr);
        }
    }
}
