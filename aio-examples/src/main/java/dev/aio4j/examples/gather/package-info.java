/**
 * The classic asyncio tutorial program: three sleeping tasks under {@code gather}, against the
 * blocking version.
 */
package dev.aio4j.examples.gather;
