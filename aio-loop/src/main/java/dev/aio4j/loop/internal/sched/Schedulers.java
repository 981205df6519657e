package dev.aio4j.loop.internal.sched;

import java.util.Locale;

/**
 * Chooses the scheduler for a new loop from the system property {@code aio4j.scheduler}:
 * {@code auto} (default: carrier when java.lang is open to aio4j, else portable),
 * {@code carrier} (fail if unavailable) or {@code portable}.
 */
public final class Schedulers {
    public static final String PROPERTY = "aio4j.scheduler";

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
                return CarrierScheduler.available() ? new CarrierScheduler() : new HandoffScheduler();
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + " must be auto, carrier or portable, got " + mode);
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
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error err) {
            throw err;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }
}
