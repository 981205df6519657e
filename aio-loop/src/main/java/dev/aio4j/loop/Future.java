package dev.aio4j.loop;

import dev.aio4j.loop.internal.CallSites;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Throwables;

import java.util.ArrayList;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A result that will be available later, owned by one event loop.
 *
 * <p><b>asyncio:</b> {@code asyncio.Future}. <b>Differences:</b> {@code await fut} is
 * {@link #await()}; exceptions are unchecked, so a checked exception set with
 * {@link #setException} is thrown by {@link #result()} and {@link #await()} wrapped in a
 * {@link CompletionException} (unchecked ones are thrown as they are, the same object each
 * time), and {@link #awaitChecked(Class)} throws a checked exception of a named type as itself;
 * {@link #get()} blocks a <em>foreign</em> thread until done (asyncio has no such call).
 *
 * <h2>States</h2>
 * <pre>
 *                    setResult(v)          +----------------------------+
 *               +------------------------&gt; | FINISHED (result)          |
 *               |                          | done()=true cancelled()=false
 *               |                          | result()=v exception()=null |
 * +---------+   |  setException(e)         +----------------------------+
 * | PENDING |---+------------------------&gt; | FINISHED (exception)       |
 * +---------+   |                          | result() throws e           |
 * done()=false  |                          | exception()=e               |
 * result(),     |  cancel(msg)             +----------------------------+
 * exception()   +------------------------&gt; | CANCELLED                  |
 * throw                                    | done()=true cancelled()=true
 * InvalidStateError                        | result(), exception() throw |
 *                                          | CancelledError(msg)         |
 *                                          +----------------------------+
 * </pre>
 * A done future never changes state again: a second {@code setResult} or
 * {@code setException} throws {@link InvalidStateError}; {@code cancel} returns false.
 *
 * <h2>How to get one</h2>
 * {@link EventLoop#createFuture()}; every {@link Task} is one; {@link Aio#gather},
 * {@link Aio#shield} and {@link EventLoop#runInExecutor} return one.
 *
 * <h2>Callbacks</h2>
 * Done-callbacks are never called inline: when the future completes, each is scheduled with
 * {@link EventLoop#callSoon}, in the order they were added. A callback added to a done future is
 * scheduled at once.
 *
 * <h2>Threading</h2>
 * Loop-confined: call its methods from the loop's thread or its tasks. From another thread use
 * {@link #get()}, {@link #toCompletableFuture()}, or {@link EventLoop#callSoonThreadsafe}.
 * {@link #done()} and {@link #cancelled()} may be read from any thread.
 *
 * <h2>Testing</h2>
 * Create the loop with a {@link VirtualClock} so timeouts around futures run instantly.
 *
 * <p>An exception that nobody retrieves (through {@link #result()}, {@link #exception()},
 * {@link #await()} or a combinator) is reported to the loop's {@link ExceptionHandler} with
 * "Future exception was never retrieved" when the loop closes, or earlier when the future is
 * garbage-collected.
 *
 * @param <T> the result type
 * @since 0.1
 */
public class Future<T> {
    /*
     * Maintainer notes.
     *
     * state: PENDING(0) -> FINISHED(1) | CANCELLED(2); written once on the loop (or a task of
     * it), volatile so that done()/cancelled() and get() work from other threads; `result` and
     * `exception` are written before `state`, so a reader that sees the new state sees them.
     *
     * callbacks: null | one element | CallbackList. An element is either a user Consumer or a
     * Task waiting in await() (woken by re-queueing its step handle: no allocation).
     */
    static final byte PENDING = 0;
    static final byte FINISHED = 1;
    static final byte CANCELLED = 2;

    final EventLoop loop;
    private volatile byte state;
    private Object result;
    private Throwable exception;
    String cancelMessage;
    private Object callbacks;
    UnretrievedReporter.Unretrieved unretrieved;
    final StackTraceElement[] sourceTraceback;

    Future(EventLoop loop) {
        this.loop = loop;
        this.sourceTraceback = loop.debug ? CallSites.creationSite() : null;
    }

    /**
     * Whether the future has a result, an exception, or was cancelled.
     *
     * @return true once done; may be called from any thread
     */
    public final boolean done() {
        return state != PENDING;
    }

    /**
     * Whether the future was cancelled.
     *
     * @return true if cancelled; may be called from any thread
     */
    public final boolean cancelled() {
        return state == CANCELLED;
    }

    /**
     * Cancels the future and schedules its callbacks.
     *
     * @return false if it was already done, true otherwise
     */
    public boolean cancel() {
        return cancel(null);
    }

    /**
     * Cancels the future with a message that the {@link CancelledError} will carry.
     *
     * <p>As in asyncio, calling it marks an exception as retrieved even when the future is
     * already done: the exception will not be reported as never retrieved.
     *
     * @param msg the message, or null
     * @return false if it was already done, true otherwise
     * @throws IllegalStateException if called from a thread that is not the loop's while it runs
     */
    public boolean cancel(String msg) {
        loop.checkThread("Future.cancel()");
        markRetrieved();
        return cancelInternal(msg);
    }

    final boolean cancelInternal(String msg) {
        if (state != PENDING) {
            return false;
        }
        cancelMessage = msg;
        state = CANCELLED;
        onDone();
        scheduleCallbacks();
        return true;
    }

    /**
     * The result.
     *
     * @return the value given to {@link #setResult}
     * @throws CancelledError if the future was cancelled
     * @throws InvalidStateError if the future is still pending
     * @throws RuntimeException the exception of a failed future, as it was set (a checked one
     *     wrapped in {@link CompletionException})
     */
    @SuppressWarnings("unchecked")
    public T result() {
        byte s = state;
        if (s == CANCELLED) {
            throw makeCancelledError();
        }
        if (s == PENDING) {
            throw new InvalidStateError("Result is not ready: " + this);
        }
        Throwable e = exception;
        if (e != null) {
            markRetrieved();
            throw rethrow(e);
        }
        return (T) result;
    }

    /**
     * The exception, and marks it retrieved.
     *
     * @return the exception given to {@link #setException}, or null if the future succeeded
     * @throws CancelledError if the future was cancelled
     * @throws InvalidStateError if the future is still pending
     */
    public Throwable exception() {
        byte s = state;
        if (s == CANCELLED) {
            throw makeCancelledError();
        }
        if (s == PENDING) {
            throw new InvalidStateError("Exception is not set: " + this);
        }
        markRetrieved();
        return exception;
    }

    /**
     * Completes the future with a value and schedules its callbacks.
     *
     * @param value the result, may be null
     * @throws InvalidStateError if the future is already done
     */
    public void setResult(T value) {
        loop.checkThread("Future.setResult()");
        if (state != PENDING) {
            throw new InvalidStateError("setResult() on a future that is already done: " + this);
        }
        setResultInternal(value);
    }

    final void setResultInternal(T value) {
        result = value;
        state = FINISHED;
        onDone();
        scheduleCallbacks();
    }

    /**
     * Completes the future with an exception and schedules its callbacks.
     *
     * @param error the exception, not null
     * @throws InvalidStateError if the future is already done
     */
    public void setException(Throwable error) {
        Checks.notNull(error, "error");
        loop.checkThread("Future.setException()");
        if (state != PENDING) {
            throw new InvalidStateError("setException() on a future that is already done: " + this);
        }
        setExceptionInternal(error);
    }

    final void setExceptionInternal(Throwable error) {
        exception = error;
        state = FINISHED;
        if (!(error instanceof CancellationException)) {
            unretrieved = loop.trackUnretrieved(this, error);
        }
        onDone();
        scheduleCallbacks();
    }

    /** Hook for Task: runs once when the future becomes done, before callbacks are scheduled. */
    void onDone() {
    }

    final void markRetrieved() {
        UnretrievedReporter.Unretrieved u = unretrieved;
        if (u != null) {
            unretrieved = null;
            u.retrieved();
        }
    }

    CancelledError makeCancelledError() {
        return new CancelledError(cancelMessage);
    }

    static RuntimeException rethrow(Throwable e) {
        Throwables.throwIfUnchecked(e);
        throw new CompletionException(e);
    }

    /**
     * Rethrows {@code e} unchanged, checked or not, for bodies that run inline in the caller's
     * own task ({@code Aio.timeout}, {@code Aio.waitFor(coroutine)}): their exceptions pass through
     * as they would through a direct call, as in Python. Never returns.
     */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException throwUnchanged(Throwable e) throws E {
        throw (E) e;
    }

    /**
     * Adds a callback to run, via {@link EventLoop#callSoon}, when the future is done. If it is
     * done already, the callback is scheduled now.
     *
     * @param callback receives this future
     */
    public void addDoneCallback(Consumer<? super Future<T>> callback) {
        Checks.notNull(callback, "callback");
        loop.checkThread("Future.addDoneCallback()");
        if (state != PENDING) {
            loop.callSoon(new DoneCallback<>(callback, this));
        } else {
            addCallbackObject(new ContextCallback<>(callback, Context.copyContext()));
        }
    }

    final void addCallbackObject(Object cb) {
        Object cbs = callbacks;
        if (cbs == null) {
            callbacks = cb;
        } else if (cbs instanceof CallbackList list) {
            list.add(cb);
        } else {
            CallbackList list = new CallbackList();
            list.add(cbs);
            list.add(cb);
            callbacks = list;
        }
    }

    /**
     * Removes every registration of {@code callback}.
     *
     * @param callback the callback given to {@link #addDoneCallback}
     * @return how many registrations were removed
     */
    public int removeDoneCallback(Consumer<? super Future<T>> callback) {
        loop.checkThread("Future.removeDoneCallback()");
        Object cbs = callbacks;
        if (cbs == null) {
            return 0;
        }
        if (cbs instanceof CallbackList list) {
            int before = list.size();
            list.removeIf(o -> ContextCallback.unwrap(o).equals(callback));
            int removed = before - list.size();
            if (list.isEmpty()) {
                callbacks = null;
            }
            return removed;
        }
        if (ContextCallback.unwrap(cbs).equals(callback)) {
            callbacks = null;
            return 1;
        }
        return 0;
    }

    final void removeCallbackObject(Object cb) {
        Object cbs = callbacks;
        if (cbs == cb) {
            callbacks = null;
        } else if (cbs instanceof CallbackList list) {
            list.remove(cb);
        }
    }

    private void scheduleCallbacks() {
        Object cbs = callbacks;
        if (cbs == null) {
            return;
        }
        callbacks = null;
        if (loop.closing) {
            return; // a closed loop runs nothing; its pending tasks were reported by close()
        }
        if (cbs instanceof CallbackList list) {
            for (Object cb : list) {
                dispatch(cb);
            }
        } else {
            dispatch(cbs);
        }
    }

    @SuppressWarnings("unchecked")
    private void dispatch(Object cb) {
        if (cb instanceof Task<?> waiter) {
            waiter.wakeup();
        } else if (cb instanceof ContextCallback<?> c) {
            Handle h = loop.callSoonInternal(new DoneCallback<>((Consumer<? super Future<T>>) c.callback(), this));
            h.context = c.context();
        } else {
            loop.callSoonInternal(new DoneCallback<>((Consumer<? super Future<T>>) cb, this));
        }
    }

    /** Number of registered callbacks (for toString and tests). */
    final int callbackCount() {
        Object cbs = callbacks;
        return cbs == null ? 0 : cbs instanceof CallbackList list ? list.size() : 1;
    }

    /**
     * Suspends the current task until this future is done, then returns its result.
     *
     * <p>On a done future it returns at once, without a switch.
     *
     * <p><b>Cancellation:</b> this method suspends. If the awaiting task is cancelled while it
     * waits, this future is cancelled too (use {@link Aio#shield} to prevent that) and
     * {@link CancelledError} is thrown here; the task may catch it.
     *
     * @return the result
     * @throws CancelledError if this future or the awaiting task was cancelled
     * @throws IllegalStateException if called outside a task of this future's loop: from a
     *     loop callback, from another thread (use {@link #get()}), or from a task of another loop;
     *     or if a task awaits itself (it would wait forever)
     * @throws RuntimeException the exception of a failed future, as {@link #result()} throws it
     */
    @SuppressWarnings("unchecked")
    public final T await() {
        awaitDone("Future.await()");
        Throwable e = exception;
        if (e != null) {
            markRetrieved();
            throw rethrow(e);
        }
        return (T) result;
    }

    /**
     * {@link #await()} for a caller that catches a checked exception by its type: if this future
     * failed with an exception of class {@code checked}, that exception is thrown as itself, the
     * original object; otherwise as {@link #await()} does (unchecked exceptions as they are, other
     * checked ones wrapped in {@link CompletionException}). A task's exception type is not part of
     * {@code Task<T>}'s type, so the caller names the one it expects, as Guava's
     * {@code Futures.getChecked(future, IOException.class)} and the JDK's
     * {@code StructuredTaskScope.throwIfFailed} do.
     *
     * <pre>{@code
     * Task<byte[]> download = Aio.createTask(() -> fetch(url));
     * try {
     *     byte[] body = download.awaitChecked(IOException.class);
     * } catch (IOException e) {      // except OSError:
     *     ...
     * }
     * }</pre>
     *
     * <p><b>Cancellation:</b> as {@link #await()}.
     *
     * @param checked the checked exception type the caller catches
     * @param <X> that type
     * @return the result
     * @throws X this future's exception, if it is an {@code X}
     * @throws CancelledError if this future or the awaiting task was cancelled
     * @throws IllegalStateException as {@link #await()}
     * @since 0.2
     */
    @SuppressWarnings("unchecked")
    public final <X extends Exception> T awaitChecked(Class<X> checked) throws X {
        Checks.notNull(checked, "checked");
        awaitDone("Future.await()");
        Throwable e = exception;
        if (e != null) {
            markRetrieved();
            if (checked.isInstance(e)) {
                throw checked.cast(e);
            }
            throw rethrow(e);
        }
        return (T) result;
    }

    /**
     * Awaits this future and returns its result, or throws its exception as it was set, checked
     * or not: for the callers whose signature declares the body's checked type ({@code Aio.run},
     * {@code runUntilComplete(coroutine)}, {@code Aio.toThread}), where the only checked
     * exception the future can hold is that type.
     */
    final T awaitUnchanged(String what) {
        awaitDone(what);
        return resultUnchanged();
    }

    /** {@link #result()} with a checked exception thrown as it was set (see awaitUnchanged). */
    final T resultUnchanged() {
        Throwable e = exception;
        if (e != null && state == FINISHED) {
            markRetrieved();
            throw throwUnchanged(e);
        }
        return result();
    }

    /** Suspends the current task until this future is done; throws if it was cancelled. */
    private void awaitDone(String what) {
        Task<?> task = loop.taskForAwait(what, this);
        if (task == this) {
            throw new IllegalStateException("Task cannot await on itself: " + this);
        }
        if (state == PENDING) {
            task.suspendOn(this);
        }
        byte s = state;
        if (s == CANCELLED) {
            throw makeCancelledError();
        }
        if (s == PENDING) {
            throw new InvalidStateError("await() resumed before the future was done: " + this);
        }
    }

    /**
     * Blocks the calling thread, which must not be the loop's, until the future is done.
     *
     * @return the result
     * @throws InterruptedException if the calling thread is interrupted while waiting
     * @throws BlockingOperationError if called on the loop's thread or from one of its tasks,
     *     where waiting would deadlock
     * @throws CancelledError if the future was cancelled
     * @throws RuntimeException the exception of a failed future, as {@link #result()} throws it
     */
    public T get() throws InterruptedException {
        checkMayBlock("Future.get()");
        if (!done()) {
            try {
                toCompletableFuture().handle((v, e) -> null).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        return result();
    }

    /**
     * Like {@link #get()}, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return the result
     * @throws InterruptedException if the calling thread is interrupted while waiting
     * @throws TimeoutError if the future is not done within the timeout
     */
    public T get(long timeout, TimeUnit unit) throws InterruptedException {
        checkMayBlock("Future.get(timeout)");
        if (!done()) {
            try {
                toCompletableFuture().handle((v, e) -> null).get(timeout, unit);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            } catch (TimeoutException e) {
                throw new TimeoutError("Future.get() timed out after " + timeout + " " + unit + ": " + this);
            }
        }
        return result();
    }

    private void checkMayBlock(String what) {
        if (loop.onLoopContext()) {
            throw new BlockingOperationError(what + " called on the event loop's own thread or from one of its tasks, "
                    + "where it would wait forever: " + EventLoop.BLOCKING_ADVICE);
        }
    }

    /**
     * A {@link CompletableFuture} that completes when this future does: with its result, its
     * exception, or cancelled. Cancelling the returned future cancels this one (through
     * {@link EventLoop#callSoonThreadsafe} when called from another thread). May be called from
     * any thread. Retrieves the exception (it is no longer reported as never retrieved).
     *
     * @return a new CompletableFuture
     */
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> cf = new CompletableFuture<>();
        Consumer<Future<T>> copy = f -> {
            if (f.cancelled()) {
                cf.cancel(false);
            } else {
                Throwable e = f.exception();
                if (e != null) {
                    cf.completeExceptionally(e);
                } else {
                    cf.complete(f.resultUnchecked());
                }
            }
        };
        if (done()) {
            copy.accept(this);
            return cf;
        }
        Runnable register = () -> {
            if (done()) {
                copy.accept(this);
            } else {
                addCallbackObject(copy);
            }
        };
        if (loop.onLoopContext() || !loop.isRunning()) {
            register.run();
        } else {
            loop.callSoonThreadsafe(register);
        }
        cf.whenComplete((v, e) -> {
            if (cf.isCancelled() && !done()) {
                if (loop.onLoopContext()) {
                    cancel();
                } else if (!loop.isClosed()) {
                    loop.callSoonThreadsafe(this::cancel);
                }
            }
        });
        return cf;
    }

    @SuppressWarnings("unchecked")
    final T resultUnchecked() {
        return (T) result;
    }

    /**
     * The loop this future belongs to.
     *
     * @return the loop
     */
    public final EventLoop getLoop() {
        return loop;
    }

    String stateString() {
        byte s = state;
        if (s == PENDING) {
            return "pending";
        }
        if (s == CANCELLED) {
            return "cancelled";
        }
        Throwable e = exception;
        if (e != null) {
            return "finished exception=" + e;
        }
        return "finished result=" + shortRepr(result);
    }

    static String shortRepr(Object o) {
        String s;
        try {
            s = String.valueOf(o);
        } catch (RuntimeException e) {
            s = "<toString() failed: " + e + ">";
        }
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    @Override
    public String toString() {
        return "Future[" + stateString() + "]";
    }

    // =========================================================================================
    // Issue 13: contexts (the section ends at CallbackList).
    // =========================================================================================

    /**
     * Adds a callback that runs in {@code context} (shared, not copied) when the future is done.
     *
     * <p><b>asyncio:</b> {@code fut.add_done_callback(fn, context=context)}.
     *
     * @param callback receives this future
     * @param context the context it runs in
     */
    public void addDoneCallback(Consumer<? super Future<T>> callback, Context context) {
        Checks.notNull(callback, "callback");
        Checks.notNull(context, "context");
        loop.checkThread("Future.addDoneCallback()");
        if (state != PENDING) {
            loop.callSoon(new DoneCallback<>(callback, this), context);
        } else {
            addCallbackObject(new ContextCallback<>(callback, context));
        }
    }

    private static final class CallbackList extends ArrayList<Object> {
        private static final long serialVersionUID = 1L;

        CallbackList() {
            super(4);
        }
    }

    /** A user's done-callback with the context it runs in (a copy taken by addDoneCallback). */
    private record ContextCallback<T>(Consumer<? super Future<T>> callback, Context context) {
        static Object unwrap(Object o) {
            return o instanceof ContextCallback<?> c ? c.callback() : o;
        }
    }

    /** A done-callback bound to its future; toString names the callback for debug logs. */
    private record DoneCallback<T>(Consumer<? super Future<T>> callback, Future<T> future) implements Runnable {
        @Override
        public void run() {
            callback.accept(future);
        }

        @Override
        public String toString() {
            return "done-callback " + Handle.describeCallback(callback) + " of " + future;
        }
    }
}
