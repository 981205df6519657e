package dev.aio4j.http;

import java.time.Duration;
import java.time.Instant;

/**
 * One cookie a response set with a {@code Set-Cookie} field, as {@link ClientResponse#cookies()}
 * shows it: the name, the value and the attributes, read by the same RFC 6265 parser the
 * {@link CookieJar} stores from, but before any rule of a jar is applied (a cookie for another
 * domain, or a {@code Secure} one over http, is shown here even though a jar refuses it).
 *
 * <pre>{@code
 * SetCookie sid = response.cookies().get("sid");
 * if (sid != null && sid.httpOnly()) { ... }
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code http.cookies.Morsel}, the values of {@code response.cookies}.
 * <b>Differences:</b> a record, not a dict of attributes: {@code morsel.value} is
 * {@link #value()}, but as sent, so a quoted value keeps its quotes (RFC 6265 keeps them; the
 * morsel's {@code coded_value}); {@code morsel["expires"]} is {@link #expires()}, parsed as a
 * cookie date ({@code null} if absent or not a date); {@code morsel["max-age"]} is
 * {@link #maxAge()}; {@code morsel["domain"]} is {@link #domain()} without its leading dot, in
 * lower case; {@code morsel["path"]} is {@link #path()}, {@code null} unless it starts with
 * {@code /}; {@code secure}, {@code httponly} and {@code samesite} are {@link #secure()},
 * {@link #httpOnly()} and {@link #sameSite()}. {@code comment}, {@code version} and
 * {@code partitioned} are not kept.
 *
 * <p><b>Threading:</b> immutable.
 *
 * @param name the cookie's name, never empty
 * @param value the value as sent, quotes kept
 * @param domain the {@code Domain} attribute without its leading dot, in lower case, or {@code null}
 * @param path the {@code Path} attribute if it starts with {@code /}, or {@code null}
 * @param expires the {@code Expires} attribute as an instant, or {@code null} if absent or not a cookie date
 * @param maxAge the {@code Max-Age} attribute (zero or negative deletes the cookie), or {@code null}
 *     if absent or not an integer; a jar lets it win over {@code expires}
 * @param secure whether {@code Secure} was given
 * @param httpOnly whether {@code HttpOnly} was given
 * @param sameSite the {@code SameSite} attribute as given, or {@code null}
 * @since 0.2
 */
public record SetCookie(String name, String value, String domain, String path, Instant expires, Duration maxAge,
                        boolean secure, boolean httpOnly, String sameSite) {
}
