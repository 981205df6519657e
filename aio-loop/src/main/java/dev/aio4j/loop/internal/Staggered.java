package dev.aio4j.loop.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Coroutine;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.TimerHandle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * asyncio's {@code asyncio.staggered.staggered_race}: runs coroutines one after another, each
 * started when the one before it failed or {@code delay} seconds after it started, whichever comes
 * first; the first to succeed wins and the others are cancelled. The mechanism of Happy Eyeballs
 * (RFC 8305) in {@code create_connection}. Internal: asyncio does not export it from
 * {@code asyncio} either; aio-streams' connector uses it.
 */
public final class Staggered {
    /*
     * Maintainer notes. Everything runs on the loop: each attempt is a task whose body records its
     * own outcome (asyncio's run_one_coro catches BaseException the same way, so a cancelled loser
     * ends normally with a CancelledError in `exceptions`). The successor of attempt i starts at
     * most once: from i's failure or from i's delay timer, whichever comes first (`started == i + 1`
     * is the guard). `running` empty means the race is over: a winner's cancellations have landed,
     * or every attempt failed (the last failure started the next attempt, if there was one, before
     * its task ended). The caller waits for that, also when it is cancelled itself (it cancels the
     * attempts and waits for them: no attempt outlives the race), then rethrows its cancellation.
     */

    /**
     * The outcome: asyncio's {@code (winner_result, winner_index, exceptions)} tuple.
     *
     * @param winnerResult what the winner returned; null without a winner
     * @param winnerIndex the winner's index, -1 without one (asyncio: None)
     * @param exceptions one entry per attempt started, in order: what it threw (a cancelled loser's
     *     {@link CancelledError}), null for the winner
     * @param <T> the result type
     */
    public record Result<T>(T winnerResult, int winnerIndex, List<Throwable> exceptions) {
    }

    private Staggered() {}

    /**
     * Runs the race in the current task and returns when no attempt runs any more.
     *
     * @param attempts the coroutines, in the order to try them
     * @param delay seconds between starts; {@code Double.POSITIVE_INFINITY} to start the next only
     *     when the one before failed (asyncio: {@code delay=None})
     * @param discard gets the result of an attempt that succeeded after another one had won (a
     *     connection to close), on the loop; may be null when results need no freeing
     * @param <T> the result type
     * @return the outcome
     * @throws CancelledError if the calling task was cancelled (the attempts were cancelled and
     *     waited for first)
     * @throws Error an {@link Error} an attempt threw (after the race ended), the others suppressed
     */
    public static <T> Result<T> race(List<? extends Coroutine<? extends T>> attempts, double delay,
                                     Consumer<? super T> discard) {
        Checks.notNull(attempts, "attempts");
        if (!(delay >= 0)) {
            throw new IllegalArgumentException("delay must be >= 0 seconds (or POSITIVE_INFINITY for none), got " + delay);
        }
        return new Race<T>(Aio.getRunningLoop(), List.copyOf(attempts), delay, discard).run();
    }

    private static final class Race<T> {
        final EventLoop loop;
        final List<? extends Coroutine<? extends T>> attempts;
        final double delay;
        final Consumer<? super T> discard;
        final List<Task<Void>> running = new ArrayList<>();
        final List<TimerHandle> timers = new ArrayList<>();
        final List<Throwable> exceptions = new ArrayList<>();
        final List<Error> errors = new ArrayList<>();
        int started;
        boolean stopped;
        T winnerResult;
        int winnerIndex = -1;
        Future<Void> wake;

        Race(EventLoop loop, List<? extends Coroutine<? extends T>> attempts, double delay, Consumer<? super T> discard) {
            this.loop = loop;
            this.attempts = attempts;
            this.delay = delay;
            this.discard = discard;
        }

        Result<T> run() {
            CancelledError cancelled = null;
            try {
                startNext();
                while (!running.isEmpty()) {
                    wake = loop.createFuture();
                    try {
                        wake.await();
                    } catch (CancelledError e) {
                        cancelled = e;
                        stopped = true; // no attempt starts any more
                        for (Task<Void> t : List.copyOf(running)) {
                            t.cancel(e.getMessage());
                        }
                    }
                    wake = null;
                }
            } finally {
                timers.forEach(TimerHandle::cancel);
            }
            if (!errors.isEmpty()) {
                Error first = errors.get(0);
                errors.subList(1, errors.size()).forEach(first::addSuppressed);
                throw first;
            }
            if (cancelled != null) {
                throw cancelled;
            }
            return new Result<>(winnerResult, winnerIndex, Collections.unmodifiableList(new ArrayList<>(exceptions)));
        }

        void startNext() {
            if (stopped || started == attempts.size()) {
                return;
            }
            int i = started++;
            exceptions.add(null);
            Coroutine<? extends T> attempt = attempts.get(i);
            Task<Void> task = loop.createTask(() -> {
                attempt(i, attempt);
                return null;
            });
            running.add(task);
            task.addDoneCallback(t -> finished(i, task));
            if (delay != Double.POSITIVE_INFINITY && !task.done()) {
                timers.add(loop.callLater(delay, () -> successorOf(i)));
            }
        }

        /** Starts attempt i + 1, unless it started already (from i's failure or its timer). */
        void successorOf(int i) {
            if (started == i + 1) {
                startNext();
            }
        }

        void attempt(int i, Coroutine<? extends T> attempt) {
            T result;
            try {
                result = attempt.call();
            } catch (Exception e) { // a cancelled loser's CancelledError too, as asyncio records it
                exceptions.set(i, e);
                successorOf(i);
                return;
            } catch (Error e) {
                exceptions.set(i, e);
                errors.add(e);
                successorOf(i);
                return;
            }
            if (winnerIndex >= 0) {
                if (discard != null) { // another attempt won meanwhile: free what this one made
                    discard.accept(result);
                }
                exceptions.set(i, new CancelledError("another attempt won the staggered race"));
                return;
            }
            winnerIndex = i;
            winnerResult = result;
            stopped = true;
            Task<?> self = Aio.currentTask();
            for (Task<Void> t : List.copyOf(running)) {
                if (t != self) {
                    t.cancel();
                }
            }
        }

        void finished(int i, Task<Void> task) {
            running.remove(task);
            if (task.cancelled() && exceptions.get(i) == null) {
                // cancelled before its body ran (the body records every outcome of its own)
                exceptions.set(i, new CancelledError("cancelled before it started"));
            }
            if (running.isEmpty() && wake != null && !wake.done()) {
                wake.setResult(null);
            }
        }
    }
}
