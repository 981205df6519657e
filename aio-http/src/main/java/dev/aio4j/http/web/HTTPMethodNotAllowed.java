package dev.aio4j.http.web;

import dev.aio4j.http.Headers;
import dev.aio4j.loop.internal.Checks;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * 405 Method Not Allowed: the resource exists but does not support the request's method. Sets
 * the {@code Allow} header to the allowed methods, sorted and joined by commas
 * ({@code Allow: POST,PUT}).
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPMethodNotAllowed(method, allowed_methods)}, status
 * 405, with the properties {@code method} and {@code allowed_methods}. <b>Differences:</b>
 * {@link #allowedMethods()} is a read-only set in sorted order (aiohttp's is a {@code set});
 * otherwise those of {@link HTTPException}.
 *
 * @since 0.2
 */
public class HTTPMethodNotAllowed extends HTTPClientError {
    private static final long serialVersionUID = 1L;

    /** The request's method. */
    private final String method;
    private final transient Set<String> allowedMethods;

    /**
     * Creates the exception with the reason {@code Method Not Allowed} and the text
     * {@code 405: Method Not Allowed}.
     *
     * @param method the request's method
     * @param allowedMethods the methods the resource supports
     * @throws NullPointerException if an argument or an allowed method is {@code null}
     */
    public HTTPMethodNotAllowed(String method, Collection<String> allowedMethods) {
        this(method, allowedMethods, null, null, null, null);
    }

    /**
     * Creates the exception with aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param method the request's method
     * @param allowedMethods the methods the resource supports
     * @param headers header fields to copy, or {@code null}
     * @param reason the reason phrase, or {@code null} for {@code Method Not Allowed}
     * @param text the body, or {@code null} for {@code "405: <reason>"}
     * @param contentType the {@code Content-Type}, or {@code null} for {@code text/plain}
     * @throws NullPointerException if {@code method}, {@code allowedMethods} or one of its
     *         elements is {@code null}
     * @throws IllegalArgumentException if the reason is invalid
     */
    public HTTPMethodNotAllowed(String method, Collection<String> allowedMethods, Headers headers, String reason,
            String text, String contentType) {
        super(405, headers, reason, text, contentType);
        this.method = Checks.notNull(method, "method");
        SortedSet<String> sorted = new TreeSet<>();
        for (String m : Checks.notNull(allowedMethods, "allowedMethods")) {
            sorted.add(Checks.notNull(m, "each of allowedMethods"));
        }
        this.allowedMethods = Collections.unmodifiableSortedSet(sorted);
        headers().set("Allow", String.join(",", sorted));
    }

    /**
     * Returns the request's method.
     *
     * @return the method that was not allowed
     */
    public final String method() {
        return method;
    }

    /**
     * Returns the methods the resource supports.
     *
     * @return a read-only set, in sorted order
     */
    public final Set<String> allowedMethods() {
        return allowedMethods;
    }
}
