package dev.aio4j.loop;

import java.util.HashMap;
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
     * Maintainer notes. `installed` maps a canonical name ("HUP") to what we installed and the
     * handler we replaced, which removal restores. Signals are process-wide: a second loop adding
     * the same signal replaces the first one's handler (as in asyncio, where the last
     * set_wakeup_fd wins); each loop restores what it replaced. Loop-confined, except the
     * handlers themselves (Signal Dispatcher thread), which only call callSoonThreadsafe.
     */
    private static final AtomicBoolean RUNNER_OWNS_SIGINT = new AtomicBoolean();

    private final EventLoop loop;
    private final Map<String, Installed> installed = new HashMap<>();

    private record Installed(sun.misc.Signal signal, sun.misc.SignalHandler ours, sun.misc.SignalHandler previous) {
    }

    SignalBridge(EventLoop loop) {
        this.loop = loop;
    }

    /** "SIGHUP", "sighup" and "HUP" all become "HUP". */
    static String canonical(String signal) {
        String s = signal.trim().toUpperCase(Locale.ROOT);
        return s.startsWith("SIG") ? s.substring(3) : s;
    }

    void add(String signal, Runnable callback, Context context) {
        String name = canonical(signal);
        if (name.equals("KILL") || name.equals("STOP")) {
            throw new IllegalArgumentException("SIG" + name + " cannot be caught (by any process)");
        }
        sun.misc.Signal sig;
        try {
            sig = new sun.misc.Signal(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid signal: " + signal + " (" + e.getMessage() + ")", e);
        }
        sun.misc.SignalHandler ours = s -> {
            try {
                loop.callSoonThreadsafe(() -> context.run(callback));
            } catch (IllegalStateException closed) {
                // the loop closed meanwhile; its close() restores the previous handler
            }
        };
        sun.misc.SignalHandler previous;
        try {
            previous = sun.misc.Signal.handle(sig, ours);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SIG" + name + " cannot be handled on this JVM: " + e.getMessage(), e);
        }
        Installed before = installed.get(name);
        if (before != null) {
            previous = before.previous(); // replacing our own handler: keep what was there first
        } else if (String.valueOf(previous).startsWith("jdk.internal.misc.Signal$NativeHandler")) {
            // (sun.misc.Signal wraps the JDK's handler; its toString() is the wrapped one's.)
            // The JVM handles this signal natively (SIGUSR2 suspends threads on Linux HotSpot,
            // SIGPIPE is ignored): taking it over would break the JVM.
            sun.misc.Signal.handle(sig, previous);
            throw new IllegalArgumentException("SIG" + name + " is used by the JVM itself and cannot be handled");
        }
        installed.put(name, new Installed(sig, ours, previous));
    }

    boolean remove(String signal) {
        String name = canonical(signal);
        Installed i = installed.remove(name);
        if (i == null) {
            try {
                new sun.misc.Signal(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid signal: " + signal + " (" + e.getMessage() + ")", e);
            }
            return false;
        }
        sun.misc.Signal.handle(i.signal(), i.previous());
        return true;
    }

    /** EventLoop.close(): restore every replaced handler. */
    void removeAll() {
        for (Installed i : installed.values()) {
            try {
                sun.misc.Signal.handle(i.signal(), i.previous());
            } catch (RuntimeException e) {
                // keep restoring the others
            }
        }
        installed.clear();
    }

    /**
     * asyncio.Runner's SIGINT handling while {@code task} runs: the first SIGINT cancels the main
     * task, a second one goes to the JVM's handler, which exits. Returns what restores the
     * previous handler, or null when SIGINT is not taken: another runner has it, the program
     * installed its own handler, or this JVM refuses it (e.g. without module jdk.unsupported).
     */
    static Runnable takeSigint(EventLoop loop, Task<?> task) {
        if (!RUNNER_OWNS_SIGINT.compareAndSet(false, true)) {
            return null;
        }
        try {
            sun.misc.Signal sig = new sun.misc.Signal("INT");
            AtomicBoolean interrupted = new AtomicBoolean();
            sun.misc.SignalHandler[] previous = new sun.misc.SignalHandler[1];
            previous[0] = sun.misc.Signal.handle(sig, s -> {
                if (interrupted.compareAndSet(false, true) && !task.done()) {
                    try {
                        loop.callSoonThreadsafe(() -> task.cancel("interrupted by SIGINT"));
                        return;
                    } catch (IllegalStateException closed) {
                        // fall through to the previous handler
                    }
                }
                sun.misc.Signal.handle(sig, previous[0]);
                sun.misc.Signal.raise(sig);
            });
            if (!String.valueOf(previous[0]).startsWith("java.lang.Terminator")) {
                // Someone installed their own SIGINT handler: leave it alone, as asyncio.Runner
                // takes SIGINT only from Python's default handler.
                sun.misc.Signal.handle(sig, previous[0]);
                RUNNER_OWNS_SIGINT.set(false);
                return null;
            }
            return () -> {
                try {
                    sun.misc.Signal.handle(sig, previous[0]);
                } finally {
                    RUNNER_OWNS_SIGINT.set(false);
                }
            };
        } catch (RuntimeException | LinkageError e) {
            RUNNER_OWNS_SIGINT.set(false);
            return null;
        }
    }
}
