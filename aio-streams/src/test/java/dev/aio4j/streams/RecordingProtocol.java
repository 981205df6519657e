package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Future;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** A protocol that records its callbacks, with futures for "made" and "lost". */
class RecordingProtocol implements Protocol {
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final Future<Transport> made = Aio.getRunningLoop().createFuture();
    final Future<Exception> lost = Aio.getRunningLoop().createFuture();
    final Future<Void> eof = Aio.getRunningLoop().createFuture();
    Transport transport;
    boolean keepOpenOnEof;
    int pauses;
    int resumes;
    Future<Void> dataWaiter;

    @Override
    public void connectionMade(Transport transport) {
        this.transport = transport;
        events.add("made");
        made.setResult(transport);
    }

    @Override
    public void dataReceived(byte[] data) {
        if (events.isEmpty() || !events.get(events.size() - 1).equals("data")) {
            events.add("data");
        }
        received.write(data, 0, data.length);
        if (dataWaiter != null && !dataWaiter.done()) {
            dataWaiter.setResult(null);
        }
    }

    @Override
    public boolean eofReceived() {
        events.add("eof");
        eof.setResult(null);
        return keepOpenOnEof;
    }

    @Override
    public void connectionLost(Exception exc) {
        events.add("lost");
        lost.setResult(exc);
        if (dataWaiter != null && !dataWaiter.done()) {
            dataWaiter.setResult(null);
        }
    }

    @Override
    public void pauseWriting() {
        pauses++;
        events.add("pause");
    }

    @Override
    public void resumeWriting() {
        resumes++;
        events.add("resume");
    }

    /** Suspends until at least {@code n} bytes arrived in total. */
    void awaitBytes(int n) {
        while (received.size() < n && !lost.done()) {
            dataWaiter = Aio.getRunningLoop().createFuture();
            Aio.waitFor(dataWaiter, 10);
        }
    }
}
