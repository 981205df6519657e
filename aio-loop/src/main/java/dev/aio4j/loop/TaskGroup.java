package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Structured concurrency: tasks created in the group are awaited before the block ends, and
 * the first failure cancels the rest.
 *
 * <p><b>asyncio:</b> {@code asyncio.TaskGroup} (Python 3.11+). <b>Differences:</b>
 * {@code async with asyncio.TaskGroup() as tg:} is the block form
 * {@code Aio.taskGroup(tg -> { tg.createTask(...); ... })} ({@link Aio#taskGroup}), because
 * leaving the block must be able to replace the body's exception with the group's. Child
 * failures are thrown as one {@link ExceptionGroup} (message "unhandled errors in a
 * TaskGroup"); Java has no {@code except*}, so inspect {@link ExceptionGroup#exceptions()}.
 *
 * <p>Rules, as in asyncio: the block waits for every child; when a child fails (or the body
 * throws), the other children and the body are cancelled; the body's own exception, if it is
 * not the cancellation, joins the group; a cancellation of the parent task from outside cancels
 * the children and stays a {@link CancelledError}; creating a task in a finished group is
 * refused.
 *
 * @since 0.1
 */
public final class TaskGroup {
    /**
     * The body of a task group block.
     *
     * @param <T> the result type
     */
    @FunctionalInterface
    public interface Body<T> {
        /**
         * Runs the block.
         *
         * @param group the group to create tasks in
         * @return the block's result
         * @throws Exception any failure
         */
        T call(TaskGroup group) throws Exception;
    }

    private boolean entered;
    private boolean exiting;
    private boolean aborting;
    private Task<?> parentTask;
    private boolean parentCancelRequested;
    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    private final List<Throwable> errors = new ArrayList<>();
    private Throwable baseError;
    private Future<Boolean> onCompleted;

    TaskGroup() {
    }

    /**
     * Creates a task in the group.
     *
     * @param coro the body
     * @param <T> the result type
     * @return the task
     * @throws IllegalStateException if the group has not started, is shutting down after a
     *     failure, or has finished
     */
    public <T> Task<T> createTask(Coroutine<T> coro) {
        return createTask(coro, null);
    }

    /**
     * Creates a named task in the group.
     *
     * @param coro the body
     * @param name the task's name, or null
     * @param <T> the result type
     * @return the task
     */
    public <T> Task<T> createTask(Coroutine<T> coro, String name) {
        return createTask(coro, name, null);
    }

    /**
     * Creates a named task in the group that runs in {@code context}.
     *
     * <p><b>asyncio:</b> {@code tg.create_task(coro, name=name, context=context)}.
     *
     * @param coro the body
     * @param name the task's name, or null
     * @param context the context the body runs in (shared, not copied), or null for a copy of
     *     the current one
     * @param <T> the result type
     * @return the task
     * @throws IllegalStateException as {@link #createTask(Coroutine)}
     * @since 0.2
     */
    public <T> Task<T> createTask(Coroutine<T> coro, String name, Context context) {
        Checks.notNull(coro, "coro");
        if (!entered) {
            throw new IllegalStateException("TaskGroup " + this + " has not been entered");
        }
        if (exiting && tasks.isEmpty()) {
            throw new IllegalStateException("TaskGroup " + this + " is finished");
        }
        if (aborting) {
            throw new IllegalStateException("TaskGroup " + this + " is shutting down");
        }
        Task<T> task = parentTask.loop.createTask(coro, name, context);
        tasks.add(task);
        if (task.done()) {
            // Finished in an eager start (Aio.eagerTaskFactory). Its failure is handled on the
            // loop's next turn, as a done callback would be, not here: here it would cancel the
            // creating task in the middle of createTask, and a task that is itself still being
            // created (not yet in the group) would escape the abort (asyncio gh-128550).
            parentTask.loop.callSoonInternal(() -> onTaskDone(task));
        } else {
            task.addCallbackObject((Consumer<Future<T>>) f -> onTaskDone(task));
        }
        return task;
    }

    <T> T run(Body<T> body) {
        Task<?> t = Aio.currentTask();
        if (t == null) {
            throw new IllegalStateException("Aio.taskGroup() called outside a task; run it inside Aio.run(...) or a task");
        }
        parentTask = t;
        entered = true;
        T result = null;
        Throwable error = null;
        try {
            result = body.call(this);
        } catch (Throwable e) {
            error = e;
        }
        exit(error);
        return result;
    }

    private void exit(Throwable error) {
        exiting = true;
        if (error != null && isBaseError(error) && baseError == null) {
            baseError = error;
        }
        Throwable propagateCancellation = error instanceof CancelledError ? error : null;
        if (error != null && !aborting) {
            abort();
        }
        while (!tasks.isEmpty()) {
            onCompleted = parentTask.loop.createFuture();
            try {
                onCompleted.await();
            } catch (CancelledError e) {
                if (!aborting) {
                    propagateCancellation = e;
                    abort();
                }
            }
            onCompleted = null;
        }
        if (baseError != null) {
            throw Future.rethrow(baseError);
        }
        // After the wait, as Python 3.13: a child may fail (and cancel the parent) while we wait.
        if (parentCancelRequested) {
            // We cancelled the parent to interrupt it: that cancellation is ours to withdraw.
            if (parentTask.uncancel() == 0) {
                propagateCancellation = null;
            }
        }
        if (propagateCancellation != null && errors.isEmpty()) {
            throw (CancelledError) propagateCancellation;
        }
        if (error != null && !(error instanceof CancelledError)) {
            errors.add(error);
        }
        if (!errors.isEmpty()) {
            if (parentTask.cancelling() > 0) {
                // The parent is also being cancelled from outside: the group error wins, but the
                // cancellation is re-armed for the parent's next await instead of being lost
                // (uncancel + cancel keeps the count; Python 3.13).
                parentTask.uncancel();
                parentTask.cancel();
            }
            throw new ExceptionGroup("unhandled errors in a TaskGroup", errors);
        }
        if (error != null) {
            throw Future.rethrow(error);
        }
    }

    private void abort() {
        aborting = true;
        for (Task<?> t : tasks) {
            if (!t.done()) {
                t.cancel();
            }
        }
    }

    private static boolean isBaseError(Throwable e) {
        return e instanceof VirtualMachineError;
    }

    private void onTaskDone(Task<?> task) {
        tasks.remove(task);
        if (onCompleted != null && tasks.isEmpty() && !onCompleted.done()) {
            onCompleted.setResult(true);
        }
        if (task.cancelled()) {
            return;
        }
        Throwable e = task.exception();
        if (e == null) {
            return;
        }
        errors.add(e);
        if (isBaseError(e) && baseError == null) {
            baseError = e;
        }
        if (parentTask.done()) {
            parentTask.loop.callExceptionHandler(new ExceptionContext("Task " + task + " has errored out but its parent task "
                    + parentTask + " is already completed", e, task, null, null));
            return;
        }
        if (!aborting && !parentCancelRequested) {
            // Interrupt whatever the body is awaiting, so the group can end promptly.
            abort();
            parentCancelRequested = true;
            parentTask.cancel();
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TaskGroup[");
        sb.append(!entered ? "not entered" : exiting ? "exiting" : "entered");
        if (!tasks.isEmpty()) {
            sb.append(", tasks=").append(tasks.size());
        }
        if (!errors.isEmpty()) {
            sb.append(", errors=").append(errors.size());
        }
        if (aborting) {
            sb.append(", cancelling");
        }
        return sb.append(']').toString();
    }

    // =================================================================================
    // Ergonomics (issue 12): void bodies.
    // =================================================================================

    /**
     * {@link #createTask(Coroutine)} for a body without a result; the task's result is null.
     *
     * @param coro the body
     * @return the task
     * @throws IllegalStateException if the group has not started, is shutting down after a
     *     failure, or has finished
     * @since 0.1
     */
    public Task<Void> createTask(VoidCoroutine coro) {
        return createTask(Aio.valueless(coro, "coro"), null);
    }

    /**
     * {@link #createTask(Coroutine, String)} for a body without a result.
     *
     * @param coro the body
     * @param name the task's name, or null
     * @return the task
     * @since 0.1
     */
    public Task<Void> createTask(VoidCoroutine coro, String name) {
        return createTask(Aio.valueless(coro, "coro"), name);
    }

    /**
     * {@link #createTask(Coroutine, String, Context)} for a body without a result.
     *
     * <p><b>asyncio:</b> {@code tg.create_task(coro, name=name, context=context)}.
     *
     * @param coro the body
     * @param name the task's name, or null
     * @param context the context the body runs in (shared, not copied), or null for a copy of
     *     the current one
     * @return the task
     * @since 0.2
     */
    public Task<Void> createTask(VoidCoroutine coro, String name, Context context) {
        return createTask(Aio.valueless(coro, "coro"), name, context);
    }
}
