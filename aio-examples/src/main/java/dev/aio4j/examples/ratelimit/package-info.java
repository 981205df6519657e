/**
 * A token-bucket rate limiter built on the loop's clock and {@code Aio.sleep}, tested on virtual
 * time (exact admission times, an hour of requests in milliseconds) and over generated arrival
 * times and schedules.
 */
package dev.aio4j.examples.ratelimit;
