/**
 * The UDP echo server and client of asyncio's transports-and-protocols documentation, ported to
 * aio-streams' datagram endpoints.
 */
package dev.aio4j.examples.udp;
