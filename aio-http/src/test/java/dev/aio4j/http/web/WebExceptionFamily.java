package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

import java.lang.reflect.InvocationTargetException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The web exception family listed by hand, with each concrete class's status and RFC 9110 reason
 * phrase, and a way to build any of them: the fixture of {@link WebExceptionsTest} and
 * {@link WebExceptionsProperties}. The list is checked against the compiled package, so a new
 * class that is not listed fails {@code WebExceptionsTest.allHttpExceptionsExported}. aio4j-only.
 */
final class WebExceptionFamily {
    private WebExceptionFamily() {}

    /** A concrete class with its status, its standard reason, and whether it has a body. */
    record Member(Class<? extends HTTPException> type, int status, String reason) {
        boolean emptyBody() {
            return status == 204 || status == 205 || status == 304;
        }

        /** The category group this status belongs to. */
        Class<? extends HTTPException> category() {
            return switch (status / 100) {
                case 2 -> HTTPSuccessful.class;
                case 3 -> HTTPRedirection.class;
                case 4 -> HTTPClientError.class;
                case 5 -> HTTPServerError.class;
                default -> throw new AssertionError(status);
            };
        }

        /** The arguments before aiohttp's keyword arguments, for the classes that take some. */
        Object[] leadingArgs() {
            if (HTTPMove.class.isAssignableFrom(type)) {
                return new Object[] {"/target"};
            } else if (type == HTTPMethodNotAllowed.class) {
                return new Object[] {"GET", List.of("POST", "PUT")};
            } else if (type == HTTPRequestEntityTooLarge.class) {
                return new Object[] {10L, 20L};
            } else if (type == HTTPUnavailableForLegalReasons.class) {
                return new Object[] {"http://example.org/"};
            }
            return new Object[0];
        }

        /** Builds one with its short constructor. */
        HTTPException create() {
            return construct(leadingArgs());
        }

        /** Builds one with its long constructor (aiohttp's keyword arguments). */
        HTTPException create(Headers headers, String reason, String text, String contentType) {
            Object[] lead = leadingArgs();
            Object[] all = new Object[lead.length + 4];
            System.arraycopy(lead, 0, all, 0, lead.length);
            all[lead.length] = headers;
            all[lead.length + 1] = reason;
            all[lead.length + 2] = text;
            all[lead.length + 3] = contentType;
            return construct(all);
        }

        private HTTPException construct(Object[] args) {
            for (var k : type.getConstructors()) {
                if (k.getParameterCount() == args.length) {
                    try {
                        return (HTTPException) k.newInstance(args);
                    } catch (InvocationTargetException e) {
                        if (e.getCause() instanceof RuntimeException r) {
                            throw r;
                        }
                        throw new AssertionError(e);
                    } catch (ReflectiveOperationException e) {
                        throw new AssertionError(e);
                    }
                }
            }
            throw new AssertionError(type.getSimpleName() + " has no public constructor of " + args.length + " parameters");
        }

        @Override
        public String toString() {
            return type.getSimpleName();
        }
    }

    /** The abstract groups, which have no status of their own. */
    static final List<Class<? extends HTTPException>> GROUPS = List.of(HTTPException.class, HTTPError.class,
            HTTPSuccessful.class, HTTPRedirection.class, HTTPMove.class, HTTPClientError.class, HTTPServerError.class);

    /** Every concrete class, in aiohttp's order. */
    static final List<Member> MEMBERS = List.of(
            m(HTTPOk.class, 200, "OK"),
            m(HTTPCreated.class, 201, "Created"),
            m(HTTPAccepted.class, 202, "Accepted"),
            m(HTTPNonAuthoritativeInformation.class, 203, "Non-Authoritative Information"),
            m(HTTPNoContent.class, 204, "No Content"),
            m(HTTPResetContent.class, 205, "Reset Content"),
            m(HTTPPartialContent.class, 206, "Partial Content"),
            m(HTTPMultipleChoices.class, 300, "Multiple Choices"),
            m(HTTPMovedPermanently.class, 301, "Moved Permanently"),
            m(HTTPFound.class, 302, "Found"),
            m(HTTPSeeOther.class, 303, "See Other"),
            m(HTTPNotModified.class, 304, "Not Modified"),
            m(HTTPUseProxy.class, 305, "Use Proxy"),
            m(HTTPTemporaryRedirect.class, 307, "Temporary Redirect"),
            m(HTTPPermanentRedirect.class, 308, "Permanent Redirect"),
            m(HTTPBadRequest.class, 400, "Bad Request"),
            m(HTTPUnauthorized.class, 401, "Unauthorized"),
            m(HTTPPaymentRequired.class, 402, "Payment Required"),
            m(HTTPForbidden.class, 403, "Forbidden"),
            m(HTTPNotFound.class, 404, "Not Found"),
            m(HTTPMethodNotAllowed.class, 405, "Method Not Allowed"),
            m(HTTPNotAcceptable.class, 406, "Not Acceptable"),
            m(HTTPProxyAuthenticationRequired.class, 407, "Proxy Authentication Required"),
            m(HTTPRequestTimeout.class, 408, "Request Timeout"),
            m(HTTPConflict.class, 409, "Conflict"),
            m(HTTPGone.class, 410, "Gone"),
            m(HTTPLengthRequired.class, 411, "Length Required"),
            m(HTTPPreconditionFailed.class, 412, "Precondition Failed"),
            m(HTTPRequestEntityTooLarge.class, 413, "Content Too Large"),
            m(HTTPRequestURITooLong.class, 414, "URI Too Long"),
            m(HTTPUnsupportedMediaType.class, 415, "Unsupported Media Type"),
            m(HTTPRequestRangeNotSatisfiable.class, 416, "Range Not Satisfiable"),
            m(HTTPExpectationFailed.class, 417, "Expectation Failed"),
            m(HTTPMisdirectedRequest.class, 421, "Misdirected Request"),
            m(HTTPUnprocessableEntity.class, 422, "Unprocessable Content"),
            m(HTTPFailedDependency.class, 424, "Failed Dependency"),
            m(HTTPUpgradeRequired.class, 426, "Upgrade Required"),
            m(HTTPPreconditionRequired.class, 428, "Precondition Required"),
            m(HTTPTooManyRequests.class, 429, "Too Many Requests"),
            m(HTTPRequestHeaderFieldsTooLarge.class, 431, "Request Header Fields Too Large"),
            m(HTTPUnavailableForLegalReasons.class, 451, "Unavailable For Legal Reasons"),
            m(HTTPInternalServerError.class, 500, "Internal Server Error"),
            m(HTTPNotImplemented.class, 501, "Not Implemented"),
            m(HTTPBadGateway.class, 502, "Bad Gateway"),
            m(HTTPServiceUnavailable.class, 503, "Service Unavailable"),
            m(HTTPGatewayTimeout.class, 504, "Gateway Timeout"),
            m(HTTPVersionNotSupported.class, 505, "HTTP Version Not Supported"),
            m(HTTPVariantAlsoNegotiates.class, 506, "Variant Also Negotiates"),
            m(HTTPInsufficientStorage.class, 507, "Insufficient Storage"),
            m(HTTPNotExtended.class, 510, "Not Extended"),
            m(HTTPNetworkAuthenticationRequired.class, 511, "Network Authentication Required"));

    /** The fields as a set of (lower-case name, value): header equality as aiohttp's dict comparison sees it. */
    static Set<Map.Entry<String, String>> fieldSet(Headers h) {
        Set<Map.Entry<String, String>> out = new HashSet<>();
        h.forEach((n, v) -> out.add(Map.entry(n.toLowerCase(Locale.ROOT), v)));
        return out;
    }

    private static Member m(Class<? extends HTTPException> type, int status, String reason) {
        return new Member(type, status, reason);
    }
}
