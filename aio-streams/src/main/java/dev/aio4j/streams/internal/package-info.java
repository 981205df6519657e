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
 * {@link dev.aio4j.streams.internal.SelectorDatagramTransport}
 * is {@code _SelectorDatagramTransport}; {@link dev.aio4j.streams.internal.PipeReader} and
 * {@link dev.aio4j.streams.internal.PipeWriter} bridge a subprocess's blocking pipes with one
 * virtual thread each. {@link dev.aio4j.streams.internal.BorrowedReadProtocol} and
 * {@link dev.aio4j.streams.internal.BorrowedWriteTransport} let a read or a write travel in one of
 * the loop's reused arrays ({@link dev.aio4j.streams.internal.LoopBuffers}) between TLS, the
 * socket transport and aio-http's WebSocket, instead of an array per read or frame.
 * {@link dev.aio4j.streams.internal.FileBlocks} is the file side of {@code _sendfile_fallback}
 * (the block read, done in the loop's default executor, and the file position left after it),
 * shared with aio-http's {@code FileResponse} and client file bodies ({@code OffLoopFile}), with
 * the off-loop close they all use.
 */
package dev.aio4j.streams.internal;
