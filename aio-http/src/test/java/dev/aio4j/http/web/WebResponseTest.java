package dev.aio4j.http.web;

import dev.aio4j.http.ETag;
import dev.aio4j.http.Headers;
import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.Charset;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors aiohttp's {@code tests/test_web_response.py}: {@link StreamResponse} and
 * {@link Response} prepared on a {@link MockedRequest}, whose {@link RecordingTransport} keeps
 * the bytes a real socket would get. Names are aiohttp's in camelCase.
 */
class WebResponseTest {
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void inLoop(ThrowingRunnable body) throws Exception {
        Aio.run(() -> {
            body.run();
            return null;
        });
    }

    /** Sends {@code resp} as the server does (prepare, the body, EOF) and returns the wire bytes. */
    private static String send(MockedRequest m, StreamResponse resp) throws Exception {
        Request req = m.build();
        if (resp instanceof Response r) {
            r.finish(req);
        } else {
            resp.prepare(req);
            resp.writeEof();
        }
        return m.transport.writtenText();
    }

    private static List<String> lines(String wire) {
        return new ArrayList<>(Arrays.asList(wire.split("\r\n", -1)));
    }

    private static String head(String wire) {
        return wire.substring(0, wire.indexOf("\r\n\r\n") + 2);
    }

    @Test
    void streamResponseCtor() {
        StreamResponse resp = new StreamResponse();
        assertEquals(200, resp.status());
        assertEquals("OK", resp.reason());
        assertFalse(resp.prepared());
        assertTrue(resp.keepAlive()); // aiohttp: None until prepared
    }

    @Test
    void contentLength() {
        assertEquals(OptionalLong.empty(), new StreamResponse().contentLength());
    }

    @Test
    void contentLengthSetter() {
        StreamResponse resp = new StreamResponse();
        resp.contentLength(234);
        assertEquals(OptionalLong.of(234), resp.contentLength());
        assertEquals("234", resp.headers().get("Content-Length"));
    }

    @Test
    void contentLengthSetterWithEnableChunkedEncoding() {
        StreamResponse resp = new StreamResponse();
        resp.enableChunkedEncoding();
        assertThrows(IllegalStateException.class, () -> resp.contentLength(234));
    }

    @Test
    void settingContentType() {
        StreamResponse resp = new StreamResponse();
        resp.contentType("text/html");
        assertEquals("text/html", resp.headers().get("content-type"));
    }

    @Test
    void settingCharset() {
        StreamResponse resp = new StreamResponse();
        resp.contentType("text/html");
        resp.charset("koi8-r");
        assertEquals("text/html; charset=koi8-r", resp.headers().get("content-type"));
    }

    @Test
    void defaultCharset() {
        assertNull(new StreamResponse().charset());
    }

    @Test
    void resetCharset() {
        StreamResponse resp = new StreamResponse();
        resp.contentType("text/html");
        resp.charset(null);
        assertNull(resp.charset());
    }

    @Test
    void resetCharsetAfterSetting() {
        StreamResponse resp = new StreamResponse();
        resp.contentType("text/html");
        resp.charset("koi8-r");
        resp.charset(null);
        assertNull(resp.charset());
        assertEquals("text/html", resp.headers().get("Content-Type"));
    }

    @Test
    void charsetWithoutContentType() {
        assertThrows(IllegalArgumentException.class, () -> new StreamResponse().charset("koi8-r"));
    }

    @Test
    void lastModifiedInitial() {
        assertNull(new StreamResponse().lastModified());
    }

    @Test
    void lastModifiedString() {
        StreamResponse resp = new StreamResponse();
        resp.headers().set("Last-Modified", "Mon, 17 Mar 2014 14:55:00 GMT");
        assertEquals(ZonedDateTime.of(2014, 3, 17, 14, 55, 0, 0, ZoneOffset.UTC).toInstant(), resp.lastModified().toInstant());
    }

    @Test
    void lastModifiedDatetime() {
        StreamResponse resp = new StreamResponse();
        ZonedDateTime dt = ZonedDateTime.of(1990, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);
        resp.lastModified(dt);
        assertEquals(dt.toInstant(), resp.lastModified().toInstant());
        assertEquals("Tue, 02 Jan 1990 03:04:05 GMT", resp.headers().get("Last-Modified")); // IMF-fixdate: two-digit day
    }

    @Test
    void lastModifiedStringInvalid() {
        StreamResponse resp = new StreamResponse();
        resp.headers().set("Last-Modified", "invalid");
        assertNull(resp.lastModified());
    }

    @Test
    void etagInitial() {
        assertNull(new StreamResponse().etag());
    }

    @Test
    void etagString() {
        StreamResponse resp = new StreamResponse();
        resp.etag("0123-kotik");
        assertEquals(new ETag("0123-kotik"), resp.etag());
        assertEquals("\"0123-kotik\"", resp.headers().get("ETag"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0123-weak-kotik|true|W/\"0123-weak-kotik\"", "0123-strong-kotik|false|\"0123-strong-kotik\""})
    void etagClass(String value, boolean weak, String expectedHeader) {
        StreamResponse resp = new StreamResponse();
        ETag tag = new ETag(value, weak);
        resp.etag(tag);
        assertEquals(tag, resp.etag());
        assertEquals(expectedHeader, resp.headers().get("ETag"));
    }

    @Test
    void etagAny() {
        StreamResponse resp = new StreamResponse();
        resp.etag("*");
        assertEquals(new ETag("*"), resp.etag());
        assertEquals("*", resp.headers().get("ETag"));
        resp.etag(new ETag("*", true)); // aiohttp: any tag is sent as * whether weak or not
        assertEquals("*", resp.headers().get("ETag"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0432\u0430\u0434\u0438\u043c", "\"0123-kotik\"", "x\ny", "bad \u00a9\u00ae", ""})
    void etagInvalidValueSet(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StreamResponse().etag(value));
        assertTrue(e.getMessage().contains("is not a valid etag"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ETag(value, true));
    }

    @Test
    void etagObsTextIsAValidValue() {
        // aiohttp's _ETAGC takes the bytes 0x80 to 0xFF
        StreamResponse resp = new StreamResponse();
        resp.etag("caf\u00e9");
        assertEquals("\"caf\u00e9\"", resp.headers().get("ETag"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*\"", "\"0123-kotik", "W/\"\"", "\"a\" ", "0123-kotik"})
    void etagInvalidValueGet(String header) {
        StreamResponse resp = new StreamResponse();
        resp.headers().set("ETag", header);
        assertNull(resp.etag());
    }

    @Test
    void etagReset() {
        StreamResponse resp = new StreamResponse();
        resp.etag("*");
        resp.etag((ETag) null);
        assertNull(resp.etag());
        assertFalse(resp.headers().contains("ETag"));
    }

    @Test
    void start() throws Exception {
        inLoop(() -> {
            MockedRequest m = MockedRequest.of("GET", "/");
            Request req = m.build();
            StreamResponse resp = new StreamResponse();
            resp.prepare(req);
            assertTrue(resp.prepared());
            String once = m.transport.writtenText();
            resp.prepare(req); // a second prepare does nothing
            assertEquals(once, m.transport.writtenText());
            assertTrue(resp.keepAlive());
        });
    }

    @Test
    void chunkedEncoding() throws Exception {
        inLoop(() -> {
            StreamResponse resp = new StreamResponse();
            assertFalse(resp.chunked());
            resp.enableChunkedEncoding();
            assertTrue(resp.chunked());
            String wire = send(MockedRequest.of("GET", "/"), resp);
            assertTrue(head(wire).contains("Transfer-Encoding: chunked\r\n"), wire);
            assertTrue(wire.endsWith("\r\n\r\n0\r\n\r\n"), wire);
        });
    }

    @Test
    void enableChunkedEncodingWithContentLength() {
        StreamResponse resp = new StreamResponse();
        resp.contentLength(234);
        assertThrows(IllegalStateException.class, resp::enableChunkedEncoding);
    }

    @Test
    void chunkedEncodingForbiddenForHttp10() throws Exception { // aio4j: no error; the body runs until the connection closes
        inLoop(() -> {
            StreamResponse resp = new StreamResponse();
            resp.enableChunkedEncoding();
            String wire = send(MockedRequest.of("GET", "/").version(0), resp);
            assertFalse(wire.contains("Transfer-Encoding"), wire);
            assertFalse(resp.keepAlive());
        });
    }

    @Test
    void compressionNoAccept() throws Exception {
        inLoop(() -> {
            StreamResponse resp = new StreamResponse();
            assertNull(resp.compression());
            resp.enableCompression();
            assertEquals("auto", resp.compression());
            String wire = send(MockedRequest.of("GET", "/"), resp);
            assertFalse(wire.contains("Content-Encoding"), wire);
        });
    }

    @Test
    void compressionDefaultCoding() throws Exception { // aio4j prefers gzip where aiohttp takes deflate first
        inLoop(() -> {
            StreamResponse resp = new StreamResponse();
            resp.enableCompression();
            resp.prepare(MockedRequest.of("GET", "/").header("Accept-Encoding", "gzip, deflate").build());
            assertEquals("gzip", resp.headers().get("Content-Encoding"));
        });
    }

    /** aiohttp's test_force_compression_deflate and test_force_compression_gzip. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"deflate", "gzip"})
    void forceCompression(String coding) throws Exception {
        inLoop(() -> {
            StreamResponse resp = new StreamResponse();
            resp.enableCompression(coding);
            resp.prepare(MockedRequest.of("GET", "/").header("Accept-Encoding", "gzip, deflate").build());
            assertEquals(coding, resp.headers().get("Content-Encoding"));
        });
    }

    @Test
    void forceCompressionNoAcceptDeflate() throws Exception {
        inLoop(() -> {
            StreamResponse resp = new StreamResponse();
            resp.enableCompression("deflate");
            resp.prepare(MockedRequest.of("GET", "/").build());
            assertEquals("deflate", resp.headers().get("Content-Encoding"));
        });
    }

    @Test
    void enableCompressionWithExistingEncoding() throws Exception {
        inLoop(() -> {
            StreamResponse resp = new StreamResponse();
            resp.headers().set("Content-Encoding", "br");
            resp.enableCompression();
            resp.prepare(MockedRequest.of("GET", "/").header("Accept-Encoding", "gzip, deflate").build());
            assertEquals("br", resp.headers().get("Content-Encoding"));
        });
    }

    @Test
    void rmContentLengthIfCompressionHttp11() throws Exception {
        inLoop(() -> {
            Response resp = new Response().body("answer".repeat(50).getBytes(Charset.defaultCharset()));
            resp.enableCompression("gzip");
            String wire = send(MockedRequest.of("GET", "/"), resp);
            assertTrue(head(wire).contains("Content-Encoding: gzip\r\n"), wire);
            assertFalse(head(wire).contains("Content-Length: 300"), wire);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 101, 102, 204, 304})
    void rmContentLength1xx204304Responses(int status) throws Exception {
        inLoop(() -> {
            String wire = send(MockedRequest.of("GET", "/"), new Response(status).text("answer"));
            assertFalse(head(wire).contains("Content-Length"), wire);
            assertFalse(head(wire).contains("Transfer-Encoding"), wire);
            assertTrue(wire.endsWith("\r\n\r\n"), "no body after a " + status + ": " + wire);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 101, 204, 304})
    void rmTransferEncodingRfc911263Http11(int status) throws Exception {
        inLoop(() -> {
            Response resp = new Response(status);
            resp.enableChunkedEncoding();
            String wire = send(MockedRequest.of("GET", "/"), resp);
            assertFalse(head(wire).contains("Transfer-Encoding"), wire);
            assertFalse(head(wire).contains("Content-Length"), wire);
            assertTrue(wire.endsWith("\r\n\r\n"), wire);
        });
    }

    @Test
    void headResponseKeepsContentLengthOfOriginalBody() throws Exception {
        inLoop(() -> {
            String wire = send(MockedRequest.of("HEAD", "/"), new Response().body("answer".getBytes(Charset.defaultCharset())));
            assertTrue(head(wire).contains("Content-Length: 6\r\n"), wire);
            assertFalse(head(wire).contains("Transfer-Encoding"), wire);
            assertTrue(wire.endsWith("\r\n\r\n"), "no body for HEAD: " + wire);
        });
    }

    @Test
    void contentLengthOnChunked() throws Exception { // the wire never carries both framings
        inLoop(() -> {
            Response resp = new Response().body("answer".getBytes(Charset.defaultCharset()));
            resp.enableChunkedEncoding();
            String wire = send(MockedRequest.of("GET", "/"), resp);
            assertFalse(head(wire).contains("Content-Length") && head(wire).contains("Transfer-Encoding"), wire);
        });
    }

    @Test
    void writeBeforeStart() throws Exception {
        inLoop(() -> assertThrows(IllegalStateException.class, () -> new StreamResponse().write("data".getBytes())));
    }

    @Test
    void cannotWriteAfterEof() throws Exception {
        inLoop(() -> {
            MockedRequest m = MockedRequest.of("GET", "/");
            StreamResponse resp = new StreamResponse();
            resp.prepare(m.build());
            resp.write("data".getBytes());
            resp.writeEof();
            int before = m.transport.written.size();
            assertThrows(IllegalStateException.class, () -> resp.write("next data".getBytes()));
            assertEquals(before, m.transport.written.size());
        });
    }

    @Test
    void cannotWriteEofBeforeHeaders() throws Exception {
        inLoop(() -> assertThrows(IllegalStateException.class, () -> new StreamResponse().writeEof()));
    }

    @Test
    void cannotWriteEofTwice() throws Exception {
        inLoop(() -> {
            MockedRequest m = MockedRequest.of("GET", "/");
            StreamResponse resp = new StreamResponse();
            resp.prepare(m.build());
            resp.write("data".getBytes());
            resp.writeEof();
            String once = m.transport.writtenText();
            resp.writeEof();
            assertEquals(once, m.transport.writtenText());
        });
    }

    @Test
    void forceClose() {
        StreamResponse resp = new StreamResponse();
        resp.forceClose();
        assertFalse(resp.keepAlive());
    }

    /** aiohttp's test_set_status_with_reason and test_set_status_with_empty_reason. */
    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"Everything is fine!", ""})
    void setStatusWithReason(String reason) {
        StreamResponse resp = new StreamResponse();
        resp.setStatus(200, reason);
        assertEquals(200, resp.status());
        assertEquals(reason, resp.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"OK\rSet-Cookie: evil=1", "OK\nSet-Cookie: evil=1", "OK\r\nSet-Cookie: evil=1"})
    void setStatusReasonWithCrOrLf(String reason) { // test_set_status_reason_with_cr, _lf, _crlf
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StreamResponse().setStatus(200, reason));
        assertTrue(e.getMessage().startsWith("reason must hold no control character (HTAB allowed, never CR or LF)"), e.getMessage());
    }

    @Test
    void multilineReason() {
        assertThrows(IllegalArgumentException.class, () -> new Response(200, "Bad\r\nInjected-header: foo", new Headers()));
    }

    @Test
    void startForceClose() throws Exception {
        inLoop(() -> {
            StreamResponse resp = new StreamResponse();
            resp.forceClose();
            assertFalse(resp.keepAlive());
            String wire = send(MockedRequest.of("GET", "/"), resp);
            assertFalse(resp.keepAlive());
            assertTrue(head(wire).contains("Connection: close\r\n"), wire);
        });
    }

    @Test
    void repr() throws Exception { // aiohttp: <StreamResponse foo GET /path/to >
        inLoop(() -> {
            StreamResponse resp = new StreamResponse(200, "foo", new Headers());
            assertEquals("<StreamResponse 200 foo not prepared>", resp.toString());
            resp.prepare(MockedRequest.make("GET", "/path/to"));
            assertEquals("<StreamResponse 200 foo>", resp.toString());
        });
    }

    @Test
    void keepAliveHttp10Default() throws Exception {
        inLoop(() -> {
            StreamResponse resp = new StreamResponse();
            String wire = send(MockedRequest.of("GET", "/").version(0), resp);
            assertFalse(resp.keepAlive());
            assertFalse(wire.contains("keep-alive"), wire);
        });
    }

    @Test
    void keepAliveHttp10SwitchedOn() throws Exception {
        inLoop(() -> {
            StreamResponse resp = new StreamResponse();
            resp.contentLength(0);
            String wire = send(MockedRequest.of("GET", "/").version(0).header("Connection", "keep-alive"), resp);
            assertTrue(resp.keepAlive());
            assertTrue(head(wire).contains("Connection: keep-alive\r\n"), wire);
        });
    }

    @Test
    void prepareTwice() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/");
            StreamResponse resp = new StreamResponse();
            resp.prepare(req);
            resp.prepare(req);
            assertTrue(resp.prepared());
        });
    }

    @Test
    void prepareCallsSignal() throws Exception {
        inLoop(() -> {
            Application app = new Application();
            List<StreamResponse> seen = new ArrayList<>();
            app.onResponsePrepare().add((request, response) -> seen.add(response));
            StreamResponse resp = new StreamResponse();
            resp.prepare(MockedRequest.of("GET", "/").app(app).build());
            assertEquals(List.of(resp), seen);
        });
    }

    @Test
    void anotherResponseToTheSameRequestIsRefused() throws Exception { // aio4j-only: one response per request
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/");
            new StreamResponse().prepare(req);
            assertThrows(IllegalStateException.class, () -> new StreamResponse().prepare(req));
        });
    }

    @Test
    void responseCtor() {
        Response resp = new Response();
        assertEquals(200, resp.status());
        assertEquals("OK", resp.reason());
        assertNull(resp.body());
        assertFalse(resp.headers().contains("CONTENT-LENGTH"));
    }

    @Test
    void ctorWithHeadersAndStatus() throws Exception {
        inLoop(() -> {
            Response resp = new Response(201, null, Headers.of("Age", "12", "DATE", "date"));
            resp.body("body".getBytes());
            assertEquals(201, resp.status());
            assertArrayEquals("body".getBytes(), resp.body());
            assertEquals("12", resp.headers().get("AGE"));
            String wire = send(MockedRequest.of("GET", "/"), resp);
            assertEquals(OptionalLong.of(4), resp.contentLength());
            assertTrue(head(wire).contains("Content-Length: 4\r\n"), wire);
            assertTrue(head(wire).contains("DATE: date\r\n"), wire);
        });
    }

    @Test
    void ctorContentType() {
        Response resp = new Response().contentType("application/json");
        assertEquals(200, resp.status());
        assertEquals("application/json", resp.headers().get("Content-Type"));
        assertEquals(1, resp.headers().size());
    }

    @Test
    void ctorText() throws Exception {
        inLoop(() -> {
            Response resp = new Response().text("test text");
            assertEquals("text/plain; charset=utf-8", resp.headers().get("CONTENT-TYPE"));
            assertArrayEquals("test text".getBytes(), resp.body());
            assertEquals("test text", resp.text());
            String wire = send(MockedRequest.of("GET", "/"), resp);
            assertTrue(head(wire).contains("Content-Length: 9\r\n"), wire);
        });
    }

    @Test
    void ctorCharset() {
        Response resp = new Response().contentType("text/plain");
        resp.charset("koi8-r");
        resp.text("\u0442\u0435\u043a\u0441\u0442");
        assertArrayEquals("\u0442\u0435\u043a\u0441\u0442".getBytes(Charset.forName("koi8-r")), resp.body());
        assertEquals("koi8-r", resp.charset());
    }

    @Test
    void ctorCharsetDefaultUtf8() {
        assertEquals("utf-8", new Response().text("test test").charset());
    }

    @Test
    void ctorCharsetWithoutText() {
        Response resp = new Response().contentType("text/plain");
        resp.charset("koi8-r");
        assertEquals("koi8-r", resp.charset());
    }

    @Test
    void ctorContentTypeWithExtra() {
        Response resp = new Response().contentType("text/plain; version=0.0.4").text("test test");
        assertEquals("text/plain", resp.contentType());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", resp.headers().get("content-type"));
    }

    @Test
    void setTextWithContentType() {
        Response resp = new Response();
        resp.contentType("text/html");
        resp.text("text");
        assertEquals("text", resp.text());
        assertEquals("text/html", resp.contentType());
        assertEquals("utf-8", resp.charset());
    }

    @Test
    void setTextWithCharset() {
        Response resp = new Response();
        resp.contentType("text/plain");
        resp.charset("KOI8-R");
        resp.text("\u0442\u0435\u043a\u0441\u0442");
        assertEquals("\u0442\u0435\u043a\u0441\u0442", resp.text());
        assertEquals("text/plain", resp.contentType());
        assertEquals("koi8-r", resp.charset());
    }

    @Test
    void defaultContentTypeInStreamResponse() {
        assertEquals("application/octet-stream", new StreamResponse().contentType());
    }

    @Test
    void defaultContentTypeInResponse() {
        assertEquals("application/octet-stream", new Response().contentType());
    }

    @Test
    void contentTypeWithSetText() {
        assertEquals("text/plain", new Response().text("text").contentType());
    }

    @Test
    void contentTypeWithSetBody() {
        assertEquals("application/octet-stream", new Response().body("body".getBytes()).contentType());
    }

    @Test
    void preparedWhenNotStarted() {
        assertFalse(new StreamResponse().prepared());
    }

    @Test
    void preparedWhenStarted() throws Exception {
        inLoop(() -> {
            StreamResponse resp = new StreamResponse();
            resp.prepare(MockedRequest.make("GET", "/"));
            assertTrue(resp.prepared());
        });
    }

    @Test
    void preparedAfterEof() throws Exception {
        inLoop(() -> {
            StreamResponse resp = new StreamResponse();
            resp.prepare(MockedRequest.make("GET", "/"));
            resp.write("data".getBytes());
            resp.writeEof();
            assertTrue(resp.prepared());
        });
    }

    @Test
    void drainBeforeStart() throws Exception {
        inLoop(() -> assertThrows(IllegalStateException.class, () -> new StreamResponse().drain()));
    }

    @Test
    void changingStatusAfterPrepareRaises() throws Exception {
        inLoop(() -> {
            StreamResponse resp = new StreamResponse();
            resp.prepare(MockedRequest.make("GET", "/"));
            assertThrows(IllegalStateException.class, () -> resp.setStatus(404));
        });
    }

    @Test
    void textWithEmptyPayload() {
        assertNull(new Response(200).text());
    }

    @Test
    void sendHeadersForEmptyBody() throws Exception {
        inLoop(() -> {
            Response resp = new Response();
            Request req = MockedRequest.of("GET", "/").build();
            resp.prepare(req);
            resp.writeEof();
            String wire = ((RecordingTransport) req.transport()).writtenText();
            List<String> lines = lines(wire);
            assertFalse(lines.stream().anyMatch(l -> l.startsWith("Content-Type")), "no type without content, as aiohttp: " + wire);
            assertEquals(6, lines.size(), wire);
            assertEquals("HTTP/1.1 200 OK", lines.get(0));
            assertTrue(lines.contains("Content-Length: 0"), wire);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("Date: ")), wire);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("Server: ")), wire);
            assertEquals("", lines.get(4));
            assertEquals("", lines.get(5));
        });
    }

    @Test
    void renderWithBody() throws Exception {
        inLoop(() -> {
            Response resp = new Response().body("data".getBytes());
            Request req = MockedRequest.of("GET", "/").build();
            resp.prepare(req);
            resp.writeEof();
            String wire = ((RecordingTransport) req.transport()).writtenText();
            List<String> lines = lines(wire);
            assertEquals(7, lines.size(), wire);
            assertEquals("HTTP/1.1 200 OK", lines.get(0));
            assertTrue(lines.contains("Content-Length: 4"), wire);
            assertTrue(lines.contains("Content-Type: application/octet-stream"), wire);
            assertEquals("", lines.get(5));
            assertEquals("data", lines.get(6));
        });
    }

    @Test
    void sendSetCookieHeader() throws Exception {
        inLoop(() -> {
            Response resp = new Response();
            resp.setCookie("name", "value");
            String wire = send(MockedRequest.of("GET", "/"), resp);
            List<String> lines = lines(wire);
            assertEquals(7, lines.size(), wire);
            assertTrue(lines.contains("Set-Cookie: name=value; Path=/"), wire); // setCookie is set_cookie: path="/" by default
        });
    }

    @Test
    void consecutiveWriteEof() throws Exception {
        inLoop(() -> {
            Response resp = new Response().body("data".getBytes());
            Request req = MockedRequest.of("GET", "/").build();
            resp.prepare(req);
            resp.writeEof();
            resp.writeEof();
            String wire = ((RecordingTransport) req.transport()).writtenText();
            assertTrue(wire.endsWith("\r\n\r\ndata"), wire);
        });
    }

    @Test
    void responseWithContentLengthHeaderWithoutBody() {
        Response resp = new Response(200, null, Headers.of("Content-Length", "123"));
        assertEquals(OptionalLong.of(123), resp.contentLength());
    }

    @Test
    void passingHeadersToWebResponseNotMutated() throws Exception { // test_passing_cimultidict_to_web_response_not_mutated
        inLoop(() -> {
            Headers headers = new Headers();
            Response resp = new Response(200, null, headers).body("answer".getBytes());
            send(MockedRequest.of("GET", "/"), resp);
            assertEquals(0, headers.size());
        });
    }

    @Test
    void streamResponseSendsHeadersImmediately() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/");
            StreamResponse resp = new StreamResponse();
            resp.prepare(req);
            assertTrue(((RecordingTransport) req.transport()).writtenText().startsWith("HTTP/1.1 200 OK\r\n"));
        });
    }

    @Test
    void responseBuffersHeaders() throws Exception { // the head waits to go out with the body, in one write
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/");
            Response resp = new Response().body("hello".getBytes());
            resp.prepare(req);
            assertEquals("", ((RecordingTransport) req.transport()).writtenText());
            resp.writeEof();
            assertTrue(((RecordingTransport) req.transport()).writtenText().endsWith("\r\n\r\nhello"));
        });
    }

    @Test
    void delCookie() { // aio4j: from test_web_functional's cookie tests, at the unit level
        StreamResponse resp = new StreamResponse();
        resp.delCookie("name");
        String v = resp.cookies().get("name").headerValue();
        assertEquals("name=; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/", v);
    }
}
