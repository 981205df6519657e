/**
 * Retry with exponential backoff and a deadline, written the way users of asyncio write it, and
 * tested on virtual time (exact waits, hours of backoff in milliseconds) and over generated
 * failure patterns and schedules.
 */
package dev.aio4j.examples.retry;
