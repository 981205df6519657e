/**
 * Implementation detail of aio-loop; not exported; may change in any release.
 *
 * <p>The loop's timer heap: an indexed binary heap ordered by (deadline, scheduling order) with
 * O(log n) removal, so cancelled timers never linger.
 */
package dev.aio4j.loop.internal.timer;
