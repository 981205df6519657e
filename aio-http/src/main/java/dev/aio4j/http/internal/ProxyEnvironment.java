package dev.aio4j.http.internal;

import dev.aio4j.http.InvalidURL;
import dev.aio4j.loop.internal.Checks;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The proxies an environment names, read once: {@code http_proxy}, {@code https_proxy},
 * {@code ws_proxy}, {@code wss_proxy} and {@code no_proxy}, in lower or upper case, as aiohttp's
 * {@code trust_env=True} reads them through Python's {@code urllib.request.getproxies()} and
 * {@code proxy_bypass()} (its {@code proxies_from_env} keeps those four schemes).
 *
 * <p>The rules, urllib's unless said otherwise:
 * <ul>
 *   <li>A lower-case variable wins over the upper-case one; a lower-case variable set to the empty
 *       string cancels the upper-case one. When {@code REQUEST_METHOD} is set (a CGI script, whose
 *       {@code HTTP_PROXY} a client can set with a {@code Proxy:} header, CVE-2016-1000110), the
 *       upper-case {@code HTTP_PROXY} is ignored.</li>
 *   <li>{@code http_proxy} is used for http URLs, {@code https_proxy} for https URLs,
 *       {@code ws_proxy} for ws URLs and {@code wss_proxy} for wss URLs (aiohttp's
 *       {@code get_env_proxy_for_url} looks the URL's own scheme up, so {@code http_proxy} does
 *       not serve a ws URL, which then has no proxy). A proxy URL
 *       that is not {@code http://} is ignored (aiohttp ignores https proxies from the
 *       environment with a warning); so is one that cannot be parsed.</li>
 *   <li>{@code no_proxy} is a comma-separated list; {@code *} alone bypasses every host. Each
 *       entry, stripped of blanks and of leading dots, compared without case, matches the host
 *       itself or any name under it ({@code example.com} and {@code .example.com} both match
 *       {@code example.com} and {@code www.example.com}, not {@code badexample.com}). An entry
 *       with a port ({@code example.com:8080}) matches only that port (requests' rule; urllib
 *       compares it to {@code host:port} too). An IP literal matches that address (IPv6 with or
 *       without brackets), and a CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}) any address in
 *       it, as requests does for IPv4. Names are not resolved.</li>
 * </ul>
 */
public final class ProxyEnvironment {
    private final ProxySpec http;
    private final ProxySpec https;
    private final ProxySpec ws;
    private final ProxySpec wss;
    private final String noProxy;

    private ProxyEnvironment(ProxySpec http, ProxySpec https, ProxySpec ws, ProxySpec wss, String noProxy) {
        this.http = http;
        this.https = https;
        this.ws = ws;
        this.wss = wss;
        this.noProxy = noProxy;
    }

    /** Reads the proxies of {@code env} (for example {@link System#getenv()}). */
    public static ProxyEnvironment of(Map<String, String> env) {
        Checks.notNull(env, "environment");
        return new ProxyEnvironment(proxy(env, "http"), proxy(env, "https"), proxy(env, "ws"), proxy(env, "wss"),
                variable(env, "no"));
    }

    private static ProxySpec proxy(Map<String, String> env, String scheme) {
        String url = variable(env, scheme);
        if (url == null) {
            return null;
        }
        try {
            return ProxySpec.parse(url, null, null);
        } catch (InvalidURL | IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code <name>_proxy}: lower case first (empty cancels), then upper case (except HTTP_PROXY under CGI). */
    private static String variable(Map<String, String> env, String name) {
        String lower = env.get(name + "_proxy");
        if (lower != null) {
            return lower.isBlank() ? null : lower.strip();
        }
        if (name.equals("http") && env.containsKey("REQUEST_METHOD")) {
            return null;
        }
        String upper = env.get(name.toUpperCase(Locale.ROOT) + "_PROXY");
        return upper == null || upper.isBlank() ? null : upper.strip();
    }

    /**
     * Returns the proxy for {@code url}, or {@code null} to connect directly: the variable of the
     * URL's scheme (a WebSocket handshake is looked up under the {@code ws://} or {@code wss://}
     * URL it was given, as aiohttp requests that URL), unless {@code no_proxy} exempts the host.
     *
     * @param url an http, https, ws or wss URL (another scheme has no proxy)
     * @return the proxy for {@code url}, or {@code null} to connect directly
     */
    public ProxySpec forUrl(URI url) {
        ProxySpec p = switch (url.getScheme().toLowerCase(Locale.ROOT)) {
            case "http" -> http;
            case "https" -> https;
            case "ws" -> ws;
            case "wss" -> wss;
            default -> null;
        };
        if (p == null || bypass(url)) {
            return null;
        }
        return p;
    }

    /**
     * Returns whether {@code no_proxy} exempts {@code url}'s host.
     *
     * @return whether {@code no_proxy} exempts {@code url}'s host
     */
    public boolean bypass(URI url) {
        return noProxy != null && bypass(noProxy, Urls.asciiHost(url), Urls.port(url));
    }

    /**
     * Whether the {@code no_proxy} value {@code noProxy} exempts {@code host} on {@code port}.
     *
     * @param host an ASCII host, IPv6 literals with or without brackets
     */
    static boolean bypass(String noProxy, String host, int port) {
        if (noProxy.strip().equals("*")) {
            return true;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        byte[] address = ipLiteral(h);
        for (String raw : noProxy.split(",")) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            while (entry.startsWith(".")) {
                entry = entry.substring(1);
            }
            if (entry.isEmpty()) {
                continue;
            }
            int entryPort = -1;
            String name = entry;
            int colon = entry.lastIndexOf(':');
            if (entry.startsWith("[")) {
                int close = entry.indexOf(']');
                if (close < 0) {
                    continue;
                }
                name = entry.substring(1, close);
                String rest = entry.substring(close + 1);
                if (rest.startsWith(":")) {
                    entryPort = Urls.port(rest.substring(1));
                    if (entryPort < 0) {
                        continue;
                    }
                } else if (!rest.isEmpty() && !rest.startsWith("/")) {
                    continue;
                } else {
                    name = name + rest; // [fd00::]/8
                }
            } else if (colon >= 0 && entry.indexOf(':') == colon) {
                // one colon: a name or IPv4 address with a port (more colons: an IPv6 literal)
                entryPort = Urls.port(entry.substring(colon + 1));
                if (entryPort < 0) {
                    continue;
                }
                name = entry.substring(0, colon);
            }
            if (entryPort >= 0 && entryPort != port) {
                continue;
            }
            if (address != null) {
                if (matchesAddress(name, address)) {
                    return true;
                }
            } else if (h.equals(name) || h.endsWith("." + name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAddress(String entry, byte[] address) {
        int slash = entry.indexOf('/');
        String ip = slash < 0 ? entry : entry.substring(0, slash);
        byte[] net = ipLiteral(ip);
        if (net == null || net.length != address.length) {
            return false;
        }
        int bits = net.length * 8;
        if (slash >= 0) {
            int b = Urls.port(entry.substring(slash + 1));
            if (b < 0 || b > bits) {
                return false;
            }
            bits = b;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((net[i / 8] & mask) != (address[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of an IPv4 or IPv6 literal, or {@code null} for a name (never resolves). */
    static byte[] ipLiteral(String s) {
        boolean v4 = !s.isEmpty() && s.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9') && s.split("\\.", -1).length == 4;
        boolean v6 = s.indexOf(':') >= 0 && s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        if (!v4 && !v6) {
            return null;
        }
        if (v4) {
            for (String part : s.split("\\.")) {
                if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        try {
            return InetAddress.getByName(v6 ? "[" + s + "]" : s).getAddress();
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add("http=" + (http == null ? "none" : http));
        parts.add("https=" + (https == null ? "none" : https));
        if (ws != null) {
            parts.add("ws=" + ws);
        }
        if (wss != null) {
            parts.add("wss=" + wss);
        }
        parts.add("no_proxy=" + (noProxy == null ? "none" : noProxy));
        return "ProxyEnvironment[" + String.join(", ", parts) + "]";
    }
}
