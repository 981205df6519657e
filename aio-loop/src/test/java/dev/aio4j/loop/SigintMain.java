package dev.aio4j.loop;

/**
 * Run in a child JVM by {@link RunnerSigintTest}: {@code Aio.run} of a main task that prints
 * {@code READY} and sleeps; the test sends SIGINT. Prints how the run ended and whether the JVM's
 * own SIGINT handler is back afterwards.
 */
public final class SigintMain {
    private SigintMain() {}

    public static void main(String[] args) {
        try {
            Aio.run(() -> {
                System.out.println("READY");
                System.out.flush();
                Aio.sleep(3600);
                return null;
            });
            System.out.println("RETURNED");
        } catch (CancelledError e) {
            System.out.println("CANCELLED " + e.getMessage());
        }
        sun.misc.Signal sigint = new sun.misc.Signal("INT");
        sun.misc.SignalHandler now = sun.misc.Signal.handle(sigint, sun.misc.SignalHandler.SIG_DFL);
        sun.misc.Signal.handle(sigint, now);
        System.out.println("AFTER " + (String.valueOf(now).startsWith("java.lang.Terminator") ? "the JVM's handler" : now));
        System.out.flush();
    }
}
