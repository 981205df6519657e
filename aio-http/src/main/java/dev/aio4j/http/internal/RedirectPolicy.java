package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.http.ClientPayloadError;
import dev.aio4j.http.Headers;
import dev.aio4j.http.InvalidURL;
import dev.aio4j.http.RequestInfo;
import dev.aio4j.http.TooManyRedirects;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides, as a pure function of the response and the chain so far, whether and how to follow a
 * redirect (RFC 9110 section 15.4, and what aiohttp and browsers do):
 *
 * <ul>
 *   <li>301, 302: a POST becomes a GET without a body; other methods are kept with their body.
 *   <li>303: every method except HEAD becomes a GET without a body.
 *   <li>307, 308 (and 301, 302 of a method other than POST): method and body are kept; if the
 *       body was a one-shot stream that has been sent, following is a {@link ClientPayloadError}
 *       that says how to give the body instead (aiohttp raises the same error), never a request
 *       with an empty or partial body. As in aiohttp this is checked before the target is read,
 *       so it holds for such a 3xx without a target, or with an unusable one, too.
 *   <li>Other statuses, or no {@code Location} below the limit: not a redirect. The target is
 *       {@code Location}, or the obsolete {@code URI} header when {@code Location} is missing or
 *       empty ({@link #location}, as aiohttp reads it).
 *   <li>When the origin (scheme, host, port) changes, as the caller knows the URLs (a {@code ws://h}
 *       request sent as {@code http://h} and redirected to {@code http://h} changes it, as for
 *       aiohttp, though the URLs sent share it), {@code Authorization},
 *       {@code Proxy-Authorization} and {@code Cookie} headers are dropped (cookies from the jar
 *       are chosen again for the new URL); when the body is dropped, so are the headers that
 *       describe it.
 *   <li>A {@code Location} that does not parse, or is not http(s), is an {@link InvalidURL}.
 *   <li>The {@code maxRedirects}-th redirect response (aiohttp counts the one that reaches the
 *       limit, so 10 follows 9; 0 is no limit; checked before {@code Location} is read, as
 *       aiohttp does, so at the limit a 3xx without or with a bad {@code Location} counts too), or the same redirect a second time (same method,
 *       from the same URL to the same URL: nothing can have changed but cookies, and the server
 *       sent us the same way again), is {@link TooManyRedirects}.
 * </ul>
 */
public final class RedirectPolicy {
    /** One followed redirect: the request that got a 3xx. */
    public record Hop(String method, URI from, URI to) {}

    /**
     * What to do next. {@code null} from {@link #decide} means: do not follow, return the response.
     *
     * @param url the target, to send to
     * @param shownUrl the target as the caller knows it: in the ws scheme of a {@code ws://} request's
     *     hop when {@code Location} was relative (aiohttp joins it to the ws URL), else {@code url}
     */
    public record Redirect(String method, URI url, URI shownUrl, Headers headers, boolean keepBody) {}

    private static final Set<String> BODY_HEADERS = Set.of("content-length", "content-type", "content-encoding",
            "transfer-encoding", "content-language", "content-location", "digest");
    private static final List<String> CREDENTIAL_HEADERS = List.of("Authorization", "Proxy-Authorization", "Cookie");

    private final int maxRedirects;

    public RedirectPolicy(int maxRedirects) {
        this.maxRedirects = Checks.nonNegative(maxRedirects, "maxRedirects");
    }

    public int maxRedirects() {
        return maxRedirects;
    }

    /**
     * @param status the response status
     * @param location the response's target ({@link #location}), or {@code null}
     * @param method the request's method
     * @param url the request's URL, as sent
     * @param shownUrl the URL the caller knows the request by ({@link RequestSpec#shownUrl()}): the
     *        {@code ws://} or {@code wss://} URL of a request sent as {@code http://} or {@code https://},
     *        which the errors name instead of {@code url}, with a relative {@code Location}'s target in
     *        its scheme too (aiohttp joins it to the ws URL), and whose origin decides whether the
     *        credentials go on; {@code url} itself for any other request
     * @param requestHeaders the request's headers (not modified)
     * @param bodySendable whether the request body can be sent again (true if there is none, or
     *        a one-shot body was not sent yet, as when a final response came before 100 Continue)
     * @param history the redirects followed so far, oldest first
     * @param firstRequest the chain's first request, which a {@link TooManyRedirects} carries as its
     *        {@code requestInfo()} (aiohttp: {@code history[0].request_info}); required, so that no
     *        such error goes without it
     * @return the next request, or {@code null} if the response is final
     * @throws NullPointerException if {@code firstRequest} is null
     * @throws TooManyRedirects past the limit or on a loop
     * @throws InvalidURL if {@code Location} is unusable
     * @throws ClientPayloadError if the redirect keeps the body and it cannot be sent again
     */
    public Redirect decide(int status, String location, String method, URI url, URI shownUrl, Headers requestHeaders,
                           boolean bodySendable, List<Hop> history, RequestInfo firstRequest) {
        Checks.notNull(firstRequest, "firstRequest");
        Checks.notNull(shownUrl, "shownUrl");
        if (!isRedirect(status)) {
            return null;
        }
        List<URI> chain = new ArrayList<>();
        for (Hop h : history) {
            chain.add(h.from());
        }
        chain.add(url);
        // aiohttp: redirects += 1; if max_redirects and redirects >= max_redirects: raise, before Location is read
        if (maxRedirects > 0 && history.size() + 1 >= maxRedirects) {
            throw tooMany(firstRequest, status, "redirect " + (history.size() + 1) + " reached maxRedirects=" + maxRedirects
                    + " (" + describe(url, shownUrl, location) + ")", shownUrl, chain);
        }
        String m = method.toUpperCase(Locale.ROOT);
        boolean toGet = status == 303 && !m.equals("HEAD") || (status == 301 || status == 302) && m.equals("POST");
        // aiohttp checks `req._body.consumed` before it reads Location: a redirect that would keep a
        // spent one-shot body fails even when it has no Location (or a bad one) to follow
        if (!toGet && !bodySendable) {
            throw new ClientPayloadError("cannot follow the " + status + " redirect of " + method + " " + where(url, shownUrl, location)
                    + ": it keeps the request body, which was a one-shot stream (chunks, an InputStream or a "
                    + "Flow.Publisher) and has been sent; give the body as bytes, a String, a form or a file, which "
                    + "can be sent again, or use allowRedirects(false) to get the " + status + " response", shownUrl, null);
        }
        if (location == null) { // aiohttp: if r_url is None: break (the 3xx is the response)
            return null;
        }
        URI target = resolveLocation(url, location, shownUrl);
        URI shownTarget = shown(target, location, url, shownUrl);
        String nextMethod = toGet ? "GET" : method;
        URI from = Urls.withoutFragment(url);
        URI to = Urls.withoutFragment(target);
        for (Hop h : history) {
            if (h.method().equalsIgnoreCase(method) && Urls.withoutFragment(h.from()).equals(from)
                    && Urls.withoutFragment(h.to()).equals(to)) {
                throw tooMany(firstRequest, status, "redirect loop: " + method + " " + Urls.withoutFragment(shownUrl)
                        + " was redirected to " + Urls.withoutFragment(shownTarget) + " twice",
                        shownUrl, chain);
            }
        }
        Headers next = Urls.origin(shownUrl).equals(Urls.origin(shownTarget)) ? Headers.copyOf(requestHeaders)
                : withoutCredentials(requestHeaders);
        next.remove("Host");
        if (toGet) {
            for (String n : next.names()) {
                if (BODY_HEADERS.contains(n.toLowerCase(Locale.ROOT))) {
                    next.remove(n);
                }
            }
        }
        return new Redirect(nextMethod, target, shownTarget, next, !toGet);
    }

    /**
     * A copy of {@code requestHeaders} without the fields a redirect to another origin drops:
     * {@code Authorization}, {@code Proxy-Authorization} and {@code Cookie}.
     */
    private static Headers withoutCredentials(Headers requestHeaders) {
        Headers next = Headers.copyOf(requestHeaders);
        for (String h : CREDENTIAL_HEADERS) {
            next.remove(h);
        }
        return next;
    }

    private static TooManyRedirects tooMany(RequestInfo firstRequest, int status, String message, URI url, List<URI> chain) {
        return new TooManyRedirects(firstRequest, status, message, url, chain);
    }

    /**
     * Returns whether {@code status} is one that aiohttp treats as a redirect: 301, 302, 303, 307
     * or 308.
     *
     * @param status a response status
     * @return whether it is a redirect status
     */
    public static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * The redirect target of a response, as aiohttp reads it
     * ({@code resp.headers.get(hdrs.LOCATION) or resp.headers.get(hdrs.URI)}): {@code Location}
     * unless it is missing or empty, else the obsolete {@code URI} header (of HTTP/1.0's era, which
     * some old servers still send), else {@code null}: the 3xx is the
     * response. An empty {@code URI} is returned as it is (aiohttp follows it: an empty reference is
     * the request's own URL).
     *
     * @param responseHeaders the redirect response's headers
     * @return the reference to follow, or {@code null} if there is none
     */
    public static String location(Headers responseHeaders) {
        String location = responseHeaders.get("Location");
        if (location != null && !location.isEmpty()) {
            return location;
        }
        return responseHeaders.get("URI");
    }

    /** Where a redirect that cannot be followed went, for a message: "to" the target, or why there is none. */
    private static String where(URI url, URI shownUrl, String location) {
        if (location == null) {
            return "from " + shownUrl + " (no Location)";
        }
        try {
            return "to " + shown(resolveLocation(url, location), location, url, shownUrl);
        } catch (InvalidURL e) {
            return "from " + shownUrl + " (Location: " + location + ")";
        }
    }

    /** The redirect target for a message: resolved if it can be, else as the server sent it. */
    private static String describe(URI url, URI shownUrl, String location) {
        if (location == null) {
            return "no Location";
        }
        try {
            return "next: " + shown(resolveLocation(url, location), location, url, shownUrl);
        } catch (InvalidURL e) {
            return "Location: " + location;
        }
    }

    /**
     * {@code target}, resolved against {@code url}, as the caller knows it: in the ws scheme of
     * {@code shownUrl} when that differs from {@code url} and {@code location} is relative (aiohttp
     * joins it to the ws URL), else as it is (an absolute {@code Location} names its own scheme).
     */
    private static URI shown(URI target, String location, URI url, URI shownUrl) {
        if (shownUrl.equals(url) || UriReference.split(location.strip()).hasScheme()) {
            return target;
        }
        return Urls.toWebSocket(target);
    }

    /**
     * Resolves {@code Location} against the request URL (RFC 3986, encoded as a request URL is;
     * bytes from 0x80 up, which the parser read as ISO-8859-1, are percent-encoded as the server
     * sent them). The target keeps the fragment {@code Location} gives (RFC 3986 5.2.2 takes it
     * from the reference, never from the base), as aiohttp's {@code url.join(parsed_redirect_url)}:
     * the next request is sent without it and its response's {@code realUrl()} has it.
     */
    static URI resolveLocation(URI base, String location) {
        return resolveLocation(base, location, base);
    }

    /** As {@link #resolveLocation(URI, String)}; an error names {@code shownBase}, the URL the caller knows {@code base} by. */
    private static URI resolveLocation(URI base, String location, URI shownBase) {
        String loc = UrlEncoding.escapeHighBytes(location.strip());
        UriReference ref = UriReference.split(loc);
        if (ref.hasScheme()) {
            String scheme = ref.scheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new InvalidURL(location, "redirect from " + shownBase + " to a non-HTTP URL");
            }
        }
        URI target;
        try {
            target = Urls.join(base, loc);
        } catch (InvalidURL e) {
            throw new InvalidURL(location, "redirect Location from " + shownBase + " is not usable: " + e.getMessage());
        }
        return target;
    }
}
