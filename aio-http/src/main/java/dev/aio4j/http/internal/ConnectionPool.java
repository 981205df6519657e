package dev.aio4j.http.internal;

import dev.aio4j.http.ClientConnectorError;
import dev.aio4j.http.ClientHttpProxyError;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.TimerHandle;
import dev.aio4j.loop.internal.IpLiterals;
import dev.aio4j.loop.internal.LoopBinding;
import dev.aio4j.streams.ConnectOptions;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.internal.Connector;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * The session's connection pool (aiohttp's {@code TCPConnector}): {@link PoolBook} decides, this
 * class does the I/O: it opens connections through aio-streams, closes the ones the book gives
 * up, makes requests at a limit wait for a release, and closes idle connections when their
 * keep-alive time is over (a loop timer).
 *
 * <p>Rules the session relies on: a connection that is not known to be reusable is never given
 * back ({@link #release} with {@code reusable == false} closes it); an idle connection found
 * {@linkplain HttpConnection#stale() stale} when taken is closed and the next one is tried.
 *
 * <p>Through a proxy ({@link PoolKey#proxy()}): a connection for http requests is a plain
 * connection to the proxy, shared by every http origin; a connection for https requests is a
 * tunnel the proxy opened with {@code CONNECT} ({@link ProxyTunnel}) and TLS with the origin inside
 * it, all opened under the connect timeout and closed on any failure.
 *
 * <p>Loop-confined: the first request binds it to its loop.
 */
public final class ConnectionPool {
    /*
     * Maintainer notes. `all` holds every open connection (in use or idle) so that close() can
     * close them all. `waiters` are requests at a limit; every release or close wakes them all and
     * each asks the book again (a handful of waiters at most per free slot; fairness is FIFO among
     * those that retry in the same loop iteration). `cleanup` is the pending expiry timer or null.
     */
    private final PoolBook<PoolKey, HttpConnection> book;
    private final double keepAliveTimeout;
    private final SSLContext sslContext;
    private final int readLimit;
    private final Set<HttpConnection> all = new LinkedHashSet<>();
    private final ArrayDeque<Future<Void>> waiters = new ArrayDeque<>();
    private static final int DNS_CACHE_MAX = 1024;
    private record DnsEntry(List<InetSocketAddress> addresses, double expires) {}
    private final HashMap<String, DnsEntry> dnsCache = new HashMap<>();
    /** Lookups in flight, by "host:port": requests for the same name wait for them (aiohttp's _throttle_dns_futures). */
    private final HashMap<String, Task<List<InetSocketAddress>>> lookups = new HashMap<>();
    private long createdCount;
    private long reusedCount;
    private long queuedCount;
    private EventLoop loop;
    private TimerHandle cleanup;
    private double cleanupAt = Double.POSITIVE_INFINITY;
    private boolean closed;
    private int opened;
    private final ConnectorSettings settings;

    /** A pool with {@code settings}; it binds to the loop of its first request. */
    public ConnectionPool(ConnectorSettings settings) {
        this.settings = settings;
        this.book = new PoolBook<>(settings.keepAliveTimeout(), settings.limit(), settings.limitPerHost());
        this.keepAliveTimeout = settings.keepAliveTimeout();
        this.sslContext = settings.sslContext();
        this.readLimit = settings.readLimit();
    }

    /** The pool key of a request URL, with the TLS configuration an https URL will use. */
    public PoolKey keyFor(URI url) throws IOException {
        return keyFor(url, null);
    }

    /** The pool key of a request URL through {@code proxy} ({@code null}: direct). */
    public PoolKey keyFor(URI url, ProxySpec proxy) throws IOException {
        return keyFor(url, proxy, null);
    }

    /**
     * The pool key of a request URL through {@code proxy}, with the request's own TLS context
     * ({@code null}: the session's): connections made with different contexts are never shared.
     */
    public PoolKey keyFor(URI url, ProxySpec proxy, SSLContext requestSsl) throws IOException {
        if (url.getScheme().equalsIgnoreCase("https")) {
            SSLContext ctx = requestSsl != null ? requestSsl : sslContext;
            if (ctx == null) {
                try {
                    ctx = SSLContext.getDefault();
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IOException("no default SSLContext: " + e.getMessage(), e);
                }
            }
            return PoolKey.of(url, ctx, proxy);
        }
        return PoolKey.of(url, null, proxy);
    }

    /**
     * Gets a connection for {@code key}: an idle one (unless {@code allowReuse} is false), a new
     * one, or, at a limit, the next one released. The whole wait runs under the connect timeout.
     *
     * <p>Cancellation: may suspend; if cancelled, no slot stays reserved.
     *
     * @throws ClientConnectorError if connecting fails
     * @throws IllegalStateException if the pool was closed
     */
    public HttpConnection acquire(PoolKey key, URI url, boolean allowReuse, Deadlines deadlines) throws IOException {
        return acquire(key, url, allowReuse, deadlines, List.of());
    }

    /**
     * As {@link #acquire(PoolKey, URI, boolean, Deadlines)}; a new connection for a
     * {@linkplain PoolKey#tunnel() tunnel} asks the proxy for it ({@code CONNECT}) and starts TLS
     * with the origin through it, all under the connect timeout.
     *
     * <p>Cancellation: may suspend; if cancelled, no slot stays reserved and a connection being
     * opened is closed.
     *
     * @param history the URLs of earlier responses of the redirect chain, for error messages
     * @throws ClientConnectorError if connecting to the server or the proxy fails, or the TLS
     *         handshake with the origin fails
     * @throws ClientHttpProxyError if the proxy answers the {@code CONNECT} with a status other than 2xx
     * @throws IllegalStateException if the pool was closed
     */
    public HttpConnection acquire(PoolKey key, URI url, boolean allowReuse, Deadlines deadlines, List<URI> history)
            throws IOException {
        return acquire(key, url, allowReuse, deadlines, history, PoolEvents.NONE);
    }

    /**
     * As {@link #acquire(PoolKey, URI, boolean, Deadlines, List)}, telling {@code events} what
     * happens. An event listener that throws (a trace callback) fails the acquire with its
     * exception, and nothing stays taken: a reused connection goes back to the idle ones, a new
     * one is closed, a reserved slot is given back, a wait is forgotten.
     */
    public HttpConnection acquire(PoolKey key, URI url, boolean allowReuse, Deadlines deadlines, List<URI> history,
                                  PoolEvents events) throws IOException {
        bind();
        return deadlines.connect(() -> {
            while (true) {
                checkOpen();
                PoolBook.Acquire<HttpConnection> a = book.acquire(key, loop.time(), allowReuse);
                closeAll(a.close());
                if (a.reuse() != null) {
                    HttpConnection c = a.reuse();
                    if (c.stale()) {
                        c.abort();
                        all.remove(c);
                        book.closed(key);
                        continue;
                    }
                    reusedCount++;
                    try {
                        events.reused();
                    } catch (RuntimeException | Error e) {
                        release(c, true); // still a good idle connection: back to the pool
                        throw e;
                    }
                    return c;
                }
                if (a.open()) {
                    try {
                        events.createStart();
                    } catch (RuntimeException | Error e) {
                        book.closed(key); // the reserved slot
                        wakeWaiters();
                        throw e;
                    }
                    HttpConnection c = open(key, url, history, events, deadlines);
                    createdCount++;
                    try {
                        events.createEnd();
                    } catch (RuntimeException | Error e) {
                        release(c, false);
                        throw e;
                    }
                    return c;
                }
                queuedCount++;
                events.queuedStart(); // before the wait is recorded: if it throws, nothing is held
                Future<Void> w = loop.createFuture();
                waiters.add(w);
                try {
                    w.await();
                } finally {
                    waiters.remove(w);
                    events.queuedEnd();
                }
            }
        });
    }

    /** The name TLS verifies: the host, or "" (no check) for {@code ssl(false)}, which is logged. */
    private static String serverHostname(PoolKey key) {
        if (InsecureTls.is(key.ssl())) {
            InsecureTls.warn(key.host(), key.port());
            return "";
        }
        return null;
    }

    /**
     * The addresses of {@code host} (of the configured family only), from the DNS cache while its
     * entry is younger than {@code ttlDnsCache} seconds (aiohttp's {@code ttl_dns_cache=10}), else
     * from the loop's {@code getaddrinfo}; without the cache ({@code use_dns_cache=False}) always
     * looked up, with no cache signals, as aiohttp's {@code _resolve_host}.
     *
     * <p>With the cache, concurrent lookups of one host and port are merged, as aiohttp's
     * {@code _throttle_dns_futures}: the first request starts the lookup in a task of its own (it
     * sends dns_cache_miss, dns_resolvehost_start and _end); a request that comes while it runs
     * sends dns_cache_hit and waits for it, and gets its addresses or its exception. A request
     * cancelled while it waits leaves the lookup running for the others (it waits through
     * {@link Aio#shield}); {@link #close} cancels the lookups in flight.
     */
    private List<InetSocketAddress> resolve(String host, int port, PoolEvents events) throws IOException {
        if (!settings.useDnsCache()) {
            events.dnsResolveStart(host);
            List<InetSocketAddress> addrs = ofFamily(host, loop.getaddrinfo(host, port));
            events.dnsResolveEnd(host);
            return addrs;
        }
        String key = host + ":" + port;
        DnsEntry e = dnsCache.get(key);
        if (e != null && loop.time() < e.expires()) {
            events.dnsCacheHit(host);
            return e.addresses();
        }
        Task<List<InetSocketAddress>> lookup = lookups.get(key);
        if (lookup != null && !lookup.done()) {
            events.dnsCacheHit(host); // aiohttp: a request that waits for another's lookup sends dns_cache_hit
            return awaitLookup(lookup);
        }
        // registered before any other request runs (the task starts on a later loop iteration, or
        // with an eager task factory up to its first suspension), so every request from here on
        // waits for this one; removed when it is done, however it ends (a done lookup still in the
        // map, before its callback ran, is passed over above)
        Task<List<InetSocketAddress>> task = loop.createTask(() -> lookUp(key, host, port, events), "dns " + key);
        lookups.put(key, task);
        task.addDoneCallback(t -> {
            lookups.remove(key, t);
            if (!t.cancelled()) {
                t.exception(); // retrieved: the requests that waited have it, or none is left to care
            }
        });
        return awaitLookup(task);
    }

    /** Waits for a lookup without cancelling it when the waiting request is cancelled; its failure as thrown. */
    private static List<InetSocketAddress> awaitLookup(Task<List<InetSocketAddress>> lookup) throws IOException {
        try {
            return Aio.shield(lookup).await();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io; // the lookup's own UnknownHostException, the same one for every request that waited
            }
            throw e;
        }
    }

    /** One lookup for the cache, run as a task of its own so that no request's cancellation stops it. */
    private List<InetSocketAddress> lookUp(String key, String host, int port, PoolEvents events) throws IOException {
        events.dnsCacheMiss(host);
        events.dnsResolveStart(host);
        double now = loop.time();
        List<InetSocketAddress> addrs = ofFamily(host, loop.getaddrinfo(host, port));
        events.dnsResolveEnd(host);
        if (dnsCache.size() >= DNS_CACHE_MAX) {
            dnsCache.clear();
        }
        dnsCache.put(key, new DnsEntry(addrs, now + settings.ttlDnsCache()));
        return addrs;
    }

    /** The addresses of the configured family (all without one); none is an UnknownHostException. */
    private List<InetSocketAddress> ofFamily(String host, List<InetSocketAddress> addrs) throws UnknownHostException {
        ProtocolFamily family = settings.family();
        List<InetSocketAddress> out = new ArrayList<>(addrs.size());
        for (InetSocketAddress a : addrs) {
            if (family == null || (a.getAddress() instanceof Inet6Address) == (family == StandardProtocolFamily.INET6)) {
                out.add(a);
            }
        }
        if (out.isEmpty()) {
            throw new UnknownHostException(host + ": no " + (family == null ? "" : family == StandardProtocolFamily.INET6
                    ? "IPv6 " : "IPv4 ") + "address" + (addrs.isEmpty() ? "" : " (it has " + addrs + "; the session's "
                    + "family is " + family + ")"));
        }
        return List.copyOf(out);
    }

    /**
     * Connects to one of the host's addresses (TLS names the host, not the address): raced with
     * Happy Eyeballs as aiohttp's {@code TCPConnector} (its {@code aiohappyeyeballs.start_connection}),
     * or one after another with an infinite delay.
     */
    /**
     * Opens a new connection to the origin: each attempt (the socket connection to the host's
     * remaining addresses, then the TLS handshake) under the sock_connect limit, as aiohttp's
     * {@code _wrap_create_connection}; the name lookup is not part of it.
     */
    private StreamPair connectDirect(PoolKey key, PoolEvents events, Deadlines deadlines) throws IOException {
        String host = key.host();
        if (IpLiterals.isIpLiteral(host)) {
            ofFamily(host, List.of(new InetSocketAddress(InetAddress.getByName(host), key.port()))); // no lookup for a literal
        }
        if (IpLiterals.isIpLiteral(host) || Streams.network(loop) != null) {
            // an address needs no lookup; a network installed on the loop (a simulated one in
            // tests) resolves names itself, behind aio-streams' seam
            String name = serverHostname(key);
            return deadlines.sockConnect(() -> Streams.openConnection(host, key.port(), connectOptions(key.ssl(), name)));
        }
        String name = serverHostname(key);
        String tlsName = key.ssl() == null ? null : name != null ? name : host;
        List<InetSocketAddress> left = new ArrayList<>(resolve(host, key.port(), events));
        IOException tlsFailure = null;
        while (true) {
            java.net.SocketAddress[] winner = new java.net.SocketAddress[1];
            try {
                return deadlines.sockConnect(() -> {
                    SocketChannel sock = Connector.connectAny(loop, left, settings.happyEyeballsDelay(), settings.interleave(),
                            settings.localAddr());
                    winner[0] = sock.getRemoteAddress();
                    return Streams.openConnection(sock, key.ssl(), tlsName, readLimit);
                });
            } catch (IOException e) {
                if (tlsFailure != null) {
                    e.addSuppressed(tlsFailure);
                }
                if (winner[0] == null) {
                    throw e; // no address answered
                }
                // the TLS handshake with that address failed (its socket is closed): as aiohttp's
                // _create_direct_connection, the host's other addresses are tried before giving up
                tlsFailure = e;
                left.remove(winner[0]);
                if (key.ssl() == null || left.isEmpty()) {
                    throw e;
                }
            }
        }
    }

    private HttpConnection open(PoolKey key, URI url, List<URI> history, PoolEvents events, Deadlines deadlines) {
        boolean ok = false;
        try {
            StreamPair pair;
            if (key.proxy() == null) {
                pair = connectDirect(key, events, deadlines);
            } else {
                pair = openThroughProxy(key, url, history, deadlines);
            }
            HttpConnection c = new HttpConnection(key, pair, ++opened);
            all.add(c);
            if (closed) {
                c.abort();
                all.remove(c);
                checkOpen();
            }
            ok = true;
            return c;
        } catch (IOException e) {
            throw new ClientConnectorError(key.connectHost(), key.connectPort(), key.tls(), url, e);
        } finally {
            if (!ok) {
                book.closed(key);
                wakeWaiters();
            }
        }
    }

    /**
     * Connects to the proxy; for a tunnel, sends {@code CONNECT host:port}, reads the answer and
     * starts TLS with the origin over the same socket. The socket is closed on any failure.
     */
    private StreamPair openThroughProxy(PoolKey key, URI url, List<URI> history, Deadlines deadlines) throws IOException {
        ProxySpec proxy = key.proxy();
        StreamPair pair;
        try {
            pair = deadlines.sockConnect(() -> Streams.openConnection(proxy.host(), proxy.port(), connectOptions(null, null)));
        } catch (IOException e) {
            throw new ClientConnectorError(proxy.host(), proxy.port(), false, url,
                    new IOException("cannot connect to the proxy " + proxy + ": " + e.getMessage(), e));
        }
        if (!key.tunnel()) {
            return pair;
        }
        boolean ok = false;
        try {
            ProxyTunnel.connect(pair, key, url, history);
            try {
                String name = serverHostname(key);
                deadlines.sockConnect(() -> { // aiohttp's _start_tls_connection: under sock_connect
                    pair.writer().startTls(key.ssl(), name != null ? name : key.host());
                    return null;
                });
            } catch (IOException e) {
                throw new ClientConnectorError(key.host(), key.port(), true, url, e);
            }
            ok = true;
            return pair;
        } finally {
            if (!ok) {
                pair.writer().transport().abort();
            }
        }
    }

    /**
     * Gives a connection back after a response. A reusable one becomes idle; any other is
     * closed (aborted: a connection that is not reusable may hold unread or unsent bytes).
     */
    public void release(HttpConnection c, boolean reusable) {
        if (!all.contains(c)) {
            return; // closed by close(), or an expired idle connection
        }
        if (reusable && !closed && !c.stale() && keepAliveTimeout > 0) {
            book.release(c.key(), c, true, loop.time());
            scheduleCleanup();
        } else {
            if (reusable) {
                c.close();
            } else {
                c.abort();
            }
            all.remove(c);
            book.closed(c.key());
        }
        wakeWaiters();
    }

    /** Closes every connection, in use or idle, and refuses further requests. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (cleanup != null) {
            cleanup.cancel();
            cleanup = null;
        }
        book.closeIdle();
        for (HttpConnection c : new ArrayList<>(all)) {
            // aiohttp's connector close (abort_ssl, its default ssl_shutdown_timeout=0): a TLS
            // connection is aborted, not left waiting up to 30 s for the server's close_notify.
            if (c.tls()) {
                c.abort();
            } else {
                c.close();
            }
        }
        all.clear();
        for (Task<List<InetSocketAddress>> t : new ArrayList<>(lookups.values())) {
            t.cancel(); // aiohttp's _close_immediately cancels the lookups and their waiters
        }
        wakeWaiters();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Connections made since the pool was created. */
    public long createdCount() {
        return createdCount;
    }

    /** Times an idle connection was reused. */
    public long reusedCount() {
        return reusedCount;
    }

    /** Times a request waited at a limit. */
    public long queuedCount() {
        return queuedCount;
    }

    /** Requests waiting at a limit now. */
    public int waitingCount() {
        return waiters.size();
    }

    /**
     * Returns open connections, in use and idle.
     *
     * @return open connections, in use and idle
     */
    public int openCount() {
        return all.size();
    }

    /**
     * Returns idle connections.
     *
     * @return idle connections
     */
    public int idleCount() {
        return book.idleCount();
    }

    /**
     * The options of a connect through aio-streams: the session's Happy Eyeballs delay, local
     * address and read limit, and its interleave only when set (unset is aiohttp's None, which
     * ConnectOptions gives when none is set).
     */
    private ConnectOptions connectOptions(SSLContext ssl, String serverHostname) {
        ConnectOptions o = ConnectOptions.defaults().ssl(ssl).serverHostname(serverHostname).limit(readLimit)
                .happyEyeballsDelay(settings.happyEyeballsDelay()).localAddr(settings.localAddr());
        return settings.interleave() == Connector.INTERLEAVE_UNSET ? o : o.interleave(settings.interleave());
    }

    private void bind() {
        loop = LoopBinding.bind(loop, Aio.getRunningLoop(), "ClientSession");
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("ClientSession is closed");
        }
    }

    private void closeAll(List<HttpConnection> cs) {
        for (HttpConnection c : cs) {
            c.close();
            all.remove(c);
        }
    }

    private void wakeWaiters() {
        for (Future<Void> w : waiters) {
            if (!w.done()) {
                w.setResult(null);
            }
        }
    }

    private void scheduleCleanup() {
        PoolBook.Cleanup<HttpConnection> c = book.cleanup(loop.time());
        closeAll(c.close());
        if (c.nextCleanupAt() < cleanupAt) {
            if (cleanup != null) {
                cleanup.cancel();
            }
            cleanupAt = c.nextCleanupAt();
            cleanup = loop.callAt(cleanupAt, this::onCleanup);
        }
    }

    private void onCleanup() {
        cleanup = null;
        cleanupAt = Double.POSITIVE_INFINITY;
        if (closed) {
            return;
        }
        PoolBook.Cleanup<HttpConnection> c = book.cleanup(loop.time());
        closeAll(c.close());
        if (c.nextCleanupAt() != Double.POSITIVE_INFINITY) {
            cleanupAt = c.nextCleanupAt();
            cleanup = loop.callAt(Math.max(cleanupAt, loop.time()), this::onCleanup);
        }
    }

    @Override
    public String toString() {
        return "ConnectionPool[open=" + all.size() + ", idle=" + book.idleCount() + (closed ? ", closed" : "") + "]";
    }
}
