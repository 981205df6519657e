package dev.aio4j.http.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link ProxyEnvironment#forUrl}: a URL's proxy is the variable of its own scheme and no other,
 * as aiohttp's {@code get_env_proxy_for_url} looks {@code proxies_from_env()[url.scheme]} up
 * (http, https, ws and wss), for any set of variables in either case. aio4j-only.
 */
class ProxyEnvironmentProperties {
    private static final List<String> SCHEMES = List.of("http", "https", "ws", "wss");

    @Property(tries = 300, seed = "20261205")
    void aUrlTakesTheProxyOfItsOwnScheme(@ForAll("setSchemes") Set<String> set, @ForAll boolean upperCase,
                                         @ForAll("schemes") String urlScheme) {
        Map<String, String> env = new HashMap<>();
        for (String scheme : set) {
            String name = scheme + "_proxy";
            // each scheme's proxy on its own port, so the one chosen names its variable
            env.put(upperCase ? name.toUpperCase(Locale.ROOT) : name, "http://proxy:" + (3000 + SCHEMES.indexOf(scheme)));
        }
        ProxySpec p = ProxyEnvironment.of(env).forUrl(URI.create(urlScheme + "://example.com/path"));
        if (set.contains(urlScheme)) {
            assertEquals(3000 + SCHEMES.indexOf(urlScheme), p.port(), env + " for " + urlScheme);
        } else {
            assertNull(p, env + " for " + urlScheme);
        }
    }

    @Provide
    Arbitrary<Set<String>> setSchemes() {
        return Arbitraries.of(SCHEMES).set();
    }

    @Provide
    Arbitrary<String> schemes() {
        return Arbitraries.of(SCHEMES);
    }
}
