package dev.aio4j.http.web;

import java.util.Locale;

/** Content-Type parameters: the one place the server splits {@code type; charset=x}. */
final class ContentTypes {
    private ContentTypes() {}

    /** The {@code charset} parameter of a Content-Type value, unquoted, or null. */
    static String charsetOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] pieces = contentType.split(";");
        for (int i = 1; i < pieces.length; i++) {
            String p = pieces[i].strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                String v = p.substring(eq + 1).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    /** The media type without parameters, lower-cased, or null. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /** A Content-Type value with its other parameters but without {@code charset}. */
    static String withoutCharset(String contentType) {
        StringBuilder sb = new StringBuilder();
        for (String piece : contentType.split(";")) {
            String p = piece.strip();
            int eq = p.indexOf('=');
            if (sb.length() > 0 && eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                continue;
            }
            sb.append(sb.length() == 0 ? "" : "; ").append(p);
        }
        return sb.toString();
    }

    /** {@code type; charset=cs}, or the type alone when {@code charset} is null. */
    static String withCharset(String mediaType, String charset) {
        return charset == null ? mediaType : mediaType + "; charset=" + charset;
    }
}
