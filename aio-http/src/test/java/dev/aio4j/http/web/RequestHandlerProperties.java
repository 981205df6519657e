package dev.aio4j.http.web;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.test.LogCapture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of one server connection ({@link RequestHandler}) fed any bytes, split anywhere,
 * then EOF, over a {@link RecordingTransport}: it always finishes and closes, answers with
 * well-formed status lines only, and a refused request (400, 413, 414, 431, 505) is the last
 * thing it answers: nothing after it is read as a request; a body the handler did not read is
 * drained, never read as requests; a handler that throws is the last answer. aio4j-only.
 */
class RequestHandlerProperties {
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");
    private static final Set<Integer> REFUSALS = Set.of(400, 413, 414, 431, 505);

    @Provide
    Arbitrary<String> requestish() {
        Arbitrary<String> piece = Arbitraries.of(
                "GET / HTTP/1.1\r\n", "POST / HTTP/1.1\r\n", "GET /x HTTP/1.0\r\n", "PUT / HTTP/1.1\r\n", "GET / HTTP/2.0\r\n",
                "Host: h\r\n", "Content-Length: 3\r\n", "Content-Length: 5\r\n", "Transfer-Encoding: chunked\r\n",
                "Connection: close\r\n", "Expect: 100-continue\r\n", "\r\n", "\r\n", "\r\n", "abc", "3\r\nabc\r\n", "0\r\n\r\n",
                "zz\r\n", "\n", "\r", " ", ":", "\u0000", "X-Long: " + "v".repeat(80) + "\r\n");
        return piece.list().ofMaxSize(14).map(l -> String.join("", l));
    }

    @Property(tries = 300, seed = "20261208")
    void anyBytesEndWithAClosedConnectionAndNothingAfterARefusal(@ForAll("requestish") String text,
                                                                 @ForAll @IntRange(min = 1, max = 40) int piece) {
        List<Integer> statuses = serve(text, piece);
        Statistics.collect(statuses.isEmpty() ? "none" : statuses.get(statuses.size() - 1));
    }

    @Provide
    Arbitrary<List<String>> validRequests() {
        return Arbitraries.of(
                "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc",
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\nabc",
                "GET /x HTTP/1.1\r\nHost: h\r\n\r\n").list().ofMinSize(1).ofMaxSize(5);
    }

    @Property(tries = 200, seed = "20261209")
    void pipelinedValidRequestsAreAnsweredInOrderBeforeAnyRefusal(@ForAll("validRequests") List<String> valid,
                                                                  @ForAll("requestish") String tail,
                                                                  @ForAll @IntRange(min = 1, max = 40) int piece) {
        List<Integer> statuses = serve(String.join("", valid) + tail, piece);
        statuses.removeIf(s -> s == 100);
        assertTrue(statuses.size() >= valid.size(), valid + " + " + tail + " -> " + statuses);
        for (int i = 0; i < valid.size(); i++) {
            assertEquals(valid.get(i).startsWith("GET /x") ? 404 : 200, statuses.get(i), valid + " + " + tail + " -> " + statuses);
        }
        if (tail.isEmpty()) {
            assertEquals(valid.size(), statuses.size());
        }
    }

    @Provide
    Arbitrary<String> bodyThatLooksLikeRequests() {
        Arbitrary<String> piece = Arbitraries.of(
                "GET / HTTP/1.1\r\nHost: h\r\n\r\n", "POST /ignore HTTP/1.1\r\n", "Content-Length: 3\r\n",
                "Transfer-Encoding: chunked\r\n", "0\r\n\r\n", "3\r\nabc\r\n", "\r\n", "abc", "x", "\u0000", "\u00ff");
        return piece.list().ofMaxSize(8).map(l -> String.join("", l));
    }

    /**
     * A body the handler did not read is drained after the answer (lingering close), split
     * anywhere: whatever it holds, nothing in it is answered as a request, and the request after
     * it is. aio4j-only.
     */
    @Property(tries = 200, seed = "20261210")
    void anUnreadBodyIsDrainedAndNothingInItIsAnswered(@ForAll("bodyThatLooksLikeRequests") String body, @ForAll boolean chunked,
                                                        @ForAll @IntRange(min = 1, max = 40) int piece) {
        String framing = chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length() + "\r\n";
        String framed = !chunked ? body : (body.isEmpty() ? "" : Integer.toHexString(body.length()) + "\r\n" + body + "\r\n") + "0\r\n\r\n";
        String text = "POST /ignore HTTP/1.1\r\nHost: h\r\n" + framing + "\r\n" + framed + "GET /x HTTP/1.1\r\nHost: h\r\n\r\n";
        assertEquals(List.of(200, 404), serve(text, piece), text);
    }

    @Provide
    Arbitrary<List<String>> requestsWithFailures() {
        return Arbitraries.of(
                "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
                "GET /x HTTP/1.1\r\nHost: h\r\n\r\n",
                "GET /boom HTTP/1.1\r\nHost: h\r\n\r\n",
                "POST /boom HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc",
                "POST /boom HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n").list().ofMinSize(1).ofMaxSize(6);
    }

    /**
     * A handler that throws is answered 500 and nothing after it on its connection is (aiohttp's
     * handle_error force_close()s its response), however the pipelined bytes are split; the
     * requests before it are answered in order. aio4j-only.
     */
    @Property(tries = 200, seed = "20261211")
    void aFailedHandlerIsTheLastAnswerOfItsConnection(@ForAll("requestsWithFailures") List<String> requests,
                                                       @ForAll @IntRange(min = 1, max = 40) int piece) {
        List<Integer> statuses;
        try (LogCapture quiet = new LogCapture("dev.aio4j.http.web.server")) {
            statuses = serve(String.join("", requests), piece);
        }
        List<Integer> expected = new ArrayList<>();
        for (String r : requests) {
            boolean boom = r.contains(" /boom ");
            expected.add(boom ? 500 : r.startsWith("GET /x") ? 404 : 200);
            if (boom) {
                break;
            }
        }
        assertEquals(expected, statuses, requests.toString());
    }

    /** What an HTML error page holds of a stack trace is escaped, and unescapes to it. aio4j-only. */
    @Property(tries = 300, seed = "20261212")
    void escapedHtmlHoldsNoMarkupAndUnescapesBack(@ForAll String text) {
        String escaped = WebServer.escapeHtml(text);
        assertTrue(escaped.chars().noneMatch(c -> c == '<' || c == '>' || c == '"' || c == '\''), escaped);
        assertEquals(text, escaped.replace("&#x27;", "'").replace("&quot;", "\"").replace("&gt;", ">").replace("&lt;", "<")
                .replace("&amp;", "&"));
    }

    /** Feeds {@code text} in pieces, then EOF; checks the connection ends closed; returns the statuses sent. */
    private static List<Integer> serve(String text, int piece) {
        byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
        String wire = Aio.run(() -> {
            Application app = new Application();
            app.router().addGet("/", r -> new Response().text("ok"));
            app.router().addPost("/", r -> new Response().body(r.read()));
            app.router().addPost("/ignore", r -> new Response().text("ignored"));
            app.router().addGet("/boom", r -> {
                throw new IllegalStateException("a bug");
            });
            app.router().addPost("/boom", r -> {
                throw new IllegalStateException("a bug");
            });
            WebServer server = new WebServer(app, ServerConfig.defaults().limits(64, 64, 8), Aio.getRunningLoop());
            RequestHandler handler = server.newConnection();
            RecordingTransport transport = new RecordingTransport();
            handler.connectionMade(transport);
            for (int pos = 0; pos < data.length; pos += piece) {
                handler.dataReceived(Arrays.copyOfRange(data, pos, Math.min(data.length, pos + piece)));
                Aio.sleep(0);
            }
            handler.eofReceived();
            Aio.waitFor(handler.task(), 10); // it always finishes
            assertTrue(transport.closed, "the connection stays open after " + text);
            return transport.writtenText();
        });
        List<Integer> statuses = new ArrayList<>();
        Matcher m = STATUS_LINE.matcher(wire);
        while (m.find()) {
            statuses.add(Integer.parseInt(m.group(1)));
        }
        for (int i = 0; i < statuses.size(); i++) {
            int s = statuses.get(i);
            assertTrue(s == 100 || s == 200 || s == 404 || s == 405 || s == 500 || REFUSALS.contains(s), s + " in " + wire);
            if (REFUSALS.contains(s) || s == 500) {
                assertEquals(statuses.size() - 1, i, "answered after a refusal or a failed handler: " + statuses + "\n" + wire);
            }
        }
        return statuses;
    }
}
