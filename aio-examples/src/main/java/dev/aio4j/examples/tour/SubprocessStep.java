package dev.aio4j.examples.tour;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.Subprocess;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static dev.aio4j.examples.tour.TourContext.num;
import static dev.aio4j.examples.tour.TourContext.secs;

/**
 * Tour step "subprocess": the asyncio documentation's subprocess example (three shell commands
 * run concurrently, each collected with {@code communicate()}), then 4 MiB pushed through
 * {@code cat} and read back, which would deadlock if the pipes were written and read in turn.
 *
 * <p><b>asyncio:</b> {@code asyncio.create_subprocess_shell(cmd, stdout=PIPE, stderr=PIPE)} and
 * {@code await proc.communicate()}, gathered.
 *
 * @since 0.1
 */
public final class SubprocessStep implements TourStep {
    /** Creates the step. It keeps no state, so one instance can run any number of times. */
    public SubprocessStep() {}

    @Override
    public String name() {
        return "subprocess";
    }

    @Override
    public String summary() {
        return "three shell commands that sleep 1 s each, run concurrently (about 1 s), then 4 MiB through cat and back";
    }

    @Override
    public String asyncio() {
        return "await asyncio.gather(run('sleep 1; echo hello'), ...)  # run(): create_subprocess_shell(...); await proc.communicate()";
    }

    @Override
    public void run(TourContext ctx) throws Exception {
        double s = ctx.seconds(1.0, 0.2);
        ctx.did("Aio.gather of three tasks, each Streams.createSubprocessShell(\"sleep " + num(s)
                + "; echo hello N\", PIPE, PIPE, PIPE).communicate(null)");
        String summary = Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            double t0 = loop.time();
            List<String> lines = Aio.<String>gather(() -> run(ctx, "sleep " + num(s) + "; echo hello 1"),
                    () -> run(ctx, "sleep " + num(s) + "; echo hello 2"),
                    () -> run(ctx, "sleep " + num(s) + "; echo hello 3 >&2; exit 3")).await();
            double concurrent = loop.time() - t0;

            byte[] input = new byte[4 << 20];
            Arrays.fill(input, (byte) 'x');
            ctx.progress("now 4 MiB into cat's stdin while reading its stdout (communicate)");
            t0 = loop.time();
            byte[] back;
            try (Subprocess cat = Streams.createSubprocessExec(List.of("cat"), Subprocess.PIPE, Subprocess.PIPE,
                    Subprocess.DEVNULL)) {
                back = cat.communicate(input).stdout();
                cat.await();
            }
            double pipe = loop.time() - t0;
            if (!Arrays.equals(input, back)) {
                throw new IllegalStateException("cat gave back " + back.length + " bytes, not the 4 MiB it was given");
            }
            return String.join("; ", lines) + String.format(Locale.ROOT,
                    " -- three commands in %s (one sleep is %s); 4 MiB through cat and back in %s",
                    secs(concurrent), secs(s), secs(pipe));
        });
        ctx.measured(summary);
    }

    private static String run(TourContext ctx, String cmd) throws Exception {
        try (Subprocess p = Streams.createSubprocessShell(cmd, Subprocess.DEVNULL, Subprocess.PIPE, Subprocess.PIPE)) {
            Subprocess.Output out = p.communicate(null);
            String text = new String(out.stdout(), StandardCharsets.UTF_8).strip()
                    + new String(out.stderr(), StandardCharsets.UTF_8).strip();
            ctx.progress("[" + cmd + " exited with " + p.returncode() + "] " + text);
            return text + " (exit " + p.returncode() + ")";
        }
    }
}
