package dev.aio4j.http.internal;

import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import dev.aio4j.http.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's request parser. Mirrors the request half of aiohttp's
 * {@code tests/test_http_parser.py} (names in camelCase; aio4j-only cases say so), fed both whole
 * and one byte at a time.
 */
class RequestParserTest {
    static final ParserLimits LIMITS = ParserLimits.DEFAULT;

    /** What the parser reported, as comparable events. */
    static final class Events implements RequestParser.Listener {
        final List<RequestHead> heads = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        Headers trailers;
        int completed;

        @Override
        public void head(RequestHead head) {
            heads.add(head);
            log.add("head " + head.method() + " " + head.target() + " " + head.version() + " " + head.framing()
                    + " " + head.contentLength() + " keepAlive=" + head.keepAlive() + " expect=" + head.expectContinue()
                    + " " + head.headers());
        }

        @Override
        public void body(byte[] data, int offset, int length) {
            body.write(data, offset, length);
            log.add("body " + new String(data, offset, length, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void trailers(Headers t) {
            trailers = t;
            log.add("trailers " + t);
        }

        @Override
        public void complete() {
            completed++;
            log.add("complete");
        }

        /** The log with body events merged, so that byte-wise and whole feeding compare equal. */
        List<String> merged() {
            List<String> out = new ArrayList<>();
            for (String e : log) {
                if (e.startsWith("body ") && !out.isEmpty() && out.get(out.size() - 1).startsWith("body ")) {
                    out.set(out.size() - 1, out.get(out.size() - 1) + e.substring(5));
                } else {
                    out.add(e);
                }
            }
            return out;
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Feeds every request in {@code text}, calling next() between them; returns the events. */
    static Events parse(String text, boolean bytewise) {
        byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
        Events ev = new Events();
        RequestParser p = new RequestParser(LIMITS, ev);
        int pos = 0;
        while (pos < data.length) {
            int n = bytewise ? 1 : data.length - pos;
            pos += p.feed(data, pos, n);
            if (p.done() && pos < data.length) {
                p.next();
            }
        }
        p.feedEof();
        return ev;
    }

    /** Parses whole and byte by byte, checks both agree, returns the events. */
    static Events parse(String text) {
        Events whole = parse(text, false);
        Events bytewise = parse(text, true);
        assertEquals(whole.merged(), bytewise.merged(), "byte-wise feeding changed the result");
        return whole;
    }

    /** Asserts the text is refused with this kind and status; returns the message. */
    static String refused(String text, Kind kind, int status) {
        for (boolean bytewise : new boolean[] {false, true}) {
            byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
            RequestParser p = new RequestParser(LIMITS, new Events());
            BadHttpMessage e = assertThrows(BadHttpMessage.class, () -> {
                int pos = 0;
                while (pos < data.length) {
                    pos += p.feed(data, pos, bytewise ? 1 : data.length - pos);
                    if (p.done() && pos < data.length) {
                        p.next();
                    }
                }
                p.feedEof();
            }, () -> "accepted: " + text);
            assertEquals(kind, e.kind(), e.getMessage());
            assertEquals(status, p.failureStatus(), e.getMessage());
            IllegalStateException after = assertThrows(IllegalStateException.class, () -> p.feed(new byte[] {'G'}));
            assertTrue(after.getMessage().startsWith("RequestParser used after it failed: "), after.getMessage());
            if (!bytewise) {
                return e.getMessage();
            }
        }
        throw new AssertionError();
    }

    // ------------------------------------------------------------------ request line

    @Test
    void parseHeaders() {
        Events ev = parse("GET /test HTTP/1.1\r\nHost: example.com\r\ntest: a line\r\ntest2: data\r\n\r\n");
        RequestHead h = ev.heads.get(0);
        assertEquals("GET", h.method());
        assertEquals("/test", h.target());
        assertEquals("HTTP/1.1", h.version());
        assertEquals("a line", h.headers().get("test"));
        assertEquals("data", h.headers().get("Test2"));
        assertEquals(RequestHead.Framing.NONE, h.framing());
        assertTrue(h.keepAlive());
        assertEquals(1, ev.completed);
    }

    @Test
    void httpRequestParserTwoSlashes() {
        assertEquals("//path", parse("GET //path HTTP/1.1\r\nHost: h\r\n\r\n").heads.get(0).target());
    }

    @Test
    void httpRequestParserMethodIsCaseSensitiveAndAnyToken() {
        assertEquals("get", parse("get / HTTP/1.1\r\nHost: h\r\n\r\n").heads.get(0).method());
        assertEquals("PURGE", parse("PURGE / HTTP/1.1\r\nHost: h\r\n\r\n").heads.get(0).method());
    }

    @Test
    void httpRequestBadStatusLine() {
        String m = refused("getpath \r\n\r\n", Kind.BAD_STATUS_LINE, 400);
        assertTrue(m.startsWith("request line must be method, request-target and HTTP version separated by single spaces"), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"G=ET / HTTP/1.1", "GET\t/ HTTP/1.1", "GE(T / HTTP/1.1", " GET / HTTP/1.1"})
    void httpRequestParserBadMethod(String requestLine) {
        refused(requestLine + "\r\nHost: h\r\n\r\n", Kind.BAD_STATUS_LINE, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET //get HT/11", "GET / HTTP/1.32", "GET / HTTP/1.", "GET / http/1.1", "GET / HTTP/1.1 ",
            "GET  / HTTP/1.1", "GET /  HTTP/1.1", "GET /", "GET / HTTP/11"})
    void httpRequestParserBadVersion(String requestLine) {
        refused(requestLine + "\r\nHost: h\r\n\r\n", Kind.BAD_STATUS_LINE, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/3.0"})
    void unsupportedVersionIs505(String version) { // aio4j-only: RFC 9110 section 15.6.6
        String m = refused("GET / " + version + "\r\nHost: h\r\n\r\n", Kind.BAD_STATUS_LINE, 505);
        assertTrue(m.contains("this server speaks HTTP/1.0 and HTTP/1.1"), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/pa th", "/caf\u00e9", "/a\u0001b", "/a\u007fb"})
    void targetWithSpaceControlOrNonAsciiIsRefused(String target) { // aio4j-only: RFC 9112 section 3.2
        refused("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n", Kind.BAD_STATUS_LINE, 400);
    }

    @Test
    void targetFormsFollowTheMethod() { // aio4j-only: RFC 9112 section 3.2
        assertEquals("*", parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").heads.get(0).target());
        assertEquals("example.com:443", parse("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
                .heads.get(0).target());
        assertEquals("http://h/p?q", parse("GET http://h/p?q HTTP/1.1\r\nHost: h\r\n\r\n").heads.get(0).target());
        refused("GET * HTTP/1.1\r\nHost: h\r\n\r\n", Kind.BAD_STATUS_LINE, 400);
        refused("CONNECT /x HTTP/1.1\r\nHost: h\r\n\r\n", Kind.BAD_STATUS_LINE, 400);
        refused("GET path HTTP/1.1\r\nHost: h\r\n\r\n", Kind.BAD_STATUS_LINE, 400);
    }

    @Test
    void absoluteFormTargetIsSplitByTheRequestLineOnly() { // aio4j-only: web.Request reads these parts, it does not split again
        RequestHead h = parse("GET http://u@Other.Example:8080/p?a=1#frag HTTP/1.1\r\nHost: h\r\n\r\n").heads.get(0);
        assertEquals(new AbsoluteTarget("http", "u", "Other.Example", "8080", "/p?a=1#frag"), h.absolute());
        assertEquals(new AbsoluteTarget("https", null, "[::1]", null, ""),
                parse("GET https://[::1] HTTP/1.1\r\nHost: h\r\n\r\n").heads.get(0).absolute());
        assertNull(parse("GET /p HTTP/1.1\r\nHost: h\r\n\r\n").heads.get(0).absolute());
        assertNull(parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").heads.get(0).absolute());
        assertNull(parse("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n").heads.get(0).absolute());
    }

    /**
     * aio4j-only: an absolute-form target whose authority yarl refuses (a port that is not a number
     * or is over 65535, an unclosed or misplaced IPv6 bracket, no host) is a 400; aiohttp's
     * URL(target) raises ValueError there and the connection is never answered.
     */
    @ParameterizedTest
    @ValueSource(strings = {"http://h:abc/p", "http://h:99999/p", "http://[::1/p", "http:///p", "http://[::1]x/p",
            "http://a[::1]/p", "http://u@/p", "http://h:-1/p", "http://]x/p", "http://:80/p", "http://[]/p", "http://h:123456/p",
            "h_t://x/p", "9a://x/p", "-a://x/p"})
    void absoluteFormWithABadAuthorityIsRefused(String target) {
        refused("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n", Kind.BAD_STATUS_LINE, 400);
    }

    /**
     * As yarl's split_url (aiohttp's URL(target, encoded=True) raises ValueError and answers
     * nothing): a backslash in the authority (WHATWG parsers read it as a path separator, so a proxy
     * and this server would see different hosts), brackets around something that is neither an
     * IPv6 address (it has a colon) nor an IPvFuture ({@code v1.x}), and brackets in the userinfo
     * (yarl allows them only around the host), are a 400.
     */
    @ParameterizedTest
    @ValueSource(strings = {"http://h\\@evil.test/p", "http://evil.test\\.h/p", "http://u\\:p@h/p", "http://[zz]/p",
            "http://[1.2.3.4]/p", "http://[v1]/p", "http://[vz.x]/p", "http://[v1.]/p", "http://u[@h/p", "http://u]@h/p",
            "http://[u]@h/p", "http://[::1]@h/p"})
    void absoluteFormAuthoritiesYarlRefuses(String target) {
        refused("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n", Kind.BAD_STATUS_LINE, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://[v1.x]/p", "http://[vF.a:b]:80/p", "http://[fe80::1%25eth0]/p", "http://h/p\\q"})
    void bracketedHostsAndBackslashesYarlAccepts(String target) { // aio4j-only
        assertEquals(target, parse("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n").heads.get(0).target());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://h.example:/p", "http://u:pw@h:1/p", "http://[::1]:65535/p", "ftp://x", "http://h#f", "http://h?q",
            "a+b.c-D9://x/p", "http://h:0/p", "xazAZ09://h/p"})
    void absoluteFormAuthoritiesYarlAccepts(String target) { // aio4j-only
        assertEquals(target, parse("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n").heads.get(0).target());
    }

    @Test
    void requestLineAtItsLimitPassesAndOnePastIs414() { // aio4j-only: limits at and past the bound
        String prefix = "GET /";
        String suffix = " HTTP/1.1";
        int fill = LIMITS.maxLineSize() - prefix.length() - suffix.length();
        assertEquals(1, parse(prefix + "a".repeat(fill) + suffix + "\r\nHost: h\r\n\r\n").completed);
        String m = refused(prefix + "a".repeat(fill + 1) + suffix + "\r\nHost: h\r\n\r\n", Kind.LINE_TOO_LONG, 414);
        assertTrue(m.startsWith("request line is longer than " + LIMITS.maxLineSize() + " bytes"), m);
    }

    @Test
    void leadingEmptyLinesAreSkippedUpToABound() { // aio4j-only: RFC 9112 section 2.2
        assertEquals("/x", parse("\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n").heads.get(0).target());
        refused("\r\n".repeat(RequestParser.MAX_LEADING_EMPTY_LINES + 1) + "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
                Kind.BAD_STATUS_LINE, 400);
    }

    // ------------------------------------------------------------------------ headers

    @Test
    void httpRequestParserNoHostIn11() { // aio4j-only: RFC 9112 section 3.2
        String m = refused("GET / HTTP/1.1\r\n\r\n", Kind.INVALID_HEADER, 400);
        assertTrue(m.startsWith("HTTP/1.1 request has no Host header field"), m);
        refused("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", Kind.INVALID_HEADER, 400);
        refused("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", Kind.INVALID_HEADER, 400);
        assertFalse(parse("GET / HTTP/1.0\r\n\r\n").heads.get(0).keepAlive());
    }

    @Test
    void httpRequestParserObsLineFolding() {
        refused("GET / HTTP/1.1\r\nHost: h\r\nX-Test: a\r\n b\r\n\r\n", Kind.INVALID_HEADER, 400);
    }

    @Test
    void httpRequestParserNulInHeaderValue() {
        refused("GET / HTTP/1.1\r\nHost: h\r\nX: a\u0000b\r\n\r\n", Kind.INVALID_HEADER, 400);
    }

    @Test
    void whitespaceBeforeColonIsRefused() {
        refused("GET / HTTP/1.1\r\nHost: h\r\nX-Test : a\r\n\r\n", Kind.INVALID_HEADER, 400);
    }

    @Test
    void bareLfAndBareCrAreRefused() {
        refused("GET / HTTP/1.1\nHost: h\r\n\r\n", Kind.BAD_LINE_ENDING, 400);
        refused("GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n", Kind.BAD_LINE_ENDING, 400);
        refused("GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", Kind.BAD_LINE_ENDING, 400);
    }

    @Test
    void headerLineAtItsLimitPassesAndOnePastIs431() { // aio4j-only: limits at and past the bound
        String name = "X-Long: ";
        int fill = LIMITS.maxLineSize() - name.length();
        assertEquals(1, parse("GET / HTTP/1.1\r\nHost: h\r\n" + name + "v".repeat(fill) + "\r\n\r\n").completed);
        refused("GET / HTTP/1.1\r\nHost: h\r\n" + name + "v".repeat(fill + 1) + "\r\n\r\n", Kind.LINE_TOO_LONG, 431);
    }

    @Test
    void tooManyHeaderFieldsIs431() {
        StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
        for (int i = 1; i < LIMITS.maxHeaders(); i++) {
            sb.append("X-").append(i).append(": v\r\n");
        }
        assertEquals(1, parse(sb + "\r\n").completed);
        String m = refused(sb + "X-last: v\r\n\r\n", Kind.HEADERS_TOO_LARGE, 431);
        assertTrue(m.startsWith("header section has more than " + LIMITS.maxHeaders() + " fields"), m);
    }

    @Test
    void expectContinueOnlyIn11() {
        assertTrue(parse("PUT /u HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\nx")
                .heads.get(0).expectContinue());
        assertFalse(parse("PUT /u HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx")
                .heads.get(0).expectContinue());
    }

    @Test
    void keepAliveFollowsVersionAndConnection() {
        assertFalse(parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").heads.get(0).keepAlive());
        assertTrue(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").heads.get(0).keepAlive());
    }

    // ---------------------------------------------------------------------------- bodies

    @Test
    void httpRequestParserContentLength() {
        Events ev = parse("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");
        assertEquals(RequestHead.Framing.LENGTH, ev.heads.get(0).framing());
        assertEquals("hello", ev.body.toString(StandardCharsets.ISO_8859_1));
        assertEquals(1, ev.completed);
    }

    @Test
    void noLengthMeansNoBody() { // RFC 9112 section 6.3 rule 7: a request never runs until close
        Events ev = parse("POST /p HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(RequestHead.Framing.NONE, ev.heads.get(0).framing());
        assertEquals(0, ev.body.size());
        assertEquals(1, ev.completed);
    }

    @Test
    void httpRequestChunkedPayload() {
        Events ev = parse("POST /test HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\ndata\r\n4\r\nline\r\n0\r\n\r\n");
        assertEquals(RequestHead.Framing.CHUNKED, ev.heads.get(0).framing());
        assertEquals("dataline", ev.body.toString(StandardCharsets.ISO_8859_1));
        assertNull(ev.trailers);
        assertEquals(1, ev.completed);
    }

    @Test
    void httpRequestChunkedPayloadWithTrailers() {
        Events ev = parse("POST /test HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\ndata\r\n0\r\nX-Checksum: 1234\r\n\r\n");
        assertEquals("1234", ev.trailers.get("X-Checksum"));
    }

    @Test
    void httpRequestChunkedPayloadAndNextMessage() {
        Events ev = parse("POST /test HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\ndata\r\n0\r\n\r\n"
                + "POST /test2 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        assertEquals(2, ev.heads.size());
        assertEquals("/test2", ev.heads.get(1).target());
        assertEquals("data", ev.body.toString(StandardCharsets.ISO_8859_1));
        assertEquals(2, ev.completed);
    }

    @Test
    void pipelinedRequestsStopAtTheEndOfEach() { // aio4j-only
        byte[] two = ("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        Events ev = new Events();
        RequestParser p = new RequestParser(LIMITS, ev);
        int first = p.feed(two);
        assertEquals("GET /a HTTP/1.1\r\nHost: h\r\n\r\n".length(), first);
        assertTrue(p.done());
        assertEquals(0, p.feed(two, first, two.length - first), "nothing is consumed before next()");
        p.next();
        assertTrue(p.idle());
        assertEquals(two.length - first, p.feed(two, first, two.length - first));
        assertEquals(List.of("/a", "/b"), ev.heads.stream().map(RequestHead::target).toList());
    }

    @Test
    void nextBeforeTheEndIsRefused() { // aio4j-only
        RequestParser p = new RequestParser(LIMITS, new Events());
        p.feed("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
        IllegalStateException e = assertThrows(IllegalStateException.class, p::next);
        assertTrue(e.getMessage().startsWith("RequestParser.next() called before the current request was complete"),
                e.getMessage());
    }

    @Test
    void requestTeChunkedWithContentLength() {
        String m = refused("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\ndata\r\n0\r\n\r\n", Kind.BAD_TRANSFER_ENCODING, 400);
        assertTrue(m.startsWith("request has both Transfer-Encoding and Content-Length"), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip, chunked", "chunked, gzip", "chunked, chunked", "identity", "chunked;x=1", ""})
    void transferEncodingOtherThanChunkedIsRefused(String te) {
        refused("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: " + te + "\r\n\r\n0\r\n\r\n",
                Kind.BAD_TRANSFER_ENCODING, 400);
    }

    @Test
    void transferEncodingIn10IsRefused() {
        refused("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", Kind.BAD_TRANSFER_ENCODING, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length: 4\r\nContent-Length: 5", "Content-Length: 4, 5", "Content-Length: -1",
            "Content-Length: +4", "Content-Length: 0x4", "Content-Length: 4 4", "Content-Length:"})
    void badContentLengthIsRefused(String field) {
        refused("POST / HTTP/1.1\r\nHost: h\r\n" + field + "\r\n\r\ndata", Kind.BAD_CONTENT_LENGTH, 400);
    }

    @Test
    void identicalContentLengthsAreOne() {
        assertEquals("data", parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\ndata")
                .body.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void badChunkSizeIsRefused() {
        refused("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\ndata\r\n0\r\n\r\n",
                Kind.BAD_CHUNK, 400);
        refused("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n\r\n", Kind.BAD_CHUNK, 400);
    }

    @Test
    void smuggledRequestInsideABodyIsBodyNotARequest() { // aio4j-only: the body is never parsed as a head
        Events ev = parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 32\r\n\r\nGET /admin HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(1, ev.heads.size());
        assertEquals("GET /admin HTTP/1.1\r\nHost: h\r\n\r\n", ev.body.toString(StandardCharsets.ISO_8859_1));
    }

    // -------------------------------------------------------------------------- the end

    @Test
    void eofBetweenRequestsIsClean() {
        RequestParser p = new RequestParser(LIMITS, new Events());
        assertTrue(p.idle());
        p.feedEof();
        assertEquals(0, p.failureStatus());
    }

    @Test
    void eofInsideARequestIsIncomplete() {
        String m = refused("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc", Kind.INCOMPLETE, 400);
        assertEquals("connection closed after 3 of 10 request body bytes (Content-Length)", m);
        refused("GET / HTTP/1.1\r\nHost:", Kind.INCOMPLETE, 400);
        refused("GET / HTT", Kind.INCOMPLETE, 400);
    }

    @Test
    void toStringShowsStateAndRequest() {
        RequestParser p = new RequestParser(LIMITS, new Events());
        p.feed("GET /index.html HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("RequestParser[HEADERS, 26 bytes, GET /index.html]", p.toString());
    }

    // ------------------------------------- the rules at their bounds (mutation testing)

    @Test
    void exactlyTheBoundOfLeadingEmptyLinesIsSkipped() { // aio4j-only: the bound itself passes
        assertEquals("/x", parse("\r\n".repeat(RequestParser.MAX_LEADING_EMPTY_LINES) + "GET /x HTTP/1.1\r\nHost: h\r\n\r\n")
                .heads.get(0).target());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Type", "Content-Location", "Content-Range", "ETag", "Max-Forwards", "Server", "User-Agent"})
    void singletonHeaderOnceIsAccepted(String name) { // the other half of duplicateSingletonHeaderRejected
        assertEquals(List.of("a"), parse("GET / HTTP/1.1\r\nHost: h\r\n" + name + ": a\r\n\r\n").heads.get(0).headers().getAll(name));
    }

    @Test
    void requestTeChunkedWithContentLengthZero() { // aio4j-only: a zero length is a length too
        String m = refused("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n", Kind.BAD_TRANSFER_ENCODING, 400);
        assertEquals("request has both Transfer-Encoding and Content-Length (refused: ambiguous framing): "
                + "\"Content-Length: 0\"", m);
    }

    @Test
    void expectOtherThanContinueIsNotExpectContinue() { // aio4j-only: RFC 9110 section 10.1.1
        assertFalse(parse("PUT /u HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx")
                .heads.get(0).expectContinue());
    }

    @Test
    void idleOnlyBeforeTheFirstByteOfARequest() { // aio4j-only: when the server may close quietly
        RequestParser p = new RequestParser(LIMITS, new Events());
        assertTrue(p.idle());
        p.feed(bytes("\r\n"));
        assertFalse(p.idle(), "an empty line before a request line is a byte of the request");
        p.feed(bytes("GET / HTTP/1.1\r\nHost: h\r\n"));
        assertFalse(p.idle());
        p.feed(bytes("\r\n"));
        assertTrue(p.done());
        assertFalse(p.idle(), "done, next() not called");
        p.next();
        assertTrue(p.idle());
    }

    @Test
    void feedEofAfterAFailureIsRefused() { // aio4j-only: a failed parser stays failed
        RequestParser p = new RequestParser(LIMITS, new Events());
        assertThrows(BadHttpMessage.class, () -> p.feed(bytes("GET / HTTP/1.1\nHost: h\r\n\r\n")));
        IllegalStateException e = assertThrows(IllegalStateException.class, p::feedEof);
        assertTrue(e.getMessage().startsWith("RequestParser used after it failed: "), e.getMessage());
        assertEquals(400, p.failureStatus());
    }

    @Test
    void eofInsideAChunkedBodyOrTheHeadSaysWhere() { // aio4j-only: the messages of feedEof
        String m = refused("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nda", Kind.INCOMPLETE, 400);
        assertTrue(m.startsWith("connection closed in a chunked request body, "), m);
        assertEquals("connection closed in the request head after 21 bytes", refused("GET / HTTP/1.1\r\nHost:", Kind.INCOMPLETE, 400));
        assertEquals("connection closed in a request line after 9 bytes", refused("GET / HTT", Kind.INCOMPLETE, 400));
    }

    // ------------------------------------- more of test_http_parser.py's request half

    @ParameterizedTest
    @ValueSource(strings = {"\"", "(", ")", ",", "/", ";", "<", "=", ">", "?", "@", "[", "\\", "]", "{", "}", " "})
    void badHeaderName(String delimiter) { // aiohttp skips ':', which only splits name and value earlier
        refused("POST / HTTP/1.1\r\nHost: h\r\nhead" + delimiter + "er: val\r\n\r\n", Kind.INVALID_HEADER, 400);
    }

    @Test
    void emptyHeaderName() {
        refused("GET / HTTP/1.1\r\nHost: h\r\n: value\r\n\r\n", Kind.INVALID_HEADER, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0001", "\u007f", "\u001b"})
    void invalidCharacter(String ch) {
        refused("GET / HTTP/1.1\r\nHost: h\r\nX-Foo: ab" + ch + "cd\r\n\r\n", Kind.INVALID_HEADER, 400);
    }

    @Test
    void cve202337276() { // a bare CR must not let a second field hide in a value
        String text = "GET / HTTP/1.1\r\nHost: localhost:8080\r\nX-Abc: \rxTransfer-Encoding: chunked\r\n\r\n";
        for (boolean bytewise : new boolean[] {false, true}) {
            RequestParser p = new RequestParser(LIMITS, new Events());
            byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
            assertThrows(BadHttpMessage.class, () -> {
                for (int pos = 0; pos < data.length; ) {
                    pos += p.feed(data, pos, bytewise ? 1 : data.length - pos);
                }
            });
            assertEquals(400, p.failureStatus());
        }
    }

    @Test
    void whitespaceAroundHeaderValue() {
        RequestHead h = parse("GET / HTTP/1.1\r\nHost: h\r\nX-A: \t value \t \r\nX-B:value\r\n\r\n").heads.get(0);
        assertEquals("value", h.headers().get("X-A"));
        assertEquals("value", h.headers().get("X-B"));
    }

    @Test
    void listHeaders() {
        RequestHead h = parse("GET / HTTP/1.1\r\nHost: h\r\nX-L: a\r\nX-L: b, c\r\n\r\n").heads.get(0);
        assertEquals(List.of("a", "b, c"), h.headers().getAll("x-l"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.0||false", "1.1||true", "1.1|close|false", "1.0|close|false", "1.0|keep-alive|true", "1.1|keep-alive|true",
        "1.1|keep-alive, close|false", "1.1|Close|false", "1.0|test|false", "1.1|test|true"})
    void connectionHeader(String version, String connection, boolean keepAlive) { // test_conn_default_1_0 ... test_conn_other_1_1
        String host = version.equals("1.1") ? "Host: h\r\n" : "";
        String field = connection == null ? "" : "Connection: " + connection + "\r\n";
        assertEquals(keepAlive, parse("GET / HTTP/" + version + "\r\n" + host + field + "\r\n").heads.get(0).keepAlive());
    }

    @Test
    void connCloseMultipleHeaders() {
        assertFalse(parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n")
                .heads.get(0).keepAlive());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Type", "Content-Location", "Content-Range", "ETag", "Max-Forwards", "Server", "User-Agent"})
    void duplicateSingletonHeaderRejected(String name) {
        refused("GET / HTTP/1.1\r\nHost: h\r\n" + name + ": a\r\n" + name.toLowerCase() + ": b\r\n\r\n",
                Kind.INVALID_HEADER, 400);
    }

    @Test
    void duplicateHostHeaderDifferentCasingRejected() {
        refused("GET / HTTP/1.1\r\nHost: a\r\nhOST: b\r\n\r\n", Kind.INVALID_HEADER, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked123", "chunked\u00e9", "chunkedx", "xchunked"})
    void requestTeChunked123(String te) { // also test_te_header_non_ascii
        refused("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: " + te + "\r\n\r\n0\r\n\r\n", Kind.BAD_TRANSFER_ENCODING, 400);
    }

    @Test
    void parseChunkedPayloadChunkExtension() {
        Events ev = parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4;test\r\ndata\r\n4;a=\"b;c\"\r\nline\r\n0\r\n\r\n");
        assertEquals("dataline", ev.body.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void parseChunkedPayloadWithLfInExtensions() {
        refused("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4;abc\nxyz\r\ndata\r\n0\r\n\r\n",
                Kind.BAD_LINE_ENDING, 400);
    }

    // llhttp's test/request/transfer-encoding.md, through the request parser (headings as names)

    private static final String CHUNKED_POST = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";

    @Test
    void spaceAfterChunkHeader() { // llhttp: "Space after chunk header"; aiohttp: test_http_response_parser_bad_chunked_strict_py
        String m = refused(CHUNKED_POST + "a \r\n0123456789\r\n0\r\n\r\n", Kind.BAD_CHUNK, 400);
        assertTrue(m.startsWith("whitespace after chunk size is not allowed (RFC 9112 section 7.1"), m);
    }

    @Test
    void noSemicolonBeforeChunkExtensions() { // llhttp
        refused(CHUNKED_POST + "2 erfrferferf\r\naa\r\n0 rrrr\r\n\r\n", Kind.BAD_CHUNK, 400);
    }

    @Test
    void noExtensionAfterSemicolon() { // llhttp
        String m = refused(CHUNKED_POST + "2;\r\naa\r\n0\r\n\r\n", Kind.BAD_CHUNK, 400);
        assertTrue(m.startsWith("chunk extension name is empty"), m);
    }

    @Test
    void chunkExtensionsQuoting() { // llhttp
        Events ev = parse(CHUNKED_POST + "5;ilovew3=\"I \\\"love\\\"; \\\\extensions\\\\\";somuchlove=\"aretheseparametersfor\";blah;foo=bar\r\n"
                + "hello\r\n6;blahblah;blah\r\n world\r\n0\r\n\r\n");
        assertEquals("hello world", ev.body.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void unbalancedChunkExtensionsQuoting() { // llhttp
        String m = refused(CHUNKED_POST + "5;ilovew3=\"abc\";somuchlove=\"def; ghi\r\nhello\r\n6;blahblah;blah\r\n world\r\n0\r\n\r\n",
                Kind.BAD_CHUNK, 400);
        assertTrue(m.startsWith("chunk extension quoted value is not closed"), m);
    }

    @Test
    void controlCharacterInChunkExtensionIsRefused() { // llhttp strict: "Invalid character in chunk extensions value"
        refused(CHUNKED_POST + "5;a=b\u0000c\r\nhello\r\n0\r\n\r\n", Kind.BAD_CHUNK, 400);
    }

    @Test
    void chunkHeaderNotTerminatedByCrlf() { // llhttp: the request smuggled behind "5\r\r;ABCD" is never read
        String text = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close \r\nTransfer-Encoding: chunked \r\n\r\n5\r\r;ABCD\r\n34\r\nE\r\n0\r\n\r\n"
                + "GET / HTTP/1.1 \r\nHost: a\r\nContent-Length: 5\r\n\r\n0\r\n\r\n";
        refused(text, Kind.BAD_LINE_ENDING, 400);
    }

    @Test
    void chunkDataNotTerminatedByCrlf() { // llhttp
        String m = refused("GET / HTTP/1.1\r\nHost: a\r\nConnection: close \r\nTransfer-Encoding: chunked \r\n\r\n5\r\nABCDE0\r\n\r\n",
                Kind.BAD_CHUNK, 400);
        assertEquals("chunk data (5 bytes) is not followed by CRLF (chunk size mismatch): \"0\"", m);
    }

    @Test
    void missingLastChunk() { // llhttp
        refused("PUT /url HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nfoo\r\n\r\n\r\n", Kind.BAD_CHUNK, 400);
    }

    @Test
    void validateChunkParameters() { // llhttp ("3 \n  \r\n": a bare LF here)
        refused("PUT /url HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3 \n  \r\nfoo\r\n\r\n", Kind.BAD_LINE_ENDING, 400);
    }

    @Test
    void postWithChunkedAndDuplicateTransferEncoding() { // llhttp: chunked, then a second field "deflate"
        refused("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: deflate\r\n\r\nWorld",
                Kind.BAD_TRANSFER_ENCODING, 400);
    }

    @Test
    void postWithChunkedAsLastTransferEncoding() { // llhttp accepts "deflate, chunked"; aio4j has no deflate transfer coding
        refused("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: deflate\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nWorld\r\n0\r\n\r\n",
                Kind.BAD_TRANSFER_ENCODING, 400);
    }

    @Test
    void postWithChunkedchunkedAsTransferEncoding() { // llhttp: "POST with `chunkedchunked` as transfer-encoding"
        refused("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunkedchunked\r\n\r\n5\r\nWorld\r\n0\r\n\r\n",
                Kind.BAD_TRANSFER_ENCODING, 400);
    }

    @Test
    void postWithEmptyTransferEncodingAndContentLength() { // llhttp
        refused("POST / HTTP/1.1\r\nHost: foo\r\nContent-Length: 10\r\nTransfer-Encoding:\r\nTransfer-Encoding:\r\nTransfer-Encoding:\r\n\r\n2\r\nAA\r\n0\r\n",
                Kind.BAD_TRANSFER_ENCODING, 400);
    }

    @Test
    void postWithTransferEncodingIdentityAndContentLength() { // llhttp: "POST with `Transfer-Encoding` and `Content-Length`"
        refused("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity\r\nContent-Length: 5\r\n\r\nWorld", Kind.BAD_TRANSFER_ENCODING, 400);
    }

    @Test
    void requestTeDuplicateChunked() { // aiohttp: test_request_te_duplicate_chunked
        String m = refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", Kind.BAD_TRANSFER_ENCODING, 400);
        assertTrue(m.startsWith("Transfer-Encoding applies chunked more than once"), m);
    }

    @Test
    void requestTeFirstChunked() { // aiohttp: test_request_te_first_chunked (chunked not last: 400, RFC 9112 section 6.3)
        refused("GET /test HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, not\r\n\r\n1\r\nT\r\n3\r\nest\r\n0\r\n\r\n",
                Kind.BAD_TRANSFER_ENCODING, 400);
    }

    @Test
    void requestTeEmptyListInvalid() { // aiohttp: test_request_te_empty_list_invalid
        refused("GET /test HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,  \t ,\r\n\r\n", Kind.BAD_TRANSFER_ENCODING, 400);
    }

    @Test
    void invalidObsFoldAfterChunkedValue() { // llhttp: "Invalid OBS fold after chunked value" (strict: the fold itself)
        refused("PUT /url HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n  abc\r\n\r\n5\r\nWorld\r\n0\r\n\r\n",
                Kind.INVALID_HEADER, 400);
    }

    @Test
    void trailerObsFoldIsRefused() { // aio4j-only: trailers follow the header rules
        refused(CHUNKED_POST + "0\r\nX-A: a\r\n b\r\n\r\n", Kind.INVALID_HEADER, 400);
    }

    @Test
    void badChunkedIsNotReadAsContentLength() { // aiohttp: test_bad_chunked
        String m = refused("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0_2e\r\n\r\n"
                + "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", Kind.BAD_CHUNK, 400);
        assertTrue(m.contains("0_2e"), m);
    }

    @Test
    void requestChunkedWithTrailer() {
        Events ev = parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\ntest\r\n0\r\ntest: trailer\r\n\r\n");
        assertEquals("test", ev.body.toString(StandardCharsets.ISO_8859_1));
        assertEquals("trailer", ev.trailers.get("test"));
    }

    @Test
    void requestChunkedRejectBadTrailer() {
        String text = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad\ntrailer\r\n\r\n";
        for (boolean bytewise : new boolean[] {false, true}) {
            RequestParser p = new RequestParser(LIMITS, new Events());
            byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
            assertThrows(BadHttpMessage.class, () -> {
                for (int pos = 0; pos < data.length && !p.done(); ) {
                    pos += p.feed(data, pos, bytewise ? 1 : data.length - pos);
                }
            });
            assertEquals(400, p.failureStatus());
        }
    }

    @Test
    void parseContentLengthPayloadMultiple() {
        Events ev = parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nfirst"
                + "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\n\r\nsecond");
        assertEquals(2, ev.heads.size());
        assertEquals(2, ev.completed);
        assertEquals("firstsecond", ev.body.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void parseChunkedPayloadEmptyBodyThanAnotherChunked() {
        Events ev = parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nsecond\r\n0\r\n\r\n".replace("5\r\nsecond", "6\r\nsecond"));
        assertEquals(2, ev.heads.size());
        assertEquals("second", ev.body.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void urlAbsolute() {
        RequestHead h = parse("GET https://www.google.com/path/to.html HTTP/1.1\r\nHost: www.google.com\r\n\r\n").heads.get(0);
        assertEquals("https://www.google.com/path/to.html", h.target());
    }

    @Test
    void urlConnect() {
        RequestHead h = parse("CONNECT www.google.com:443 HTTP/1.1\r\nHost: www.google.com:443\r\n\r\n").heads.get(0);
        assertEquals("www.google.com:443", h.target());
    }

    @Test
    void urlAuthorityFormOnlyConnect() {
        refused("GET www.google.com:443 HTTP/1.1\r\nHost: h\r\n\r\n", Kind.BAD_STATUS_LINE, 400);
    }

    @Test
    void parseUriPercentEncoded() {
        RequestHead h = parse("GET /path%20to%2Ffile?q=%C3%A9#frag HTTP/1.1\r\nHost: h\r\n\r\n".replace("#frag", "")).heads.get(0);
        assertEquals("/path%20to%2Ffile?q=%C3%A9", h.target()); // the parser keeps the target as sent
    }
}
