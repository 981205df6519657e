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
     * again; the one that gets through is given its latency and due time then. Every
     * transmission, a lost one or a retransmission, takes its turn on the link's bandwidth, as
     * the original did. Segments behind it wait for it (the receiver's reassembly queue), so bytes
     * still arrive in order. A segment whose retransmissions would go past the give-up time is
     * lost for good: it and everything behind it are dropped, and the sender times out at the
     * give-up time after its first send.
     *
     * The handshake's segments are not retransmitted here, as Linux does not retransmit them
     * this way: a lost SYN-ACK is not queued at all (its request's timer in SimTcp, or a
     * retransmitted SYN, sends another through resendSynAck, never while one is on its way), and
     * the client's ACK is a pure ACK, lost for good when lost (sendAnsweringAck answers each
     * SYN-ACK that comes again; data and a FIN carry the ACK too, completesHandshake). An ACK a
     * full accept queue drops is gone; a data segment or FIN it drops is retransmitted as data.
     *
     * A RST draws its loss too, and a lost one is gone (TCP never retransmits a RST): the peer
     * learns of the reset only when its next data reaches the closed end, which answers it with a
     * RST of its own. When that answer is lost too, the data counts as unacknowledged: it stays at
     * the head of the pipe and is retransmitted on its timeout, each arrival answered by a RST
     * drawing again, until one gets through or the sender gives up. A peer that only reads is not
     * told (keepalive is not modelled).
     */
    enum Kind { SYNACK, ACK, DATA, FIN, RST, OUT_OF_WINDOW_ACK }

    /** A segment in the pipe; {@code due} is infinite while a retransmission of it is pending. */
    static final class Segment {
        final Kind kind;
        final byte[] data;
        double due = Double.POSITIVE_INFINITY;
        /** When its first transmission left the sender (after the link's bandwidth). */
        double firstSent;
        /** When its latest transmission left the sender. */
        double sentAt;
        /** When its latest transmission began to leave (its turn on the link's bandwidth came). */
        double sendStart;
        /** The retransmission timeout its next loss waits: 200 ms, doubling with each loss. */
        double rto = SimNetwork.MIN_RTO;
        /** Cleared from the pipe (a reset, a clear, a loss for good): a pending retransmission does nothing. */
        boolean gone;
        /** For an {@link Kind#OUT_OF_WINDOW_ACK}: what its arrival does (the segment it answers is not this pipe's). */
        Runnable arrival;

        Segment(Kind kind, byte[] data) {
            this.kind = kind;
            this.data = data;
        }

        String describe() {
            return kind == Kind.OUT_OF_WINDOW_ACK ? "ack" : kind.name().toLowerCase(java.util.Locale.ROOT) + (data == null ? "" : " " + data.length + "B");
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

    /** The connecting end's ACK of the SYN-ACK, the last step of the handshake: ahead of anything it writes. */
    void sendAck() {
        enqueue(Kind.ACK, null);
    }

    void send(byte[] data) {
        net.record("send", from.name + " " + data.length + "B");
        enqueue(Kind.DATA, data);
    }

    void sendFin() {
        net.record("fin", from.name);
        enqueue(Kind.FIN, null);
    }

    /**
     * Sends a RST, traced as one line, {@code reset <end><why>}: the end that sends it (this
     * pipe's {@code from}) and why ({@code " (...)"}, or "" for a reset on purpose); every RST
     * of the sim goes through here, so that one reset is one trace line. What this end still had to send is dropped:
     * all of it, or with {@code keepTransmitted} only what had not left yet (waiting for the
     * link's bandwidth, or for the retransmission of a lost segment, and everything behind that),
     * as Linux's close() with unread data sends a RST that follows what is on the wire already.
     * The handshake's SYN-ACK and ACK are kept. Returns false when the link lost the RST (it is not
     * retransmitted, and the peer is not told).
     */
    boolean sendReset(boolean keepTransmitted, String why) {
        net.record("reset", from.name + why);
        double now = net.loop().time();
        boolean[] dropping = {false};
        java.util.List<Segment> purged = new java.util.ArrayList<>();
        queue.removeIf(seg -> {
            dropping[0] |= !keepTransmitted || seg.due == Double.POSITIVE_INFINITY || seg.sentAt > now;
            boolean drop = dropping[0] && seg.kind != Kind.SYNACK && seg.kind != Kind.ACK; // the handshake completed before the reset
            seg.gone |= drop;
            if (drop) {
                purged.add(seg);
            }
            return drop;
        });
        giveBackTheLink(purged);
        // The RST follows what is still on its way, not the due times of what was purged (bytes
        // that waited for the link's bandwidth would otherwise hold it back as if they had left).
        lastDue = 0;
        for (Segment seg : queue) {
            if (seg.due != Double.POSITIVE_INFINITY) {
                lastDue = Math.max(lastDue, seg.due);
            }
        }
        return enqueue(Kind.RST, null);
    }

    void clear() {
        queue.forEach(seg -> seg.gone = true);
        giveBackTheLink(new java.util.ArrayList<>(queue));
        queue.clear();
    }

    /**
     * Purged bytes that had not left yet do not take the link's bandwidth any longer (Linux
     * purges its write queue): the latest first, each only while nothing was queued behind it.
     */
    private void giveBackTheLink(java.util.List<Segment> purged) {
        double now = net.loop().time();
        for (int i = purged.size() - 1; i >= 0; i--) {
            Segment seg = purged.get(i);
            if (seg.kind == Kind.DATA && seg.sentAt > now) {
                net.unserialise(from.host, to.host, seg.sendStart, seg.sentAt);
            }
        }
    }

    /** Puts a segment on the wire; false only for a RST the link lost (every other loss is retransmitted). */
    private boolean enqueue(Kind kind, byte[] data) {
        if (broken && kind != Kind.RST) {
            return true; // nothing after the segment lost for good arrives; a reset still answers later bytes
        }
        double start = Math.max(net.loop().time(), net.linkFreeAt(from.host, to.host));
        double leaves = kind == Kind.DATA ? net.serialised(from.host, to.host, data.length) : net.loop().time();
        Segment s = new Segment(kind, data);
        s.sendStart = start;
        s.firstSent = leaves;
        s.sentAt = leaves;
        boolean lost = net.loses(from.host, to.host);
        if (lost && kind == Kind.RST) {
            // The peer is not told: a started end learns of it from its next data, a connecting
            // one goes on retransmitting its SYN, a half-open one its SYN-ACK (until its retries run out).
            net.record("dropped", from.name + " rst (lost; a reset is not retransmitted)");
            return false;
        }
        if (lost && (kind == Kind.SYNACK || kind == Kind.ACK)) {
            // The handshake's segments are not retransmitted by the pipe: a SYN-ACK by its
            // request's timer (or in answer to the SYN again), the client's ACK never (the next
            // SYN-ACK is answered with another, and its data carries one too).
            net.record("dropped", from.name + " " + s.describe() + " (lost)");
            return true;
        }
        queue.add(s);
        if (lost) {
            lost(s);
        } else {
            arrives(s, leaves + net.latency(from.host, to.host));
        }
        return true;
    }

    /** A transmission of {@code s} got through: it is due at {@code due}, never before what was given a due time earlier. */
    private void arrives(Segment s, double due) {
        due = Math.max(due, lastDue);
        lastDue = due;
        double at = due;
        s.due = at;
        to.host.callAt(at, "segment due", from.name, () -> pump(at));
    }

    /**
     * The latest transmission of {@code s} was lost (or, for data to a closed end, the RST that
     * answered it was): it is sent again one retransmission timeout after that transmission left,
     * unless that is past the give-up time since its first send.
     */
    private void lost(Segment s) {
        double firstSent = s.firstSent;
        double again = s.sentAt + s.rto;
        double limit = net.giveUpAfter();
        if (again - firstSent > limit) {
            broken = true;
            net.record("lost", from.name + " " + s.describe() + " (retransmissions past " + limit + " s)");
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
        double rto = s.rto;
        s.rto = Math.min(rto * 2, SimNetwork.MAX_RTO);
        from.host.callAt(again, "retransmission", from.name, () -> retransmit(s, again, rto));
    }

    /**
     * Sends {@code s} again at {@code at} (in the sender's context), after the bytes already
     * queued on the link's bandwidth, drawing its loss anew.
     */
    private void retransmit(Segment s, double at, double waited) {
        if (s.gone) {
            return;
        }
        net.record("retransmit", from.name + " " + s.describe() + " (lost " + String.format(java.util.Locale.ROOT, "%.3f", waited)
                + " s ago)");
        s.sendStart = Math.max(at, net.linkFreeAt(from.host, to.host));
        s.sentAt = s.kind == Kind.DATA ? net.serialised(from.host, to.host, s.data.length, at) : at;
        if (net.loses(from.host, to.host)) {
            lost(s);
        } else {
            arrives(s, s.sentAt + net.latency(from.host, to.host));
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
                case ACK -> net.ackArrived(to, "ACK"); // dropped at a full accept queue: not sent again
                case DATA -> {
                    SimTcp.AckOutcome handshake = completesHandshake(s);
                    if (handshake == SimTcp.AckOutcome.DROPPED) {
                        return;
                    }
                    if (handshake == SimTcp.AckOutcome.RESET) {
                        // Answered with its one RST, and there is no socket to deliver it to; what
                        // follows it is dropped as after any RST for data (SimEndpoint.receive).
                        clear();
                        return;
                    }
                    net.record("deliver", from.name + " " + s.data.length + "B");
                    if (!to.receive(s.data)) {
                        // A closed end's answering RST was lost: the data is unacknowledged, and
                        // its retransmission reaches the closed end again.
                        s.due = Double.POSITIVE_INFINITY;
                        queue.addFirst(s);
                        lost(s);
                        return;
                    }
                }
                case FIN -> {
                    SimTcp.AckOutcome handshake = completesHandshake(s);
                    if (handshake == SimTcp.AckOutcome.DROPPED) {
                        return;
                    }
                    if (handshake == SimTcp.AckOutcome.RESET) {
                        clear();
                        return;
                    }
                    net.record("deliver-fin", from.name);
                    to.receiveFin();
                }
                case RST -> {
                    net.record("deliver-reset", from.name);
                    to.resetBy("RST from " + from.localLabel);
                }
                case OUT_OF_WINDOW_ACK -> s.arrival.run();
            }
        }
    }

    /**
     * A data segment or FIN reaching a half-open server end, or one a SYN cookie stands for,
     * carries the client's ACK: it completes the handshake as a pure ACK would. DROPPED when a
     * full accept queue (or a host that is down) drops it (Linux drops the whole segment): it is
     * put back at the head of the pipe and retransmitted on its timeout. RESET when it was
     * answered with a RST (a stale cookie, a closed listener): that one RST is its answer, and it
     * is not delivered, so the end that is gone does not answer it with a second RST.
     */
    private SimTcp.AckOutcome completesHandshake(Segment s) {
        if (!to.awaitsAck()) {
            return SimTcp.AckOutcome.COMPLETED;
        }
        SimTcp.AckOutcome outcome = net.ackArrived(to, s.describe());
        if (outcome == SimTcp.AckOutcome.DROPPED) {
            s.due = Double.POSITIVE_INFINITY;
            queue.addFirst(s);
            lost(s);
        }
        return outcome;
    }

    /**
     * Sends the SYN-ACK again ({@code why}: the request's timer, or a retransmitted SYN), drawing
     * its loss. Not while one is on its way or waits at a held link: a copy would arrive behind it.
     */
    void resendSynAck(String why) {
        for (Segment q : queue) {
            if (q.kind == Kind.SYNACK) {
                return;
            }
        }
        net.record("retransmit", from.name + " synack (" + why + ")");
        enqueue(Kind.SYNACK, null);
    }

    /**
     * The connected client's ACK answering a SYN-ACK that came again: a pure ACK, never
     * retransmitted (a lost one is gone). It follows what is on the wire but overtakes the
     * segments that wait for their retransmission (the server takes it out of order, as it
     * takes any ACK).
     */
    void sendAnsweringAck() {
        double now = net.loop().time();
        if (net.loses(from.host, to.host)) {
            net.record("dropped", from.name + " ack (lost)");
            return;
        }
        Segment ack = new Segment(Kind.ACK, null);
        ack.sendStart = now;
        ack.firstSent = now;
        ack.sentAt = now;
        java.util.List<Segment> all = new java.util.ArrayList<>(queue);
        int at = 0;
        double due = now + net.latency(from.host, to.host);
        while (at < all.size() && all.get(at).due != Double.POSITIVE_INFINITY) {
            due = Math.max(due, all.get(at).due);
            at++;
        }
        all.add(at, ack);
        queue.clear();
        queue.addAll(all);
        ack.due = due;
        lastDue = Math.max(lastDue, due);
        double when = due;
        to.host.callAt(when, "ack due", from.name, () -> pump(when));
    }

    /**
     * A half-open request's ACK answering a segment out of its window (a new connect's SYN for
     * the same four-tuple, SimTcp.staleRequestAnswers): a pure ACK, never retransmitted (a lost
     * one is traced {@code ack (lost)} and gone), in order behind what is on the wire; when it
     * arrives, {@code arrival} runs in the far host's context instead of a delivery to this pipe's
     * end.
     */
    void sendOutOfWindowAck(Runnable arrival) {
        if (net.loses(from.host, to.host)) {
            net.record("dropped", from.name + " ack (lost)");
            return;
        }
        double now = net.loop().time();
        Segment s = new Segment(Kind.OUT_OF_WINDOW_ACK, null);
        s.arrival = arrival;
        s.sendStart = now;
        s.firstSent = now;
        s.sentAt = now;
        queue.add(s);
        arrives(s, now + net.latency(from.host, to.host));
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }
}
