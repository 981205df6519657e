/**
 * The TCP echo server and client of asyncio's streams documentation, ported to aio-streams.
 */
package dev.aio4j.examples.echo;
