package dev.aio4j.examples;

import dev.aio4j.examples.tour.TourStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the {@link Tour} the way README does: help, one step, every step with --quick. */
class TourTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int tour(String... args) {
        int status = Tour.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        System.out.print(out()); // keep it in the surefire report
        System.err.print(err());
        return status;
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(30)
    void helpListsEveryStep() {
        assertEquals(0, tour("--help"));
        for (TourStep step : Tour.STEPS) {
            assertTrue(out().contains("  " + step.name() + " "), "help lists " + step.name() + ":\n" + out());
            assertTrue(out().contains(step.summary()), "help describes " + step.name() + ":\n" + out());
        }
        assertTrue(out().contains("--quick"), out());
        assertFalse(out().contains("[1/"), "help runs nothing:\n" + out());
    }

    @Test
    @Timeout(30)
    void helpWordWorksLikeTheFlag() throws Exception {
        List<String> lines = StdoutCapture.lines(() -> Tour.main(new String[] {"help"}));
        for (TourStep step : Tour.STEPS) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("  " + step.name() + " ")), lines::toString);
        }
    }

    @Test
    @Timeout(30)
    void stepNamesAreUniqueLowerCaseWords() {
        Set<String> seen = new HashSet<>();
        for (TourStep step : Tour.STEPS) {
            assertTrue(step.name().matches("[a-z]+"), step.name());
            assertTrue(seen.add(step.name()), "duplicate step " + step.name());
            assertFalse(step.asyncio().contains("\n"), "the asyncio original is one line: " + step.name());
        }
    }

    @Test
    @Timeout(120)
    void quickRunsEveryStepAndExitsNormally() {
        int status = tour("--quick");

        assertEquals(0, status, "tour status; stderr:\n" + err());
        String out = out();
        int total = Tour.STEPS.size();
        int previous = -1;
        for (int i = 0; i < total; i++) {
            TourStep step = Tour.STEPS.get(i);
            String header = "[" + (i + 1) + "/" + total + "] " + step.name() + ": " + step.summary();
            int at = out.indexOf(header);
            assertTrue(at > previous, "step " + step.name() + " runs in order:\n" + out);
            previous = at;
            assertTrue(out.indexOf("  asyncio:  \"" + step.asyncio() + "\"", at) > at, step.name());
        }
        assertEquals(total, count(out, "\n  measured: "), out);
        assertFalse(out.contains("FAILED"), out);
        assertFalse(out.contains("OUT OF ORDER"), out);
        assertFalse(out.contains("NOT unwound"), out);
        assertTrue(out.contains("Tour done: " + total + " steps in "), out);
        // Deterministic: while a task blocks in Thread.sleep it holds the loop, so no tick can run.
        // (How often the ticker ticks while the executor works depends on the machine: not asserted.)
        assertTrue(out.contains("; with Thread.sleep in a task it ticked 0 times in "), out);
        assertTrue(out.contains("100000 tasks created and gathered in "), out);
        assertTrue(out.contains("measured: charges: 1 without faults, 2 under FaultPlan[Reset(at="), out);
        assertTrue(out.contains(", 1 with the fix; replay identical; "), out);
        assertTrue(out.contains("measured: Aio.timeout: TimeoutError after "), out);
        assertTrue(out.contains("; Aio.waitFor: TimeoutError after "), out);
        assertTrue(out.contains("join() returned after the last taskDone(); 3 workers cancelled in get()"), out);
        assertTrue(out.contains("measured: ExceptionGroup with 1 sub-exception (IOException) after "), out);
        assertTrue(out.contains("measured: one docs-style client echoed 'Hello World!'; 50 clients did 1000 round trips of 64 bytes in "), out);
        assertTrue(out.contains("measured: 3 fetches concurrently in "), out);
        assertTrue(out.contains("; 200 keep-alive requests in "), out);
        assertTrue(out.contains("measured: 20 GETs answered in "), out);
        assertTrue(out.contains("measured: listing 200, 3 entries; versioned URL /static/app.js?v="), out);
        assertTrue(out.contains("; GET 200 then 304 with If-None-Match; upload answered 200 text/plain; charset=utf-8 21 B, "
                + "application/octet-stream 9 B, application/octet-stream 200000 B"), out);
        assertTrue(out.contains("users, orders, prices cancelled at once"), out);
        assertTrue(out.contains("in creation order"), out);
        assertTrue(out.contains("4 MiB through cat and back in "), out);
    }

    @Test
    @Timeout(60)
    void oneStepRunsAlone() {
        assertEquals(0, tour("--quick", "callback"), err());
        assertTrue(out().contains("[1/1] callback: "), out());
        assertTrue(out().contains("the callback ran on the loop before runUntilComplete returned"), out());
        assertTrue(out().contains("Tour done: 1 step in "), out());
    }

    @Test
    @Timeout(60)
    void theQueueAndTaskGroupStepsRunAlone() {
        assertEquals(0, tour("--quick", "queue", "taskgroup"), err());
        assertTrue(out().contains("[1/2] queue: "), out());
        assertTrue(out().contains("[2/2] taskgroup: "), out());
        assertTrue(out().contains("queue.join() returned: every job is marked done; cancelling the workers"), out());
        assertTrue(out().contains("+-- 1: java.io.IOException: inventory: HTTP 503 Service Unavailable"), out());
        assertFalse(out().contains("FAILED"), out());
    }

    @Test
    @Timeout(60)
    void theHttpStepRunsAlone() {
        assertEquals(0, tour("--quick", "http"), err());
        String out = out();
        assertTrue(out.contains("[1/1] http: "), out);
        for (String line : List.of("Temperature at paris: 18 C", "Temperature at toulouse: 24 C", "Temperature at marseille: 25 C")) {
            assertTrue(out.contains(line), out);
        }
        assertTrue(out.contains("200 pongs; the pool holds "), out);
        Matcher m = Pattern.compile("(?m)" +
                "measured: 3 fetches concurrently in \\d+\\.\\d\\d s vs \\d+\\.\\d\\d s one after another \\(the sum of their own times\\);"
                + " 200 keep-alive requests in \\d+\\.\\d\\d s \\(\\d+ requests/s\\); the server saw (\\d+) connections for 204 requests \\(1 warm-up\\)$")
                .matcher(out);
        assertTrue(m.find(), out);
        int connections = Integer.parseInt(m.group(1));
        assertTrue(connections >= 1 && connections <= 10, "the pool's limit is 10: " + connections);
        assertFalse(out.contains("FAILED"), out);
    }

    @Test
    @Timeout(60)
    void theWebStepRunsAlone() {
        assertEquals(0, tour("--quick", "web"), err());
        String out = out();
        assertTrue(out.contains("[1/1] web: "), out);
        assertTrue(Pattern.compile("serving on http://127\\.0\\.0\\.1:\\d+").matcher(out).find(), out);
        assertTrue(out.contains("20 answers, the first: 200 Hello, client0; runner.cleanup()"), out);
        Matcher m = Pattern.compile("measured: 20 GETs answered in (\\d+\\.\\d\\d) s, not 1\\.00 s one after another"
                + " \\(each handler sleeps 0\\.05 s\\); at most (\\d+) handlers in flight at once; answers in request order: yes$",
                Pattern.MULTILINE).matcher(out);
        assertTrue(m.find(), out);
        // Real sockets on a real clock: only the lower bound is certain; the overlap shows.
        assertTrue(Double.parseDouble(m.group(1)) >= 0.05, out);
        assertTrue(Integer.parseInt(m.group(2)) > 1, "handlers overlapped: " + out);
        assertFalse(out.contains("FAILED"), out);
    }

    @Test
    @Timeout(60)
    void theSubprocessStepRunsAlone() {
        assertEquals(0, tour("--quick", "subprocess"), err());
        String out = out();
        assertTrue(out.contains("[1/1] subprocess: "), out);
        assertTrue(out.contains("[sleep 0.2; echo hello 1 exited with 0] hello 1"), out);
        assertTrue(out.contains("[sleep 0.2; echo hello 3 >&2; exit 3 exited with 3] hello 3"), out);
        Matcher m = Pattern.compile("measured: hello 1 \\(exit 0\\); hello 2 \\(exit 0\\); hello 3 \\(exit 3\\) -- three commands"
                + " in (\\d+\\.\\d\\d) s \\(one sleep is 0\\.20 s\\); 4 MiB through cat and back in \\d+\\.\\d\\d s").matcher(out);
        assertTrue(m.find(), out);
        // Real time on a real clock: only the lower bound is certain (each command sleeps 0.2 s).
        assertTrue(Double.parseDouble(m.group(1)) >= 0.2, out);
        assertFalse(out.contains("FAILED"), out);
    }

    @Test
    @Timeout(30)
    void unknownStepIsACommandLineError() {
        assertEquals(2, tour("gahter"));
        assertTrue(err().contains("unknown step 'gahter'; the steps are: gather, callback"), err());
        assertEquals("", out());
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }
}
