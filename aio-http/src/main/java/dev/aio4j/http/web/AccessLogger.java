package dev.aio4j.http.web;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * aiohttp's {@code AccessLogger}: formats one line per request from an Apache-like format, and
 * logs it to the {@code System.Logger} {@code dev.aio4j.http.web.access} at INFO.
 */
final class AccessLogger {
    static final String DEFAULT_FORMAT = "%a %t \"%r\" %s %b \"%{Referer}i\" \"%{User-Agent}i\"";
    static final System.Logger LOG = System.getLogger("dev.aio4j.http.web.access");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.ROOT);

    /** One piece of a compiled format. */
    private interface Part {
        void append(StringBuilder sb, Request request, StreamResponse response, long bodyLength, double elapsed);
    }

    private final List<Part> parts;

    AccessLogger(String format) {
        this.parts = compile(format);
    }

    static List<Part> compile(String format) {
        List<Part> out = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                literal.append(c);
                continue;
            }
            char d = format.charAt(++i);
            if (d == '%') {
                literal.append('%');
                continue;
            }
            if (literal.length() > 0) {
                String text = literal.toString();
                out.add((sb, rq, rs, b, t) -> sb.append(text));
                literal.setLength(0);
            }
            if (d == '{') {
                int close = format.indexOf('}', i);
                if (close < 0 || close + 1 >= format.length()) {
                    throw new IllegalArgumentException("access log format: unterminated %{...} at " + (i - 1) + " in \"" + format + "\"");
                }
                String name = format.substring(i + 1, close);
                char kind = format.charAt(close + 1);
                i = close + 1;
                switch (kind) {
                    case 'i' -> out.add((sb, rq, rs, b, t) -> sb.append(orDash(rq.headers().get(name))));
                    case 'o' -> out.add((sb, rq, rs, b, t) -> sb.append(orDash(rs == null ? null : rs.headers().get(name))));
                    default -> throw new IllegalArgumentException("access log format: %{" + name + "}" + kind
                            + " is not known (use %{Name}i for a request header, %{Name}o for a response header)");
                }
                continue;
            }
            switch (d) {
                case 'a' -> out.add((sb, rq, rs, b, t) -> sb.append(orDash(rq.remote())));
                case 't' -> out.add((sb, rq, rs, b, t) -> sb.append(TIME.format(ZonedDateTime.now(ZoneId.systemDefault()))));
                case 'P' -> out.add((sb, rq, rs, b, t) -> sb.append(ProcessHandle.current().pid()));
                case 'r' -> out.add((sb, rq, rs, b, t) -> sb.append(rq.method()).append(' ').append(rq.rawPath()).append(' ')
                        .append(rq.version()));
                case 's' -> out.add((sb, rq, rs, b, t) -> sb.append(rs == null ? "-" : Integer.toString(rs.status())));
                case 'b' -> out.add((sb, rq, rs, b, t) -> sb.append(b));
                case 'T' -> {
                    if (i + 1 < format.length() && format.charAt(i + 1) == 'f') {
                        i++;
                        out.add((sb, rq, rs, b, t) -> sb.append(String.format(Locale.ROOT, "%.6f", t)));
                    } else {
                        out.add((sb, rq, rs, b, t) -> sb.append(Math.round(t)));
                    }
                }
                case 'D' -> out.add((sb, rq, rs, b, t) -> sb.append(Math.round(t * 1_000_000)));
                default -> throw new IllegalArgumentException("access log format: %" + d
                        + " is not known (known: %a %t %P %r %s %b %T %Tf %D %{Name}i %{Name}o)");
            }
        }
        if (literal.length() > 0) {
            String text = literal.toString();
            out.add((sb, rq, rs, b, t) -> sb.append(text));
        }
        return out;
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    String format(Request request, StreamResponse response, double elapsed) {
        return format(request, response, response == null ? 0 : response.bodyLength(), elapsed);
    }

    private String format(Request request, StreamResponse response, long bodyLength, double elapsed) {
        StringBuilder sb = new StringBuilder(128);
        for (Part p : parts) {
            p.append(sb, request, response, bodyLength, elapsed);
        }
        return sb.toString();
    }

    void log(Request request, StreamResponse response, double elapsed) {
        log(request, response, response == null ? 0 : response.bodyLength(), elapsed);
    }

    /** Logs an answer written without a prepared response ({@code bodyLength} bytes of body). */
    void log(Request request, StreamResponse response, long bodyLength, double elapsed) {
        if (LOG.isLoggable(System.Logger.Level.INFO)) {
            LOG.log(System.Logger.Level.INFO, format(request, response, bodyLength, elapsed));
        }
    }
}
