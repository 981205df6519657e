/**
 * Runnable ports of well-known asyncio programs, one package per program, and the
 * {@link dev.aio4j.examples.Tour} that README's first command runs.
 *
 * <p>Each program is a self-contained {@code main}; its durations and sizes can be overridden with
 * system properties named in its class Javadoc, so the tests run them quickly.
 */
package dev.aio4j.examples;
