package dev.aio4j.http.internal;

import dev.aio4j.http.ETag;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ETags#parseList} against aiohttp's own reading, run as a regex: {@code _etag_values}
 * iterating {@code LIST_QUOTED_ETAG_RE.finditer} and stopping at the first garbage group.
 * aio4j-only (aiohttp has the regex itself).
 */
class ETagsProperties {
    /*
     * aiohttp's LIST_QUOTED_ETAG_RE, with Python's str semantics: UNIX_LINES makes '.' refuse
     * only '\n' and '$' look only at '\n', as Python's; Python's \s also takes \x1c-\x1f, \x85 and
     * \xa0, which Java's does not, so they are spelt out.
     */
    private static final Pattern LIST = Pattern.compile(
            "((W/)?\"([!\\x23-\\x7E\\x80-\\xff]+)\")(?:[\\s\\x1c-\\x1f\\x85\\xa0]*,[\\s\\x1c-\\x1f\\x85\\xa0]*|$)|(.)",
            Pattern.UNIX_LINES);

    private static List<ETag> aiohttp(String header) {
        if (header.isEmpty()) {
            return null;
        }
        if (header.equals("*")) {
            return List.of(new ETag("*"));
        }
        List<ETag> out = new ArrayList<>();
        Matcher m = LIST.matcher(header);
        while (m.find()) {
            if (m.group(4) != null) {
                break;
            }
            out.add(new ETag(m.group(3), m.group(2) != null));
        }
        return out;
    }

    @Provide
    Arbitrary<String> headers() {
        // the pieces a list is made of, and the characters that end one; no '\\n' (no header holds one)
        Arbitrary<String> piece = Arbitraries.of("\"a\"", "W/\"b\"", "\"x,y\"", "\"\"", "W/", "w/\"c\"", "\"", ",", " ", "\t",
                "\u0085", "\u00a0", "\u001c", "*", "a", "\u00e9", "\u0100", "!", "\r", "W");
        return piece.list().ofMaxSize(8).map(l -> String.join("", l));
    }

    @Property(tries = 3000)
    void listReadsAsAiohttpRegex(@ForAll("headers") String header) {
        assertEquals(aiohttp(header), ETags.parseList(header), header);
    }
}
