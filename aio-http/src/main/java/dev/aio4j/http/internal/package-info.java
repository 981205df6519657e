/**
 * Implementation detail of aio-http; not exported; may change in any release.
 *
 * <p>The client's stages, behind the {@code ClientSession} facade: the immutable
 * {@link dev.aio4j.http.internal.RequestSpec} parsed from the options, the
 * {@link dev.aio4j.http.internal.RequestBridge} (default headers, Expect, cookies, decoder choice), the
 * {@link dev.aio4j.http.internal.FollowUpPolicy} (redirects, the stale-connection retry, discarding
 * bodies that are not returned) and the {@link dev.aio4j.http.internal.ExchangeRunner} (one exchange
 * over a pooled connection).
 *
 * <p>The HTTP/1.1 message codec is meant to be shared with the server: {@code LineReader},
 * {@code FieldSection}, {@code FieldLines},
 * {@code MessageFraming}, the chunked and content codings and
 * {@link dev.aio4j.http.internal.HeadSerializer}; the status line, the response parser and the
 * request serializer are client-only (see {@code docs/architecture.md}).
 *
 * <p>Holds the connection pool ({@link dev.aio4j.http.internal.ConnectionPool}), one request on one
 * connection ({@link dev.aio4j.http.internal.Exchange}), request bodies, timeouts and the body pump;
 * and the parts of the HTTP/1.1 client that need no sockets, each a plain class that tests
 * drive directly: the incremental {@link dev.aio4j.http.internal.ResponseParser} and its
 * {@link dev.aio4j.http.internal.ChunkedDecoder}, the {@link dev.aio4j.http.internal.ChunkedEncoder},
 * the streaming {@link dev.aio4j.http.internal.ContentDecoder} for gzip and deflate, URL handling
 * ({@link dev.aio4j.http.internal.Urls}), request serialization
 * ({@link dev.aio4j.http.internal.RequestSerializer}), the
 * {@link dev.aio4j.http.internal.RedirectPolicy}, the {@link dev.aio4j.http.internal.CookieStore}, and
 * the connection pool's book-keeping ({@link dev.aio4j.http.internal.PoolBook}), and the
 * {@code Content-Disposition} header of multipart parts ({@link dev.aio4j.http.internal.ContentDisposition}).
 * Everything that depends on time takes {@code now} as an argument.
 */
package dev.aio4j.http.internal;
