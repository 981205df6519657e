/**
 * Implementation detail of aio-http; not exported; may change in any release.
 *
 * <p>The socket-free WebSocket protocol core (RFC 6455, and permessage-deflate from RFC 7692) that
 * the client's {@code wsConnect} and the server's {@code WebSocketResponse} both sit on. Every class
 * here is a plain, incremental, bounded piece of code that its tests drive without a socket:
 *
 * <ul>
 *   <li>{@link dev.aio4j.http.internal.ws.FrameParser}: bytes in chunks of any size to frame headers
 *       and unmasked payload slices; the frame-level rules (masking per {@link dev.aio4j.http.internal.ws.Role},
 *       opcodes, RSV bits, control-frame limits, minimal lengths).</li>
 *   <li>{@link dev.aio4j.http.internal.ws.MessageAssembler}: frames to messages; fragmentation,
 *       interleaved control frames, the message size limit, incremental UTF-8 validation
 *       ({@link dev.aio4j.http.internal.ws.Utf8Validator}), close payloads
 *       ({@link dev.aio4j.http.internal.ws.CloseStatus}) and decompression.</li>
 *   <li>{@link dev.aio4j.http.internal.ws.FrameWriter}: frames and messages to bytes, masked in the
 *       client role.</li>
 *   <li>{@link dev.aio4j.http.internal.ws.Handshake} and
 *       {@link dev.aio4j.http.internal.ws.DeflateNegotiation}: the opening handshake's computations;
 *       {@link dev.aio4j.http.internal.ws.PerMessageDeflate}: the per-message compression itself.</li>
 *   <li>{@link dev.aio4j.http.internal.ws.WebSocketConnection}: the one class that puts the pieces on
 *       a connection, for both ends: the receive queue, sends that wait for the transport, the close
 *       handshake, autoping, autoclose and the heartbeat.</li>
 * </ul>
 *
 * <p>Every protocol violation is one {@link dev.aio4j.http.internal.ws.WebSocketProtocolError} carrying
 * the close code to send.
 *
 * <p>Not thread-safe: each parser, assembler, writer and codec belongs to one connection and is used
 * from its loop (like {@code ResponseParser}). A connection's {@link dev.aio4j.http.internal.ws.PerMessageDeflate}
 * may be shared by its writer (which only compresses) and its assembler (which only decompresses).
 */
package dev.aio4j.http.internal.ws;
