package dev.aio4j.http.web;

import dev.aio4j.http.Headers;
import dev.aio4j.http.internal.ReasonPhrases;
import dev.aio4j.http.internal.UriReference;
import dev.aio4j.http.internal.UrlEncoding;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP response thrown from a handler: the server catches it and answers with its status,
 * reason, headers and text. The root of the web exception family; throw one of its concrete
 * subclasses ({@code throw new HTTPNotFound()}).
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.HTTPException} (aiohttp 4's form, which is an exception
 * and no longer a {@code Response}), with {@code status}, {@code reason}, {@code text} and
 * {@code headers}. <b>Differences:</b>
 * <ul>
 *   <li>aiohttp's keyword arguments {@code headers=}, {@code reason=}, {@code text=} and
 *       {@code content_type=} are, in that order, the arguments of each class's long constructor
 *       ({@code null} means "the default"), or fluent setters on the exception:
 *       {@code throw new HTTPBadRequest().text("missing id")}. The setters return
 *       {@code HTTPException}, so a chain ends in {@code throw}, not in a typed variable.
 *       Setting the reason later also changes a text that is still the default, so both forms
 *       give the same exception.</li>
 *   <li>The classes that only group others ({@link HTTPError}, {@link HTTPSuccessful},
 *       {@link HTTPRedirection}, {@link HTTPMove}, {@link HTTPClientError},
 *       {@link HTTPServerError} and this one) are abstract: aiohttp lets you raise them with the
 *       meaningless status -1. To add a status aiohttp lacks, extend one of them and pass the
 *       status to its protected constructor.</li>
 *   <li>The statuses that have no body (1xx, 204, 205 and 304) refuse a text or content type
 *       with {@link IllegalArgumentException}; aiohttp 4 accepts them with a
 *       {@code DeprecationWarning} and plans to refuse them in aiohttp 5.</li>
 *   <li>A reason may hold no control character (HTAB allowed) and only ISO-8859-1, as the
 *       status line requires; aiohttp refuses only CR and LF.</li>
 *   <li>{@link #charset()} and {@link #body()} are aio4j's: the text encoded for the wire
 *       (UTF-8 unless set), which aiohttp's server does when it turns the exception into a
 *       {@code Response}.</li>
 *   <li>The default reasons are RFC 9110's, as Python 3.13's {@code http.HTTPStatus} gives
 *       them: 413 is {@code Content Too Large}, 414 {@code URI Too Long}, 416 {@code Range Not
 *       Satisfiable}, 422 {@code Unprocessable Content} (older Pythons give the RFC 7231
 *       wording).</li>
 *   <li>No cookies yet: aiohttp's {@code set_cookie}/{@code del_cookie} on exceptions are not
 *       ported; add a {@code Set-Cookie} header through {@link #headers()}.</li>
 *   <li>{@link #getMessage()} is the reason, as aiohttp's {@code str(exc)} is.</li>
 * </ul>
 *
 * <p><b>Cost:</b> these exceptions are control flow, not errors: they record no stack trace
 * ({@link #fillInStackTrace()} does nothing), so throwing one costs about as much as allocating
 * it. A cause set with {@link #initCause(Throwable)} (aiohttp's {@code raise ... from exc}) keeps
 * its own stack trace and is printed after this exception's.
 *
 * <p><b>For the server:</b> the response is {@link #status()} with {@link #reason()}, the fields
 * of {@link #headers()} (which hold the {@code Content-Type} unless the status has no body), and
 * {@link #body()} as the content, or no content when it is {@code null}. aiohttp's
 * {@code Response} adds {@code ; charset=utf-8} to a textual content type that has no charset;
 * {@link #charset()} is the charset to add.
 *
 * <p><b>Threading:</b> not thread-safe; build it and throw it in one task.
 *
 * @since 0.2
 */
public abstract class HTTPException extends RuntimeException {
    /*
     * Maintainer notes: one mutable object because Java has no keyword arguments; the fluent
     * setters exist only to fill in what aiohttp's constructor takes, before the throw. The
     * Content-Type lives only in the headers (aiohttp keeps it there too), so contentType() and
     * headers() cannot disagree. textIsDefault remembers that text is "<status>: <reason>" so
     * that reason(...) can keep it so.
     */
    private static final long serialVersionUID = 1L;
    private static final String CONTENT_TYPE = "Content-Type";

    /** The status code, 100 to 999. */
    private final int status;
    /** Whether the status forbids a body (1xx, 204, 205, 304): then text is always null. */
    private final boolean emptyBody;
    /** The reason phrase of the status line. */
    private String reason;
    /** The body text; null only when emptyBody. */
    private String text;
    /** Whether text is still {@code "<status>: <reason>"}, to follow a later reason. */
    private boolean textIsDefault;
    private transient Headers headers;
    private transient Charset charset = StandardCharsets.UTF_8;

    /**
     * Creates an exception with the default reason, text and content type of {@code status}.
     *
     * @param status the status code, 100 to 999
     * @throws IllegalArgumentException if the status is out of range
     */
    protected HTTPException(int status) {
        this(status, null, null, null, null);
    }

    /**
     * Creates an exception from aiohttp's keyword arguments; {@code null} means the default.
     *
     * @param status the status code, 100 to 999
     * @param headers header fields to copy, or {@code null} for none
     * @param reason the reason phrase, or {@code null} for the standard one ({@code ""} for an
     *        unregistered status)
     * @param text the body, or {@code null} for {@code "<status>: <reason>"} (no body for 1xx,
     *        204, 205 and 304)
     * @param contentType the {@code Content-Type}, or {@code null} to keep the one in
     *        {@code headers}, or else {@code text/plain} when there is a non-empty text
     * @throws IllegalArgumentException if the status is out of range, the reason holds a control
     *         character or a character outside ISO-8859-1, or a text or content type is given for
     *         a status without a body
     */
    protected HTTPException(int status, Headers headers, String reason, String text, String contentType) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be a three-digit code from 100, got " + status);
        }
        this.status = status;
        this.emptyBody = status < 200 || status == 204 || status == 205 || status == 304;
        this.reason = reason == null ? ReasonPhrases.of(status) : checkReason(reason);
        this.headers = headers == null ? new Headers() : Headers.copyOf(headers);
        if (text == null) {
            if (!emptyBody) {
                this.text = defaultText();
                this.textIsDefault = true;
            }
        } else {
            checkBodyAllowed("text", text);
            this.text = text;
        }
        if (contentType != null) {
            contentType(contentType);
        } else if (this.text != null && !this.text.isEmpty() && !this.headers.contains(CONTENT_TYPE)) {
            this.headers.set(CONTENT_TYPE, "text/plain");
        }
    }

    /**
     * Returns the status code.
     *
     * @return the status code
     */
    public final int status() {
        return status;
    }

    /**
     * Returns the reason phrase of the status line.
     *
     * @return the reason phrase, possibly empty
     */
    public final String reason() {
        return reason;
    }

    /**
     * Sets the reason phrase (aiohttp's {@code reason=}). A text that is still the default
     * becomes {@code "<status>: <reason>"} with the new reason.
     *
     * @param reason the reason phrase
     * @return this exception
     * @throws IllegalArgumentException if it holds a control character other than HTAB or a
     *         character outside ISO-8859-1
     */
    public final HTTPException reason(String reason) {
        this.reason = checkReason(Checks.notNull(reason, "reason"));
        if (textIsDefault) {
            text = defaultText();
        }
        return this;
    }

    /**
     * Returns the body text.
     *
     * @return the text: {@code "<status>: <reason>"} unless set; {@code null} for a status
     *         without a body (1xx, 204, 205, 304)
     */
    public final String text() {
        return text;
    }

    /**
     * Sets the body text (aiohttp's {@code text=}). If the headers have no {@code Content-Type}
     * and the text is not empty, it becomes {@code text/plain}.
     *
     * @param text the body text
     * @return this exception
     * @throws IllegalArgumentException if the status has no body (1xx, 204, 205, 304)
     */
    public final HTTPException text(String text) {
        Checks.notNull(text, "text");
        checkBodyAllowed("text", text);
        this.text = text;
        this.textIsDefault = false;
        if (!text.isEmpty() && !headers.contains(CONTENT_TYPE)) {
            headers.set(CONTENT_TYPE, "text/plain");
        }
        return this;
    }

    /**
     * Returns the header fields of the response; changes to them change the response.
     *
     * @return the modifiable header fields
     */
    public final Headers headers() {
        return headers;
    }

    /**
     * Sets a header field, replacing any of the same name: a shorthand for
     * {@code headers().set(name, value)} that returns the exception.
     *
     * @param name a token
     * @param value the value
     * @return this exception
     * @throws IllegalArgumentException if the name is not a token or the value holds CR, LF or
     *         another forbidden character
     */
    public final HTTPException header(String name, String value) {
        headers.set(name, value);
        return this;
    }

    /**
     * Returns the {@code Content-Type} header.
     *
     * @return the value of the {@code Content-Type} field ({@code text/plain} by default), or
     *         {@code null} if there is none (a status without a body, or an empty text)
     */
    public final String contentType() {
        return headers.get(CONTENT_TYPE);
    }

    /**
     * Sets the {@code Content-Type} header (aiohttp's {@code content_type=}).
     *
     * @param contentType the media type, e.g. {@code text/html}
     * @return this exception
     * @throws IllegalArgumentException if the status has no body (1xx, 204, 205, 304), or the
     *         value holds a forbidden character
     */
    public final HTTPException contentType(String contentType) {
        Checks.notNull(contentType, "contentType");
        checkBodyAllowed("contentType", contentType);
        headers.set(CONTENT_TYPE, contentType);
        return this;
    }

    /**
     * Returns the charset {@link #body()} encodes the text in.
     *
     * @return the charset, UTF-8 unless set
     */
    public final Charset charset() {
        return charset;
    }

    /**
     * Sets the charset {@link #body()} encodes the text in. aio4j-only: aiohttp's server always
     * encodes an exception's text in UTF-8.
     *
     * @param charset the charset
     * @return this exception
     */
    public final HTTPException charset(Charset charset) {
        this.charset = Checks.notNull(charset, "charset");
        return this;
    }

    /**
     * Returns the body: the text encoded in {@link #charset()}.
     *
     * @return a new array, or {@code null} when {@link #text()} is {@code null}
     */
    public final byte[] body() {
        return text == null ? null : text.getBytes(charset);
    }

    /**
     * Returns the reason phrase, as aiohttp's {@code str(exc)} does.
     *
     * @return the reason phrase
     */
    @Override
    public String getMessage() {
        return reason;
    }

    /**
     * Sets the cause (aiohttp's {@code raise HTTPBadRequest() from exc}), once; returns this
     * exception so that {@code throw new HTTPBadRequest().initCause(e)} compiles.
     *
     * @param cause the cause
     * @return this exception
     * @throws IllegalStateException if the cause was already set
     */
    @Override
    public synchronized HTTPException initCause(Throwable cause) {
        super.initCause(cause);
        return this;
    }

    /**
     * Does nothing: these exceptions are control flow and record no stack trace (see the class
     * documentation).
     *
     * @return this exception
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    private String defaultText() {
        return status + ": " + reason;
    }

    private void checkBodyAllowed(String what, String value) {
        if (emptyBody) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " (status " + status + ") has no body, so "
                    + what + " must not be given, got " + Escaping.quote(value));
        }
    }

    static String checkReason(String reason) {
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException("reason must hold no control character (HTAB allowed, never CR or LF) "
                        + "and only ISO-8859-1, got " + Escaping.quote(reason));
            }
        }
        return reason;
    }

    /**
     * Parses a URI reference for a {@code Location} or {@code Link} field, percent-encoding what
     * the path, query and fragment may not hold as yarl does (CR and LF included, so a header
     * can never be split).
     *
     * @throws IllegalArgumentException if it is not a URI reference even then
     */
    static URI uriReference(String value, String name) {
        UriReference r = UriReference.split(value);
        String encoded = new UriReference(r.scheme(), r.authority(), UrlEncoding.encodePath(r.path()),
                UrlEncoding.encodeQuery(r.query()), UrlEncoding.encodeFragment(r.fragment())).toString();
        try {
            return new URI(encoded);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " must be a URI reference, got " + Escaping.quote(value)
                    + " (" + e.getReason() + ")", e);
        }
    }
}
