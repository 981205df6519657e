/**
 * Deadlines: {@code Aio.timeout} around a slow operation, a deadline moved with
 * {@code reschedule()}, and {@code Aio.waitFor}.
 */
package dev.aio4j.examples.timeout;
