package dev.aio4j.http;

import dev.aio4j.http.internal.FrozenList;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Hooks into a session's requests: callbacks that see each request start, end or fail, each
 * redirect, how each connection was obtained (queued at a limit, created, reused), and each
 * piece of a response body as it is read. Give one or more to
 * {@link ClientSession.Builder#traceConfig(TraceConfig)}.
 *
 * <pre>{@code
 * TraceConfig timing = new TraceConfig();
 * timing.onRequestStart().add((session, ctx, p) -> ctx.put("start", System.nanoTime()));
 * timing.onRequestEnd().add((session, ctx, p) -> log(p.url(), System.nanoTime() - (long) ctx.get("start")));
 * ClientSession session = ClientSession.builder().traceConfig(timing).build();
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code aiohttp.TraceConfig} and its {@code on_request_start},
 * {@code on_request_end}, {@code on_request_exception}, {@code on_request_redirect},
 * {@code on_connection_queued_start/end}, {@code on_connection_create_start/end},
 * {@code on_connection_reuseconn}, {@code on_dns_resolvehost_start/end},
 * {@code on_dns_cache_hit/miss}, {@code on_request_headers_sent}, {@code on_request_chunk_sent},
 * {@code on_response_chunk_received} signals, with a
 * {@code trace_config_ctx} per request. <b>Differences:</b> callbacks are plain functional
 * interfaces, run inline in the requesting task (an exception from one propagates to the
 * request, as in aiohttp); the context is a {@code Map}; the headers {@code on_request_headers_sent}
 * sees leave out the body's framing field ({@code Content-Length} or {@code Transfer-Encoding}), as
 * {@link RequestInfo#headers()} does.
 *
 * <p><b>Threading:</b> the lists may be changed until the session is built; callbacks run on the
 * session's loop.
 *
 * @since 0.2
 */
public final class TraceConfig {
    /**
     * One callback of a signal.
     *
     * @param <P> the signal's parameters
     */
    @FunctionalInterface
    public interface Callback<P> {
        /**
         * Called on the signal.
         *
         * @param session the session making the request
         * @param traceConfigCtx this request's context for this trace config: what a callback puts
         *     there the later callbacks of the same request see ({@code trace_config_ctx})
         * @param params what happened
         */
        void call(ClientSession session, Map<String, Object> traceConfigCtx, P params);
    }

    /**
     * A request is about to be sent ({@code TraceRequestStartParams}). Fired once per request,
     * before its first hop.
     *
     * <p>As in aiohttp, whose {@code _request} makes the request with the very headers it passed to
     * {@code on_request_start}, {@link #headers()} is mutable: a field a callback adds, sets or
     * removes there ({@code p.headers().set("X-Request-Id", id)}, a tracing propagation header) is
     * sent, on the first hop and on every redirect hop, for {@link ClientSession#wsConnect} too (its
     * handshake headers are among them), and the later events' headers show it. Changes made after
     * the callback returns (keeping the object) have no effect.
     *
     * @param method the method
     * @param url the URL
     * @param headers the caller's headers, the session's default headers merged in (before the
     *     session adds {@code Host}, cookies, framing and the like, and the {@code Authorization}
     *     of the request's or the session's auth, which aiohttp picks after this event); mutable
     */
    public record RequestStart(String method, URI url, Headers headers) {}

    /**
     * The final response head arrived ({@code TraceRequestEndParams}).
     *
     * @param method the method
     * @param url the URL the request ended at: after redirects the last one, as aiohttp's
     * @param headers the caller's headers
     * @param response the response (its body not read yet)
     */
    public record RequestEnd(String method, URI url, Headers headers, ClientResponse response) {}

    /**
     * The request failed ({@code TraceRequestExceptionParams}).
     *
     * @param method the method
     * @param url the URL of the hop that failed: after redirects the last one sent, as aiohttp's
     * @param headers the caller's headers
     * @param exception what it failed with
     */
    public record RequestException(String method, URI url, Headers headers, Throwable exception) {}

    /**
     * A redirect status (301, 302, 303, 307, 308) arrived for a request that follows redirects
     * ({@code TraceRequestRedirectParams}). As in aiohttp it is sent before the redirect is counted
     * or its target read: also for the one that reaches {@code maxRedirects}, one whose target is
     * unusable, and one with no target at all (which is then the response).
     *
     * @param method the method of the request that was redirected
     * @param url its URL
     * @param headers the caller's headers
     * @param response the redirect response (its body not yet read nor released)
     */
    public record RequestRedirect(String method, URI url, Headers headers, ClientResponse response) {}

    /**
     * A request waits for a connection at the pool's limit, or stopped waiting.
     *
     * @param url the URL the connection is for
     */
    public record ConnectionQueued(URI url) {}

    /**
     * A new connection is being made, or was made.
     *
     * @param url the URL the connection is for
     */
    public record ConnectionCreate(URI url) {}

    /**
     * An idle pooled connection was reused ({@code TraceConnectionReuseconnParams}).
     *
     * @param url the URL the connection is for
     */
    public record ConnectionReuse(URI url) {}

    /**
     * A host name is being resolved, or was resolved ({@code TraceDnsResolveHostStartParams},
     * {@code TraceDnsResolveHostEndParams}).
     *
     * @param host the name
     */
    public record DnsResolveHost(String host) {}

    /**
     * The session's DNS cache knew the host, or did not ({@code TraceDnsCacheHitParams},
     * {@code TraceDnsCacheMissParams}); entries live 10 s, as aiohttp's {@code ttl_dns_cache}.
     *
     * @param host the name
     */
    public record DnsCache(String host) {}

    /**
     * A request's head is about to be written to its connection, before any of its body
     * ({@code TraceRequestHeadersSentParams}). As in aiohttp it fires once per request sent on the
     * wire: for each redirect's follow-up and for a retry on a new connection too, for the
     * handshake of {@link ClientSession#wsConnect}, and not for a proxy's {@code CONNECT}; it fires
     * after the connection was obtained, and before the head is written (aiohttp's
     * {@code StreamWriter.write_headers} calls it first), so a callback that throws fails the
     * request with nothing sent, and its connection is closed.
     *
     * @param method the method of this request (after a 303 the follow-up's {@code GET})
     * @param url the URL of this request, without a fragment (after redirects the follow-up's)
     * @param headers the fields the head carries, read-only: {@code Host} first, the default and
     *     session fields, {@code Authorization}, cookies; not the body's framing field (the same as
     *     the response's {@link RequestInfo#headers()})
     * @since 0.2
     */
    public record RequestHeadersSent(String method, URI url, Headers headers) {}

    /**
     * A piece of the request body was written ({@code TraceRequestChunkSentParams}).
     *
     * @param method the method
     * @param url the URL, without a fragment (aiohttp's {@code ClientRequest.url})
     * @param chunk the bytes, before chunked framing (not to be changed)
     */
    public record RequestChunkSent(String method, URI url, byte[] chunk) {}

    /**
     * A piece of a response body was read ({@code TraceResponseChunkReceivedParams}).
     *
     * @param method the method
     * @param url the response's URL, without a fragment (its {@link ClientResponse#url()})
     * @param chunk the bytes, decoded (not to be changed)
     */
    public record ResponseChunkReceived(String method, URI url, byte[] chunk) {}

    private final FrozenList<Callback<RequestStart>> onRequestStart = new FrozenList<>("TraceConfig.onRequestStart");
    private final FrozenList<Callback<RequestEnd>> onRequestEnd = new FrozenList<>("TraceConfig.onRequestEnd");
    private final FrozenList<Callback<RequestException>> onRequestException = new FrozenList<>("TraceConfig.onRequestException");
    private final FrozenList<Callback<RequestRedirect>> onRequestRedirect = new FrozenList<>("TraceConfig.onRequestRedirect");
    private final FrozenList<Callback<ConnectionQueued>> onConnectionQueuedStart = new FrozenList<>("TraceConfig.onConnectionQueuedStart");
    private final FrozenList<Callback<ConnectionQueued>> onConnectionQueuedEnd = new FrozenList<>("TraceConfig.onConnectionQueuedEnd");
    private final FrozenList<Callback<ConnectionCreate>> onConnectionCreateStart = new FrozenList<>("TraceConfig.onConnectionCreateStart");
    private final FrozenList<Callback<ConnectionCreate>> onConnectionCreateEnd = new FrozenList<>("TraceConfig.onConnectionCreateEnd");
    private final FrozenList<Callback<ConnectionReuse>> onConnectionReuseconn = new FrozenList<>("TraceConfig.onConnectionReuseconn");
    private final FrozenList<Callback<DnsResolveHost>> onDnsResolveHostStart = new FrozenList<>("TraceConfig.onDnsResolveHostStart");
    private final FrozenList<Callback<DnsResolveHost>> onDnsResolveHostEnd = new FrozenList<>("TraceConfig.onDnsResolveHostEnd");
    private final FrozenList<Callback<DnsCache>> onDnsCacheHit = new FrozenList<>("TraceConfig.onDnsCacheHit");
    private final FrozenList<Callback<DnsCache>> onDnsCacheMiss = new FrozenList<>("TraceConfig.onDnsCacheMiss");
    private final FrozenList<Callback<RequestHeadersSent>> onRequestHeadersSent = new FrozenList<>("TraceConfig.onRequestHeadersSent");
    private final FrozenList<Callback<RequestChunkSent>> onRequestChunkSent = new FrozenList<>("TraceConfig.onRequestChunkSent");
    private final FrozenList<Callback<ResponseChunkReceived>> onResponseChunkReceived = new FrozenList<>("TraceConfig.onResponseChunkReceived");

    /** A config with no callbacks. */
    public TraceConfig() {}

    /**
     * Returns the callbacks run when a request starts: {@code on_request_start}.
     *
     * @return the list to add to
     */
    public List<Callback<RequestStart>> onRequestStart() {
        return onRequestStart;
    }

    /**
     * Returns the callbacks run when the final response head arrived: {@code on_request_end}.
     *
     * @return the list to add to
     */
    public List<Callback<RequestEnd>> onRequestEnd() {
        return onRequestEnd;
    }

    /**
     * Returns the callbacks run when a request fails: {@code on_request_exception}.
     *
     * @return the list to add to
     */
    public List<Callback<RequestException>> onRequestException() {
        return onRequestException;
    }

    /**
     * Returns the callbacks run for each redirect status of a request that follows redirects
     * (see {@link RequestRedirect}): {@code on_request_redirect}.
     *
     * @return the list to add to
     */
    public List<Callback<RequestRedirect>> onRequestRedirect() {
        return onRequestRedirect;
    }

    /**
     * Returns the callbacks run when a request starts waiting at the pool's limit:
     * {@code on_connection_queued_start}.
     *
     * @return the list to add to
     */
    public List<Callback<ConnectionQueued>> onConnectionQueuedStart() {
        return onConnectionQueuedStart;
    }

    /**
     * Returns the callbacks run when it stops waiting: {@code on_connection_queued_end}.
     *
     * @return the list to add to
     */
    public List<Callback<ConnectionQueued>> onConnectionQueuedEnd() {
        return onConnectionQueuedEnd;
    }

    /**
     * Returns the callbacks run before a new connection is made: {@code on_connection_create_start}.
     *
     * @return the list to add to
     */
    public List<Callback<ConnectionCreate>> onConnectionCreateStart() {
        return onConnectionCreateStart;
    }

    /**
     * Returns the callbacks run once it is made (TLS included): {@code on_connection_create_end}.
     *
     * @return the list to add to
     */
    public List<Callback<ConnectionCreate>> onConnectionCreateEnd() {
        return onConnectionCreateEnd;
    }

    /**
     * Returns the callbacks run when an idle connection is reused: {@code on_connection_reuseconn}.
     *
     * @return the list to add to
     */
    public List<Callback<ConnectionReuse>> onConnectionReuseconn() {
        return onConnectionReuseconn;
    }

    /**
     * Returns the callbacks run before a host name is resolved: {@code on_dns_resolvehost_start}.
     *
     * @return the list to add to
     */
    public List<Callback<DnsResolveHost>> onDnsResolveHostStart() {
        return onDnsResolveHostStart;
    }

    /**
     * Returns the callbacks run once it is resolved: {@code on_dns_resolvehost_end}.
     *
     * @return the list to add to
     */
    public List<Callback<DnsResolveHost>> onDnsResolveHostEnd() {
        return onDnsResolveHostEnd;
    }

    /**
     * Returns the callbacks run when the DNS cache knows the host: {@code on_dns_cache_hit}.
     *
     * @return the list to add to
     */
    public List<Callback<DnsCache>> onDnsCacheHit() {
        return onDnsCacheHit;
    }

    /**
     * Returns the callbacks run when it does not: {@code on_dns_cache_miss}.
     *
     * @return the list to add to
     */
    public List<Callback<DnsCache>> onDnsCacheMiss() {
        return onDnsCacheMiss;
    }

    /**
     * Returns the callbacks run when a request's head is about to be written, before its body
     * (see {@link RequestHeadersSent}): aiohttp's {@code on_request_headers_sent} (aiohttp 3.8).
     *
     * @return the list to add to
     * @since 0.2
     */
    public List<Callback<RequestHeadersSent>> onRequestHeadersSent() {
        return onRequestHeadersSent;
    }

    /**
     * Returns the callbacks run for each piece of the request body written:
     * {@code on_request_chunk_sent}.
     *
     * @return the list to add to
     */
    public List<Callback<RequestChunkSent>> onRequestChunkSent() {
        return onRequestChunkSent;
    }

    /**
     * Returns the callbacks run for each piece of a response body read:
     * {@code on_response_chunk_received}.
     *
     * @return the list to add to
     */
    public List<Callback<ResponseChunkReceived>> onResponseChunkReceived() {
        return onResponseChunkReceived;
    }

    /** Freezes the lists (a session was built with this config): aiohttp's {@code freeze()}. */
    public void freeze() {
        for (FrozenList<?> s : List.of(onRequestStart, onRequestEnd, onRequestException, onRequestRedirect,
                onConnectionQueuedStart, onConnectionQueuedEnd, onConnectionCreateStart, onConnectionCreateEnd,
                onConnectionReuseconn, onDnsResolveHostStart, onDnsResolveHostEnd, onDnsCacheHit, onDnsCacheMiss,
                onRequestHeadersSent, onRequestChunkSent, onResponseChunkReceived)) {
            s.freeze();
        }
    }

    <P> void fire(List<Callback<P>> signal, ClientSession session, Map<String, Object> ctx, P params) {
        for (Callback<P> cb : signal) {
            cb.call(session, ctx, params);
        }
    }

    @Override
    public String toString() {
        return "<TraceConfig>";
    }
}
