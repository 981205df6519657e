package dev.aio4j.http.web;

import dev.aio4j.http.internal.Urls;
import dev.aio4j.loop.internal.Checks;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which {@code Host} a sub-application added with {@link Application#addDomain} answers: aiohttp's
 * {@code web_urldispatcher.Domain} and, for a domain with {@code *}, {@code MaskDomain}.
 */
final class DomainRule {
    /*
     * Maintainer notes.
     *
     * Validation follows aiohttp's Domain.validation: trailing dots dropped, lower case, no
     * scheme, host[:port] as yarl reads "http://" + domain (a non-ASCII host IDNA-encoded, here
     * with java.net.IDN, IDNA 2003, where yarl uses the idna package's UTS 46), every label
     * (?!-)[a-z\d-]{1,63}(?<!-) ('*' allowed too in a mask), and the canonical form host, or
     * host:port unless the port is 80. yarl would quietly drop a path, query, fragment or user
     * info; they are refused here.
     *
     * Matching follows Domain.match_domain: the Host header, lower-cased, equals the canonical
     * form, so example.com matches Host: example.com but not Host: example.com:80 (nor
     * example.com:8080), and example.com:8080 only Host: example.com:8080. A mask is the
     * canonical form with '.' literal and '*' any run of characters (a '*' may eat dots and a
     * ':port' too), matching the whole Host; aiohttp compares it with the Host as sent, here
     * lower-cased too. The regex is only shown (canonical()): the Host is matched against the
     * mask as a glob, in O(host x mask) steps, because the regex backtracks polynomially in the
     * number of '*' (*.*.*.example.com against a Host of 8000 dots: minutes on the event loop).
     */
    private static final Pattern LABEL = Pattern.compile("(?!-)[a-z\\d-]{1,63}(?<!-)");
    private static final Pattern MASK_LABEL = Pattern.compile("(?!-)[a-z\\d*-]{1,63}(?<!-)");

    private final String domain;
    /** A mask's regex, as aiohttp's canonical shows it (null for an exact domain); never run. */
    private final String mask;

    private DomainRule(String domain, String mask) {
        this.domain = domain;
        this.mask = mask;
    }

    /** {@code add_domain}'s choice: a {@code MaskDomain} if the domain has a {@code *}, else a {@code Domain}. */
    static DomainRule of(String domain) {
        Checks.notNull(domain, "domain");
        return domain.indexOf('*') >= 0 ? mask(domain) : exact(domain);
    }

    /** aiohttp's {@code Domain(domain)}. */
    static DomainRule exact(String domain) {
        return new DomainRule(validate(domain, false), null);
    }

    /** aiohttp's {@code MaskDomain(domain)}. */
    static DomainRule mask(String domain) {
        String d = validate(domain, true);
        return new DomainRule(d, d.replace(".", "\\.").replace("*", ".*"));
    }

    private static String validate(String given, boolean allowStar) {
        Checks.notNull(given, "domain");
        String d = given;
        int end = d.length();
        while (end > 0 && d.charAt(end - 1) == '.') {
            end--;
        }
        d = d.substring(0, end).toLowerCase(Locale.ROOT);
        if (d.isEmpty()) {
            throw new IllegalArgumentException("Domain cannot be empty: addDomain needs a host name such as example.com, got \""
                    + given + "\"");
        }
        if (d.contains("://")) {
            throw new IllegalArgumentException("Scheme not supported: give the domain without http:// or https://, got \""
                    + given + "\"");
        }
        for (char c : new char[] {'/', '?', '#', '@', '[', ']'}) {
            if (d.indexOf(c) >= 0) {
                throw invalid(given, "a domain is a host name with an optional :port, without '" + c + "'");
            }
        }
        String host = d;
        int port = 80;
        int colon = d.indexOf(':');
        if (colon >= 0) {
            host = d.substring(0, colon);
            String p = d.substring(colon + 1);
            if (!p.isEmpty()) {
                port = Urls.port(p);
                if (port < 0) {
                    throw invalid(given, "the port must be a number from 0 to 65535, got \"" + p + "\"");
                }
            }
        }
        if (!host.chars().allMatch(c -> c < 0x80)) {
            try {
                host = IDN.toASCII(host).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw invalid(given, "the host is not a valid internationalized domain name (" + e.getMessage() + ")");
            }
        }
        Pattern label = allowStar ? MASK_LABEL : LABEL;
        for (String part : host.split("\\.", -1)) {
            if (!label.matcher(part).matches()) {
                throw invalid(given, "each dot-separated label must be 1 to 63 of a-z, 0-9 and '-'"
                        + (allowStar ? " or '*'" : "") + ", not beginning or ending with '-'; \"" + part + "\" is not");
            }
        }
        return port == 80 ? host : host + ":" + port;
    }

    private static IllegalArgumentException invalid(String given, String why) {
        String shown = given.length() > 80 ? given.substring(0, 80) + "..." : given;
        return new IllegalArgumentException("Domain not valid: \"" + shown + "\": " + why);
    }

    /** aiohttp's {@code canonical}: the domain ({@code host} or {@code host:port}), or a mask's regex. */
    String canonical() {
        return mask != null ? mask : domain;
    }

    /** aiohttp's {@code match(request)}: whether the request's {@code Host} header (absent or empty: no) matches. */
    boolean match(String hostHeader) {
        return hostHeader != null && !hostHeader.isEmpty() && matchDomain(hostHeader);
    }

    /** aiohttp's {@code match_domain(host)}. */
    boolean matchDomain(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return mask != null ? glob(domain, h) : h.equals(domain);
    }

    /**
     * Whether {@code s} is {@code pattern} with each {@code *} standing for any run of characters:
     * the regex of {@link #canonical()}, matched by walking both strings and going back only to
     * the last {@code *} (a later {@code *} can absorb whatever an earlier one would have).
     */
    private static boolean glob(String pattern, String s) {
        int p = 0;
        int i = 0;
        int star = -1;
        int resume = 0;
        while (i < s.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = i;
            } else if (p < pattern.length() && pattern.charAt(p) == s.charAt(i)) {
                p++;
                i++;
            } else if (star >= 0) {
                p = star + 1;
                i = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return mask != null ? "<MaskDomain " + canonical() + ">" : "<Domain " + domain + ">";
    }
}
