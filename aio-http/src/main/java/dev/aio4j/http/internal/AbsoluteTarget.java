package dev.aio4j.http.internal;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An absolute-form request target ({@code http://host:port/path?query#fragment}, RFC 9112 section
 * 3.2.2) split as yarl's {@code URL(target, encoded=True)} splits it: the authority ends at the
 * first {@code /}, {@code ?} or {@code #} after {@code ://}; what follows is {@link #rest()}, kept
 * as sent. The request line parser refuses a target this cannot split; {@code web.Request} reads
 * its host, scheme and URL from it, as aiohttp does.
 *
 * @param scheme the scheme, as sent (yarl lower-cases it)
 * @param userinfo what precedes the last {@code @} of the authority, or null if none
 * @param host the host, as sent, an IPv6 address in its brackets
 * @param port the text after the host's {@code :}, possibly empty; null if no {@code :}
 * @param rest the path, query and fragment, as sent; may be empty
 */
public record AbsoluteTarget(String scheme, String userinfo, String host, String port, String rest) {
    private static final Pattern IP_FUTURE = Pattern.compile("v[0-9a-fA-F]+\\..+", Pattern.DOTALL);

    /**
     * Splits {@code target} if it is absolute ({@code scheme://...}).
     *
     * @param target a request target
     * @return the parts, or null if the target has no {@code scheme://} prefix
     * @throws IllegalArgumentException if it has one but its authority is not {@code host[:port]}
     *     (with an optional {@code userinfo@}): no host, a port that is not a number from 0 to
     *     65535, an IPv6 bracket that is not closed or is followed by something other than
     *     {@code :port}, brackets around neither an IPv6 address (with a colon) nor an IPvFuture,
     *     brackets in the userinfo, or a backslash (all as yarl); the message says which
     */
    public static AbsoluteTarget parse(String target) {
        int sep = target.indexOf("://");
        if (sep <= 0 || !UriReference.isScheme(target, sep)) {
            return null;
        }
        int from = sep + 3;
        int end = target.length();
        for (int i = from; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        String authority = target.substring(from, end);
        if (authority.indexOf('\\') >= 0) {
            // as yarl: WHATWG parsers (browsers, many proxies) read \\ as a path separator, so a
            // proxy and this server would disagree on the host
            throw new IllegalArgumentException("the target's authority holds a backslash, which RFC 3986 does not allow there");
        }
        int at = authority.lastIndexOf('@');
        String userinfo = at < 0 ? null : authority.substring(0, at);
        String hostinfo = authority.substring(at + 1);
        if (userinfo != null && (userinfo.indexOf('[') >= 0 || userinfo.indexOf(']') >= 0)) {
            // as yarl: a bracket is allowed only around the host (an IP-literal)
            throw new IllegalArgumentException("the target's userinfo holds a [ or ], allowed only around an IPv6 host");
        }
        String host;
        String port;
        if (hostinfo.startsWith("[")) {
            int close = hostinfo.indexOf(']');
            if (close < 0 || hostinfo.indexOf('[', 1) >= 0 || hostinfo.indexOf(']', close + 1) >= 0) {
                throw new IllegalArgumentException("the IPv6 address of the target's authority is not closed by one ]");
            }
            host = hostinfo.substring(0, close + 1);
            String after = hostinfo.substring(close + 1);
            if (!after.isEmpty() && after.charAt(0) != ':') {
                throw new IllegalArgumentException("the target's IPv6 address [...] is followed by something other than :port");
            }
            port = after.isEmpty() ? null : after.substring(1);
            if (close == 1) {
                throw new IllegalArgumentException("the target's authority has an empty IPv6 address []");
            }
            String literal = host.substring(1, close);
            // as yarl (RFC 3986 IP-literal): an IPvFuture v<hex>.<something>, else an IPv6 address,
            // which has a colon; the address itself is not checked further, as yarl does not
            if (literal.charAt(0) == 'v' ? !IP_FUTURE.matcher(literal).matches() : literal.indexOf(':') < 0) {
                throw new IllegalArgumentException("the target's [" + literal + "] is neither an IPv6 address nor an IPvFuture "
                        + "(v<hex>.<address>)");
            }
        } else {
            if (hostinfo.indexOf('[') >= 0 || hostinfo.indexOf(']') >= 0) {
                throw new IllegalArgumentException("the target's authority has a [ or ] outside an IPv6 address");
            }
            int colon = hostinfo.indexOf(':');
            host = colon < 0 ? hostinfo : hostinfo.substring(0, colon);
            port = colon < 0 ? null : hostinfo.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("the target's authority has no host (give scheme://host[:port]/path)");
        }
        if (port != null && !port.isEmpty() && Urls.port(port) < 0) {
            throw new IllegalArgumentException("the target's port \"" + port + "\" is not a number from 0 to 65535");
        }
        return new AbsoluteTarget(target.substring(0, sep), userinfo, host, port, target.substring(end));
    }

    /**
     * Returns the host as yarl's {@code url.host} gives it: without brackets; an IP address as sent
     * (an IPv6 zone's {@code %25} as {@code %}); a name in lower case, its IDNA labels decoded.
     *
     * @return the decoded host
     */
    public String hostName() {
        return hostName(host);
    }

    /**
     * Returns a host as yarl's {@code url.host} gives it (see {@link #hostName()}), for a host in a
     * URL's ASCII form: what a {@code .netrc} entry is looked up by (aiohttp looks up {@code url.host}).
     *
     * @param host the host, an IPv6 address with or without its brackets
     * @return the decoded host
     */
    public static String hostName(String host) {
        String raw = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        // yarl keeps an IP address as it is; a name, though its last label ends in a digit
        // (ip_address refuses it), is lower-cased and its IDNA labels decoded
        if (raw.indexOf(':') >= 0 || raw.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9')) {
            return raw.replace("%25", "%");
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        try {
            return IDN.toUnicode(lower, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return lower;
        }
    }

    /**
     * Returns the authority as yarl prints the URL: the userinfo and host as sent, and the port
     * unless it is the default one of {@code effectiveScheme}.
     *
     * @param effectiveScheme the scheme the URL is printed with (the target's, or a clone's)
     * @param hostOverride a host to print instead of the target's (a clone's), or null
     * @return the authority, e.g. {@code u@Other.Example:8080}
     */
    public String authority(String effectiveScheme, String hostOverride) {
        StringBuilder sb = new StringBuilder();
        if (userinfo != null) {
            sb.append(userinfo).append('@');
        }
        sb.append(hostOverride != null ? hostOverride : host);
        if (port != null) {
            int dflt = switch (effectiveScheme.toLowerCase(Locale.ROOT)) {
                case "http", "ws" -> 80;
                case "https", "wss" -> 443;
                case "ftp" -> 21;
                default -> -1;
            };
            if (port.isEmpty() || Integer.parseInt(port) != dflt) {
                sb.append(':').append(port);
            }
        }
        return sb.toString();
    }

}
