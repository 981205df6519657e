package dev.aio4j.examples;

import dev.aio4j.examples.tour.CallbackStep;
import dev.aio4j.examples.tour.ChatStep;
import dev.aio4j.examples.tour.EchoStep;
import dev.aio4j.examples.tour.ExecutorStep;
import dev.aio4j.examples.tour.FilesStep;
import dev.aio4j.examples.tour.GatherStep;
import dev.aio4j.examples.tour.HttpStep;
import dev.aio4j.examples.tour.QueueStep;
import dev.aio4j.examples.tour.SimNetStep;
import dev.aio4j.examples.tour.SpawnStep;
import dev.aio4j.examples.tour.SubprocessStep;
import dev.aio4j.examples.tour.TaskGroupStep;
import dev.aio4j.examples.tour.TimeoutStep;
import dev.aio4j.examples.tour.TourContext;
import dev.aio4j.examples.tour.TourStep;
import dev.aio4j.examples.tour.WebStep;
import dev.aio4j.loop.EventLoop;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The guided tour of aio4j: runs the asyncio tutorials' programs (gather of sleeping tasks,
 * done-callbacks, {@code timeout} and {@code wait_for}, a queue with workers, a failing task
 * group, {@code run_in_executor}, an echo server, aiohttp fetches from a local server, an
 * aiohttp.web application served and fetched in one loop, static files, a conditional GET and a
 * multipart upload, a WebSocket chat room, subprocesses, many tasks, a
 * payment client on a simulated network)
 * through aio4j, printing each asyncio original, what aio4j did, and what it measured.
 *
 * <p>From the repository root: {@code ./mvnw -q -B -pl aio-examples -am -DskipTests package exec:exec},
 * with {@code -Dtour.args=--help}, {@code -Dtour.args=gather} or {@code -Dtour.args=--quick}.
 * Directly: {@code java --add-opens java.base/java.lang=ALL-UNNAMED -cp ... dev.aio4j.examples.Tour [--quick] [step...]}.
 *
 * <p>Exit status: 0 when every step ran, 1 when a step failed, 2 for a bad command line.
 */
public final class Tour {
    /** The steps, in the order a full tour runs them. Adding a step: one class, one line here. */
    public static final List<TourStep> STEPS = List.of(
            new GatherStep(),
            new CallbackStep(),
            new TimeoutStep(),
            new QueueStep(),
            new TaskGroupStep(),
            new ExecutorStep(),
            new EchoStep(),
            new HttpStep(),
            new WebStep(),
            new FilesStep(),
            new ChatStep(),
            new SubprocessStep(),
            new SpawnStep(),
            new SimNetStep());

    private Tour() {}

    /**
     * Runs the tour and exits with its status.
     *
     * @param args {@code --help}, {@code --quick}, step names
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.out.flush();
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the tour without exiting the JVM (for tests).
     *
     * @param args {@code --help} or {@code help}, {@code --quick}, and step names; no step names
     *     means every step
     * @param out where the tour prints
     * @param err where errors go
     * @return 0 when every step ran, 1 when a step failed, 2 for a bad command line
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean quick = false;
        boolean help = false;
        List<TourStep> chosen = new ArrayList<>();
        for (String raw : args) {
            String arg = raw.trim().toLowerCase(Locale.ROOT);
            switch (arg) {
                case "" -> { }
                case "--help", "-h", "help", "--list", "list" -> help = true;
                case "--quick", "quick" -> quick = true;
                case "all" -> chosen.addAll(STEPS);
                default -> {
                    TourStep step = find(arg);
                    if (step == null) {
                        err.println("Tour: unknown step '" + raw + "'; the steps are: " + names()
                                + " (Tour --help describes them)");
                        return 2;
                    }
                    chosen.add(step);
                }
            }
        }
        if (help) {
            printHelp(out);
            return 0;
        }
        if (chosen.isEmpty()) {
            chosen.addAll(STEPS);
        }

        out.println("aio4j tour: asyncio programs ported to Java, run and measured" + (quick ? " (--quick: short durations)" : ""));
        out.println("Java " + Runtime.version().feature() + ", scheduler: " + schedulerDescription());
        TourContext ctx = new TourContext(out, quick);
        long t0 = System.nanoTime();
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            TourStep step = chosen.get(i);
            ctx.begin(i + 1, chosen.size(), step);
            try {
                step.run(ctx);
            } catch (Throwable e) {
                if (e instanceof VirtualMachineError vme && !(e instanceof OutOfMemoryError)) {
                    throw vme;
                }
                failed.add(step.name());
                out.println("  FAILED:   " + e);
                e.printStackTrace(err);
            }
        }
        out.println();
        out.println(String.format(Locale.ROOT, "Tour done: %d step%s in %.1f s%s.", chosen.size(), chosen.size() == 1 ? "" : "s",
                (System.nanoTime() - t0) / 1e9, failed.isEmpty() ? "" : "; FAILED: " + String.join(", ", failed)));
        out.println("Next: README.md, docs/porting-guide.md (every asyncio name and its aio4j port), docs/architecture.md.");
        return failed.isEmpty() ? 0 : 1;
    }

    private static TourStep find(String name) {
        for (TourStep s : STEPS) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private static String names() {
        List<String> n = new ArrayList<>();
        for (TourStep s : STEPS) {
            n.add(s.name());
        }
        return String.join(", ", n);
    }

    private static void printHelp(PrintStream out) {
        out.println("aio4j tour: asyncio programs ported to Java, run and measured.");
        out.println();
        out.println("usage: Tour [--quick] [step...]      (no step: every step, in this order)");
        out.println("  Maven:  ./mvnw -q -B -pl aio-examples -am -DskipTests package exec:exec -Dtour.args=\"--quick gather\"");
        out.println();
        out.println("steps:");
        int width = 0;
        for (TourStep s : STEPS) {
            width = Math.max(width, s.name().length());
        }
        for (TourStep s : STEPS) {
            out.println("  " + pad(s.name(), width) + "  " + s.summary());
        }
        out.println();
        out.println("options:");
        out.println("  " + pad("--quick", width) + "  short durations and sizes (for CI); same steps, same checks");
        out.println("  " + pad("--help", width) + "  this list (also: help)");
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static String schedulerDescription() {
        String name;
        try (EventLoop probe = EventLoop.create()) {
            name = probe.schedulerName();
        }
        if (name.equals("carrier")) {
            return "carrier (task threads run on the loop thread; enabled by --add-opens java.base/java.lang=ALL-UNNAMED)";
        }
        return name + " (works on any JDK 21+; add --add-opens java.base/java.lang=ALL-UNNAMED for the faster carrier scheduler)";
    }
}
