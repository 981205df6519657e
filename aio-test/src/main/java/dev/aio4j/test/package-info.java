/**
 * Testing async code: {@link dev.aio4j.test.AioTest} runs a JUnit 5 test method as the main
 * task of a fresh loop (virtual clock by default) and fails it when tasks or exceptions leak;
 * {@link dev.aio4j.test.Schedules} gives jqwik an arbitrary of
 * {@link dev.aio4j.loop.Schedule}s that shrinks towards the plain FIFO schedule. See
 * {@code docs/testing.md}.
 */
package dev.aio4j.test;
