/**
 * The asyncio queue documentation's worker pool: producers and workers over a bounded
 * {@code Queue}, {@code taskDone()} and {@code join()}, and workers cancelled at the end.
 */
package dev.aio4j.examples.queue;
