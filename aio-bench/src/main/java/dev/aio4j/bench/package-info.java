/**
 * aio-bench: JMH benchmarks of aio4j and the reference points it is compared with.
 *
 * <p>{@link dev.aio4j.bench.AbstractBenchmark} holds the fork, warm-up and measurement defaults;
 * {@link dev.aio4j.bench.AbstractLoopBenchmark} adds the {@code scheduler} parameter and one
 * event loop per trial. Benchmarks live in packages that mirror what they measure
 * ({@code dev.aio4j.bench.loop}); {@code dev.aio4j.bench.reference} holds non-aio4j limits
 * (raw NIO, CompletableFuture). How to run them, and the results, are in
 * {@code docs/benchmarks.md}.
 */
package dev.aio4j.bench;
