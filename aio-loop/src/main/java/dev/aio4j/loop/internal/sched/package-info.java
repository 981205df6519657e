/**
 * Implementation detail of aio-loop; not exported; may change in any release.
 *
 * <p>The two ways a task body gets the loop's one "baton": {@code CarrierScheduler} runs task
 * virtual threads mounted on the loop's own platform thread (needs {@code --add-opens
 * java.base/java.lang}); {@code HandoffScheduler} runs the loop itself on a virtual thread and
 * hands off with park/unpark (no flags). Both implement {@link dev.aio4j.loop.internal.sched.Scheduler}
 * and give identical semantics.
 */
package dev.aio4j.loop.internal.sched;
