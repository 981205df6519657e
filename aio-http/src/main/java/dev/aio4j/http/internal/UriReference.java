package dev.aio4j.http.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A URI reference split into its five components, and RFC 3986 section 5.2 reference resolution
 * over them: the strict algorithm of 5.2.2 with merging (5.2.3), dot-segment removal (5.2.4) and
 * recomposition (5.3). A component is {@code null} when it is undefined (no {@code ?} means no
 * query, which differs from an empty query), as the RFC distinguishes them.
 *
 * <p>{@link java.net.URI#resolve} follows RFC 2396 instead, which gets several of RFC 3986's
 * examples wrong (a reference of only a query drops the last path segment; {@code ..} above the
 * root is kept), so the client resolves with this class.
 *
 * <p>Pure functions of strings; no sockets, no encoding (see {@link UrlEncoding}).
 *
 * @param scheme the scheme without {@code :}, or {@code null}
 * @param authority the authority without {@code //}, or {@code null}
 * @param path the path, possibly empty, never {@code null}
 * @param query the query without {@code ?}, or {@code null}
 * @param fragment the fragment without {@code #}, or {@code null}
 */
public record UriReference(String scheme, String authority, String path, String query, String fragment) {
    /** RFC 3986 appendix B: splits any string into the five components. */
    private static final Pattern SPLIT = Pattern.compile("^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\\?([^#]*))?(?:#(.*))?$",
            Pattern.DOTALL);

    public UriReference {
        if (path == null) {
            throw new NullPointerException("path must not be null (use \"\" for an empty path)");
        }
    }

    /**
     * Whether {@code s.substring(0, end)} is a scheme (RFC 3986 section 3.1: an ASCII letter, then
     * ASCII letters, digits, {@code +}, {@code -} or {@code .}). The one check for the request
     * target, {@code clone(scheme=)} and aio-test's URL building.
     *
     * @param s the string
     * @param end where the candidate scheme ends (exclusive; the index of its {@code :})
     * @return whether it is a scheme; false when {@code end} is 0
     */
    public static boolean isScheme(String s, int end) {
        if (end <= 0 || !isAsciiLetter(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < end; i++) {
            char c = s.charAt(i);
            if (!(isAsciiLetter(c) || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /**
     * Splits {@code s} into its components (RFC 3986 appendix B). Every string splits; whether the
     * parts are valid is checked later.
     *
     * @return the components of {@code s}
     */
    public static UriReference split(String s) {
        Matcher m = SPLIT.matcher(s);
        if (!m.matches()) {
            throw new AssertionError("the RFC 3986 appendix B expression matches every string: " + s);
        }
        return new UriReference(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5));
    }

    /**
     * Returns whether the reference has a scheme (an absolute URI, possibly with a fragment).
     *
     * @return whether the reference has a scheme
     */
    public boolean hasScheme() {
        return scheme != null;
    }

    /**
     * Resolves {@code ref} against this base URI (RFC 3986 section 5.2.2, strict: a reference
     * with a scheme is never taken as relative, even with the base's scheme).
     *
     * @param ref the reference
     * @return the target URI's components
     */
    public UriReference resolve(UriReference ref) {
        if (ref.scheme != null) {
            return new UriReference(ref.scheme, ref.authority, removeDotSegments(ref.path), ref.query, ref.fragment);
        }
        if (ref.authority != null) {
            return new UriReference(scheme, ref.authority, removeDotSegments(ref.path), ref.query, ref.fragment);
        }
        if (ref.path.isEmpty()) {
            return new UriReference(scheme, authority, path, ref.query != null ? ref.query : query, ref.fragment);
        }
        String p = ref.path.startsWith("/") ? removeDotSegments(ref.path) : removeDotSegments(merge(ref.path));
        return new UriReference(scheme, authority, p, ref.query, ref.fragment);
    }

    /** RFC 3986 section 5.2.3: a relative-path reference merged with this base's path. */
    private String merge(String refPath) {
        if (authority != null && path.isEmpty()) {
            return "/" + refPath;
        }
        int slash = path.lastIndexOf('/');
        return slash < 0 ? refPath : path.substring(0, slash + 1) + refPath;
    }

    /**
     * Removes the {@code .} and {@code ..} segments of a path (RFC 3986 section 5.2.4): the
     * input buffer is consumed from the left, one rule at a time, into the output buffer; a
     * {@code ..} above the root is dropped.
     *
     * @param path a path, possibly empty
     * @return the path without dot segments
     */
    public static String removeDotSegments(String path) {
        if (path.indexOf('.') < 0) {
            return path;
        }
        // an index into path instead of the RFC's shrinking input buffer, so the work is linear in
        // the path's length (a Link target or Location of many segments); inputSlash stands for
        // an input buffer that rules B and C left as exactly "/"
        int n = path.length();
        int i = 0;
        boolean inputSlash = false;
        StringBuilder out = new StringBuilder(n);
        while (inputSlash || i < n) {
            if (inputSlash) {                                         // rule E on "/"
                out.append('/');
                inputSlash = false;
            } else if (path.startsWith("../", i)) {                   // rule A
                i += 3;
            } else if (path.startsWith("./", i)) {                    // rule A
                i += 2;
            } else if (path.startsWith("/./", i)) {                   // rule B
                i += 2;
            } else if (n - i == 2 && path.startsWith("/.", i)) {      // rule B
                i = n;
                inputSlash = true;
            } else if (path.startsWith("/../", i)) {                  // rule C
                i += 3;
                dropLastSegment(out);
            } else if (n - i == 3 && path.startsWith("/..", i)) {     // rule C
                i = n;
                inputSlash = true;
                dropLastSegment(out);
            } else if (n - i == 1 && path.charAt(i) == '.' || n - i == 2 && path.startsWith("..", i)) { // rule D
                i = n;
            } else {                                                  // rule E: the first segment, with its leading "/"
                int next = path.indexOf('/', path.charAt(i) == '/' ? i + 1 : i);
                if (next < 0) {
                    next = n;
                }
                out.append(path, i, next);
                i = next;
            }
        }
        return out.toString();
    }

    /** Removes the last segment and its preceding "/" (if any) from the output buffer. */
    private static void dropLastSegment(StringBuilder out) {
        int slash = out.lastIndexOf("/");
        out.setLength(Math.max(slash, 0));
    }

    /**
     * Recomposes the reference (RFC 3986 section 5.3).
     *
     * @return the reference as a string
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (scheme != null) {
            sb.append(scheme).append(':');
        }
        if (authority != null) {
            sb.append("//").append(authority);
        }
        sb.append(path);
        if (query != null) {
            sb.append('?').append(query);
        }
        if (fragment != null) {
            sb.append('#').append(fragment);
        }
        return sb.toString();
    }
}
