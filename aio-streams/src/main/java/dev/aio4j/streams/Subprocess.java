package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.LoopAccess;
import dev.aio4j.streams.internal.PipeReader;
import dev.aio4j.streams.internal.PipeWriter;
import dev.aio4j.streams.internal.StreamReaderProtocol;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A child process started by {@link Streams#createSubprocessExec} or
 * {@link Streams#createSubprocessShell}, with its pipes as streams.
 *
 * <p><b>asyncio:</b> {@code asyncio.subprocess.Process}. <b>Differences:</b> named
 * {@code Subprocess} so as not to hide {@link java.lang.Process}; {@code wait()} is
 * {@link #await()} ({@code Object.wait()} is final; see the porting guide's renames);
 * {@code stdin}, {@code stdout}, {@code stderr}, {@code pid} and {@code returncode} are methods;
 * {@link #communicate(byte[])} returns an {@link Output} record; a process killed by a signal has
 * the return code the JDK reports, {@code 128 + signal} (137 after {@link #kill()}, 143 after
 * {@link #terminate()}), where asyncio has {@code -signal}; {@link #sendSignal(int)} can send only
 * SIGTERM and SIGKILL (the JDK has no other way to signal a process), and after the process
 * finished it throws {@link ProcessLookupError} (unchecked); {@link #close()} (asyncio:
 * the subprocess transport's {@code close()}) kills a child still running and closes the pipes.
 *
 * <h2>Pipes and what they cost</h2>
 * {@link java.lang.Process}'s streams are blocking, so each {@link Redirect#PIPE} gets one virtual
 * thread. stdout and stderr: the thread reads chunks of at most {@code min(limit, 64 KiB)} and
 * hands each one to the loop, which feeds the {@link StreamReader}; it reads the next chunk only
 * after the loop took this one, and not at all while the reader is paused (its buffer passed
 * {@code 2 * limit}), so a reader holds at most {@code 2 * limit} plus one chunk and a chatty child
 * blocks on the full OS pipe, as it would under asyncio. stdin: {@link StreamWriter#write} queues a
 * copy of the bytes for the thread, and {@link StreamWriter#drain()} suspends while more than the
 * high watermark (64 KiB) is queued. A reading thread ends at end of stream (when the child and
 * every process that inherited the pipe closed it), on {@link #close()} after its current read,
 * or when the loop closes; the stdin thread ends when stdin is closed (by the caller, by
 * {@link #communicate}, or when the process exits).
 *
 * <h2>Waiting and cancellation</h2>
 * {@link #await()} called while the child runs returns when the process exited and its stdout and
 * stderr pipes reached end of stream; with a {@link Redirect#PIPE} whose output nobody reads it
 * can therefore wait forever if the child fills the pipe, exactly as asyncio warns: read the
 * streams, or use {@link #communicate(byte[])}. Called once the exit is known
 * ({@link #returncode()} is set), it returns the code at once, pipes open or not, as asyncio's
 * {@code wait()}. Cancelling a task in {@code await()} or {@code communicate()}
 * leaves the process running, as in asyncio; {@link #close()} (or try-with-resources) kills it and
 * frees its pipes and threads. The JDK reaps every child, so none stays a zombie. Close every
 * subprocess (try-with-resources) or wait for it: one still running when its loop closes is killed
 * then, and reported to the loop's exception handler ("unclosed subprocess ... killed"), as asyncio
 * kills it with a {@code ResourceWarning} when its transport is garbage-collected; its pipe
 * threads end with the loop. To start a process that outlives the loop, use
 * {@link ProcessBuilder} directly.
 *
 * <p><b>Threading:</b> loop-confined.
 *
 * @since 0.1
 */
public final class Subprocess implements AutoCloseable {
    /*
     * Maintainer notes. openPipes counts the stdout/stderr readers not yet at end of stream (or
     * closed). returncode is set when the JDK reports the exit (onExit, posted to the loop);
     * finished once returncode != null && openPipes == 0, when the await() waiters are woken
     * (asyncio's _try_finish / _call_connection_lost). stdin is closed when the process exits.
     * Until then (or close()) a close hook on the loop (LoopAccess.onClose) is registered:
     * closing the loop kills a child still running and ends the pipe threads, which a closed loop
     * could otherwise never release (a pump waiting for credit, the stdin thread for its queue).
     */

    /**
     * Where a standard stream of the child goes.
     *
     * <p><b>asyncio:</b> the {@code stdin=}, {@code stdout=}, {@code stderr=} arguments:
     * {@code asyncio.subprocess.PIPE}, {@code DEVNULL}, {@code STDOUT}, and {@code None}
     * ({@link #INHERIT}).
     *
     * @since 0.1
     */
    public enum Redirect {
        /** A pipe to this process: a {@link StreamWriter} for stdin, a {@link StreamReader} for stdout and stderr. */
        PIPE,
        /** The null device: the child reads end of file, its output is discarded. */
        DEVNULL,
        /** The child shares this JVM's stream (asyncio's default, {@code None}). */
        INHERIT,
        /** For stderr only: into the same place as stdout. */
        STDOUT
    }

    /** {@link Redirect#PIPE}, as {@code asyncio.subprocess.PIPE}. */
    public static final Redirect PIPE = Redirect.PIPE;
    /** {@link Redirect#DEVNULL}, as {@code asyncio.subprocess.DEVNULL}. */
    public static final Redirect DEVNULL = Redirect.DEVNULL;
    /** {@link Redirect#STDOUT}, as {@code asyncio.subprocess.STDOUT}. */
    public static final Redirect STDOUT = Redirect.STDOUT;
    /** {@link Redirect#INHERIT}, asyncio's {@code None}. */
    public static final Redirect INHERIT = Redirect.INHERIT;
    /** Signal 15, {@code signal.SIGTERM}: what {@link #terminate()} sends. */
    public static final int SIGTERM = 15;
    /** Signal 9, {@code signal.SIGKILL}: what {@link #kill()} sends. */
    public static final int SIGKILL = 9;

    /**
     * What {@link #communicate(byte[])} collected.
     *
     * <p><b>asyncio:</b> the {@code (stdout_data, stderr_data)} tuple of {@code communicate()}.
     *
     * @param stdout everything the child wrote to stdout, or null unless stdout was a pipe
     * @param stderr everything the child wrote to stderr, or null unless stderr was a pipe
     * @since 0.1
     */
    public record Output(byte[] stdout, byte[] stderr) {
    }

    private final EventLoop loop;
    private final Process process;
    private final StreamWriter stdin;
    private final StreamReader stdout;
    private final StreamReader stderr;
    private final PipeWriter stdinPipe;
    private final PipeReader stdoutPipe;
    private final PipeReader stderrPipe;
    private final List<Future<Integer>> waiters = new ArrayList<>();
    private Integer returncode;
    private int openPipes;
    private boolean finished;
    private boolean closed;
    /** Removes loopClosing() from the loop's close hooks; run once finished or closed. */
    private final Runnable removeCloseHook;

    private Subprocess(EventLoop loop, Process process, boolean pipeIn, boolean pipeOut, boolean pipeErr, int limit) {
        this.loop = loop;
        this.process = process;
        String name = "aio4j-subprocess-" + process.pid() + "-";
        if (pipeIn) {
            StreamReaderProtocol protocol = new StreamReaderProtocol(loop, new StreamReader(), null);
            stdinPipe = new PipeWriter(loop, process.getOutputStream(), name + "stdin", protocol);
            protocol.connectionMade(stdinPipe);
            stdin = new StreamWriter(stdinPipe, protocol, null);
        } else {
            stdinPipe = null;
            stdin = null;
        }
        if (pipeOut) {
            stdout = new StreamReader(limit);
            openPipes++;
            stdoutPipe = new PipeReader(loop, process.getInputStream(), stdout, name + "stdout", this::pipeDisconnected);
        } else {
            stdout = null;
            stdoutPipe = null;
        }
        if (pipeErr) {
            stderr = new StreamReader(limit);
            openPipes++;
            stderrPipe = new PipeReader(loop, process.getErrorStream(), stderr, name + "stderr", this::pipeDisconnected);
        } else {
            stderr = null;
            stderrPipe = null;
        }
        removeCloseHook = LoopAccess.onClose(loop, this::loopClosing);
        process.onExit().whenComplete((p, t) -> {
            try {
                loop.callSoonThreadsafe(this::exited);
            } catch (RuntimeException e) {
                // The loop is closed: nobody waits any more; its close hook ended the pipe threads.
            }
        });
    }

    /** Starts {@code builder}'s command with the given redirections (the body of create_subprocess_exec). */
    static Subprocess start(ProcessBuilder builder, Redirect in, Redirect out, Redirect err, int limit) throws IOException {
        Checks.notNull(builder, "builder");
        Checks.notNull(in, "stdin");
        Checks.notNull(out, "stdout");
        Checks.notNull(err, "stderr");
        Checks.positive(limit, "limit");
        if (builder.command().isEmpty()) {
            throw new IllegalArgumentException("the command must name a program, got an empty command");
        }
        EventLoop loop = Aio.getRunningLoop();
        File nullFile = new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
        builder.redirectInput(switch (in) {
            case PIPE -> ProcessBuilder.Redirect.PIPE;
            case DEVNULL -> ProcessBuilder.Redirect.from(nullFile);
            case INHERIT -> ProcessBuilder.Redirect.INHERIT;
            case STDOUT -> throw new IllegalArgumentException("stdin must be PIPE, DEVNULL or INHERIT, got STDOUT");
        });
        builder.redirectOutput(switch (out) {
            case PIPE -> ProcessBuilder.Redirect.PIPE;
            case DEVNULL -> ProcessBuilder.Redirect.DISCARD;
            case INHERIT -> ProcessBuilder.Redirect.INHERIT;
            case STDOUT -> throw new IllegalArgumentException("stdout must be PIPE, DEVNULL or INHERIT, got STDOUT");
        });
        builder.redirectErrorStream(err == Redirect.STDOUT);
        builder.redirectError(switch (err) {
            case PIPE, STDOUT -> ProcessBuilder.Redirect.PIPE;
            case DEVNULL -> ProcessBuilder.Redirect.DISCARD;
            case INHERIT -> ProcessBuilder.Redirect.INHERIT;
        });
        Process p = builder.start(); // fork and exec on the loop, briefly, as asyncio does
        try {
            return new Subprocess(loop, p, in == Redirect.PIPE, out == Redirect.PIPE, err == Redirect.PIPE, limit);
        } catch (RuntimeException | Error e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /**
     * The loop's close hook (on the closing thread; the loop no longer runs): a child still running
     * is killed and reported, as asyncio's transport does when collected unclosed; the pipe threads
     * end, whether the child ran or not (a paused pump would wait for credit for good).
     */
    private void loopClosing() {
        if (!closed && returncode == null && process.isAlive()) {
            process.destroyForcibly();
            loop.callExceptionHandler(new ExceptionContext("unclosed subprocess " + this + " killed: it was still "
                    + "running when its loop closed; close() it or await() it before the loop closes, or start it "
                    + "with ProcessBuilder to let it outlive the loop", null, null, null, null));
        }
        abandonPipes();
    }

    /** Off the loop, once the loop is closing: ends the pipe threads. */
    private void abandonPipes() {
        if (stdinPipe != null) {
            stdinPipe.abandon();
        }
        if (stdoutPipe != null) {
            stdoutPipe.abandon();
        }
        if (stderrPipe != null) {
            stderrPipe.abandon();
        }
    }

    private void pipeDisconnected() {
        openPipes--;
        tryFinish();
    }

    private void exited() {
        if (returncode != null) {
            return;
        }
        returncode = process.exitValue();
        if (stdinPipe != null) {
            stdinPipe.close(); // nobody will read it any more
        }
        tryFinish();
    }

    private void tryFinish() {
        if (finished || returncode == null || openPipes > 0) {
            return;
        }
        finished = true;
        removeCloseHook.run(); // the child exited and its pipes closed: nothing left for the loop's close
        for (Future<Integer> w : List.copyOf(waiters)) {
            if (!w.done()) {
                w.setResult(returncode);
            }
        }
        waiters.clear();
    }

    /**
     * The child's stdin, if it is a {@link Redirect#PIPE}. Close it (or let
     * {@link #communicate(byte[])} close it) so that the child reads end of file.
     *
     * @return the writer, or null
     */
    public StreamWriter stdin() {
        return stdin;
    }

    /**
     * The child's stdout, if it is a {@link Redirect#PIPE}.
     *
     * @return the reader, or null
     */
    public StreamReader stdout() {
        return stdout;
    }

    /**
     * The child's stderr, if it is a {@link Redirect#PIPE}.
     *
     * @return the reader, or null
     */
    public StreamReader stderr() {
        return stderr;
    }

    /**
     * The child's process id.
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The exit code, once the JDK reported the exit; null while the child runs. A child ended by
     * signal {@code n} has {@code 128 + n} (asyncio: {@code -n}).
     *
     * @return the code, or null
     */
    public Integer returncode() {
        return returncode;
    }

    /**
     * Waits for the child to exit and for its stdout and stderr pipes to reach end of stream, and
     * returns the exit code ({@code wait()} in asyncio; see the porting guide's renames). Once the
     * exit is known ({@link #returncode()} is not null) it returns at once, whether the pipes
     * reached their end or not (a grandchild may still hold them), as asyncio's {@code wait()}.
     *
     * <p>With a {@link Redirect#PIPE} that nobody reads, a child that writes more than the pipe and
     * the reader hold blocks for good, and so does this method: read the streams concurrently, or
     * use {@link #communicate(byte[])}.
     *
     * <p><b>Cancellation:</b> this method suspends the task (not the thread) until then. If the
     * task is cancelled, the process keeps running and its pipes stay open, as in asyncio; call
     * {@link #close()} to kill it.
     *
     * @return the exit code
     */
    public int await() {
        if (returncode != null) {
            return returncode; // as base_subprocess._wait(): a known exit is returned at once
        }
        Future<Integer> w = loop.createFuture();
        waiters.add(w);
        try {
            return w.await();
        } finally {
            waiters.remove(w);
        }
    }

    /**
     * Writes {@code input} to stdin and closes it, while reading stdout and stderr to their end,
     * then waits for the exit: no deadlock whatever the sizes. A child that exits without reading
     * all of its input is not an error (asyncio ignores {@code BrokenPipeError} and
     * {@code ConnectionResetError} here; aio4j ignores the {@link IOException} of the write).
     *
     * <p><b>Cancellation:</b> this method suspends. If the task is cancelled, the writing and
     * reading stop; the process keeps running (as in asyncio), and what was read so far is lost.
     * {@link #close()} kills it and frees the pipes.
     *
     * @param input the bytes for stdin, or null to write nothing (stdin is closed all the same)
     * @return what the child wrote to stdout and to stderr (null for a stream that is not a pipe)
     * @throws IllegalStateException if {@code input} is given but stdin is not a pipe
     * @throws IOException if reading a pipe failed
     */
    public Output communicate(byte[] input) throws IOException {
        if (input != null && stdin == null) {
            throw new IllegalStateException("communicate() with input, but stdin is not a PIPE: " + this);
        }
        List<Task<byte[]>> tasks = new ArrayList<>(3);
        Task<byte[]> in = stdin != null ? loop.createTask(() -> feedStdin(input), "communicate stdin " + pid()) : null;
        Task<byte[]> out = stdout != null ? loop.createTask(() -> readAll(stdout, stdoutPipe), "communicate stdout " + pid()) : null;
        Task<byte[]> err = stderr != null ? loop.createTask(() -> readAll(stderr, stderrPipe), "communicate stderr " + pid()) : null;
        for (Task<byte[]> t : new ArrayList<>(java.util.Arrays.asList(in, out, err))) {
            if (t != null) {
                tasks.add(t);
            }
        }
        try {
            if (!tasks.isEmpty()) {
                Aio.gather(tasks).await();
            }
        } catch (Throwable t) {
            for (Task<byte[]> task : tasks) {
                task.cancel();
            }
            if (t instanceof IOException io) {
                throw io;
            }
            if (t instanceof java.util.concurrent.CompletionException c && c.getCause() instanceof IOException io) {
                throw io;
            }
            throw t;
        }
        await();
        return new Output(out != null ? out.result() : null, err != null ? err.result() : null);
    }

    /**
     * Closes stdin, reads stdout and stderr to their end, and waits: {@code communicate(null)}.
     *
     * <p><b>Cancellation:</b> as {@link #communicate(byte[])}.
     *
     * @return what the child wrote
     * @throws IOException if reading a pipe failed
     */
    public Output communicate() throws IOException {
        return communicate(null);
    }

    private byte[] feedStdin(byte[] input) {
        try {
            if (input != null) {
                stdin.write(input);
            }
            stdin.drain();
        } catch (IOException e) {
            // the child exited or closed its stdin: communicate() does not care (asyncio neither)
        }
        stdin.close();
        return null;
    }

    private static byte[] readAll(StreamReader reader, PipeReader pipe) throws IOException {
        byte[] data = reader.read(-1);
        pipe.close();
        return data;
    }

    /**
     * Sends {@code signal} to the child. Once the exit is known but a pipe is still open, it does
     * nothing; once {@link #await()} has its result (the child exited and its pipes closed), it
     * throws, as asyncio raises {@code ProcessLookupError} then.
     *
     * <p><b>asyncio:</b> {@code send_signal(signal)}. <b>Differences:</b> the JDK can send only
     * {@link #SIGTERM} ({@link Process#destroy()}) and {@link #SIGKILL}
     * ({@link Process#destroyForcibly()}); {@link ProcessLookupError} is unchecked.
     *
     * @param signal {@link #SIGTERM} or {@link #SIGKILL}
     * @throws UnsupportedOperationException for any other signal
     * @throws ProcessLookupError if the process exited and its pipes closed
     */
    public void sendSignal(int signal) {
        if (signal != SIGTERM && signal != SIGKILL) {
            throw new UnsupportedOperationException("sendSignal(" + signal + "): the JDK can send only SIGTERM (15) "
                    + "and SIGKILL (9) to a process (Process.destroy() and destroyForcibly())");
        }
        if (finished) {
            throw new ProcessLookupError("process " + process.pid() + " exited with " + returncode
                    + "; there is nothing to signal any more", process.pid());
        }
        if (returncode != null) {
            return; // exited, the pipes still open: nothing to do, as Popen.send_signal after the exit
        }
        if (signal == SIGTERM) {
            process.destroy();
        } else {
            process.destroyForcibly();
        }
    }

    /**
     * Asks the child to stop: SIGTERM on POSIX ({@code terminate()}).
     *
     * @throws ProcessLookupError as {@link #sendSignal(int)}, if the process exited and its
     *     pipes closed
     */
    public void terminate() {
        sendSignal(SIGTERM);
    }

    /**
     * Kills the child: SIGKILL on POSIX ({@code kill()}).
     *
     * @throws ProcessLookupError as {@link #sendSignal(int)}, if the process exited and its
     *     pipes closed
     */
    public void kill() {
        sendSignal(SIGKILL);
    }

    /**
     * Kills the child if it still runs, closes stdin (dropping what is queued) and stops reading
     * stdout and stderr (their readers see end of stream). The pipe threads end as soon as the
     * child's side of each pipe closes, which the kill brings about (unless the child passed the
     * pipe on to processes of its own). Idempotent; never suspends. aio4j-only as a method of the
     * process (asyncio: the subprocess transport's {@code close()}).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        removeCloseHook.run(); // what is left (pipe threads at their current read) ends by itself
        if (returncode == null) {
            process.destroyForcibly();
        }
        if (stdinPipe != null) {
            stdinPipe.abort();
        }
        if (stdoutPipe != null) {
            stdoutPipe.close();
        }
        if (stderrPipe != null) {
            stderrPipe.close();
        }
    }

    /** The stdout pipe's bridge, for tests; null unless stdout is a pipe. */
    PipeReader stdoutPipe() {
        return stdoutPipe;
    }

    @Override
    public String toString() {
        return "Subprocess[pid=" + process.pid() + ", " + (returncode == null ? "running" : "returncode=" + returncode)
                + (closed ? ", closed" : "") + "]";
    }
}
