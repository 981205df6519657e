/**
 * aio-http's public API: the names a user of aiohttp's client looks for.
 *
 * <p>{@link dev.aio4j.http.ClientSession} (built with {@link dev.aio4j.http.ClientSession#builder()})
 * sends requests with {@link dev.aio4j.http.RequestOption}s and returns
 * {@link dev.aio4j.http.ClientResponse}s; {@link dev.aio4j.http.ClientTimeout} holds the time
 * limits; {@link dev.aio4j.http.Headers} is aiohttp's {@code CIMultiDict} of header fields; the
 * client exception hierarchy is rooted at {@link dev.aio4j.http.ClientError}, and
 * {@link dev.aio4j.http.BadHttpMessage} is the error of the strict response parser. Every
 * exception here is unchecked; an {@link java.io.IOException} from the socket is kept as the cause
 * of a {@link dev.aio4j.http.ClientOSError}. WebSockets: {@link dev.aio4j.http.ClientSession#wsConnect}
 * returns a {@link dev.aio4j.http.ClientWebSocketResponse} whose {@code receive()} gives
 * {@link dev.aio4j.http.WSMessage}s ({@code docs/websockets.md}). {@code docs/http-client.md} maps
 * aiohttp's names to these.
 */
package dev.aio4j.http;
