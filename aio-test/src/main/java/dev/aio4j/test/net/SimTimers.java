package dev.aio4j.test.net;

import dev.aio4j.loop.Context;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.TimerHandle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Every timer a {@link SimNetwork} sets on its loop (a segment or datagram due at the far end, a
 * retransmission, a SYN, SYN-ACK or give-up timer, the end of a fault), named for what it does, so
 * that {@link #stop} cancels those still pending when the network is uninstalled or its loop
 * closes, and {@link #pending} names them.
 */
final class SimTimers {
    /*
     * Maintainer notes. Every callAt/callLater of the model goes through here (SimHost.callAt,
     * SimNetwork.faultTimer, FaultPlan.apply): a timer is the loop's own TimerHandle whose callback
     * is a Timer, which leaves `pending` when it runs. One cancelled by the model (a SYN timer whose
     * connect ended, a request timer whose handshake completed) stays in `pending` until the next
     * prune, which runs when the set has doubled since the last one, so a long run keeps no
     * entry per timer it ever cancelled. The description is kept as two strings the caller already
     * has (a kind and an end's name), joined only when `pending` is read. After stop() a timer is
     * made and cancelled at once: the model's code goes on without a branch of its own, and nothing
     * stays on the loop.
     */
    private final Supplier<EventLoop> loop;
    private final Set<Timer> pending = new LinkedHashSet<>();
    private int pruneAt = 64;
    private boolean stopped;

    /** @param loop the network's loop, looked up when a timer is set */
    SimTimers(Supplier<EventLoop> loop) {
        this.loop = loop;
    }

    /** A timer of the model: runs {@code body}, having left the pending set. */
    private final class Timer implements Runnable {
        final String what;
        final String subject;
        final Runnable body;
        TimerHandle handle;

        Timer(String what, String subject, Runnable body) {
            this.what = what;
            this.subject = subject;
            this.body = body;
        }

        @Override
        public void run() {
            pending.remove(this);
            body.run();
        }

        String describe() {
            return String.format(Locale.ROOT, "%.6f", handle.when()) + " " + what + (subject == null ? "" : " " + subject);
        }
    }

    /**
     * Runs {@code body} at {@code when} in {@code context} (the loop's {@code callAt}); {@code what}
     * and {@code subject} name it in {@link #pending} (e.g. "request timer", "server:7->local:49152").
     */
    TimerHandle at(double when, Context context, String what, String subject, Runnable body) {
        Timer t = new Timer(what, subject, body);
        t.handle = loop.get().callAt(when, t, context);
        return track(t);
    }

    /** Runs {@code body} {@code delay} seconds from now in a copy of the caller's context (the loop's {@code callLater}). */
    TimerHandle later(double delay, String what, String subject, Runnable body) {
        Timer t = new Timer(what, subject, body);
        t.handle = loop.get().callLater(delay, t);
        return track(t);
    }

    /** Runs {@code body} at {@code when} in a copy of the caller's context (the loop's {@code callAt} without one). */
    TimerHandle at(double when, String what, String subject, Runnable body) {
        Timer t = new Timer(what, subject, body);
        t.handle = loop.get().callAt(when, t);
        return track(t);
    }

    private TimerHandle track(Timer t) {
        if (stopped) {
            t.handle.cancel(); // the network is stopped: it sets no timer any more
            return t.handle;
        }
        pending.add(t);
        if (pending.size() >= pruneAt) {
            pending.removeIf(x -> x.handle.cancelled());
            pruneAt = Math.max(64, 2 * pending.size());
        }
        return t.handle;
    }

    /**
     * Cancels every timer still pending, releasing what its callback holds (the loop drops a
     * cancelled timer's callback), and makes every later one cancelled at once. Idempotent.
     *
     * @return how many were pending
     */
    int stop() {
        stopped = true;
        int n = 0;
        for (Timer t : pending) {
            if (!t.handle.cancelled()) {
                n++;
                t.handle.cancel();
            }
        }
        pending.clear();
        return n;
    }

    /** Whether {@link #stop} ran. */
    boolean stopped() {
        return stopped;
    }

    /** The timers pending now, soonest first (those due together in the order they were set): "when what subject". */
    List<String> pending() {
        List<Timer> live = new ArrayList<>();
        for (Timer t : pending) {
            if (!t.handle.cancelled()) {
                live.add(t);
            }
        }
        live.sort(Comparator.comparingDouble(t -> t.handle.when())); // stable: insertion order among equals
        List<String> out = new ArrayList<>(live.size());
        for (Timer t : live) {
            out.add(t.describe());
        }
        return out;
    }
}
