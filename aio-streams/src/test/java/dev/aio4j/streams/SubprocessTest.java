package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.internal.PipeThreads;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import static dev.aio4j.streams.Subprocess.DEVNULL;
import static dev.aio4j.streams.Subprocess.INHERIT;
import static dev.aio4j.streams.Subprocess.PIPE;
import static dev.aio4j.streams.Subprocess.STDOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Subprocesses: mirrors Lib/test/test_asyncio/test_subprocess.py (SubprocessMixin), with
 * {@code /bin/sh}, {@code cat}, {@code head}, {@code sleep} and {@code true} for CPython's Python
 * children. Exit codes of signalled children are the JDK's {@code 128 + signal}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubprocessTest {
    private static final int BIG = 2 << 20; // far beyond an OS pipe (64 KiB): CPython's support.PIPE_MAX_SIZE

    @BeforeAll
    static void posix() {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX shell");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static Subprocess sh(String script, Subprocess.Redirect in, Subprocess.Redirect out, Subprocess.Redirect err)
            throws IOException {
        return Streams.createSubprocessExec(List.of("/bin/sh", "-c", script), in, out, err);
    }

    /** Waits (test thread, real time) until every pipe thread started since {@code before} ended. */
    private static void assertPipeThreadsEnd(int before) throws InterruptedException {
        Net.eventually(() -> PipeThreads.live() <= before, "pipe threads to end (live: " + PipeThreads.live() + ")");
    }

    @Test
    void stdinStdout() throws Exception {
        int threads = PipeThreads.live();
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec(List.of("cat"), PIPE, PIPE, INHERIT)) {
                p.stdin().write(ascii("some data\n"));
                p.stdin().drain();
                assertEquals("some data\n", ascii(p.stdout().readline()));
                p.stdin().close();
                assertEquals(0, p.stdout().read().length);
                assertEquals(0, p.await());
                assertEquals(0, p.returncode());
            }
            return null;
        });
        assertPipeThreadsEnd(threads);
    }

    @Test
    void stdinWriteBufferAndDrain() throws Exception { // aio4j-only: the stdin bridge's flow control
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec(List.of("cat"), PIPE, DEVNULL, INHERIT)) {
                Transport t = p.stdin().transport();
                p.stdin().write(new byte[BIG]);
                assertEquals(BIG, t.getWriteBufferSize(), "queued for the pipe thread");
                p.stdin().drain(); // suspends until the child took it
                assertEquals(0, t.getWriteBufferSize());
                p.stdin().close();
                p.stdin().waitClosed();
                assertEquals(0, p.await());
            }
            return null;
        });
    }

    @Test
    void communicate() throws Exception {
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec(List.of("cat"), PIPE, PIPE, INHERIT)) {
                Subprocess.Output out = p.communicate(ascii("some data"));
                assertEquals("some data", ascii(out.stdout()));
                assertNull(out.stderr());
                assertEquals(0, p.returncode());
            }
            return null;
        });
    }

    @Test
    void communicateLargeInputAndOutputOnBothPipes() throws Exception { // aio4j-only: no deadlock
        byte[] input = Net.payload(BIG, 3);
        Aio.run(() -> {
            try (Subprocess p = sh("tee /dev/fd/2", PIPE, PIPE, PIPE)) {
                Subprocess.Output out = p.communicate(input);
                assertArrayEquals(input, out.stdout());
                assertArrayEquals(input, out.stderr());
                assertEquals(0, p.returncode());
            }
            return null;
        });
    }

    @Test
    void shell() throws Exception {
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessShell("exit 7")) {
                assertEquals(7, p.await());
                assertEquals(7, p.returncode());
            }
            return null;
        });
    }

    @Test
    void kill() throws Exception {
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec("sleep", "1000")) {
                assertNull(p.returncode());
                p.kill();
                assertEquals(128 + Subprocess.SIGKILL, p.await());
            }
            return null;
        });
    }

    @Test
    void terminate() throws Exception {
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec("sleep", "1000")) {
                p.terminate();
                assertEquals(128 + Subprocess.SIGTERM, p.await());
            }
            return null;
        });
    }

    @Test
    void sendSignal() throws Exception {
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec("sleep", "1000")) {
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> p.sendSignal(1));
                assertTrue(e.getMessage().startsWith("sendSignal(1): the JDK can send only SIGTERM (15) and SIGKILL (9)"),
                        e.getMessage());
                p.sendSignal(Subprocess.SIGTERM);
                assertEquals(143, p.await());
                // after the exit: ProcessLookupError, see sendSignalAfterTheProcessFinishedIsProcessLookupError
            }
            return null;
        });
    }

    @Test
    void stdinBrokenPipe() throws Exception {
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec(List.of("true"), PIPE, INHERIT, INHERIT)) {
                p.stdin().write(new byte[BIG]);
                assertThrows(IOException.class, () -> p.stdin().drain()); // Python: BrokenPipeError
                assertEquals(0, p.await());
            }
            return null;
        });
    }

    @Test
    void communicateIgnoreBrokenPipe() throws Exception {
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec(List.of("true"), PIPE, INHERIT, INHERIT)) {
                Subprocess.Output out = p.communicate(new byte[BIG]);
                assertNull(out.stdout());
                assertEquals(0, p.returncode());
            }
            return null;
        });
    }

    @Test
    void pauseReading() throws Exception {
        int limit = 16 * 1024;
        int size = 1_000_000;
        Aio.run(() -> {
            ProcessBuilder pb = new ProcessBuilder("head", "-c", Integer.toString(size), "/dev/zero");
            try (Subprocess p = Streams.createSubprocessExec(pb, INHERIT, PIPE, INHERIT, limit)) {
                while (p.stdoutPipe().pauses() < 1) { // nobody reads: the reader fills up and pauses the pipe
                    Aio.sleep(0.01);
                }
                assertTrue(p.stdout().bufferSize() > 2 * limit, p.stdout().toString());
                assertTrue(p.stdout().bufferSize() <= 3 * limit, p.stdout().toString());
                Aio.sleep(0.05); // still paused: the bridge reads nothing more
                assertTrue(p.stdout().bufferSize() <= 3 * limit, p.stdout().toString());
                assertFalse(p.stdoutPipe().isReading());
                long total = 0;
                while (true) {
                    assertTrue(p.stdout().bufferSize() <= 3 * limit, p.stdout().toString());
                    byte[] b = p.stdout().read(4096);
                    if (b.length == 0) {
                        break;
                    }
                    for (byte x : b) {
                        assertEquals(0, x);
                    }
                    total += b.length;
                }
                assertEquals(size, total);
                assertEquals(0, p.await());
            }
            return null;
        });
    }

    @Test
    void stdinNotInheritable() throws Exception {
        Aio.run(() -> {
            try (Subprocess first = Streams.createSubprocessExec(List.of("cat"), PIPE, PIPE, INHERIT);
                 Subprocess second = Streams.createSubprocessExec("sleep", "1000")) {
                // If the second child had inherited the first's stdin pipe, cat would never see EOF.
                Subprocess.Output out = first.communicate(ascii("x"));
                assertEquals("x", ascii(out.stdout()));
                assertEquals(0, first.returncode());
                assertNull(second.returncode());
            }
            return null;
        });
    }

    @Test
    void emptyInput() throws Exception {
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec(List.of("cat"), PIPE, PIPE, INHERIT)) {
                Subprocess.Output out = p.communicate(new byte[0]);
                assertEquals(0, out.stdout().length);
                assertEquals(0, p.returncode());
            }
            return null;
        });
    }

    @Test
    void devnullInput() throws Exception {
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec(List.of("cat"), DEVNULL, PIPE, INHERIT)) {
                assertNull(p.stdin());
                Subprocess.Output out = p.communicate();
                assertEquals(0, out.stdout().length);
                assertEquals(0, p.returncode());
            }
            return null;
        });
    }

    @Test
    void devnullOutput() throws Exception {
        Aio.run(() -> {
            try (Subprocess p = sh("echo hi", INHERIT, DEVNULL, INHERIT)) {
                assertNull(p.stdout());
                Subprocess.Output out = p.communicate();
                assertNull(out.stdout());
                assertNull(out.stderr());
                assertEquals(0, p.returncode());
            }
            return null;
        });
    }

    @Test
    void devnullError() throws Exception {
        Aio.run(() -> {
            try (Subprocess p = sh("echo err >&2; echo out", INHERIT, PIPE, DEVNULL)) {
                assertNull(p.stderr());
                Subprocess.Output out = p.communicate();
                assertEquals("out\n", ascii(out.stdout()));
                assertEquals(0, p.returncode());
            }
            return null;
        });
    }

    @Test
    void cancelProcessWait() throws Exception {
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec("sleep", "1000")) {
                Task<Integer> waiter = Aio.createTask(p::await);
                Aio.sleep(0.01);
                waiter.cancel();
                assertThrows(CancellationException.class, waiter::await);
                assertNull(p.returncode(), "asyncio leaves the process running");
                assertTrue(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false));
                p.close(); // kills it
                assertEquals(128 + Subprocess.SIGKILL, p.await());
            }
            return null;
        });
    }

    @Test
    void cancelCommunicateLeavesTheProcessToClose() throws Exception { // aio4j-only
        int threads = PipeThreads.live();
        Aio.run(() -> {
            // sleep itself holds the pipes: a shell's child would outlive the kill and keep them open.
            try (Subprocess p = Streams.createSubprocessExec(List.of("sleep", "1000"), PIPE, PIPE, PIPE)) {
                Task<Subprocess.Output> task = Aio.createTask(() -> p.communicate(ascii("ignored")));
                Aio.sleep(0.01);
                task.cancel();
                assertThrows(CancellationException.class, task::await);
                assertNull(p.returncode());
                p.close();
                assertEquals(128 + Subprocess.SIGKILL, p.await());
            }
            return null;
        });
        assertPipeThreadsEnd(threads);
    }

    @Test
    void cancelMakeSubprocessTransportExec() throws Exception {
        // createSubprocessExec does not suspend: a task cancelled before it ran never starts a child.
        int threads = PipeThreads.live();
        Net.assertNoFdLeak(() -> Aio.run(() -> {
            Task<Subprocess> task = Aio.createTask(() -> Streams.createSubprocessExec(List.of("sleep", "1000"), PIPE, PIPE, PIPE));
            task.cancel();
            assertThrows(CancellationException.class, task::await);
            return null;
        }));
        assertEquals(threads, PipeThreads.live());
    }

    @Test
    void readStdoutAfterProcessExit() throws Exception {
        Aio.run(() -> {
            try (Subprocess p = sh("echo hello", INHERIT, PIPE, INHERIT)) {
                assertEquals(0, p.await());
                assertEquals("hello\n", ascii(p.stdout().read()));
            }
            return null;
        });
    }

    @Test
    void stderrRedirectToStdout() throws Exception {
        Aio.run(() -> {
            try (Subprocess p = sh("echo out; echo err >&2", INHERIT, PIPE, STDOUT)) {
                assertNull(p.stderr());
                Subprocess.Output out = p.communicate();
                assertEquals("out\nerr\n", ascii(out.stdout()));
                assertNull(out.stderr());
            }
            return null;
        });
    }

    @Test
    void closeKillsAChattyChildAndFreesItsPipes() throws Exception { // aio4j-only
        int threads = PipeThreads.live();
        Net.assertNoFdLeak(() -> Aio.run(() -> {
            Subprocess p = Streams.createSubprocessExec(List.of("yes"), PIPE, PIPE, PIPE);
            assertEquals("y\n", ascii(p.stdout().readline()));
            p.close();
            assertTrue(p.stdout().read().length >= 0); // what was buffered, then end of stream
            assertEquals(128 + Subprocess.SIGKILL, p.await());
            return null;
        }));
        assertPipeThreadsEnd(threads);
    }

    @Test
    void communicateLeaksNothing() throws Exception { // aio4j-only
        int threads = PipeThreads.live();
        Net.assertNoFdLeak(() -> Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec(List.of("cat"), PIPE, PIPE, PIPE)) {
                assertEquals("abc", ascii(p.communicate(ascii("abc")).stdout()));
            }
            return null;
        }));
        assertPipeThreadsEnd(threads);
    }

    @Test
    void programNotFound() throws Exception { // Python: FileNotFoundError
        Aio.run(() -> {
            IOException e = assertThrows(IOException.class, () -> Streams.createSubprocessExec("/nonexistent/program"));
            assertTrue(e.getMessage().contains("/nonexistent/program"), e.getMessage());
            return null;
        });
    }

    @Test
    void badRedirections() throws Exception { // aio4j-only
        Aio.run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Streams.createSubprocessExec(List.of("true"), STDOUT, PIPE, PIPE));
            assertEquals("stdin must be PIPE, DEVNULL or INHERIT, got STDOUT", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Streams.createSubprocessExec(List.of(), PIPE, PIPE, PIPE));
            try (Subprocess p = Streams.createSubprocessExec(List.of("true"), INHERIT, INHERIT, INHERIT)) {
                IllegalStateException s = assertThrows(IllegalStateException.class, () -> p.communicate(ascii("x")));
                assertTrue(s.getMessage().startsWith("communicate() with input, but stdin is not a PIPE"), s.getMessage());
                p.await();
            }
            return null;
        });
    }

    @Test
    void toStringShowsPidAndState() throws Exception { // aio4j-only (asyncio's repr: <Process pid>)
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec("sleep", "1000")) {
                assertEquals("Subprocess[pid=" + p.pid() + ", running]", p.toString());
                p.kill();
                p.await();
                assertEquals("Subprocess[pid=" + p.pid() + ", returncode=137]", p.toString());
            }
            return null;
        });
    }

    @Test
    void environmentAndDirectoryThroughProcessBuilder() throws Exception { // asyncio's cwd= and env=
        Aio.run(() -> {
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "echo \"$AIO4J_X\"; pwd");
            pb.environment().put("AIO4J_X", "value");
            pb.directory(new java.io.File("/"));
            try (Subprocess p = Streams.createSubprocessExec(pb, INHERIT, PIPE, INHERIT, StreamReader.DEFAULT_LIMIT)) {
                assertEquals(Arrays.asList("value", "/"), Arrays.asList(ascii(p.communicate().stdout()).split("\n")));
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ review probes (issue: subprocess review)

    @Test
    void sendSignalAfterTheProcessFinishedIsProcessLookupError() throws Exception {
        // test_subprocess.py SubprocessTransportTests.test_proc_exited: once the process exited and
        // its pipes closed, send_signal(), terminate() and kill() raise ProcessLookupError.
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec(List.of("true"), INHERIT, PIPE, INHERIT)) {
                assertEquals(0, p.await());
                for (Runnable r : List.<Runnable>of(p::kill, p::terminate, () -> p.sendSignal(Subprocess.SIGTERM))) {
                    ProcessLookupError e = assertThrows(ProcessLookupError.class, r::run);
                    assertEquals(p.pid(), e.pid());
                    assertTrue(e.getMessage().contains(Long.toString(p.pid())), e.getMessage());
                    assertTrue(e.getMessage().contains("exited with 0"), e.getMessage());
                }
            }
            return null;
        });
    }

    @Test
    void awaitAfterTheExitDoesNotWaitForThePipes() throws Exception {
        // base_subprocess._wait(): once the return code is known, wait() returns it at once, even
        // while a pipe is still open (here a grandchild holds stdout).
        Aio.run(() -> {
            try (Subprocess p = sh("sleep 1000 & echo $!", INHERIT, PIPE, INHERIT)) {
                long grandchild = Long.parseLong(ascii(p.stdout().readline()).trim());
                try {
                    while (p.returncode() == null) {
                        Aio.sleep(0.01);
                    }
                    Task<Integer> w = Aio.createTask(p::await);
                    Aio.sleep(0);
                    Aio.sleep(0);
                    assertTrue(w.done(), "wait() returned the known return code");
                    assertEquals(0, w.result());
                } finally {
                    ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
                }
                assertEquals(0, p.stdout().read().length, "end of stream once the grandchild died");
            }
            return null;
        });
    }

    @Test
    void subprocessConcurrentWait() throws Exception { // test_subprocess_concurrent_wait
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec(List.of("cat"), PIPE, PIPE, INHERIT)) {
                assertEquals("some data", ascii(p.communicate(ascii("some data")).stdout()));
                assertEquals(0, p.returncode());
                List<Task<Integer>> waits = new java.util.ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    waits.add(Aio.createTask(p::await));
                }
                assertEquals(java.util.Collections.nCopies(10, 0), Aio.gather(waits).await());
            }
            return null;
        });
    }

    @Test
    void readlineOverTheLimit() throws Exception { // aio4j-only: the limit= of create_subprocess_exec
        Aio.run(() -> {
            ProcessBuilder pb = new ProcessBuilder("head", "-c", "100000", "/dev/zero");
            try (Subprocess p = Streams.createSubprocessExec(pb, INHERIT, PIPE, INHERIT, 1000)) {
                assertThrows(LimitOverrunError.class, () -> p.stdout().readline()); // Python: ValueError
                long total = 0;
                while (true) {
                    byte[] b = p.stdout().read(65536);
                    if (b.length == 0) {
                        break;
                    }
                    total += b.length;
                }
                assertTrue(total <= 100000);
                assertEquals(0, p.await());
            }
            return null;
        });
    }

    @Test
    void manyShortProcessesLeakNoThreadOrDescriptor() throws Exception { // aio4j-only
        int threads = PipeThreads.live();
        Net.assertNoFdLeak(() -> Aio.run(() -> {
            for (int i = 0; i < 200; i++) {
                try (Subprocess p = Streams.createSubprocessExec(List.of("cat"), PIPE, PIPE, PIPE)) {
                    Subprocess.Output out = p.communicate(ascii("x" + i));
                    assertEquals("x" + i, ascii(out.stdout()));
                    assertEquals(0, out.stderr().length);
                }
            }
            return null;
        }));
        assertPipeThreadsEnd(threads);
    }

    @Test
    void exitBeforeThePipesAreRead() throws Exception { // test_read_stdout_after_process_exit, larger
        Aio.run(() -> {
            try (Subprocess p = sh("head -c 50000 /dev/zero; echo err >&2; exit 3", INHERIT, PIPE, PIPE)) {
                while (p.returncode() == null) {
                    Aio.sleep(0.01);
                }
                assertEquals(3, p.returncode());
                assertEquals(50000, p.stdout().read().length);
                assertEquals("err\n", ascii(p.stderr().read()));
                assertEquals(3, p.await());
            }
            return null;
        });
    }

    @Test
    void sendSignalWhileRunning() throws Exception { // test_send_signal, with SIGTERM (the JDK cannot send SIGHUP)
        Aio.run(() -> {
            try (Subprocess p = sh("echo sleeping; exec sleep 1000", INHERIT, PIPE, INHERIT)) {
                assertEquals("sleeping\n", ascii(p.stdout().readline()));
                p.sendSignal(Subprocess.SIGTERM);
                assertEquals(128 + Subprocess.SIGTERM, p.await());
                assertThrows(UnsupportedOperationException.class, () -> p.sendSignal(1));
            }
            return null;
        });
    }

    /** Records the loop's exception-handler reports, from inside the loop's first task. */
    private static List<String> recordReports() {
        List<String> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        Aio.getRunningLoop().setExceptionHandler((loop, context) -> reports.add(context.message()));
        return reports;
    }

    @Test
    void aChildStillRunningWhenItsLoopClosesIsKilledAndReported() throws Exception {
        // asyncio: BaseSubprocessTransport.__del__ warns "unclosed transport" (ResourceWarning) and
        // kills the child; aio4j does it when the loop closes, which is deterministic.
        int threads = PipeThreads.live();
        List<List<String>> reports = new java.util.ArrayList<>();
        long pid = Aio.run(() -> {
            reports.add(recordReports());
            return Streams.createSubprocessExec(List.of("sleep", "1000"), PIPE, PIPE, PIPE).pid();
        });
        ProcessHandle child = ProcessHandle.of(pid).orElse(null);
        if (child != null) { // gone already: killed and reaped
            child.onExit().get(60, TimeUnit.SECONDS); // a hang guard: killed, it exits at once
        }
        List<String> seen = reports.get(0);
        assertEquals(1, seen.size(), seen.toString());
        assertTrue(seen.get(0).startsWith("unclosed subprocess Subprocess[pid=" + pid + ", running]"), seen.get(0));
        assertTrue(seen.get(0).contains("killed"), seen.get(0));
        assertPipeThreadsEnd(threads);
    }

    @Test
    void aPausedPipeOfAChildStillRunningWhenItsLoopClosesEnds() throws Exception { // aio4j-only
        int threads = PipeThreads.live();
        List<List<String>> reports = new java.util.ArrayList<>();
        long pid = Aio.run(() -> {
            reports.add(recordReports());
            ProcessBuilder pb = new ProcessBuilder("yes");
            Subprocess p = Streams.createSubprocessExec(pb, INHERIT, PIPE, INHERIT, 1024);
            while (p.stdoutPipe().pauses() < 1) { // nobody reads: the pump waits for credit
                Aio.sleep(0.01);
            }
            return p.pid();
        });
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
        assertEquals(1, reports.get(0).size(), reports.toString());
        assertPipeThreadsEnd(threads);
    }

    @Test
    void aFinishedOrClosedSubprocessIsNotReportedWhenItsLoopCloses() throws Exception { // aio4j-only
        List<List<String>> reports = new java.util.ArrayList<>();
        Aio.run(() -> {
            reports.add(recordReports());
            Subprocess done = Streams.createSubprocessExec(List.of("true"), INHERIT, PIPE, PIPE); // not closed
            assertEquals(0, done.await());
            Subprocess closed = Streams.createSubprocessExec(List.of("sleep", "1000"), PIPE, PIPE, PIPE);
            closed.close();
            return null;
        });
        assertEquals(List.of(), reports.get(0));
    }

    @Test
    void aPausedPipeOfAChildThatExitedBeforeItsLoopClosedEndsWithTheLoop() throws Exception { // aio4j-only
        // The exit reached the loop (so nothing is abandoned then: the output may still be read),
        // the stdout reader is full and its pump waits for credit, and the loop closes without
        // close(): the closed loop will never give credit back, so the pump must end by itself.
        int threads = PipeThreads.live();
        Aio.run(() -> {
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", "head -c 30000 /dev/zero"); // fits in the OS pipe
            Subprocess p = Streams.createSubprocessExec(pb, INHERIT, PIPE, INHERIT, 1024);
            while (p.returncode() == null || p.stdoutPipe().pauses() < 1) {
                Aio.sleep(0.01);
            }
            assertEquals(0, p.returncode());
            return null; // not closed
        });
        assertPipeThreadsEnd(threads);
    }

    @Test
    void closeDontKillFinished() throws Exception { // test_close_dont_kill_finished
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec(List.of("true"), INHERIT, INHERIT, INHERIT)) {
                long pid = p.pid();
                // the child exited (the test waits for it off the loop) but the loop was not told yet
                Aio.toThread(() -> ProcessHandle.of(pid).map(h -> h.onExit().join()).orElse(null));
                p.close(); // must not turn the exit into a kill
                assertEquals(0, p.await());
            }
            return null;
        });
    }

    @Test
    void communicateAfterTheCallerClosedStdin() throws Exception { // aio4j-only
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec(List.of("cat"), PIPE, PIPE, PIPE)) {
                p.stdin().write(ascii("abc"));
                p.stdin().close();
                Subprocess.Output out = p.communicate();
                assertEquals("abc", ascii(out.stdout()));
                assertEquals(0, out.stderr().length);
                assertEquals(0, p.returncode());
            }
            return null;
        });
    }

    @Test
    void stderrToStdoutWhenStdoutIsDevnull() throws Exception { // aio4j-only: stderr=STDOUT follows stdout
        Aio.run(() -> {
            try (Subprocess p = sh("echo out; echo err >&2", INHERIT, DEVNULL, STDOUT)) {
                Subprocess.Output out = p.communicate();
                assertNull(out.stdout());
                assertNull(out.stderr());
                assertEquals(0, p.returncode());
            }
            return null;
        });
    }

    @Test
    void nonexistentWorkingDirectory() throws Exception { // Python: FileNotFoundError for cwd=
        Net.assertNoFdLeak(() -> Aio.run(() -> {
            ProcessBuilder pb = new ProcessBuilder("true").directory(new java.io.File("/nonexistent/dir"));
            int threads = PipeThreads.live();
            IOException e = assertThrows(IOException.class,
                    () -> Streams.createSubprocessExec(pb, PIPE, PIPE, PIPE, StreamReader.DEFAULT_LIMIT));
            assertTrue(e.getMessage().contains("/nonexistent/dir"), e.getMessage());
            assertEquals(threads, PipeThreads.live(), "no pipe thread for a child that never started");
            IOException missing = assertThrows(IOException.class,
                    () -> Streams.createSubprocessExec(List.of("/nonexistent/program"), PIPE, PIPE, PIPE));
            assertTrue(missing.getMessage().contains("/nonexistent/program"), missing.getMessage());
            assertEquals(threads, PipeThreads.live());
            return null;
        }));
    }

    @Test
    void subprocessCommunicateStdout() throws Exception { // test_subprocess_communicate_stdout (gh-100133)
        Aio.run(() -> {
            List<Task<String>> tasks = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String word = "foo" + i;
                tasks.add(Aio.createTask(() -> {
                    try (Subprocess p = Streams.createSubprocessExec(List.of("echo", word), INHERIT, PIPE, INHERIT)) {
                        return ascii(p.communicate().stdout()).trim();
                    }
                }));
            }
            List<String> expected = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                expected.add("foo" + i);
            }
            assertEquals(expected, Aio.gather(tasks).await());
            return null;
        });
    }

    @Test
    void createSubprocessEnvShell() throws Exception { // test_create_subprocess_env_shell, with exec's ProcessBuilder
        Aio.run(() -> {
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "printf %s \"$FOO\"");
            pb.environment().put("FOO", "bar");
            try (Subprocess p = Streams.createSubprocessExec(pb, INHERIT, PIPE, INHERIT, StreamReader.DEFAULT_LIMIT)) {
                assertEquals("bar", ascii(p.communicate().stdout()));
                assertEquals(0, p.returncode());
                Task<Integer> again = Aio.createTask(p::await);
                Aio.sleep(0);
                assertEquals(0, again.result(), "wait() after the exit returns at once");
            }
            return null;
        });
    }

    @Test
    void devstdinInput() throws Exception { // test_devstdin_input (Linux: /dev/stdin)
        assumeTrue(Files.exists(Path.of("/dev/stdin")), "needs /dev/stdin");
        Aio.run(() -> {
            try (Subprocess p = sh("wc -c < /dev/stdin", PIPE, PIPE, PIPE)) {
                Subprocess.Output out = p.communicate(ascii("abc"));
                assertEquals("3", ascii(out.stdout()).trim());
                assertEquals(0, p.returncode());
            }
            return null;
        });
    }

    @Test
    void createSubprocessInAnotherThreadsLoop() throws Exception {
        // GenericWatcherTests.test_create_subprocess_with_pidfd: a child of a loop that runs in a
        // worker thread (asyncio.to_thread(asyncio.run, ...)); the JDK reaps it, no watcher needed.
        Aio.run(() -> {
            List<Object> got = Aio.toThread(() -> Aio.run(() -> {
                try (Subprocess p = Streams.createSubprocessExec(List.of("cat"), PIPE, PIPE, INHERIT)) {
                    byte[] out = p.communicate(ascii("some data")).stdout();
                    return List.<Object>of(p.returncode(), ascii(out));
                }
            }));
            assertEquals(List.of(0, "some data"), got);
            return null;
        });
    }

    @Test
    void stdinBackPressure() throws Exception { // aio4j-only: write + drain never queues more than the watermark
        Aio.run(() -> {
            try (Subprocess p = Streams.createSubprocessExec(List.of("sleep", "1000"), PIPE, INHERIT, INHERIT)) {
                Transport t = p.stdin().transport();
                long high = t.getWriteBufferLimits().high();
                byte[] piece = new byte[16 * 1024];
                // sleep never reads: the OS pipe fills, then the queue passes the watermark
                Task<Void> writer = Aio.createTask(() -> {
                    while (true) {
                        p.stdin().write(piece);
                        p.stdin().drain();
                        assertTrue(t.getWriteBufferSize() <= high, t.toString());
                    }
                });
                while (t.getWriteBufferSize() <= high) {
                    Aio.sleep(0.01);
                }
                Aio.sleep(0);
                assertFalse(writer.done(), "drain() waits for a child that does not read");
                assertTrue(t.getWriteBufferSize() <= high + piece.length, t.toString());
                p.close(); // kills it: the drain ends, "Connection lost" (asyncio: ConnectionResetError)
                java.util.concurrent.CompletionException e = assertThrows(java.util.concurrent.CompletionException.class, writer::await);
                assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
                assertEquals(128 + Subprocess.SIGKILL, p.await());
            }
            return null;
        });
    }

    /*
     * test_subprocess.py cases not ported, and why:
     * - test_start_new_session: ProcessBuilder cannot start a child in a new session (no setsid).
     * - test_cancel_post_init, test_subprocess_protocol_events, SubprocessTransportTests'
     *   mocked transport: aio4j has no loop.subprocess_exec() with a SubprocessProtocol; the
     *   streams API (create_subprocess_exec/shell) is the only one. test_proc_exited's
     *   ProcessLookupError assertions are sendSignalAfterTheProcessFinishedIsProcessLookupError.
     * - test_popen_error, test_popen_error_with_stdin_pipe: ProcessBuilder.start() cannot be
     *   mocked; nonexistentWorkingDirectory and programNotFound check the same (a failed start
     *   leaves no pipe and no thread).
     * - test_create_subprocess_exec_text_mode_fails, ..._shell_text_mode_fails: aio4j has no
     *   text=/encoding=/errors= arguments to refuse; the pipes carry bytes.
     * - test_create_subprocess_exec_with_path: Java has no os.PathLike; arguments are strings.
     * - The child-watcher classes (Threaded, Safe, Fast, MultiLoop, Pidfd) and
     *   test_create_subprocess_fails_with_inactive_watcher: the JDK reaps every child itself
     *   (Process.onExit); there is no watcher to choose or to be inactive.
     */
}
