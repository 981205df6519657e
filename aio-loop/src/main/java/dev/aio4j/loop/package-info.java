/**
 * Python's asyncio event loop, tasks and futures for Java.
 *
 * <p>Start with {@link dev.aio4j.loop.Aio#run(dev.aio4j.loop.ThrowingCoroutine)}; see
 * {@code docs/porting-guide.md} for every asyncio name and its aio4j counterpart.
 */
package dev.aio4j.loop;
