package dev.aio4j.loop;

/**
 * Run in a child JVM by {@link RunnerSigintTest}: {@code Aio.run} of a main task that prints
 * {@code READY} and sleeps; the test sends SIGINT. Prints how the run ended and whether the JVM's
 * own SIGINT handler is back afterwards.
 */
public final class SigintMain {
    private SigintMain() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("custom")) {
            custom();
            return;
        }
        if (args.length > 0 && args[0].equals("loop")) {
            loopHandler();
        }
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
        printAfter();
    }

    private static void printAfter() {
        sun.misc.Signal sigint = new sun.misc.Signal("INT");
        sun.misc.SignalHandler now = sun.misc.Signal.handle(sigint, sun.misc.SignalHandler.SIG_DFL);
        sun.misc.Signal.handle(sigint, now);
        System.out.println("AFTER " + (String.valueOf(now).startsWith("java.lang.Terminator") ? "the JVM's handler" : now));
        System.out.flush();
    }

    /** The main task's loop handles SIGINT itself and leaves the handler for close() to remove. */
    private static void loopHandler() {
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Future<String> got = loop.createFuture();
            loop.addSignalHandler("SIGINT", () -> got.setResult("LOOP HANDLER"));
            System.out.println("READY");
            System.out.flush();
            System.out.println(got.await());
            return null;
        });
        printAfter();
    }

    /** The program has its own SIGINT handler: the runner leaves it alone. */
    private static void custom() {
        sun.misc.Signal sigint = new sun.misc.Signal("INT");
        EventLoop[] loop = new EventLoop[1];
        Future<?>[] interrupted = new Future<?>[1];
        sun.misc.SignalHandler mine = s -> {
            System.out.println("CUSTOM");
            System.out.flush();
            loop[0].callSoonThreadsafe(() -> interrupted[0].cancel());
        };
        sun.misc.Signal.handle(sigint, mine);
        try {
            Aio.run(() -> {
                loop[0] = Aio.getRunningLoop();
                interrupted[0] = loop[0].createFuture();
                System.out.println("READY");
                System.out.flush();
                try {
                    interrupted[0].await();
                } catch (CancelledError e) {
                    // the program's handler ended the wait
                }
                return null;
            });
            System.out.println("RETURNED");
        } catch (CancelledError e) {
            System.out.println("CANCELLED " + e.getMessage());
        }
        sun.misc.SignalHandler now = sun.misc.Signal.handle(sigint, sun.misc.SignalHandler.SIG_DFL);
        System.out.println("AFTER " + (now == mine ? "the program's handler" : now));
        System.out.flush();
    }
}
