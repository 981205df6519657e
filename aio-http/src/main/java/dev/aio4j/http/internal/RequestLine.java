package dev.aio4j.http.internal;

import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;

import java.nio.charset.StandardCharsets;

/**
 * A parsed request line (RFC 9112 section 3): {@code method SP request-target SP HTTP-version},
 * with exactly one space between the three parts. The method is a token; the target is one of the
 * four forms of section 3.2 (origin {@code /path?query}, absolute {@code http://h/p} with an
 * authority {@link AbsoluteTarget} can split, authority
 * {@code host:port} for CONNECT only, asterisk {@code *} for OPTIONS only) and holds visible
 * ASCII only (so no space, control character or raw non-ASCII byte); the version is HTTP/1.0 or
 * HTTP/1.1. The server-only start line; the rest of the head is shared with the response parser.
 *
 * @param method the method, as sent (case-sensitive, RFC 9110 section 9.1)
 * @param target the request target, as sent
 * @param versionMinor 0 or 1
 * @param absolute the parts of an absolute-form target, split once here; null for the other forms
 */
record RequestLine(String method, String target, int versionMinor, AbsoluteTarget absolute) {
    /**
     * Parses the line's bytes (without CRLF).
     *
     * @throws BadHttpMessage {@link Kind#BAD_STATUS_LINE} naming what is wrong (aiohttp raises
     *     {@code BadStatusLine} for a bad request line too); see {@link #unsupportedVersion} for
     *     the one case that deserves 505 rather than 400
     */
    static RequestLine parse(byte[] b, int len) {
        int sp1 = indexOf(b, 0, len, (byte) ' ');
        int sp2 = sp1 < 0 ? -1 : indexOf(b, sp1 + 1, len, (byte) ' ');
        if (sp1 <= 0 || sp2 < 0 || indexOf(b, sp2 + 1, len, (byte) ' ') >= 0) {
            throw bad("request line must be method, request-target and HTTP version separated by single spaces", b, len);
        }
        for (int i = 0; i < sp1; i++) {
            if (!Checks.isTokenChar(b[i] & 0xFF)) {
                throw bad("request method is not a token (RFC 9110 section 5.6.2)", b, len);
            }
        }
        if (sp2 == sp1 + 1) {
            throw bad("request target is empty", b, len);
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            int c = b[i] & 0xFF;
            if (c <= 0x20 || c >= 0x7F) {
                throw bad("request target has a byte that is not visible ASCII at offset " + i
                        + " (percent-encode it)", b, len);
            }
        }
        int versionAt = sp2 + 1;
        int minor = len - versionAt == 8 ? MessageFraming.versionMinor(b, versionAt) : -1;
        if (minor < 0) {
            if (len - versionAt == 8 && isHttpVersionShape(b, versionAt)) {
                throw bad("request uses HTTP/" + (char) b[versionAt + 5] + "." + (char) b[versionAt + 7]
                        + "; this server speaks HTTP/1.0 and HTTP/1.1", b, len);
            }
            throw bad("request line does not end with HTTP/1.0 or HTTP/1.1", b, len);
        }
        String method = new String(b, 0, sp1, StandardCharsets.US_ASCII);
        String target = new String(b, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.US_ASCII);
        AbsoluteTarget absolute = checkTargetForm(method, target, b, len);
        return new RequestLine(method, target, minor, absolute);
    }

    /**
     * Returns whether a line that {@link #parse} refused is well formed but of an HTTP version
     * other than 1.0 and 1.1 (answered 505 HTTP Version Not Supported rather than 400).
     *
     * @return whether the line ends with a well-formed {@code HTTP/d.d} other than 1.0 and 1.1
     */
    static boolean unsupportedVersion(byte[] b, int len) {
        int off = len - 8;
        return off > 0 && b[off - 1] == ' ' && isHttpVersionShape(b, off) && MessageFraming.versionMinor(b, off) < 0;
    }

    /** Checks the target's form; returns its parts if it is absolute-form, else null. */
    private static AbsoluteTarget checkTargetForm(String method, String target, byte[] b, int len) {
        if (method.equals("CONNECT")) {
            // authority-form: host:port, nothing else
            int colon = target.lastIndexOf(':');
            if (target.startsWith("/") || target.contains("/") || colon <= 0 || colon == target.length() - 1) {
                throw bad("CONNECT needs an authority-form target (host:port)", b, len);
            }
            return null;
        }
        if (target.equals("*")) {
            if (!method.equals("OPTIONS")) {
                throw bad("the asterisk-form target (*) is only for OPTIONS", b, len);
            }
            return null;
        }
        if (target.charAt(0) == '/') {
            return null; // origin-form
        }
        AbsoluteTarget absolute;
        try {
            absolute = AbsoluteTarget.parse(target);
        } catch (IllegalArgumentException e) {
            // yarl raises ValueError here, and aiohttp never answers the connection
            throw bad("absolute-form request target is not scheme://host[:port]/path: " + e.getMessage(), b, len);
        }
        if (absolute != null) {
            return absolute; // absolute-form
        }
        throw bad("request target must start with / (origin-form) or be an absolute URI", b, len);
    }

    private static boolean isHttpVersionShape(byte[] b, int off) {
        return b[off] == 'H' && b[off + 1] == 'T' && b[off + 2] == 'T' && b[off + 3] == 'P' && b[off + 4] == '/'
                && b[off + 5] >= '0' && b[off + 5] <= '9' && b[off + 6] == '.' && b[off + 7] >= '0' && b[off + 7] <= '9';
    }

    private static int indexOf(byte[] b, int from, int len, byte x) {
        for (int i = from; i < len; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private static BadHttpMessage bad(String why, byte[] b, int len) {
        return new BadHttpMessage(Kind.BAD_STATUS_LINE, why, -1, Escaping.quote(b, 0, len));
    }
}
