package dev.aio4j.http.internal;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;

/**
 * What aiohttp's {@code TCPConnector(...)} is given, as the session's builder collected it.
 *
 * @param keepAliveTimeout seconds an idle connection is kept
 * @param limit connections open at once, 0 for no limit
 * @param limitPerHost connections per host, 0 for no limit
 * @param sslContext for https, or {@code null} for the JDK's default context
 * @param readLimit the stream reader's buffer limit
 * @param happyEyeballsDelay seconds between connect attempts to a host's addresses (RFC 8305);
 *     {@code Double.POSITIVE_INFINITY}: one after another
 * @param interleave as {@code Streams.createConnection}'s (0: the resolver's order; n: n of the first family
 *     first; {@code Connector.INTERLEAVE_UNSET}: aiohttp's None, 1 with a race)
 * @param useDnsCache whether resolved names are kept ({@code use_dns_cache})
 * @param ttlDnsCache seconds a resolved name is kept ({@code ttl_dns_cache}); infinity: for good
 * @param family {@code StandardProtocolFamily.INET} or {@code INET6} to use only such addresses,
 *     null for both ({@code family=0})
 * @param localAddr the address every connection's socket is bound to ({@code local_addr=}), or null
 */
public record ConnectorSettings(double keepAliveTimeout, int limit, int limitPerHost, SSLContext sslContext, int readLimit,
                                double happyEyeballsDelay, int interleave, boolean useDnsCache, double ttlDnsCache,
                                ProtocolFamily family, InetSocketAddress localAddr) {
    /** aiohttp's {@code TCPConnector(happy_eyeballs_delay=0.25)}, RFC 8305's recommendation. */
    public static final double DEFAULT_HAPPY_EYEBALLS_DELAY = 0.25;
    /** aiohttp's {@code ttl_dns_cache=10}. */
    public static final double DEFAULT_TTL_DNS_CACHE = 10;
}
