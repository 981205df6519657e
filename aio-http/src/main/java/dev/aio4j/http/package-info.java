/**
 * aio-http's public API: the names a user of aiohttp's client looks for.
 *
 * <p>So far: {@link dev.aio4j.http.Headers} (aiohttp's {@code CIMultiDict} of header fields), the
 * client exception hierarchy rooted at {@link dev.aio4j.http.ClientError}, and
 * {@link dev.aio4j.http.BadHttpMessage}, the error of the strict response parser. Every exception
 * here is unchecked; an {@link java.io.IOException} from the socket is kept as the cause of a
 * {@link dev.aio4j.http.ClientOSError}. {@code docs/http-client.md} maps aiohttp's names to these.
 */
package dev.aio4j.http;
