/**
 * Implementation detail of aio-streams; not exported; may change in any release.
 *
 * <p>{@link dev.aio4j.streams.internal.SocketTransport} is asyncio's
 * {@code _SelectorSocketTransport}, {@link dev.aio4j.streams.internal.ServerCore} the body of
 * {@code asyncio.Server}, {@link dev.aio4j.streams.internal.SslProtocol} {@code sslproto.py},
 * {@link dev.aio4j.streams.internal.StreamReaderProtocol} the glue of {@code streams.py}
 * (with its {@code FlowControlMixin}). {@code ImmediateClose} makes a channel's close take
 * effect at once although the loop's selector may still hold its key (asyncio closes the socket
 * itself).
 */
package dev.aio4j.streams.internal;
