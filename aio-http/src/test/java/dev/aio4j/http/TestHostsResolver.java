package dev.aio4j.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The test JVM's name resolver (JEP 418's {@link InetAddressResolverProvider}, registered in
 * {@code META-INF/services}): names a test put in {@link #HOSTS} resolve to its addresses, in its
 * order; every other name goes to the JDK's own resolver. Lets a test give one host name several
 * loopback addresses, as a dual-stack host has, without DNS. The JDK caches what a lookup
 * returned (30 s by default), so a name must keep one set of addresses for the whole run: tests
 * that need other addresses use another name. aio4j-only.
 */
public final class TestHostsResolver extends InetAddressResolverProvider {
    /** Test host name (lower case, ending in {@code .test}) to its addresses. */
    static final Map<String, List<InetAddress>> HOSTS = new ConcurrentHashMap<>();

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                List<InetAddress> mine = HOSTS.get(host.toLowerCase(java.util.Locale.ROOT));
                return mine != null ? mine.stream() : builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "aio4j test hosts";
    }
}
