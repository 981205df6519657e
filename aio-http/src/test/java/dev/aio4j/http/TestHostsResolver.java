package dev.aio4j.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The test JVM's name resolver (JEP 418's {@link InetAddressResolverProvider}, registered in
 * {@code META-INF/services}): names a test put in {@link #HOSTS} resolve to its addresses, in its
 * order; every other name goes to the JDK's own resolver. Lets a test give one host name several
 * loopback addresses, as a dual-stack host has, without DNS; a lookup can be held at a gate until
 * the test opens it ({@link #GATES}), counted ({@link #LOOKUPS}) or made to fail ({@link #FAILING}),
 * so a test can have lookups in flight without timing. The JDK caches what a lookup returned
 * (30 s by default), so a name must keep one set of addresses for the whole run: tests that need
 * other addresses use another name. aio4j-only.
 */
public final class TestHostsResolver extends InetAddressResolverProvider {
    /** Test host name (lower case, ending in {@code .test}) to its addresses. */
    static final Map<String, List<InetAddress>> HOSTS = new ConcurrentHashMap<>();
    /** Test host name to a latch its lookups wait on (in the resolving thread) until a test counts it down. */
    static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();
    /**
     * Test host name to the number of lookups of it that reached this resolver (counted before a
     * gate is waited on); the JDK caches answers and merges concurrent lookups of a name above it.
     */
    static final Map<String, AtomicInteger> LOOKUPS = new ConcurrentHashMap<>();
    /** Test host names whose lookups fail with an {@link UnknownHostException}, without asking DNS. */
    static final Set<String> FAILING = ConcurrentHashMap.newKeySet();

    /** Forgets everything a test set up for {@code host}, opening its gate first. */
    static void forget(String host) {
        CountDownLatch gate = GATES.remove(host);
        if (gate != null) {
            gate.countDown();
        }
        HOSTS.remove(host);
        LOOKUPS.remove(host);
        FAILING.remove(host);
    }

    /** The number of lookups of {@code host} so far. */
    static int lookups(String host) {
        AtomicInteger n = LOOKUPS.get(host);
        return n == null ? 0 : n.get();
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                String name = host.toLowerCase(java.util.Locale.ROOT);
                LOOKUPS.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                CountDownLatch gate = GATES.get(name);
                if (gate != null) {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new UnknownHostException(host + ": interrupted at the test's gate");
                    }
                }
                if (FAILING.contains(name)) {
                    throw new UnknownHostException(host + ": failing by the test's wish");
                }
                List<InetAddress> mine = HOSTS.get(name);
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
