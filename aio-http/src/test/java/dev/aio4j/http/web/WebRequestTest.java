package dev.aio4j.http.web;

import dev.aio4j.http.MultiDict;
import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors aiohttp's {@code tests/test_web_request.py}: {@link Request} made without a socket by
 * {@link MockedRequest} ({@code make_mocked_request}). Names are aiohttp's in camelCase.
 */
class WebRequestTest {
    private static final String BOUNDARY = "---------------------------326931944431359";

    /** Runs {@code body} in a fresh loop: requests are made and read inside one. */
    private static void inLoop(ThrowingRunnable body) throws Exception {
        Aio.run(() -> {
            body.run();
            return null;
        });
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void ctor() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of("GET", "/path/to?a=1&b=2").version(1).build();
            assertEquals("GET", req.method());
            assertEquals("HTTP/1.1", req.version());
            assertEquals("example.com", req.host());
            assertEquals("/path/to?a=1&b=2", req.pathQs());
            assertEquals("/path/to", req.path());
            assertEquals("a=1&b=2", req.queryString());
            MultiDict<String> get = req.query();
            assertEquals(List.of("a", "b"), get.keys());
            assertEquals("1", get.get("a"));
            assertSame(get, req.query()); // the second call returns the same object
            assertTrue(req.keepAlive());
        });
    }

    @Test
    void hostFallsBackToSocknameNotDns() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of("GET", "/").version(0).build(); // HTTP/1.0: no Host needed
            assertEquals("127.0.0.1", req.host());
            assertTrue(req.url().toString().startsWith("http://127.0.0.1/"), req.url().toString());
        });
    }

    @Test
    void hostWithIpv6Sockname() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of("GET", "/").version(0).extra("sockname", new InetSocketAddress("::1", 80)).build();
            assertEquals("[0:0:0:0:0:0:0:1]", req.host());
            assertEquals("http://[0:0:0:0:0:0:0:1]/", req.url().toString());
        });
    }

    @Test
    void hostWithUnixSocketSockname() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of("GET", "/").version(0)
                    .extra("sockname", UnixDomainSocketAddress.of("/tmp/aiohttp.sock")).build();
            assertEquals("/tmp/aiohttp.sock", req.host());
        });
    }

    @Test
    void hostWithNoTransportSockname() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of("GET", "/").version(0).extra("sockname", null).build();
            assertEquals("", req.host());
        });
    }

    @Test
    void doubleslashes() throws Exception {
        inLoop(() -> assertEquals("/bar//foo/", MockedRequest.make("GET", "/bar//foo/").path()));
    }

    @Test
    void contentTypeNotSpecified() throws Exception {
        inLoop(() -> assertEquals("application/octet-stream", MockedRequest.make("Get", "/").contentType()));
    }

    @Test
    void contentTypeFromSpec() throws Exception {
        inLoop(() -> assertEquals("application/json", MockedRequest.make("Get", "/", "CONTENT-TYPE", "application/json").contentType()));
    }

    @Test
    void contentTypeFromSpecWithCharset() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("Get", "/", "CONTENT-TYPE", "text/html; charset=UTF-8");
            assertEquals("text/html", req.contentType());
            assertEquals("UTF-8", req.charset());
        });
    }

    @Test
    void calcContentTypeOnGettingCharset() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("Get", "/", "CONTENT-TYPE", "text/html; charset=UTF-8");
            assertEquals("UTF-8", req.charset());
            assertEquals("text/html", req.contentType());
        });
    }

    @Test
    void urlencodedQuerystring() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/yandsearch?text=%D1%82%D0%B5%D0%BA%D1%81%D1%82");
            assertEquals("\u0442\u0435\u043a\u0441\u0442", req.query().get("text"));
        });
    }

    @Test
    void nonAsciiPath() throws Exception { // the path arrives encoded: the parser refuses raw non-ASCII targets
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/%D0%BF%D1%83%D1%82%D1%8C");
            assertEquals("/\u043f\u0443\u0442\u044c", req.path());
            assertEquals("/%D0%BF%D1%83%D1%82%D1%8C", req.rawPath());
        });
    }

    @Test
    void absoluteFormRawPath() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "https://example.com/path/to?a=1");
            assertEquals("/path/to?a=1", req.rawPath());
            assertEquals(MockedRequest.make("GET", "/path/to?a=1").rawPath(), req.rawPath());
            assertEquals("/path/to", req.path());
            assertEquals("1", req.query().get("a"));
        });
    }

    @Test
    void connectAuthorityFormRawPath() throws Exception { // aio4j: the authority is not a path; the router sees none
        inLoop(() -> {
            Request req = MockedRequest.make("CONNECT", "example.com:443");
            assertEquals("", req.path());
            assertEquals(404, req.matchInfo().httpException().status());
        });
    }

    @Test
    void contentLength() throws Exception {
        inLoop(() -> assertEquals(OptionalLong.of(123), MockedRequest.make("Get", "/", "CONTENT-LENGTH", "123").contentLength()));
    }

    @Test
    void contentLengthAbsentIsEmpty() throws Exception { // aio4j-only: None is an empty OptionalLong
        inLoop(() -> assertEquals(OptionalLong.empty(), MockedRequest.make("GET", "/").contentLength()));
    }

    @Test
    void nonKeepaliveOnHttp10() throws Exception {
        inLoop(() -> assertFalse(MockedRequest.of("GET", "/").version(0).build().keepAlive()));
    }

    @Test
    void nonKeepaliveOnConnectionClose() throws Exception { // test_non_keepalive_on_closing, from the client's side
        inLoop(() -> assertFalse(MockedRequest.make("GET", "/", "Connection", "close").keepAlive()));
    }

    @Test
    void callPostOnGetRequest() throws Exception {
        inLoop(() -> assertEquals(0, MockedRequest.make("GET", "/").post().size()));
    }

    @Test
    void callPostOnWeirdContentType() throws Exception {
        inLoop(() -> assertEquals(0, MockedRequest.of("POST", "/").header("CONTENT-TYPE", "something/weird").body("x").build()
                .post().size()));
    }

    @Test
    void callPostTwice() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of("POST", "/").header("Content-Type", "application/x-www-form-urlencoded")
                    .body("a=1&b=2").build();
            MultiDict<Object> ret1 = req.post();
            MultiDict<Object> ret2 = req.post();
            assertEquals(ret1, ret2);
            assertEquals("2", ret2.get("b"));
        });
    }

    @Test
    void noRequestCookies() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/");
            assertEquals(Map.of(), req.cookies());
            assertSame(req.cookies(), req.cookies());
        });
    }

    @Test
    void requestCookie() throws Exception {
        inLoop(() -> assertEquals(Map.of("cookie1", "value1", "cookie2", "value2"),
                MockedRequest.make("GET", "/", "COOKIE", "cookie1=value1; cookie2=value2").cookies()));
    }

    @Test
    void requestCookieSetItem() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/", "COOKIE", "name=value");
            assertEquals(Map.of("name", "value"), req.cookies());
            assertThrows(UnsupportedOperationException.class, () -> req.cookies().put("my", "value"));
        });
    }

    @Test
    void requestCookiesWithSpecialCharacters() throws Exception {
        inLoop(() -> {
            assertEquals(Map.of("{test}", "value1", "normal", "value2"),
                    MockedRequest.make("GET", "/", "COOKIE", "{test}=value1; normal=value2").cookies());
            assertEquals(Map.of("test/name", "value1", "valid", "value2"),
                    MockedRequest.make("GET", "/", "COOKIE", "test/name=value1; valid=value2").cookies());
            assertEquals(Map.of("test{foo}bar", "value1", "test/path", "value2", "normal_cookie", "value3"),
                    MockedRequest.make("GET", "/", "COOKIE", "test{foo}bar=value1; test/path=value2; normal_cookie=value3").cookies());
        });
    }

    @Test
    void requestCookiesRealWorldExamples() throws Exception {
        inLoop(() -> {
            assertEquals(Map.of("ISAWPLB{DB45DF86-F806-407C-932C-D52A60E4019E}", "val1", "normal_cookie", "val2"),
                    MockedRequest.make("GET", "/", "COOKIE", "ISAWPLB{DB45DF86-F806-407C-932C-D52A60E4019E}=val1; normal_cookie=val2")
                            .cookies());
            assertEquals(Map.of("{cookie1}", "val1", "cookie/2", "val2", "cookie[3]", "val3", "cookie(4)", "val4"),
                    MockedRequest.make("GET", "/", "COOKIE", "{cookie1}=val1; cookie/2=val2; cookie[3]=val3; cookie(4)=val4").cookies());
        });
    }

    @Test
    void requestCookiesEdgeCases() throws Exception {
        inLoop(() -> {
            assertEquals(Map.of("test", "", "normal", "value"), MockedRequest.make("GET", "/", "COOKIE", "test=; normal=value").cookies());
            assertEquals(Map.of("test", "quoted value", "normal", "unquoted"),
                    MockedRequest.make("GET", "/", "COOKIE", "test=\"quoted value\"; normal=unquoted").cookies());
        });
    }

    @Test
    void requestCookiesQuotedValues() throws Exception {
        inLoop(() -> {
            assertEquals(Map.of("sess", "quoted_value"), MockedRequest.make("GET", "/", "COOKIE", "sess=\"quoted_value\"").cookies());
            assertEquals(Map.of("data", "value;with;semicolons"),
                    MockedRequest.make("GET", "/", "COOKIE", "data=\"value;with;semicolons\"").cookies());
            assertEquals(Map.of("quoted", "value1", "unquoted", "value2", "also_quoted", "value3"),
                    MockedRequest.make("GET", "/", "COOKIE", "quoted=\"value1\"; unquoted=value2; also_quoted=\"value3\"").cookies());
            assertEquals(Map.of("escaped", "value with \" quote"),
                    MockedRequest.make("GET", "/", "COOKIE", "escaped=\"value with \\\" quote\"").cookies());
            assertEquals(Map.of("empty", ""), MockedRequest.make("GET", "/", "COOKIE", "empty=\"\"").cookies());
        });
    }

    @Test
    void requestCookiesManyInvalid() throws Exception {
        inLoop(() -> {
            StringBuilder cookie = new StringBuilder();
            for (int i = 0; i < 3000; i++) {
                cookie.append(i == 0 ? "" : "; ").append("bad\u0001name").append(i).append("=1");
            }
            assertEquals(Map.of(), MockedRequest.make("GET", "/", "COOKIE", cookie.toString().replace('\u0001', ' ')).cookies());
        });
    }

    @Test
    void requestCookiesWithAttributes() throws Exception {
        inLoop(() -> {
            assertEquals(Map.of("sess", "quoted_value", "Domain", ".example.com"),
                    MockedRequest.make("GET", "/", "COOKIE", "sess=\"quoted_value\"; Domain=.example.com").cookies());
            assertEquals(Map.of("token", "abc123", "Path", "/", "Secure", "", "HttpOnly", ""),
                    MockedRequest.make("GET", "/", "COOKIE", "token=\"abc123\"; Path=/; Secure; HttpOnly").cookies());
        });
    }

    @Test
    void requestCookiesNo500Error() throws Exception {
        inLoop(() -> assertEquals("test", MockedRequest.make("GET", "/", "COOKIE", "ISAWPLB{DB45DF86-F806-407C-932C-D52A60E4019E}=test")
                .cookies().get("ISAWPLB{DB45DF86-F806-407C-932C-D52A60E4019E}")));
    }

    @Test
    void matchInfo() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/");
            assertSame(req.matchInfo(), req.matchInfo());
            assertEquals(404, req.matchInfo().httpException().status());
        });
    }

    @Test
    void requestIsMutableMapping() throws Exception { // test_request_is_mutable_mapping, _delitem, _len, _iter
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/");
            req.state().put("key", "value");
            assertEquals("value", req.state().get("key"));
            assertEquals(1, req.state().size());
            req.state().remove("key");
            assertTrue(req.state().isEmpty());
        });
    }

    @Test
    void requestGetAppKeyThroughConfig() throws Exception { // test_request_get_requestkey, through the app
        inLoop(() -> {
            AppKey<String> key = AppKey.of("greeting", String.class);
            Application app = new Application();
            app.set(key, "hi");
            Request req = MockedRequest.of("GET", "/").app(app).build();
            assertEquals("hi", req.config(key));
            assertSame(app, req.app());
        });
    }

    @Test
    void repr() throws Exception { // test___repr__
        inLoop(() -> assertEquals("<Request GET /path/to >", MockedRequest.make("GET", "/path/to").toString()));
    }

    @Test
    void httpScheme() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/", "Host", "example.com");
            assertEquals("http", req.scheme());
            assertFalse(req.secure());
        });
    }

    @Test
    void httpsSchemeBySslTransport() throws Exception {
        javax.net.ssl.SSLEngine engine = javax.net.ssl.SSLContext.getDefault().createSSLEngine();
        inLoop(() -> {
            Request req = MockedRequest.of("GET", "/").header("Host", "example.com").extra("ssl_object", engine).build();
            assertEquals("https", req.scheme());
            assertTrue(req.secure());
            assertTrue(req.url().toString().startsWith("https://"));
        });
    }

    @Test
    void hostByHostHeader() throws Exception {
        inLoop(() -> assertEquals("example.com", MockedRequest.make("GET", "/", "Host", "example.com").host()));
    }

    @Test
    void rawHeaders() throws Exception {
        inLoop(() -> assertEquals(List.of(Map.entry("X-HEADER", "aaa")),
                MockedRequest.of("GET", "/").version(0).header("X-HEADER", "aaa").build().headers().entries()));
    }

    @Test
    void urlUrl() throws Exception {
        inLoop(() -> assertEquals("http://example.com/path", MockedRequest.make("GET", "/path", "HOST", "example.com").url().toString()));
    }

    @Test
    void urlNonDefaultPort() throws Exception {
        inLoop(() -> assertEquals("http://example.com:8123/path",
                MockedRequest.make("GET", "/path", "HOST", "example.com:8123").url().toString()));
    }

    @Test
    void urlIpv6() throws Exception {
        inLoop(() -> assertEquals("http://[::1]:8123/path", MockedRequest.make("GET", "/path", "HOST", "[::1]:8123").url().toString()));
    }

    @Test
    void makeTooBigRequest() throws Exception {
        inLoop(() -> {
            byte[] tooLarge = new byte[1024 * 1024 + 1];
            Request req = MockedRequest.of("POST", "/").body(tooLarge).build();
            HTTPRequestEntityTooLarge err = assertThrows(HTTPRequestEntityTooLarge.class, req::read);
            assertEquals(413, err.status());
        });
    }

    @Test
    void makeTooBigChunkedRequest() throws Exception { // aio4j-only: no Content-Length, the limit holds while reading
        inLoop(() -> {
            byte[] tooLarge = new byte[1024 * 1024 + 1];
            Request req = MockedRequest.of("POST", "/").header("Transfer-Encoding", "chunked").body(tooLarge).build();
            assertThrows(HTTPRequestEntityTooLarge.class, req::read);
        });
    }

    @Test
    void requestWithWrongContentTypeEncoding() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of("POST", "/").header("Content-Type", "text/html; charset=test").body("{}").build();
            HTTPException err = assertThrows(HTTPException.class, req::text);
            assertEquals(415, err.status());
        });
    }

    @Test
    void requestTextWithInvalidDefaultEncoding() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of("POST", "/").header("Content-Type", "text/html").body(new byte[] {(byte) 0xff}).build();
            HTTPException err = assertThrows(HTTPException.class, req::text);
            assertEquals(415, err.status());
        });
    }

    @Test
    void makeTooBigRequestSameSizeToMax() throws Exception {
        inLoop(() -> {
            byte[] large = new byte[1024 * 1024];
            Arrays.fill(large, (byte) 'x');
            assertArrayEquals(large, MockedRequest.of("POST", "/").body(large).build().read());
        });
    }

    @Test
    void makeTooBigRequestAdjustLimit() throws Exception {
        inLoop(() -> {
            Application app = new Application().clientMaxSize(1024 * 1024 + 2);
            byte[] tooLarge = new byte[1024 * 1024 + 1];
            assertEquals(1024 * 1024 + 1, MockedRequest.of("POST", "/").app(app).body(tooLarge).build().read().length);
        });
    }

    @Test
    void readTwiceReturnsTheSameBytes() throws Exception { // aio4j-only: read() caches, as aiohttp's _read_bytes
        inLoop(() -> {
            Request req = MockedRequest.of("POST", "/").body("abc").build();
            assertSame(req.read(), req.read());
            assertFalse(req.canReadBody());
            assertTrue(req.bodyExists());
        });
    }

    @Test
    void multipartFormdata() throws Exception {
        inLoop(() -> {
            String body = "--" + BOUNDARY + "\r\n"
                    + "Content-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n"
                    + "--" + BOUNDARY + "\r\n"
                    + "Content-Disposition: form-data; name=\"c\"\r\n\r\nd\r\n"
                    + "--" + BOUNDARY + "--\r\n";
            Request req = MockedRequest.of("POST", "/").header("CONTENT-TYPE", "multipart/form-data; boundary=" + BOUNDARY)
                    .body(body).build();
            MultiDict<Object> result = req.post();
            assertEquals(List.of("a", "c"), result.keys());
            assertEquals("b", result.get("a"));
            assertEquals("d", result.get("c"));
        });
    }

    /** aiohttp raises ValueError "Multipart field missing name", a 500; the client's form is bad: aio4j answers 400. */
    @Test
    void multipartFormdataFieldMissingName() throws Exception {
        inLoop(() -> {
            for (String head : List.of("Content-Disposition: form-data\r\n", "", "Content-Disposition: form-data; filename=\"f\"\r\n")) {
                String body = "--" + BOUNDARY + "\r\n" + head + "\r\nvalue\r\n--" + BOUNDARY + "--\r\n";
                Request req = MockedRequest.of("POST", "/").header("CONTENT-TYPE", "multipart/form-data; boundary=" + BOUNDARY)
                        .body(body).build();
                HTTPException e = assertThrows(HTTPException.class, req::post, head);
                assertEquals(400, e.status());
                String text = e.text();
                assertTrue(text.startsWith("400: Multipart field missing name: a multipart/form-data part's "
                        + "Content-Disposition must give one"), text);
            }
        });
    }

    @Test
    void multipartFormdataFieldWithAnEmptyNameIsKept() throws Exception { // aiohttp: only a missing name (None) is refused
        inLoop(() -> {
            String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nvalue\r\n--" + BOUNDARY + "--\r\n";
            Request req = MockedRequest.of("POST", "/").header("CONTENT-TYPE", "multipart/form-data; boundary=" + BOUNDARY)
                    .body(body).build();
            assertEquals("value", req.post().get(""));
        });
    }

    @Test
    void urlencodedFormWithInvalidDefaultEncoding() throws Exception {
        inLoop(() -> {
            byte[] body = "a=1&b=\u00ff".getBytes(StandardCharsets.ISO_8859_1);
            Request req = MockedRequest.of("POST", "/").header("Content-Type", "application/x-www-form-urlencoded").body(body).build();
            HTTPException err = assertThrows(HTTPException.class, req::post);
            assertEquals(415, err.status());
        });
    }

    @Test
    void multipartFormdataFile() throws Exception {
        inLoop(() -> {
            String body = "--" + BOUNDARY + "\r\n"
                    + "Content-Disposition: form-data; name=\"a_file\"; filename=\"binary\"\r\n\r\n\u000cf\r\n"
                    + "--" + BOUNDARY + "--\r\n";
            Request req = MockedRequest.of("POST", "/").header("CONTENT-TYPE", "multipart/form-data; boundary=" + BOUNDARY)
                    .body(body).build();
            FileField f = assertInstanceOf(FileField.class, req.post().get("a_file"));
            assertArrayEquals(new byte[] {0x0c, 'f'}, f.content());
            assertEquals("binary", f.filename());
            assertEquals("application/octet-stream", f.contentType());
        });
    }

    @Test
    void multipartFormdataFileNamesAsBrowsersSendThem() throws Exception { // aio4j-only
        // raw UTF-8 in the part head (browsers), an RFC 5987 filename* (curl, other libraries)
        // that wins over the plain filename, and empty parts in both spellings
        inLoop(() -> {
            String body = "--" + BOUNDARY + "\r\n"
                    + "Content-Disposition: form-data; name=\"r\u00e9sum\u00e9\"; filename=\"\u65e5\u672c na\u00efve.txt\"\r\n"
                    + "Content-Type: text/plain\r\n\r\nhi\r\n"
                    + "--" + BOUNDARY + "\r\n"
                    + "Content-Disposition: form-data; name=\"ext\"; filename=\"naive.txt\"; filename*=UTF-8''na%C3%AFve.txt\r\n"
                    + "\r\n\r\n"
                    + "--" + BOUNDARY + "\r\n"
                    + "Content-Disposition: form-data; name=\"empty\"\r\n\r\n"
                    + "--" + BOUNDARY + "--\r\n";
            Request req = MockedRequest.of("POST", "/").header("CONTENT-TYPE", "multipart/form-data; boundary=" + BOUNDARY)
                    .body(body).build();
            MultiDict<Object> form = req.post();
            assertEquals(List.of("r\u00e9sum\u00e9", "ext", "empty"), form.keys());
            FileField utf8 = assertInstanceOf(FileField.class, form.get("r\u00e9sum\u00e9"));
            assertEquals("\u65e5\u672c na\u00efve.txt", utf8.filename());
            assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII), utf8.content());
            FileField ext = assertInstanceOf(FileField.class, form.get("ext"));
            assertEquals("na\u00efve.txt", ext.filename());
            assertEquals(0, ext.content().length);
            assertEquals("", form.get("empty"));
        });
    }

    @Test
    void multipartFormdataWithNoParts() throws Exception { // aio4j-only: only the close delimiter
        inLoop(() -> {
            Request req = MockedRequest.of("POST", "/").header("CONTENT-TYPE", "multipart/form-data; boundary=" + BOUNDARY)
                    .body("--" + BOUNDARY + "--\r\n").build();
            assertEquals(0, req.post().size());
        });
    }

    @Test
    void multipartFormdataOverClientMaxSize() throws Exception { // aio4j-only: the limit holds for forms too
        inLoop(() -> {
            String body = "--" + BOUNDARY + "\r\n"
                    + "Content-Disposition: form-data; name=\"a\"\r\n\r\n" + "x".repeat(200) + "\r\n"
                    + "--" + BOUNDARY + "--\r\n";
            Application app = new Application().clientMaxSize(100);
            Request req = MockedRequest.of("POST", "/").app(app).header("CONTENT-TYPE", "multipart/form-data; boundary=" + BOUNDARY)
                    .body(body).build();
            assertThrows(HTTPRequestEntityTooLarge.class, req::post);
        });
    }

    /**
     * aiohttp's post() reads each field with its Content-Transfer-Encoding undone (field.decode_iter,
     * once read(decode=True)): the server side of test_web_functional.py's test_100_continue, whose
     * form holds {@code add_field("name", b"123", content_transfer_encoding="base64")}. aiohttp gives
     * the bytes b"123" for that untyped field; aio4j's fields are text.
     */
    @Test
    void multipartFormdataFieldsAreDecoded() throws Exception {
        inLoop(() -> {
            String body = "--" + BOUNDARY + "\r\n"
                    + "Content-Disposition: form-data; name=\"name\"\r\nContent-Transfer-Encoding: base64\r\n\r\nMTIz\r\n"
                    + "--" + BOUNDARY + "\r\n"
                    + "Content-Disposition: form-data; name=\"qp\"\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9 =\r\nau lait\r\n"
                    + "--" + BOUNDARY + "\r\n"
                    + "Content-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\nContent-Transfer-Encoding: BASE64\r\n"
                    + "\r\nAAEC\r\n/w==\r\n"
                    + "--" + BOUNDARY + "\r\n"
                    + "Content-Disposition: form-data; name=\"plain\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\nMTIz\r\n"
                    + "--" + BOUNDARY + "--\r\n";
            Request req = MockedRequest.of("POST", "/").header("CONTENT-TYPE", "multipart/form-data; boundary=" + BOUNDARY)
                    .body(body).build();
            MultiDict<Object> form = req.post();
            assertEquals("123", form.get("name"));
            assertEquals("caf\u00e9 au lait", form.get("qp"));
            FileField f = assertInstanceOf(FileField.class, form.get("f"));
            assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, f.content());
            assertEquals("MTIz", form.get("plain"));
        });
    }

    /**
     * RFC 7578 section 4.6, as aiohttp's post() (through BodyPartReader.get_charset): a first
     * {@code _charset_} part is no field, and names the charset of the fields without their own;
     * one with a charset in its Content-Type keeps it. aio4j-only: the request's Content-Type
     * charset comes after the _charset_ part's; a bad one is a 400 (aiohttp: a 500).
     */
    @Test
    void multipartFormdataCharsetPartDecodesTheFields() throws Exception {
        inLoop(() -> {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"_charset_\"\r\n\r\n"
                    + "windows-1251\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            body.writeBytes("Привет".getBytes(java.nio.charset.Charset.forName("windows-1251")));
            body.writeBytes(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"b\"\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeBytes("Мир".getBytes(StandardCharsets.UTF_8));
            body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            Request req = MockedRequest.of("POST", "/")
                    .header("CONTENT-TYPE", "multipart/form-data; charset=utf-8; boundary=" + BOUNDARY)
                    .body(body.toByteArray()).build();
            MultiDict<Object> form = req.post();
            assertEquals(List.of("a", "b"), form.keys());
            assertEquals("Привет", form.get("a"));
            assertEquals("Мир", form.get("b"));

            String bad = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"_charset_\"\r\n\r\nno-such-charset\r\n"
                    + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--" + BOUNDARY + "--\r\n";
            Request badReq = MockedRequest.of("POST", "/").header("CONTENT-TYPE", "multipart/form-data; boundary=" + BOUNDARY)
                    .body(bad).build();
            dev.aio4j.http.BadHttpMessage e = assertThrows(dev.aio4j.http.BadHttpMessage.class, badReq::post);
            assertTrue(e.getMessage().startsWith("invalid default charset"), e.getMessage());
        });
    }

    /**
     * aiohttp (RFC 7578 section 4.8): a part of multipart/form-data has no Content-Encoding, so
     * post() leaves one a sender adds alone (BodyPartReader._needs_content_decoding).
     */
    @Test
    void multipartFormdataContentEncodingIsLeftAlone() throws Exception {
        inLoop(() -> {
            String body = "--" + BOUNDARY + "\r\n"
                    + "Content-Disposition: form-data; name=\"a\"\r\nContent-Encoding: gzip\r\n\r\nnot gzip\r\n"
                    + "--" + BOUNDARY + "--\r\n";
            Request req = MockedRequest.of("POST", "/").header("CONTENT-TYPE", "multipart/form-data; boundary=" + BOUNDARY)
                    .body(body).build();
            assertEquals("not gzip", req.post().get("a"));
        });
    }

    /**
     * aiohttp raises RuntimeError ("unknown content transfer encoding"), a 500; aio4j throws
     * MultipartReader's BadHttpMessage, which the server answers with 400 (the client's data).
     */
    @Test
    void multipartFormdataUnknownTransferEncodingIsRefused() throws Exception {
        inLoop(() -> {
            String body = "--" + BOUNDARY + "\r\n"
                    + "Content-Disposition: form-data; name=\"a\"\r\nContent-Transfer-Encoding: x-uue\r\n\r\nb\r\n"
                    + "--" + BOUNDARY + "--\r\n";
            Request req = MockedRequest.of("POST", "/").header("CONTENT-TYPE", "multipart/form-data; boundary=" + BOUNDARY)
                    .body(body).build();
            dev.aio4j.http.BadHttpMessage e = assertThrows(dev.aio4j.http.BadHttpMessage.class, req::post);
            assertTrue(e.getMessage().contains("Content-Transfer-Encoding"), e.getMessage());
        });
    }

    /**
     * aiohttp counts a field's bytes as they arrive against client_max_size: a base64 field of 108
     * bytes is over a limit of 100 though it decodes to 81.
     */
    @Test
    void multipartFormdataLimitCountsTheEncodedBytes() throws Exception {
        inLoop(() -> {
            String encoded = java.util.Base64.getEncoder().encodeToString(new byte[81]);
            String body = "--" + BOUNDARY + "\r\n"
                    + "Content-Disposition: form-data; name=\"a\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + encoded + "\r\n"
                    + "--" + BOUNDARY + "--\r\n";
            // the part's framing counts too: its delimiter line and blank line, and its two header lines
            long framing = BOUNDARY.length() + 8 + ("Content-Disposition: form-data; name=\"a\"\r\n").length()
                    + ("Content-Transfer-Encoding: base64\r\n").length();
            Request req = MockedRequest.of("POST", "/").app(new Application().clientMaxSize(framing + 107))
                    .header("CONTENT-TYPE", "multipart/form-data; boundary=" + BOUNDARY).body(body).build();
            assertThrows(HTTPRequestEntityTooLarge.class, req::post); // 108 encoded bytes, though 81 decoded
            Request fits = MockedRequest.of("POST", "/").app(new Application().clientMaxSize(framing + 108))
                    .header("CONTENT-TYPE", "multipart/form-data; boundary=" + BOUNDARY).body(body).build();
            assertEquals("\0".repeat(81), fits.post().get("a"));
        });
    }

    @Test
    void remotePeernameTcp() throws Exception {
        inLoop(() -> assertEquals("10.10.10.10",
                MockedRequest.of("GET", "/").extra("peername", new InetSocketAddress("10.10.10.10", 1234)).build().remote()));
    }

    @Test
    void eq() throws Exception {
        inLoop(() -> {
            Request req1 = MockedRequest.make("GET", "/path/to?a=1&b=2");
            Request req2 = MockedRequest.make("GET", "/path/to?a=1&b=2");
            assertNotEquals(req1, req2);
            assertEquals(req1, req1);
        });
    }

    @Test
    void jsonWithoutACodecSaysHowToConfigureOne() throws Exception { // aio4j-only: the JDK has no JSON library
        inLoop(() -> {
            Request req = MockedRequest.of("POST", "/").header("Content-Type", "application/json").body("{}").build();
            IllegalStateException e = assertThrows(IllegalStateException.class, req::json);
            assertTrue(e.getMessage().contains("app.jsonCodec(codec)"), e.getMessage());
        });
    }

    /** A codec that knows one document: {"some": "data"}. */
    private static final dev.aio4j.http.JsonCodec ONE_DOCUMENT = new dev.aio4j.http.JsonCodec() {
        @Override
        public String encode(Object value) {
            return "{\"some\": \"data\"}";
        }

        @Override
        public Object decode(String json, java.lang.reflect.Type type) throws java.io.IOException {
            if (!json.equals("{\"some\": \"data\"}")) {
                throw new java.io.IOException("unexpected " + json);
            }
            return Map.of("some", "data");
        }
    };

    @Test
    void json() throws Exception {
        inLoop(() -> {
            Application app = new Application().jsonCodec(ONE_DOCUMENT);
            Request req = MockedRequest.of("POST", "/").app(app).header("Content-Type", "application/json")
                    .body("{\"some\": \"data\"}").build();
            assertEquals("{\"some\": \"data\"}", req.text());
            assertEquals(Map.of("some", "data"), req.json());
        });
    }

    @Test
    void jsonInvalidContentType() throws Exception {
        inLoop(() -> {
            Application app = new Application().jsonCodec(ONE_DOCUMENT);
            Request req = MockedRequest.of("POST", "/").app(app).header("Content-Type", "text/plain")
                    .body("{\"some\": \"data\"}").build();
            HTTPException e = assertThrows(HTTPBadRequest.class, req::json);
            assertEquals("Attempt to decode JSON with unexpected mimetype: text/plain", e.text());
        });
    }

    @Test
    void jsonWithAVendorContentType() throws Exception { // application/...+json is JSON too, as aiohttp
        inLoop(() -> {
            Application app = new Application().jsonCodec(ONE_DOCUMENT);
            Request req = MockedRequest.of("POST", "/").app(app).header("Content-Type", "application/vnd.api+json")
                    .body("{\"some\": \"data\"}").build();
            assertEquals(Map.of("some", "data"), req.json());
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "If-Modified-Since|xxyyzz|",
        "If-Modified-Since|Tue, 08 Oct 4446413 00:56:40 GMT|",
        "If-Modified-Since|Tue, 08 Oct 2000 00:56:80 GMT|",
        "If-Modified-Since|Tue, 08 Oct 2000 00:56:40 GMT|2000-10-08T00:56:40Z",
        "If-Unmodified-Since|xxyyzz|",
        "If-Unmodified-Since|Tue, 08 Oct 2000 00:56:40 GMT|2000-10-08T00:56:40Z",
        "If-Range|xxyyzz|",
        "If-Range|Tue, 08 Oct 2000 00:56:40 GMT|2000-10-08T00:56:40Z"})
    void datetimeHeaders(String header, String value, String expected) throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/", header, value);
            ZonedDateTime got = switch (header) {
                case "If-Modified-Since" -> req.ifModifiedSince();
                case "If-Unmodified-Since" -> req.ifUnmodifiedSince();
                default -> req.ifRange();
            };
            if (expected == null) {
                assertNull(got);
            } else {
                assertEquals(ZonedDateTime.parse(expected).toInstant(), got.toInstant());
                assertEquals(ZoneOffset.UTC, got.getOffset());
            }
        });
    }
    // ------------------------------------------------------------ forwarded (aiohttp 3.15)

    private static List<Map<String, String>> forwarded(String... fieldValues) throws Exception {
        List<List<Map<String, String>>> out = new java.util.ArrayList<>();
        inLoop(() -> {
            MockedRequest m = MockedRequest.of("GET", "/");
            for (String v : fieldValues) {
                m.header("Forwarded", v);
            }
            out.add(m.build().forwarded());
        });
        return out.get(0);
    }

    @Test
    void singleForwardedHeader() throws Exception {
        List<Map<String, String>> f = forwarded("by=identifier;for=identifier;host=identifier;proto=identifier");
        assertEquals(List.of(Map.of("by", "identifier", "for", "identifier", "host", "identifier", "proto", "identifier")), f);
    }

    @Test
    void forwardedRePerformance() throws Exception {
        // aiohttp's ReDoS check of the pair pattern: a long run of token characters, then a NUL,
        // is no pair (a NUL cannot reach a request's headers, so the parser is called directly)
        List<Map<String, String>> f = dev.aio4j.http.internal.ForwardedHeader.parse(List.of("{" + "f".repeat(54773) + "z\u0000a=v"));
        assertEquals(List.of(Map.of()), f);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.2.3.4:1234|1.2.3.4:1234",
        "1.2.3.4|1.2.3.4",
        "\"[2001:db8:cafe::17]:1234\"|[2001:db8:cafe::17]:1234",
        "\"[2001:db8:cafe::17]\"|[2001:db8:cafe::17]"})
    void forwardedNodeIdentifier(String forwardForIn, String forwardForOut) throws Exception {
        assertEquals(List.of(Map.of("for", forwardForOut)), forwarded("for=" + forwardForIn));
    }

    @Test
    void singleForwardedHeaderCamelcase() throws Exception {
        Map<String, String> f = forwarded("bY=identifier;fOr=identifier;HOst=identifier;pRoTO=identifier").get(0);
        assertEquals(Map.of("by", "identifier", "for", "identifier", "host", "identifier", "proto", "identifier"), f);
    }

    @Test
    void singleForwardedHeaderSingleParam() throws Exception {
        assertEquals("identifier", forwarded("BY=identifier").get(0).get("by"));
    }

    @Test
    void singleForwardedHeaderMultipleParam() throws Exception {
        List<Map<String, String>> f = forwarded("By=identifier1,BY=identifier2,  By=identifier3 ,  BY=identifier4");
        assertEquals(4, f.size());
        for (int i = 0; i < 4; i++) {
            assertEquals("identifier" + (i + 1), f.get(i).get("by"));
        }
    }

    @Test
    void singleForwardedHeaderQuotedEscaped() throws Exception {
        Map<String, String> f = forwarded("BY=identifier;pROTO=\"\\lala lan\\d\\~ 123\\!&\"").get(0);
        assertEquals("identifier", f.get("by"));
        assertEquals("lala land~ 123!&", f.get("proto"));
    }

    @Test
    void singleForwardedHeaderCustomParam() throws Exception {
        List<Map<String, String>> f = forwarded("BY=identifier;PROTO=https;SOME=\"other, \\\"value\\\"\"");
        assertEquals(1, f.size());
        assertEquals("identifier", f.get(0).get("by"));
        assertEquals("https", f.get(0).get("proto"));
        assertEquals("other, \"value\"", f.get(0).get("some"));
    }

    @Test
    void singleForwardedHeaderEmptyParams() throws Exception {
        // allowed by the grammar of RFC 7239
        Map<String, String> f = forwarded(";For=identifier;;PROTO=https;;;").get(0);
        assertEquals("identifier", f.get("for"));
        assertEquals("https", f.get("proto"));
    }

    @Test
    void singleForwardedHeaderBadSeparator() throws Exception {
        Map<String, String> f = forwarded("BY=identifier PROTO=https").get(0);
        assertFalse(f.containsKey("proto"));
        assertEquals("identifier", f.get("by")); // the pair before the bad separator stays
    }

    @Test
    void singleForwardedHeaderInjection1() throws Exception {
        // a reverse proxy that appends an element without checking what was there: the appended
        // element is still read
        List<Map<String, String>> f = forwarded("for=_injected;by=\", for=_real");
        assertEquals(2, f.size());
        assertFalse(f.get(0).containsKey("by"));
        assertEquals("_injected", f.get(0).get("for"));
        assertEquals("_real", f.get(1).get("for"));
    }

    @Test
    void singleForwardedHeaderInjection2() throws Exception {
        List<Map<String, String>> f = forwarded("very bad syntax, for=_real");
        assertEquals(2, f.size());
        assertFalse(f.get(0).containsKey("for"));
        assertEquals("_real", f.get(1).get("for"));
    }

    @Test
    void singleForwardedHeaderLongQuotedString() throws Exception {
        assertEquals("\\".repeat(5000), forwarded("for=\"" + "\\\\".repeat(5000) + "\"").get(0).get("for"));
    }

    @Test
    void unclosedRunOfBackslashesIsOnePass() throws Exception {
        // each backslash may open an escape pair or stand alone: a backtracking match of this
        // unclosed quoted string would try exponentially many splits; this one is linear, and
        // the element after it is still read
        List<Map<String, String>> f = forwarded("for=\"" + "\\".repeat(100_000) + ", for=_real");
        assertEquals(List.of(Map.of(), Map.of("for", "_real")), f);
    }

    @Test
    void quotedStringEndsWhereTheRegexEnds() throws Exception {
        // "a\" has no unescaped closing quote: aiohttp's regex backtracks and ends the string at
        // the escaped one, taking the backslash as text
        assertEquals("a\\", forwarded("for=\"a\\\"").get(0).get("for"));
        // a port is 1 to 4 digits; a fifth digit is bad syntax after the pair
        assertEquals("h:1234", forwarded("host=h:12345").get(0).get("host"));
        assertEquals(Map.of("for", "x"), forwarded("for=x;by=\"\u00e9\"").get(0)); // no obs-text in a quoted string
    }

    @Test
    void multipleForwardedHeaders() throws Exception {
        List<Map<String, String>> f = forwarded("By=identifier1;for=identifier2, BY=identifier3", "By=identifier4;fOr=identifier5");
        assertEquals(3, f.size());
        assertEquals("identifier1", f.get(0).get("by"));
        assertEquals("identifier2", f.get(0).get("for"));
        assertEquals("identifier3", f.get(1).get("by"));
        assertEquals("identifier4", f.get(2).get("by"));
        assertEquals("identifier5", f.get(2).get("for"));
    }

    @Test
    void multipleForwardedHeadersBadSyntax() throws Exception {
        List<Map<String, String>> f = forwarded("for=_1;by=_2", "invalid value", "", "for=_3;by=_4");
        assertEquals(4, f.size());
        assertEquals("_1", f.get(0).get("for"));
        assertFalse(f.get(1).containsKey("for"));
        assertFalse(f.get(2).containsKey("for"));
        assertEquals("_4", f.get(3).get("by"));
    }

    @Test
    void multipleForwardedHeadersInjection() throws Exception {
        // sent by an attacker hoping to "shadow" the second header, which a trusted proxy added
        List<Map<String, String>> f = forwarded("for=_injected;by=\"", "for=_real;by=_actual_proxy");
        assertEquals(2, f.size());
        assertFalse(f.get(0).containsKey("by"));
        assertEquals("_real", f.get(1).get("for"));
        assertEquals("_actual_proxy", f.get(1).get("by"));
    }

    @Test
    void forwardedIsReadOnlyAndEmptyWithoutTheHeader() throws Exception {
        assertEquals(List.of(), forwarded());
        List<Map<String, String>> f = forwarded("for=a");
        assertThrows(UnsupportedOperationException.class, () -> f.get(0).put("for", "b"));
        assertThrows(UnsupportedOperationException.class, () -> f.add(Map.of()));
    }

    // ------------------------------------------------------------------- clone (aiohttp 3.15)

    @Test
    void cloneWithNothingIsAnExactCopy() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/path?a=1", "X-A", "b");
            Request req2 = req.clone();
            assertNotSame(req, req2);
            assertEquals("GET", req2.method());
            assertEquals("/path?a=1", req2.rawPath());
            assertEquals("1", req2.query().get("a"));
            assertEquals("b", req2.headers().get("X-A"));
            assertEquals(req.url(), req2.url());
            assertEquals(req.remote(), req2.remote());
            assertSame(req.matchInfo(), req2.matchInfo());
            assertSame(req.app(), req2.app());
        });
    }

    @Test
    void cloneClientMaxSize() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of("GET", "/path").app(new Application().clientMaxSize(1024)).build();
            assertEquals(1024, req.clone().clientMaxSize());
            assertEquals(2048, req.clone(CloneOption.clientMaxSize(2048)).clientMaxSize());
            assertEquals(1024, req.clientMaxSize());
        });
    }

    @Test
    void cloneOverrideClientMaxSizeIsTheLimitOfRead() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of("POST", "/").app(new Application().clientMaxSize(4)).body("0123456789").build();
            assertThrows(HTTPRequestEntityTooLarge.class, () -> req.clone().read()); // refused by the declared length
            assertArrayEquals("0123456789".getBytes(StandardCharsets.US_ASCII), req.clone(CloneOption.clientMaxSize(10)).read());
        });
    }

    @Test
    void cloneMethod() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/path");
            Request req2 = req.clone(CloneOption.method("POST"));
            assertEquals("POST", req2.method());
            assertEquals("/path", req2.path());
            assertEquals("GET", req.method());
        });
    }

    @Test
    void cloneRelUrl() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/path");
            Request req2 = req.clone(CloneOption.relUrl(java.net.URI.create("/path2?x=%20y")));
            assertEquals("/path2", req2.path());
            assertEquals(" y", req2.query().get("x"));
            assertEquals("http://example.com/path2?x=%20y", req2.url().toString());
            assertEquals("/path", req.path());
        });
    }

    @Test
    void cloneRelUrlStr() throws Exception {
        inLoop(() -> {
            Request req2 = MockedRequest.make("GET", "/path").clone(CloneOption.relUrl("/path2"));
            assertEquals("/path2", req2.rawPath());
        });
    }

    @Test
    void cloneHeaders() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/path", "A", "B");
            dev.aio4j.http.Headers h = new dev.aio4j.http.Headers();
            h.add("B", "C");
            Request req2 = req.clone(CloneOption.headers(h));
            assertEquals(List.of("B"), req2.headers().names());
            assertEquals("C", req2.headers().get("B"));
            h.add("D", "E"); // a copy: later changes to the given headers do not reach the request
            assertFalse(req2.headers().contains("D"));
            assertEquals("B", req.headers().get("A"));
        });
    }

    @Test
    void cloneHeadersDict() throws Exception {
        inLoop(() -> {
            Request req2 = MockedRequest.make("GET", "/path", "A", "B").clone(CloneOption.headers(Map.of("B", "C")));
            assertEquals(List.of("B"), req2.headers().names());
            assertEquals("C", req2.headers().get("B"));
            assertEquals("127.0.0.1", req2.host()); // no Host header left: the local address, as without one
        });
    }

    @Test
    void cloneHeadersGiveTheContentLength() throws Exception {
        // aiohttp's content_length reads the request's headers, so a clone's are the new ones; the
        // body is still framed (and read) as the client sent it
        inLoop(() -> {
            Request req = MockedRequest.of("POST", "/").body("0123456789").build();
            Request four = req.clone(CloneOption.headers(Map.of("Content-Length", "4")));
            assertEquals(java.util.OptionalLong.of(4), four.contentLength());
            assertEquals(java.util.OptionalLong.of(4), four.clone().contentLength());
            assertEquals(java.util.OptionalLong.empty(), req.clone(CloneOption.headers(Map.of("X-A", "b"))).contentLength());
            assertEquals(java.util.OptionalLong.of(10), req.clone().contentLength());
            assertEquals(java.util.OptionalLong.of(10), req.contentLength());
            assertArrayEquals("0123456789".getBytes(StandardCharsets.US_ASCII), four.read());
        });
    }

    @Test
    void cannotCloneAfterRead() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of("POST", "/path").body("data").build();
            Request copy = req.clone(); // before the read: allowed
            assertArrayEquals("data".getBytes(StandardCharsets.US_ASCII), req.read());
            IllegalStateException e = assertThrows(IllegalStateException.class, req::clone);
            assertTrue(e.getMessage().startsWith("Cannot clone request after reading its content"), e.getMessage());
            assertThrows(IllegalStateException.class, copy::clone);
            // the copy reads the same exchange's body: the bytes read already, not an empty rest
            assertArrayEquals("data".getBytes(StandardCharsets.US_ASCII), copy.read());
        });
    }

    @Test
    void saveStateOnClone() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/");
            req.state().put("key", "val");
            Request req2 = req.clone();
            req2.state().put("key", "val2");
            assertEquals("val", req.state().get("key"));
            assertEquals("val2", req2.state().get("key"));
        });
    }

    @Test
    void cloneScheme() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/");
            assertEquals("http", req.scheme());
            assertFalse(req.secure());
            Request req2 = req.clone(CloneOption.scheme("https"));
            assertEquals("https", req2.scheme());
            assertTrue(req2.secure());
            assertEquals("https", req2.url().getScheme());
            assertEquals("https", req2.clone().scheme()); // a clone of a clone keeps it
        });
    }

    @Test
    void cloneHost() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/", "Host", "a.test");
            assertNotEquals("example.com", req.host());
            Request req2 = req.clone(CloneOption.host("example.com"));
            assertEquals("example.com", req2.host());
            assertEquals("example.com", req2.url().getHost());
        });
    }

    @Test
    void cloneRemote() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/");
            assertNotEquals("11.11.11.11", req.remote());
            Request req2 = req.clone(CloneOption.remote("11.11.11.11"));
            assertEquals("11.11.11.11", req2.remote());
            assertEquals("127.0.0.1", req.remote());
        });
    }

    @Test
    void cloneOptionsRefuseWhatCannotBeARequest() {
        assertThrows(IllegalArgumentException.class, () -> CloneOption.method("GE T"));
        assertThrows(IllegalArgumentException.class, () -> CloneOption.method(""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CloneOption.relUrl("/a b"));
        assertTrue(e.getMessage().contains("percent-encode"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CloneOption.relUrl("path2"));
        e = assertThrows(IllegalArgumentException.class, () -> CloneOption.relUrl("http://h:abc/p")); // yarl: ValueError
        assertTrue(e.getMessage().contains("port"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CloneOption.relUrl("http:///p"));
        assertThrows(IllegalArgumentException.class, () -> CloneOption.relUrl("/caf\u00e9"));
        assertThrows(IllegalArgumentException.class, () -> CloneOption.clientMaxSize(-1));
        assertThrows(IllegalArgumentException.class, () -> CloneOption.remote(""));
        assertThrows(IllegalArgumentException.class, () -> CloneOption.headers(Map.of("Bad Name", "v")));
        // a scheme and a host that url() could not build on are refused where they are given
        for (String bad : List.of("1http", "ht tp", "http:", "h\u00e9")) {
            assertThrows(IllegalArgumentException.class, () -> CloneOption.scheme(bad), bad);
        }
        CloneOption.scheme("coap+tcp");
        for (String bad : List.of("a b", "a/b", "a?b", "a#b", "user@a", "a\\b", "caf\u00e9", "a\u007f")) {
            assertThrows(IllegalArgumentException.class, () -> CloneOption.host(bad), bad);
        }
        CloneOption.host("[::1]:8080");
        CloneOption.clientMaxSize(0);
    }

    // ------------------------------------------------------------ if_match / if_none_match

    /** aiohttp's test_etag_headers, for If-Match and If-None-Match both. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"If-Match", "If-None-Match"})
    void etagHeaders(String header) throws Exception {
        inLoop(() -> {
            java.util.function.Function<String, List<dev.aio4j.http.ETag>> read = v -> {
                Request r = MockedRequest.make("GET", "/", header, v);
                return header.equals("If-Match") ? r.ifMatch() : r.ifNoneMatch();
            };
            assertEquals(List.of(new dev.aio4j.http.ETag("67ab43"), new dev.aio4j.http.ETag("54ed21", true),
                    new dev.aio4j.http.ETag("7892,dd")), read.apply("\"67ab43\", W/\"54ed21\", \"7892,dd\""));
            assertEquals(List.of(new dev.aio4j.http.ETag("bfc1ef-5b2c2730249c88ca92d82d")), read.apply("\"bfc1ef-5b2c2730249c88ca92d82d\""));
            assertEquals(List.of(new dev.aio4j.http.ETag("valid-tag"), new dev.aio4j.http.ETag("also-valid-tag")),
                    read.apply("\"valid-tag\", \"also-valid-tag\",somegarbage\"last-tag\""));
            // aiohttp's non-ASCII case: the UTF-8 bytes arrive here as ISO-8859-1 characters, and
            // the spaces between the words end the list as the Cyrillic letters do in aiohttp
            String utf8AsLatin1 = new String("\"\u044d\u0442\u043e \u0442\u043e\u0447\u043d\u043e\"".getBytes(StandardCharsets.UTF_8),
                    StandardCharsets.ISO_8859_1);
            assertEquals(List.of(new dev.aio4j.http.ETag("ascii")), read.apply("\"ascii\", " + utf8AsLatin1 + ", \"ascii again\""));
            assertEquals(List.of(new dev.aio4j.http.ETag("*")), read.apply("*"));
        });
    }

    @Test
    void etagHeadersAbsentEmptyAndGarbage() throws Exception {
        inLoop(() -> {
            assertNull(MockedRequest.make("GET", "/").ifMatch());
            assertNull(MockedRequest.make("GET", "/").ifNoneMatch());
            assertNull(MockedRequest.make("GET", "/", "If-Match", "").ifMatch());
            assertEquals(List.of(), MockedRequest.make("GET", "/", "If-Match", "garbage").ifMatch());
            assertEquals(List.of(), MockedRequest.make("GET", "/", "If-Match", "\"a\" \"b\"").ifMatch()); // no comma
            assertEquals(List.of(new dev.aio4j.http.ETag("a")), MockedRequest.make("GET", "/", "If-Match", "\"a\",").ifMatch());
            assertEquals(List.of(), MockedRequest.make("GET", "/", "If-Match", "\"\"").ifMatch()); // an empty tag
            assertEquals(List.of(new dev.aio4j.http.ETag("a"), new dev.aio4j.http.ETag("*")),
                    MockedRequest.make("GET", "/", "If-None-Match", "\"a\", \"*\"").ifNoneMatch()); // a quoted * is a tag
        });
    }

    /**
     * aiohttp keeps {@code _post}: a second post() (a middleware's, then the handler's) gives the
     * same form. A clone is a new request whose {@code _post} is None: it does not get the form (see
     * {@link #aCloneDoesNotShareTheKeptForm}).
     */
    @Test
    void postIsKeptForASecondCall() throws Exception {
        inLoop(() -> {
            String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--" + BOUNDARY + "--\r\n";
            Request req = MockedRequest.of("POST", "/").header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY).body(body).build();
            MultiDict<Object> first = req.post();
            assertEquals("b", first.get("a"));
            assertSame(first, req.post());
            Request form = MockedRequest.of("POST", "/").header("Content-Type", "application/x-www-form-urlencoded").body("x=1").build();
            assertEquals("1", form.post().get("x"));
            assertSame(form.post(), form.post());
        });
    }

    /**
     * aio4j: read() keeps the bytes, and post() reads a multipart form from them (aiohttp reads
     * the used-up payload and fails with "Could not find starting boundary"); a middleware that
     * reads the raw body (to check a signature, say) leaves the form to the handler.
     */
    @Test
    void postOfAMultipartBodyAfterRead() throws Exception {
        inLoop(() -> {
            String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--" + BOUNDARY + "--\r\n";
            Request req = MockedRequest.of("POST", "/").header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY).body(body).build();
            assertEquals(body, new String(req.read(), StandardCharsets.UTF_8));
            assertEquals("b", req.post().get("a"));
        });
    }

    /** A clone's own clientMaxSize holds over bytes another request with a larger limit read. */
    @Test
    void aClonesSmallerLimitHoldsOverBytesReadAlready() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of("POST", "/").body("0123456789").build();
            Request small = req.clone(CloneOption.clientMaxSize(4));
            assertArrayEquals("0123456789".getBytes(StandardCharsets.US_ASCII), req.read());
            HTTPRequestEntityTooLarge e = assertThrows(HTTPRequestEntityTooLarge.class, small::read);
            assertEquals(413, e.status());
            assertArrayEquals("0123456789".getBytes(StandardCharsets.US_ASCII), req.read()); // the reader's own limit
        });
    }

    // ------------------------------------------- post(), clone() and targets as aiohttp

    /** aiohttp's BaseRequest.POST_METHODS: post() reads a form for these methods only. */
    @ParameterizedTest
    @CsvSource({"PATCH", "POST", "PUT", "TRACE", "DELETE"})
    void postReadsAFormForPostMethods(String method) throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of(method, "/").header("Content-Type", "application/x-www-form-urlencoded").body("a=1").build();
            assertEquals("1", req.post().get("a"));
        });
    }

    /**
     * test_call_POST_on_GET_request for the other methods: an empty form, and the body is left
     * unread (aiohttp returns before reading it).
     */
    @ParameterizedTest
    @CsvSource({"GET", "HEAD", "OPTIONS", "PROPFIND"})
    void postOfOtherMethodsIsEmptyAndLeavesTheBody(String method) throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of(method, "/").header("Content-Type", "application/x-www-form-urlencoded").body("a=1").build();
            assertEquals(0, req.post().size());
            assertSame(req.post(), req.post()); // kept, as aiohttp's _post
            assertArrayEquals("a=1".getBytes(StandardCharsets.US_ASCII), req.read());
        });
    }

    /** aiohttp reads multipart/form-data only: another multipart type gives an empty form. */
    @ParameterizedTest
    @CsvSource({"multipart/mixed", "multipart/related", "multipart/alternative"})
    void postOfMultipartOtherThanFormDataIsEmpty(String type) throws Exception {
        inLoop(() -> {
            String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--" + BOUNDARY + "--\r\n";
            Request req = MockedRequest.of("POST", "/").header("Content-Type", type + "; boundary=" + BOUNDARY).body(body).build();
            assertEquals(0, req.post().size());
            assertEquals(body, new String(req.read(), StandardCharsets.UTF_8)); // the body is left unread
        });
    }

    /** A POST without a Content-Type (application/octet-stream, as aiohttp's content_type) has no form. */
    @Test
    void postWithoutAContentTypeIsEmpty() throws Exception {
        inLoop(() -> assertEquals(0, MockedRequest.of("POST", "/").body("a=1").build().post().size()));
    }

    /** aiohttp's test_parse_content_type ("wrong"): a type without exactly one slash is application/octet-stream. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"wrong", "; charset=utf-8", "a/b/c", "/"})
    void contentTypeThatIsNotTypeSlashSubtypeIsOctetStream(String value) throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of("POST", "/").header("Content-Type", value).body("a=1").build();
            assertEquals(value.equals("/") ? "/" : "application/octet-stream", req.contentType());
            assertEquals(0, req.post().size());
        });
    }

    /** post() uses the method a clone reports (aiohttp's self._method): a clone as GET has no form. */
    @Test
    void postOfACloneUsesItsMethod() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of("POST", "/").header("Content-Type", "application/x-www-form-urlencoded").body("a=1").build();
            assertEquals(0, req.clone(CloneOption.method("GET")).post().size());
            assertEquals("1", req.clone(CloneOption.method("PUT")).post().get("a"));
        });
    }

    /**
     * aiohttp's clone() builds a new request: its {@code _post} is None, so a clone parses the form
     * for itself (its Content-Type, its method, its client_max_size) and never gets another
     * request's.
     */
    @Test
    void aCloneDoesNotShareTheKeptForm() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of("POST", "/").header("Content-Type", "application/x-www-form-urlencoded")
                    .body("a=0123456789").build();
            Request other = req.clone(CloneOption.headers(Map.of("Content-Type", "text/plain")));
            Request small = req.clone(CloneOption.clientMaxSize(4));
            assertEquals("0123456789", req.post().get("a"));
            assertEquals(0, other.post().size()); // text/plain has no form, whatever the original parsed
            assertThrows(HTTPRequestEntityTooLarge.class, small::post); // its own limit, over the bytes read already
        });
    }

    /**
     * A clone's post() after another request read a multipart form from the stream: the body is
     * gone, and the error says so (aiohttp's MultipartReader fails with "Could not find starting
     * boundary").
     */
    @Test
    void aClonesPostAfterAMultipartPostSaysTheBodyWasRead() throws Exception {
        inLoop(() -> {
            String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--" + BOUNDARY + "--\r\n";
            Request req = MockedRequest.of("POST", "/").header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY).body(body).build();
            Request copy = req.clone();
            assertEquals("b", req.post().get("a"));
            IllegalStateException e = assertThrows(IllegalStateException.class, copy::post);
            assertTrue(e.getMessage().contains("read as a stream"), e.getMessage());
            // after read(), a clone's form comes from the kept bytes
            Request kept = MockedRequest.of("POST", "/").header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY).body(body).build();
            Request keptCopy = kept.clone();
            kept.read();
            assertEquals("b", keptCopy.post().get("a"));
        });
    }

    /** aiohttp's clone() refuses only when _read_bytes is non-empty: an empty body read may be cloned. */
    @Test
    void cloneAfterReadingAnEmptyBody() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.of("POST", "/").body("").build();
            assertEquals(0, req.read().length);
            assertEquals(0, req.clone().read().length);
        });
    }

    /** aiohttp's test_absolute_url: an absolute-form target gives the URL, scheme and host. */
    @Test
    void absoluteUrl() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "https://example.com/path/to?a=1", "Host", "other.test");
            assertEquals("https://example.com/path/to?a=1", req.url().toString());
            assertEquals("https", req.scheme());
            assertTrue(req.secure());
            assertEquals("example.com", req.host());
            assertEquals("/path/to?a=1", req.pathQs()); // str(rel_url)
            assertEquals("/path/to", req.path());
            assertEquals("a=1", req.queryString());
        });
    }

    /** aiohttp's test_clone_absolute_scheme. */
    @Test
    void cloneAbsoluteScheme() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "https://example.com/path/to?a=1");
            assertEquals("https", req.scheme());
            Request req2 = req.clone(CloneOption.scheme("http"));
            assertEquals("http", req2.scheme());
            assertEquals("http://example.com/path/to?a=1", req2.url().toString());
        });
    }

    /** aiohttp's test_clone_absolute_host. */
    @Test
    void cloneAbsoluteHost() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "https://example.com:8443/path/to?a=1");
            assertEquals("example.com", req.host());
            Request req2 = req.clone(CloneOption.host("foo.test"));
            assertEquals("foo.test", req2.host());
            assertEquals("foo.test", req2.url().getHost());
            assertEquals("https://foo.test:8443/path/to?a=1", req2.url().toString()); // yarl's with_host keeps the port
        });
    }

    /**
     * What aiohttp (3.14, both parsers) gives for absolute-form targets: the host is yarl's
     * url.host (no port, lower case, IPv6 without brackets), the scheme the target's, the URL the
     * target as yarl prints it (scheme in lower case, a default port dropped), whatever the Host
     * header says.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // target                                   | host           | scheme | url                                      | path  | pathQs
            "http://Other.Example:8080/path?a=1#frag     | other.example  | http   | http://Other.Example:8080/path?a=1#frag  | /path | /path?a=1#frag",
            "HTTP://h.example:80/p                       | h.example      | http   | http://h.example/p                       | /p    | /p",
            "https://h.example:443/x                     | h.example      | https  | https://h.example/x                      | /x    | /x",
            "http://u:pw@h.example:90/x                  | h.example      | http   | http://u:pw@h.example:90/x               | /x    | /x",
            "http://[::1]:81/p                           | ::1            | http   | http://[::1]:81/p                        | /p    | /p",
            "ftp://x.example/y                           | x.example      | ftp    | ftp://x.example/y                        | /y    | /y",
            "http://xn--caf-dma.example/                 | caf\u00e9.example | http | http://xn--caf-dma.example/            | /     | /",
            "http://1.2.3.4:8080/                        | 1.2.3.4        | http   | http://1.2.3.4:8080/                     | /     | /",
            // aio4j-only: an empty path is "/" (RFC 9110 section 4.2.3); aiohttp 3.14 gives "" and "?q=1"
            "http://other.example                        | other.example  | http   | http://other.example/                    | /     | /",
            "http://other.example?q=1                    | other.example  | http   | http://other.example/?q=1                | /     | /?q=1",
            "http://[::A]/p                              | ::A            | http   | http://[::A]/p                           | /p    | /p",
            "http://@h.example/p                         | h.example      | http   | http://@h.example/p                      | /p    | /p",
            "http://h.example:/p                         | h.example      | http   | http://h.example:/p                      | /p    | /p",
            "a+b.c-D9://x.example/p                      | x.example      | a+b.c-d9 | a+b.c-d9://x.example/p                 | /p    | /p",
    })
    void absoluteFormTargets(String target, String host, String scheme, String url, String path, String pathQs) throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", target, "Host", "localhost:8080");
            assertEquals(host, req.host());
            assertEquals(scheme, req.scheme());
            assertEquals(url, req.url().toString());
            assertEquals(path, req.path());
            assertEquals(pathQs, req.pathQs());
        });
    }

    /**
     * aio4j-only: an absolute-form target with an empty path has the path "/" (RFC 9110 section
     * 4.2.3: an empty path is equivalent to "/"), so GET http://example.com reaches the "/" route.
     * aiohttp 3.14 gives the path "" and answers 404.
     */
    @Test
    void absoluteFormWithAnEmptyPathIsTheRoot() throws Exception {
        inLoop(() -> {
            Application app = new Application();
            app.router().addGet("/", r -> new Response());
            Request req = MockedRequest.of("GET", "http://example.com").app(app).build();
            assertEquals("/", req.rawPath());
            assertNull(req.matchInfo().httpException());
        });
    }

    /**
     * aiohttp's request.query_string is yarl's decoded rel_url.query_string (each expected value
     * is what yarl's _Unquoter(qs=True) returns); rawQueryString() is rel_url.raw_query_string.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // raw                      | decoded
            "a=1&b=2                    | a=1&b=2",
            "q=t+est                    | q=t est",
            "key=value%23frag           | key=value#frag",
            "%D0%BA=1                   | \u043a=1",
            "a%2Bb=c%3Dd%26e%3Bf        | a%2Bb=c%3Dd%26e%3Bf",
            "%2b%2B                     | %2B%2B",
            "%e2%82%ac                  | \u20ac",
            "%F0%9F%98%80               | \ud83d\ude00",
            "%E2%82                     | %E2%82",
            "%E2%82x                    | %E2%82x",
            "%E2A                       | %E2A",
            "%80                        | %80",
            "%C0%80                     | %C0%80",
            "%ED%A0%80                  | %ED%A0%80",
            "%E0%80%80                  | %E0%80%80",
            "%F0%80%80%80               | %F0%80%80%80",
            "%F4%90%80%80               | %F4%90%80%80",
            "%zz                        | %zz",
            "a%4                        | a%4",
            "%41%42                     | AB",
            "%25                        | %",
            "x%E2%82%AC%E2              | x\u20ac%E2",
            "%41+%2B                    | A %2B",
            "%C3%A9%                    | \u00e9%",
    })
    void queryStringIsDecodedAsYarls(String raw, String decoded) throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/p?" + raw + "#f", "Host", "h.test");
            assertEquals(decoded, req.queryString());
            assertEquals(raw, req.rawQueryString());
            assertEquals("/p?" + raw + "#f", req.pathQs(), "path_qs is str(rel_url): raw");
        });
    }

    /** aiohttp: test_client_functional.py's test_str_params, the server's half: params="q=t+est". */
    @Test
    void strParams() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/?q=t+est", "Host", "h.test");
            assertTrue(req.queryString().contains("q=t est"), req.queryString());
            assertEquals("t est", req.query().get("q"));
        });
    }

    /** aiohttp's clone(rel_url=URL("http://...")) takes the URL's scheme and host as well. */
    @Test
    void cloneAbsoluteRelUrlTakesSchemeAndHost() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "/path", "Host", "a.test");
            Request req2 = req.clone(CloneOption.relUrl("https://b.test/other?x=1"));
            assertEquals("b.test", req2.host());
            assertEquals("https", req2.scheme());
            assertEquals("/other", req2.path());
            assertEquals("https://b.test/other?x=1", req2.url().toString());
            assertEquals("a.test", req.host());
        });
    }

    /**
     * aio4j-only: the parts of an absolute-form target, split once by the request line's parser
     * (or by {@code CloneOption.relUrl}), go with a copy whose target stays, and are dropped with a
     * target that is replaced by an origin-form one (the Host header then names the host).
     */
    @Test
    void cloneKeepsOrDropsTheAbsoluteTargetWithTheTarget() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "http://Other.Example:8080/p?a=1", "Host", "a.test");
            Request post = req.clone(CloneOption.method("POST"));
            assertEquals("other.example", post.host());
            assertEquals("http://Other.Example:8080/p?a=1", post.url().toString());
            Request origin = req.clone(CloneOption.relUrl("/q"));
            assertEquals("a.test", origin.host());
            assertEquals("http://a.test/q", origin.url().toString());
            Request other = origin.clone(CloneOption.relUrl("https://b.test:8443/r"));
            assertEquals("b.test", other.host());
            assertEquals("https://b.test:8443/r", other.url().toString());
        });
    }

    /**
     * aiohttp's test_absolute_form_raw_path (3.15 branch): raw_path keeps the path, query and
     * fragment as sent, the same as an origin-form target's.
     */
    @Test
    void absoluteFormRawPathKeepsTheFragment() throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", "https://example.com/path/to?a=1#frag");
            assertEquals("/path/to?a=1#frag", req.rawPath());
            assertEquals(MockedRequest.make("GET", "/path/to?a=1#frag").rawPath(), req.rawPath());
        });
    }

    /**
     * test_http_parser.py's test_parse_uri_percent_encoded, test_parse_uri_utf8_percent_encoded and
     * test_parse_uri_empty_query_with_fragment, at the request: the fragment is split off first
     * (http_parser.py partitions on "#" before "?"), so it is in neither path() nor query; url()
     * keeps it, and rawPath() is the target as sent.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // target                                   | path          | raw query string | fragment | pathQs
            "/path%23frag                                | /path#frag    | ''              | ''       | /path%23frag",
            "/path%2523frag                              | /path%23frag  | ''              | ''       | /path%2523frag",
            "/path?key=value%23frag                      | /path         | key=value%23frag | ''      | /path?key=value%23frag",
            "/path#frag%20                               | /path         | ''              | 'frag '  | /path#frag%20",
            "/path#frag%2520                             | /path         | ''              | frag%20  | /path#frag%2520",
            "/path?#frag                                 | /path         | ''              | frag     | /path#frag",
            "/path#frag?x=1                              | /path         | ''              | frag?x=1 | /path#frag?x=1",
            "/%D0%BF?%D0%BA=1#%D1%84                     | /\u043f     | %D0%BA=1        | \u0444  | /%D0%BF?%D0%BA=1#%D1%84",
            "/#                                          | /             | ''              | ''       | /",
    })
    void parseUriPercentEncoded(String target, String path, String rawQueryString, String fragment, String pathQs) throws Exception {
        inLoop(() -> {
            Request req = MockedRequest.make("GET", target, "Host", "h.test");
            assertEquals(path, req.path());
            assertEquals(rawQueryString, req.rawQueryString());
            assertEquals(target, req.rawPath());
            assertEquals(pathQs, req.pathQs());
            String f = req.url().getFragment();
            assertEquals(fragment, f == null ? "" : f);
            assertFalse(req.query().keys().stream().anyMatch(k -> k.contains("#")));
        });
    }

    /** The router sees the path without the fragment: GET /p#frag matches /p. */
    @Test
    void fragmentIsNotRouted() throws Exception {
        inLoop(() -> {
            Application app = new Application();
            app.router().addGet("/p", r -> new Response());
            assertNull(MockedRequest.of("GET", "/p#frag").app(app).build().matchInfo().httpException());
            assertNull(MockedRequest.of("GET", "/p#f?x=1").app(app).build().matchInfo().httpException());
        });
    }

    /** url() never fails for a host java.net.URI cannot hold: it is percent-encoded (a registry-based authority). */
    @Test
    void urlOfAHostUriCannotHold() throws Exception {
        inLoop(() -> {
            Request abs = MockedRequest.make("GET", "http://a|b/p", "Host", "h.test");
            assertEquals("a|b", abs.host());
            assertEquals("http://a%7Cb/p", abs.url().toString());
            assertEquals("http://x%20y/p", MockedRequest.make("GET", "/p", "Host", "x y").url().toString());
            assertEquals("http://h.test/a%7Cb", MockedRequest.make("GET", "/a|b", "Host", "h.test").url().toString());
        });
    }

    /**
     * url() never fails for brackets java.net.URI cannot hold (yarl keeps them; a handler that
     * asked for request.url got a 500): a Host header, a clone's host, or an absolute-form host
     * with a colon that is no IPv6 address. They are percent-encoded, a registry-based authority.
     */
    @Test
    void urlOfBracketsUriCannotHold() throws Exception {
        inLoop(() -> {
            assertEquals("http://%5Bzz%5D/p", MockedRequest.make("GET", "/p", "Host", "[zz]").url().toString());
            assertEquals("http://%5B::1%5D%5D/p", MockedRequest.make("GET", "/p", "Host", "[::1]]").url().toString());
            assertEquals("http://%5Bzz:%5D/p", MockedRequest.make("GET", "http://[zz:]/p", "Host", "h").url().toString());
            assertEquals("http://%5Bv1.x%5D:8080/p", MockedRequest.make("GET", "http://[v1.x]:8080/p", "Host", "h").url().toString());
            Request ok = MockedRequest.make("GET", "/p", "Host", "h.test");
            assertEquals("http://%5Bq%5D/p", ok.clone(CloneOption.host("[q]")).url().toString());
            assertEquals("http://[::1]:8/p", MockedRequest.make("GET", "/p", "Host", "[::1]:8").url().toString());
        });
    }

    /** url() percent-encodes what java.net.URI cannot hold raw (a second # in a fragment), where yarl keeps it as sent. */
    @Test
    void urlOfAFragmentWithAHash() throws Exception {
        inLoop(() -> assertEquals("http://h.test/p#a%23b", MockedRequest.make("GET", "/p#a#b", "Host", "h.test").url().toString()));
    }
}
