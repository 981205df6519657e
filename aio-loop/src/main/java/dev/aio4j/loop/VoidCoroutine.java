package dev.aio4j.loop;

/**
 * The body of a task that produces no value: ordinary sequential Java that may suspend, like a
 * {@link Coroutine}, but written as a block without {@code return}.
 *
 * <p><b>asyncio:</b> an {@code async def main() -> None} coroutine function, the usual shape of a
 * program's {@code main}, of a worker, and of a task created only for its side effects
 * ({@code asyncio.run(main())}, {@code tg.create_task(worker(queue))}). <b>Differences:</b> Java
 * needs a second functional interface for a block that returns nothing; every method of aio-loop
 * that takes a {@link Coroutine} where a body without a result is natural has an overload taking
 * this one ({@link Aio#run(ThrowingVoidCoroutine)}, {@link Aio#createTask(VoidCoroutine)},
 * {@link EventLoop#createTask(VoidCoroutine)}, {@link TaskGroup#createTask(VoidCoroutine)},
 * {@link Aio#waitFor(ThrowingVoidCoroutine, double)}, {@link Aio#timeout(double, ThrowingVoidCoroutine)}...), the
 * way {@code ExecutorService.submit} takes a {@code Callable} or a {@code Runnable}. The task's
 * result is {@code null} ({@code Task<Void>}).
 *
 * <p>Java picks the overload from the lambda's shape: {@code () -> { work(); }} and
 * {@code () -> Aio.sleep(1)} are void bodies; {@code () -> 42}, {@code () -> fetch()} (a method
 * with a result) and {@code () -> { throw e; }} stay {@link Coroutine}s, as they were.
 *
 * <pre>{@code
 * Aio.run(() -> {
 *     Task<Void> worker = Aio.createTask(() -> {
 *         Aio.sleep(0.1);
 *         System.out.println("done");
 *     });
 *     worker.await();
 * });
 * }</pre>
 *
 * @since 0.1
 */
@FunctionalInterface
public interface VoidCoroutine extends ThrowingVoidCoroutine<Exception> {
    /**
     * Runs the body.
     *
     * @throws Exception any failure; it becomes the task's exception
     */
    @Override
    void call() throws Exception;
}
