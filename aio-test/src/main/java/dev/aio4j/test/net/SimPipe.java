package dev.aio4j.test.net;

import java.util.ArrayDeque;

/**
 * One direction of a simulated connection: segments in flight from one endpoint to the other,
 * each due at a virtual time no earlier than the one before it, so jitter never reorders bytes.
 */
final class SimPipe {
    /*
     * Maintainer notes. Segments leave in order: pump() delivers the head while it is due and the
     * link is not held. A held link keeps everything, and the pipe goes into the TCP side's held
     * pipes (SimTcp), which the repair pumps (a pipe whose ends were closed meanwhile still carries
     * their FIN). One timer per segment, at its due time, in the receiving host's context; it
     * delivers what is due by its own due time, not by the clock, and a timer that finds nothing
     * due does nothing. A RST overtakes nothing: it is queued after what was sent, but abort()
     * clears the queue first, as a reset drops what the sender still had.
     */
    enum Kind { SYNACK, DATA, FIN, RST }

    record Segment(Kind kind, byte[] data, double due) {
    }

    private final SimNetwork net;
    final SimEndpoint from;
    final SimEndpoint to;
    private final ArrayDeque<Segment> queue = new ArrayDeque<>();
    private double lastDue;
    /** A segment was lost past the give-up time: nothing sent after it can arrive. */
    private boolean broken;

    SimPipe(SimNetwork net, SimEndpoint from, SimEndpoint to) {
        this.net = net;
        this.from = from;
        this.to = to;
    }

    void sendSynAck() {
        enqueue(Kind.SYNACK, null);
    }

    void send(byte[] data) {
        net.record("send", from.name + " " + data.length + "B");
        enqueue(Kind.DATA, data);
    }

    void sendFin() {
        net.record("fin", from.name);
        enqueue(Kind.FIN, null);
    }

    void sendReset() {
        net.record("reset", from.name);
        queue.removeIf(seg -> seg.kind() != Kind.SYNACK); // the handshake completed before the reset
        enqueue(Kind.RST, null);
    }

    void clear() {
        queue.clear();
    }

    private void enqueue(Kind kind, byte[] data) {
        if (broken && kind != Kind.RST) {
            return; // nothing after the segment lost for good arrives; a reset still answers later bytes
        }
        double leaves = kind == Kind.DATA ? net.serialised(from.host, to.host, data.length) : net.loop().time();
        double due = leaves + net.latency(from.host, to.host);
        if (kind != Kind.RST) {
            double extra = net.retransmissionDelay(from.host, to.host);
            if (extra < 0) {
                broken = true;
                net.record("lost", from.name + " " + kind.name().toLowerCase(java.util.Locale.ROOT)
                        + (data == null ? "" : " " + data.length + "B") + " (retransmissions past " + net.giveUpAfter() + " s)");
                from.unacknowledged();
                return;
            }
            if (extra > 0) {
                net.record("retransmit", from.name + " " + kind.name().toLowerCase(java.util.Locale.ROOT)
                        + (data == null ? "" : " " + data.length + "B") + " +" + String.format(java.util.Locale.ROOT, "%.3f", extra) + "s");
                due += extra;
            }
        }
        due = Math.max(due, lastDue);
        lastDue = due;
        double at = due;
        queue.add(new Segment(kind, data, at));
        to.host.callAt(at, () -> pump(at));
    }

    /** Delivers every segment due by now (after a partition's repair). */
    void pump() {
        pump(net.loop().time());
    }

    /**
     * Delivers every segment due by {@code limit}, unless the link between the hosts is held. A
     * segment's timer passes its own due time rather than reading the clock: the loop runs timers
     * due within its clock resolution (1 ns, as asyncio does), so the clock may read a hair before
     * the due time, and the segment must not wait for a timer that has already fired.
     */
    private void pump(double limit) {
        if (!queue.isEmpty() && queue.peek().due() <= limit && net.held(from.host, to.host)) {
            net.pipeHeld(this); // the repair pumps it, even if both ends are gone by then
            return;
        }
        while (!queue.isEmpty() && queue.peek().due() <= limit && !net.held(from.host, to.host)) {
            Segment s = queue.poll();
            if (to.vanished && !to.host.isUp()) {
                // Nobody answers: the sender retransmits until it gives up.
                net.record("dropped", from.name + " " + s.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + (s.data() == null ? "" : " " + s.data().length + "B") + " (host " + to.host.name + " vanished)");
                if (s.kind() == Kind.DATA) {
                    from.unacknowledged();
                }
                continue;
            }
            switch (s.kind()) {
                case SYNACK -> net.synAckArrived(to);
                case DATA -> {
                    net.record("deliver", from.name + " " + s.data().length + "B");
                    to.receive(s.data());
                }
                case FIN -> {
                    net.record("deliver-fin", from.name);
                    to.receiveFin();
                }
                case RST -> {
                    net.record("deliver-reset", from.name);
                    to.resetBy("RST from " + from.localLabel);
                }
            }
        }
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }
}
