package dev.aio4j.loop.internal;

/**
 * The one rule of aio4j for "is this host an IP address literal rather than a name": used where a
 * literal must not be looked up ({@code getaddrinfo}), must not be sent as a TLS server name (SNI
 * carries DNS names only, RFC 6066 section 3), and must not take part in cookie domain matching
 * (RFC 6265 section 5.1.3).
 *
 * <p>A literal is a dotted-quad IPv4 address (four decimal parts 0-255, no sign, no leading zero
 * unless the part is 0, since {@code 010} reads as octal to some resolvers), or an IPv6 address in
 * RFC 4291 text form (with {@code ::} at most once and an optional trailing dotted quad), bare or in
 * brackets, with an optional {@code %zone} (RFC 6874) when bare or bracketed. Anything else, such
 * as {@code 1.2.3}, {@code 256.0.0.1}, {@code 1.2.3.4.example} or {@code ::g}, is a name.
 */
public final class IpLiterals {
    private IpLiterals() {}

    /** {@code true} if {@code host} is an IPv4 or IPv6 literal (see the class comment). */
    public static boolean isIpLiteral(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        if (host.charAt(0) == '[') {
            return host.length() > 2 && host.charAt(host.length() - 1) == ']'
                    && isIpv6(host.substring(1, host.length() - 1));
        }
        return isIpv4(host, 0, host.length()) || isIpv6(host);
    }

    /** {@code true} if {@code s[from, to)} is a dotted quad. */
    static boolean isIpv4(String s, int from, int to) {
        int parts = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                if (value > 255) {
                    return false;
                }
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 1 && s.charAt(start) == '0') {
                return false;
            }
            parts++;
            if (i == to) {
                return parts == 4;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
    }

    /** {@code true} for an IPv6 address, optionally followed by {@code %zone}. */
    static boolean isIpv6(String s) {
        int end = s.length();
        int percent = s.indexOf('%');
        if (percent >= 0) {
            if (percent == end - 1) {
                return false; // an empty zone id
            }
            for (int i = percent + 1; i < end; i++) {
                char c = s.charAt(i);
                if (c <= ' ' || c >= 0x7F || c == '%' || c == '[' || c == ']' || c == '/') {
                    return false;
                }
            }
            end = percent;
        }
        if (end < 2) {
            return false;
        }
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && doubleColon >= end - 1) {
            doubleColon = -1;
        }
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0 && s.indexOf("::", doubleColon + 1) < end) {
            return false; // "::" twice
        }
        int groups = 0;
        int i = 0;
        if (doubleColon == 0) {
            i = 2;
            if (i == end) {
                return true; // "::"
            }
        } else if (s.charAt(0) == ':') {
            return false; // a single leading colon
        }
        while (true) {
            int start = i;
            while (i < end && Character.digit(s.charAt(i), 16) >= 0) {
                i++;
            }
            if (i < end && s.charAt(i) == '.') {
                // a trailing dotted quad stands for two groups
                if (!isIpv4(s, start, end)) {
                    return false;
                }
                groups += 2;
                break;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4) {
                return false;
            }
            groups++;
            if (i == end) {
                break;
            }
            if (s.charAt(i) != ':') {
                return false;
            }
            if (i == doubleColon) {
                i += 2;
                if (i == end) {
                    break; // ends with "::"
                }
            } else {
                i++;
                if (i == end) {
                    return false; // a single trailing colon
                }
            }
        }
        return doubleColon >= 0 ? groups < 8 : groups == 8;
    }
}
