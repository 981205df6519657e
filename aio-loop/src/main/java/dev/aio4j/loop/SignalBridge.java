package dev.aio4j.loop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * asyncio's {@code unix_events.py} signal handling on the JVM: {@code add_signal_handler} and
 * {@code remove_signal_handler} of one loop, and the Runner's SIGINT handling, through
 * {@code sun.misc.Signal} (module {@code jdk.unsupported}, exported and supported by the JDK for
 * this use). The JDK calls handlers on its "Signal Dispatcher" thread; this bridge hands each
 * signal to the loop with {@code callSoonThreadsafe}. Package-private.
 */
final class SignalBridge {
    /*
     * Maintainer notes. Signals are process-wide, loops are not: several loops may handle the same
     * signal. SHARED (guarded by LOCK) keeps, per canonical name ("HUP"), the handler found before
     * the first loop took the signal, one dispatcher installed in its place, and the loops'
     * registrations in the order they were added. The dispatcher (on the JDK's Signal Dispatcher
     * thread) hands the signal to the latest registration (as in asyncio, where the last
     * set_wakeup_fd wins); removing a registration, in any order, gives the signal back to the one
     * before it, and removing the last one restores the handler found first. (Each loop restoring
     * "the handler it replaced" broke when loops were removed out of order: the JVM's handler came
     * back under a loop still registered, and a closed loop's handler came back later.)
     * The Runner's SIGINT handling (takeSigint) is one more registration, of its own kind, taken
     * only when no loop has SIGINT and the JVM's handler is in place. (It used to install and
     * restore a handler of its own beside SHARED: a loop adding SIGINT meanwhile lost it when the
     * run ended, and got the finished runner's handler back at its close.)
     * `installed` is this loop's own view, loop-confined; a delivery looks its handler up there
     * when the loop runs it, so a handler removed or replaced meanwhile is not called.
     */
    private static final AtomicBoolean RUNNER_OWNS_SIGINT = new AtomicBoolean();
    private static final Object LOCK = new Object();
    private static final Map<String, Shared> SHARED = new HashMap<>();

    private final EventLoop loop;
    private final Map<String, Registration> installed = new HashMap<>();

    /** Who gets a signal while it is the latest registration for it. */
    private interface Receiver {
        /** On the JDK's Signal Dispatcher thread. */
        void deliver();
    }

    private record Registration(SignalBridge owner, String name, Runnable callback, Context context) implements Receiver {
        @Override
        public void deliver() {
            try {
                // The handler is looked up when the loop handles the signal, as asyncio's
                // _handle_signal does: one removed (or replaced) after the signal arrived and
                // before the loop got to it is not called (the replacement is).
                owner.loop.callSoonThreadsafe(() -> owner.handle(name));
            } catch (IllegalStateException closed) {
                // the loop closed meanwhile; its close() removes this registration
            }
        }
    }

    /** One signal taken by at least one loop. Guarded by LOCK. */
    private static final class Shared {
        final sun.misc.Signal signal;
        final sun.misc.SignalHandler original;
        final List<Receiver> registrations = new ArrayList<>();

        Shared(sun.misc.Signal signal, sun.misc.SignalHandler original) {
            this.signal = signal;
            this.original = original;
        }
    }

    SignalBridge(EventLoop loop) {
        this.loop = loop;
    }

    /** "SIGHUP", "sighup" and "HUP" all become "HUP". */
    static String canonical(String signal) {
        String s = signal.trim().toUpperCase(Locale.ROOT);
        return s.startsWith("SIG") ? s.substring(3) : s;
    }

    private static sun.misc.Signal lookup(String signal, String name) {
        try {
            return new sun.misc.Signal(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid signal: " + signal + " (" + e.getMessage() + ")", e);
        }
    }

    private static void dispatch(String name) {
        Receiver latest;
        synchronized (LOCK) {
            Shared shared = SHARED.get(name);
            if (shared == null || shared.registrations.isEmpty()) {
                return;
            }
            latest = shared.registrations.get(shared.registrations.size() - 1);
        }
        latest.deliver();
    }

    void add(String signal, Runnable callback, Context context) {
        String name = canonical(signal);
        if (name.equals("KILL") || name.equals("STOP")) {
            throw new IllegalArgumentException("SIG" + name + " cannot be caught (by any process)");
        }
        sun.misc.Signal sig = lookup(signal, name);
        Registration registration = new Registration(this, name, callback, context);
        synchronized (LOCK) {
            Shared shared = SHARED.get(name);
            if (shared == null) {
                sun.misc.SignalHandler previous;
                try {
                    previous = sun.misc.Signal.handle(sig, s -> dispatch(name));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("SIG" + name + " cannot be handled on this JVM: " + e.getMessage(), e);
                }
                if (String.valueOf(previous).startsWith("jdk.internal.misc.Signal$NativeHandler")) {
                    // (sun.misc.Signal wraps the JDK's handler; its toString() is the wrapped one's.)
                    // The JVM handles this signal natively (SIGUSR2 suspends threads on Linux HotSpot,
                    // SIGPIPE is ignored): taking it over would break the JVM.
                    sun.misc.Signal.handle(sig, previous);
                    throw new IllegalArgumentException("SIG" + name + " is used by the JVM itself and cannot be handled");
                }
                shared = new Shared(sig, previous);
                SHARED.put(name, shared);
            }
            Registration before = installed.put(name, registration);
            if (before != null) {
                shared.registrations.remove(before); // replacing this loop's handler: it becomes the latest
            }
            shared.registrations.add(registration);
        }
    }

    /** On the loop: runs this loop's current handler for {@code name}, if it still has one. */
    private void handle(String name) {
        Registration current = installed.get(name);
        if (current != null) {
            current.context().run(current.callback());
        }
    }

    boolean remove(String signal) {
        String name = canonical(signal);
        Registration registration = installed.remove(name);
        if (registration == null) {
            lookup(signal, name);
            return false;
        }
        unregister(name, registration);
        return true;
    }

    private static void unregister(String name, Receiver registration) {
        synchronized (LOCK) {
            Shared shared = SHARED.get(name);
            if (shared == null) {
                return;
            }
            shared.registrations.remove(registration);
            if (shared.registrations.isEmpty()) {
                SHARED.remove(name);
                sun.misc.Signal.handle(shared.signal, shared.original);
            }
        }
    }

    /** EventLoop.close(): remove every registration of this loop. */
    void removeAll() {
        for (Map.Entry<String, Registration> e : installed.entrySet()) {
            try {
                unregister(e.getKey(), e.getValue());
            } catch (RuntimeException ex) {
                // keep removing the others
            }
        }
        installed.clear();
    }

    /**
     * asyncio.Runner's SIGINT handling while {@code task} runs: the first SIGINT cancels the main
     * task, a second one goes to the JVM's handler, which exits. Returns what ends it, or null when
     * SIGINT is not taken: another runner has it, a loop handles SIGINT, the program installed its
     * own handler, or this JVM refuses it (e.g. without module jdk.unsupported).
     *
     * <p>The runner is a registration for SIGINT like a loop's: a loop that adds a SIGINT handler
     * while the runner has it takes the signal (asyncio: {@code add_signal_handler} replaces the
     * runner's handler), gives it back when removed, and when the last registration goes the JVM's
     * handler is back, in whatever order the runner and the loops end (asyncio's Runner restores
     * only a handler that is still its own).
     */
    static Runnable takeSigint(EventLoop loop, Task<?> task) {
        if (!RUNNER_OWNS_SIGINT.compareAndSet(false, true)) {
            return null;
        }
        try {
            RunnerSigint runner;
            synchronized (LOCK) {
                if (SHARED.containsKey("INT")) {
                    RUNNER_OWNS_SIGINT.set(false); // a loop handles SIGINT: the program's choice
                    return null;
                }
                sun.misc.Signal sig = new sun.misc.Signal("INT");
                sun.misc.SignalHandler previous = sun.misc.Signal.handle(sig, s -> dispatch("INT"));
                if (!String.valueOf(previous).startsWith("java.lang.Terminator")) {
                    // Someone installed their own SIGINT handler: leave it alone, as asyncio.Runner
                    // takes SIGINT only from Python's default handler.
                    sun.misc.Signal.handle(sig, previous);
                    RUNNER_OWNS_SIGINT.set(false);
                    return null;
                }
                Shared shared = new Shared(sig, previous);
                SHARED.put("INT", shared);
                runner = new RunnerSigint(loop, task, shared);
                shared.registrations.add(runner);
            }
            return () -> {
                try {
                    unregister("INT", runner);
                } finally {
                    RUNNER_OWNS_SIGINT.set(false);
                }
            };
        } catch (RuntimeException | LinkageError e) {
            RUNNER_OWNS_SIGINT.set(false);
            return null;
        }
    }

    /** The Runner's SIGINT registration: cancel the main task once, then the JVM's own handling. */
    private static final class RunnerSigint implements Receiver {
        private final EventLoop loop;
        private final Task<?> task;
        private final Shared shared;
        private final AtomicBoolean interrupted = new AtomicBoolean();

        RunnerSigint(EventLoop loop, Task<?> task, Shared shared) {
            this.loop = loop;
            this.task = task;
            this.shared = shared;
        }

        @Override
        public void deliver() {
            if (interrupted.compareAndSet(false, true) && !task.done()) {
                try {
                    loop.callSoonThreadsafe(() -> task.cancel("interrupted by SIGINT"));
                    return;
                } catch (IllegalStateException closed) {
                    // fall through to the JVM's handler
                }
            }
            shared.original.handle(shared.signal); // a second SIGINT: the JVM's handler, which exits
        }
    }
}
