package dev.aio4j.loop;

/**
 * How a loop makes its tasks: {@link EventLoop#createTask} and {@link Aio#createTask} call the
 * factory set with {@link EventLoop#setTaskFactory}.
 *
 * <pre>{@code
 * loop.setTaskFactory(Aio.eagerTaskFactory());            // asyncio.eager_task_factory
 * loop.setTaskFactory((l, coro, name, context) -> {        // naming, logging, metrics...
 *     Task<?> t = Task.create(l, coro, name, context, false);
 *     created.increment();
 *     return t;
 * });
 * }</pre>
 *
 * <p><b>asyncio:</b> the {@code factory(loop, coro, **kwargs)} callable of
 * {@code loop.set_task_factory}. <b>Differences:</b> {@link Task} is final, so a factory
 * decorates the task {@link Task#create} makes rather than constructing a subclass; name and
 * context are parameters instead of keyword arguments (null when the caller gave none).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface TaskFactory {
    /**
     * Makes (and schedules, or starts eagerly) a task of {@code loop}.
     *
     * @param loop the loop
     * @param coro the body
     * @param name the name, or null
     * @param context the context, or null for a copy of the current one
     * @return a task of {@code loop} running {@code coro}
     */
    Task<?> createTask(EventLoop loop, Coroutine<?> coro, String name, Context context);

    /**
     * What {@link Aio#createEagerTaskFactory} wraps: makes a task, given whether to start it
     * eagerly ({@link Task#create} is one).
     *
     * <p><b>asyncio:</b> the {@code custom_task_constructor} of
     * {@code asyncio.create_eager_task_factory}.
     *
     * @since 0.1
     */
    @FunctionalInterface
    interface TaskConstructor {
        /**
         * Makes a task.
         *
         * @param loop the loop
         * @param coro the body
         * @param name the name, or null
         * @param context the context, or null
         * @param eagerStart whether to run the first step at once
         * @return the task
         */
        Task<?> create(EventLoop loop, Coroutine<?> coro, String name, Context context, boolean eagerStart);
    }
}
