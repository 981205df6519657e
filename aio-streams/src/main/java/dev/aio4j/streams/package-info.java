/**
 * asyncio's two networking layers on aio4j's event loop.
 *
 * <ul>
 *   <li><b>Transports and protocols</b> ({@code asyncio.Transport}, {@code asyncio.Protocol}):
 *       {@link dev.aio4j.streams.Streams#createConnection Streams.createConnection} and
 *       {@link dev.aio4j.streams.Streams#createServer Streams.createServer} connect a
 *       {@link dev.aio4j.streams.Protocol} of yours to a socket {@link dev.aio4j.streams.Transport};
 *       the loop calls the protocol back.</li>
 *   <li><b>Streams</b> ({@code asyncio.open_connection}, {@code asyncio.start_server}):
 *       {@link dev.aio4j.streams.StreamReader} and {@link dev.aio4j.streams.StreamWriter}, whose
 *       reading methods and {@code drain()} suspend the calling task.</li>
 * </ul>
 *
 * <p>TLS ({@code javax.net.ssl.SSLEngine}) and Unix domain sockets are options of the same
 * calls. See {@code docs/streams.md} for how the layers fit, flow control and errors.
 *
 * <p>I/O errors are {@link java.io.IOException}s (Python's {@code OSError} family); asyncio's
 * own errors ({@link dev.aio4j.streams.IncompleteReadError},
 * {@link dev.aio4j.streams.LimitOverrunError}) are unchecked.
 */
package dev.aio4j.streams;
