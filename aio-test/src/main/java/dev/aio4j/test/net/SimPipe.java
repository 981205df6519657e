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
     *
     * Loss is drawn per transmission, when it is sent, against the link's loss at that moment: a
     * lost segment stays in the queue with no due time, and a timer in the sender's context
     * retransmits it after the retransmission timeout (200 ms, doubling up to 120 s), drawing
     * again; the one that gets through is given its latency and due time then. Segments behind it
     * wait for it (the receiver's reassembly queue), so bytes still arrive in order. A segment
     * whose retransmissions would go past the give-up time is lost for good: it and everything
     * behind it are dropped, and the sender times out at the give-up time after its first send.
     * Retransmissions do not take the link's bandwidth again (not modelled).
     */
    enum Kind { SYNACK, DATA, FIN, RST }

    /** A segment in the pipe; {@code due} is infinite while a retransmission of it is pending. */
    static final class Segment {
        final Kind kind;
        final byte[] data;
        double due = Double.POSITIVE_INFINITY;
        /** Cleared from the pipe (a reset, a clear, a loss for good): a pending retransmission does nothing. */
        boolean gone;

        Segment(Kind kind, byte[] data) {
            this.kind = kind;
            this.data = data;
        }

        String describe() {
            return kind.name().toLowerCase(java.util.Locale.ROOT) + (data == null ? "" : " " + data.length + "B");
        }
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
        queue.removeIf(seg -> {
            boolean drop = seg.kind != Kind.SYNACK; // the handshake completed before the reset
            seg.gone |= drop;
            return drop;
        });
        enqueue(Kind.RST, null);
    }

    void clear() {
        queue.forEach(seg -> seg.gone = true);
        queue.clear();
    }

    private void enqueue(Kind kind, byte[] data) {
        if (broken && kind != Kind.RST) {
            return; // nothing after the segment lost for good arrives; a reset still answers later bytes
        }
        double leaves = kind == Kind.DATA ? net.serialised(from.host, to.host, data.length) : net.loop().time();
        Segment s = new Segment(kind, data);
        queue.add(s);
        if (kind != Kind.RST && net.loses(from.host, to.host)) {
            lost(s, leaves, leaves, SimNetwork.MIN_RTO);
        } else {
            arrives(s, leaves + net.latency(from.host, to.host));
        }
    }

    /** A transmission of {@code s} got through: it is due at {@code due}, never before what was given a due time earlier. */
    private void arrives(Segment s, double due) {
        due = Math.max(due, lastDue);
        lastDue = due;
        double at = due;
        s.due = at;
        to.host.callAt(at, () -> pump(at));
    }

    /**
     * The transmission of {@code s} sent at {@code sentAt} was lost: it is sent again after
     * {@code rto}, unless that is past the give-up time since its first send at {@code firstSent}.
     */
    private void lost(Segment s, double firstSent, double sentAt, double rto) {
        double again = sentAt + rto;
        // The connecting end waits for a SYN-ACK only as long as its connect timeout.
        double limit = s.kind == Kind.SYNACK ? Math.min(net.connectTimeout(), net.giveUpAfter()) : net.giveUpAfter();
        if (again - firstSent > limit) {
            broken = true;
            net.record("lost", from.name + " " + s.describe() + " (retransmissions past " + limit + " s)");
            if (s.kind == Kind.SYNACK) {
                to.synAckLost(firstSent + limit);
            }
            // Nothing behind it can be handed over: the receiver waits for the hole to be filled.
            boolean behind = false;
            for (java.util.Iterator<Segment> it = queue.iterator(); it.hasNext(); ) {
                Segment q = it.next();
                behind |= q == s;
                if (behind && q.kind != Kind.RST) {
                    q.gone = true;
                    it.remove();
                }
            }
            from.unacknowledged(firstSent);
            return;
        }
        from.host.callAt(again, () -> retransmit(s, firstSent, again, rto));
    }

    /** Sends {@code s} again (in the sender's context), drawing its loss anew. */
    private void retransmit(Segment s, double firstSent, double sentAt, double rto) {
        if (s.gone) {
            return;
        }
        net.record("retransmit", from.name + " " + s.describe() + " (lost " + String.format(java.util.Locale.ROOT, "%.3f", rto)
                + " s ago)");
        if (net.loses(from.host, to.host)) {
            lost(s, firstSent, sentAt, Math.min(rto * 2, SimNetwork.MAX_RTO));
        } else {
            arrives(s, sentAt + net.latency(from.host, to.host));
        }
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
        if (!queue.isEmpty() && queue.peek().due <= limit && net.held(from.host, to.host)) {
            net.pipeHeld(this); // the repair pumps it, even if both ends are gone by then
            return;
        }
        while (!queue.isEmpty() && queue.peek().due <= limit && !net.held(from.host, to.host)) {
            Segment s = queue.poll();
            if (to.vanished && !to.host.isUp()) {
                // Nobody answers: the sender retransmits until it gives up.
                net.record("dropped", from.name + " " + s.describe() + " (host " + to.host.name + " vanished)");
                if (s.kind == Kind.DATA) {
                    from.unacknowledged(net.loop().time());
                }
                continue;
            }
            switch (s.kind) {
                case SYNACK -> net.synAckArrived(to);
                case DATA -> {
                    net.record("deliver", from.name + " " + s.data.length + "B");
                    to.receive(s.data);
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
