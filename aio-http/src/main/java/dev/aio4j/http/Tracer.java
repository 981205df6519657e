package dev.aio4j.http;

import dev.aio4j.http.internal.PoolEvents;
import dev.aio4j.http.internal.Urls;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request's view of the session's {@link TraceConfig}s: aiohttp's {@code Trace}, one
 * context map per config, kept for the whole request (redirects included).
 */
final class Tracer implements PoolEvents {
    private final ClientSession session;
    private final List<TraceConfig> configs;
    private final List<Map<String, Object>> contexts = new ArrayList<>();
    private final String method;
    private Headers headers;
    /** The URL of the hop under way: the request's until the first redirect (requestStart runs before any hop). */
    private URI current;

    Tracer(ClientSession session, List<TraceConfig> configs, String method, URI url, Headers headers) {
        this.session = session;
        this.configs = configs;
        this.method = method;
        this.headers = headers;
        this.current = url;
        for (int i = 0; i < configs.size(); i++) {
            contexts.add(new HashMap<>());
        }
    }

    private interface Firing {
        void fire(TraceConfig config, Map<String, Object> ctx);
    }

    private void each(Firing f) {
        for (int i = 0; i < configs.size(); i++) {
            f.fire(configs.get(i), contexts.get(i));
        }
    }

    /**
     * aiohttp's {@code send_request_start(method, url, headers)}: its {@code headers} is the very
     * {@code CIMultiDict} the request is then made with, so a callback may add, change or remove
     * fields. Returns the headers as the callbacks left them (read-only), the ones the request
     * sends on every hop and the later events name.
     */
    Headers requestStart() {
        Headers given = Headers.copyOf(headers);
        TraceConfig.RequestStart p = new TraceConfig.RequestStart(method, current, given);
        each((c, ctx) -> c.fire(c.onRequestStart(), session, ctx, p));
        headers = given.readOnlyCopy();
        return headers;
    }

    /** aiohttp's {@code send_request_end(method, url, ...)}: its {@code url} is the last hop's by then. */
    void requestEnd(ClientResponse response) {
        TraceConfig.RequestEnd p = new TraceConfig.RequestEnd(method, current, headers, response);
        each((c, ctx) -> c.fire(c.onRequestEnd(), session, ctx, p));
    }

    /** aiohttp's {@code send_request_exception(method, url, ...)}: the URL of the hop that failed. */
    void requestException(Throwable e) {
        TraceConfig.RequestException p = new TraceConfig.RequestException(method, current, headers, e);
        each((c, ctx) -> c.fire(c.onRequestException(), session, ctx, p));
    }

    /**
     * A redirect status arrived for a request that follows redirects (aiohttp's
     * {@code send_request_redirect}, before the redirect is counted and before its target is read).
     */
    void redirect(String redirectedMethod, ClientResponse response) {
        TraceConfig.RequestRedirect p = new TraceConfig.RequestRedirect(redirectedMethod, response.realUrl(), headers, response);
        each((c, ctx) -> c.fire(c.onRequestRedirect(), session, ctx, p));
    }

    /**
     * The request goes on to {@code next}, a redirect's target: the URL the connection events,
     * {@code onRequestEnd} and {@code onRequestException} name from now on.
     */
    void hop(URI next) {
        current = next;
    }

    void chunk(String chunkMethod, URI chunkUrl, byte[] piece) {
        TraceConfig.ResponseChunkReceived p = new TraceConfig.ResponseChunkReceived(chunkMethod, chunkUrl, piece);
        each((c, ctx) -> c.fire(c.onResponseChunkReceived(), session, ctx, p));
    }

    @Override
    public void queuedStart() {
        TraceConfig.ConnectionQueued p = new TraceConfig.ConnectionQueued(current);
        each((c, ctx) -> c.fire(c.onConnectionQueuedStart(), session, ctx, p));
    }

    @Override
    public void queuedEnd() {
        TraceConfig.ConnectionQueued p = new TraceConfig.ConnectionQueued(current);
        each((c, ctx) -> c.fire(c.onConnectionQueuedEnd(), session, ctx, p));
    }

    @Override
    public void createStart() {
        TraceConfig.ConnectionCreate p = new TraceConfig.ConnectionCreate(current);
        each((c, ctx) -> c.fire(c.onConnectionCreateStart(), session, ctx, p));
    }

    @Override
    public void createEnd() {
        TraceConfig.ConnectionCreate p = new TraceConfig.ConnectionCreate(current);
        each((c, ctx) -> c.fire(c.onConnectionCreateEnd(), session, ctx, p));
    }

    @Override
    public void reused() {
        TraceConfig.ConnectionReuse p = new TraceConfig.ConnectionReuse(current);
        each((c, ctx) -> c.fire(c.onConnectionReuseconn(), session, ctx, p));
    }

    @Override
    public void dnsResolveStart(String host) {
        TraceConfig.DnsResolveHost p = new TraceConfig.DnsResolveHost(host);
        each((c, ctx) -> c.fire(c.onDnsResolveHostStart(), session, ctx, p));
    }

    @Override
    public void dnsResolveEnd(String host) {
        TraceConfig.DnsResolveHost p = new TraceConfig.DnsResolveHost(host);
        each((c, ctx) -> c.fire(c.onDnsResolveHostEnd(), session, ctx, p));
    }

    @Override
    public void dnsCacheHit(String host) {
        TraceConfig.DnsCache p = new TraceConfig.DnsCache(host);
        each((c, ctx) -> c.fire(c.onDnsCacheHit(), session, ctx, p));
    }

    @Override
    public void dnsCacheMiss(String host) {
        TraceConfig.DnsCache p = new TraceConfig.DnsCache(host);
        each((c, ctx) -> c.fire(c.onDnsCacheMiss(), session, ctx, p));
    }

    /**
     * aiohttp's {@code send_request_headers(method, url, headers)} from {@code ClientRequest}'s
     * writer: the request's own method and URL, which has no fragment ({@code ClientRequest.url}).
     */
    @Override
    public void requestHeadersSent(String hopMethod, Headers sentHeaders) {
        TraceConfig.RequestHeadersSent p = new TraceConfig.RequestHeadersSent(hopMethod, Urls.withoutFragment(current), sentHeaders);
        each((c, ctx) -> c.fire(c.onRequestHeadersSent(), session, ctx, p));
    }

    /**
     * aiohttp's {@code send_request_chunk_sent(method, url, chunk)} from {@code ClientRequest}'s
     * writer: its URL has no fragment ({@code ClientRequest.url}).
     */
    @Override
    public void requestChunkSent(byte[] chunk) {
        TraceConfig.RequestChunkSent p = new TraceConfig.RequestChunkSent(method, Urls.withoutFragment(current), chunk);
        each((c, ctx) -> c.fire(c.onRequestChunkSent(), session, ctx, p));
    }
}
