package dev.aio4j.loop;

/**
 * The body of a task: ordinary sequential Java that may suspend at {@link Future#await()},
 * {@link Aio#sleep(double)} and the other suspending methods.
 *
 * <p><b>asyncio:</b> an {@code async def} coroutine function called with no arguments.
 * <b>Differences:</b> a coroutine is a plain lambda; it does not run until a task is created for
 * it ({@link Aio#createTask}, {@link Aio#gather(Coroutine[])}, {@link Aio#run}); calling
 * {@link #call()} directly runs it in the caller's task, like {@code await coro()} does in Python.
 *
 * <p>A coroutine may throw any exception, because it is stored and run later as a task, whose
 * {@link Future#await()} cannot know its type. The methods that run a body where the caller
 * waits take a {@link ThrowingCoroutine} instead (a {@code Coroutine<T>} is a
 * {@code ThrowingCoroutine<T, Exception>}) and declare the exception the lambda throws.
 *
 * @param <T> the result type
 * @since 0.1
 */
@FunctionalInterface
public interface Coroutine<T> extends ThrowingCoroutine<T, Exception> {
    /**
     * Runs the body.
     *
     * @return the result that the task's future will hold
     * @throws Exception any failure; it becomes the task's exception
     */
    @Override
    T call() throws Exception;
}
