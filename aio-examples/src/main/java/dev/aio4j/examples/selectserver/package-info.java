/**
 * The {@code select()}-based callback server from the asyncio tutorials aio4j started from,
 * written on the loop's readiness callbacks.
 */
package dev.aio4j.examples.selectserver;
