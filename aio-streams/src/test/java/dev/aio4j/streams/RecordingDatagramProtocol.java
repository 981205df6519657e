package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Future;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/** A datagram protocol that records its callbacks, with futures for "made" and "lost". */
class RecordingDatagramProtocol implements DatagramProtocol {
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

    /** Suspends until at least {@code n} datagrams arrived (or the endpoint closed). */
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
}
