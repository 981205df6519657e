/**
 * Shared test utilities of aio4j (published as aio-loop's test-jar for the sibling modules):
 * {@link dev.aio4j.loop.test.Steps} for ordered-step assertions,
 * {@link dev.aio4j.loop.test.RecordingExceptionHandler} to capture what a loop reports, and
 * {@link dev.aio4j.loop.test.Loops} to run coroutines on virtual-clock loops.
 */
package dev.aio4j.loop.test;
