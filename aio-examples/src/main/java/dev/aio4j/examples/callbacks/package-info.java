/**
 * The asyncio tutorial program built on {@code ensure_future}, {@code add_done_callback} and
 * {@code run_until_complete}.
 */
package dev.aio4j.examples.callbacks;
