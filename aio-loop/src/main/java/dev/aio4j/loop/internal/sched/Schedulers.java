package dev.aio4j.loop.internal.sched;

import dev.aio4j.loop.internal.Throwables;

import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Chooses the scheduler for a new loop from the system property {@code aio4j.scheduler}:
 * {@code auto} (default: carrier when java.lang is open to aio4j, else portable),
 * {@code carrier} (fail if unavailable) or {@code portable}.
 */
public final class Schedulers {
    public static final String PROPERTY = "aio4j.scheduler";

    /**
     * What a user sees, once per JVM at INFO, when {@code auto} falls back to the portable
     * scheduler: the choice and both spellings of the flag that would give the carrier one (on
     * the module path {@code =ALL-UNNAMED} does not open java.lang to aio-loop).
     */
    static final String PORTABLE_HINT = "aio4j: portable scheduler: add --add-opens java.base/java.lang=dev.aio4j.loop"
            + " (module path) or --add-opens java.base/java.lang=ALL-UNNAMED (class path) for the carrier scheduler";

    private static final System.Logger LOG = System.getLogger("dev.aio4j.loop");
    private static final AtomicBoolean HINTED = new AtomicBoolean();

    private Schedulers() {}

    public static Scheduler create() {
        String mode = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "portable":
                return new HandoffScheduler();
            case "carrier":
                if (!CarrierScheduler.available()) {
                    throw new IllegalStateException("-D" + PROPERTY + "=carrier needs the JVM flag "
                            + CarrierScheduler.FLAG + " (or =dev.aio4j.loop on the module path); it is not available: "
                            + CarrierScheduler.unavailableReason());
                }
                return new CarrierScheduler();
            case "auto":
            case "":
                if (CarrierScheduler.available()) {
                    LOG.log(Level.DEBUG, "aio4j: carrier scheduler");
                    return new CarrierScheduler();
                }
                announcePortable(HINTED);
                return new HandoffScheduler();
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + " must be auto, carrier or portable, got " + mode);
        }
    }

    /** Logs {@link #PORTABLE_HINT}: at INFO the first time ({@code hinted} was false), at DEBUG after. */
    static void announcePortable(AtomicBoolean hinted) {
        if (hinted.compareAndSet(false, true)) {
            LOG.log(Level.INFO, PORTABLE_HINT);
        } else {
            LOG.log(Level.DEBUG, PORTABLE_HINT);
        }
    }

    /** Name of the scheduler {@link #create()} would pick now. */
    public static String preferred() {
        String mode = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        if (mode.equals("portable") || !CarrierScheduler.available()) {
            return "portable";
        }
        return "carrier";
    }

    /** Why the carrier scheduler is unavailable, or null if it is available. */
    public static String carrierUnavailableReason() {
        return CarrierScheduler.available() ? null : CarrierScheduler.unavailableReason();
    }

    static void runOnNewThread(Thread.Builder builder, Runnable body) {
        Throwable[] failure = new Throwable[1];
        Thread t = builder.unstarted(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable f = failure[0];
        Throwables.throwIfUnchecked(f);
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }
}
