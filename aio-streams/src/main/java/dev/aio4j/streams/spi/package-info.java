/**
 * aio-streams's service provider interface: the one seam through which every TCP connect, TCP
 * listen, Unix socket connect and listen, UDP endpoint and host-name resolution of
 * {@link dev.aio4j.streams.Streams} goes, so that a test can put a simulated network under
 * unmodified code. aio4j-only; real NIO sockets are the default.
 *
 * @since 0.2
 */
package dev.aio4j.streams.spi;
