package dev.aio4j.http;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client exception hierarchy and its messages. Mirrors aiohttp's
 * {@code tests/test_client_exceptions.py} (test_str, test_repr, the hierarchy checks), written fresh.
 */
class ClientExceptionsTest {
    private static final URI URL = URI.create("http://example.com/path");

    @Test
    void hierarchyMirrorsAiohttp() {
        assertInstanceOf(ClientConnectionError.class, new ClientOSError("x", URL, new IOException()));
        assertInstanceOf(ClientOSError.class, new ClientConnectorError("h", 80, false, URL, new ConnectException()));
        assertInstanceOf(ServerConnectionError.class, new ServerDisconnectedError("x", URL));
        assertInstanceOf(ServerConnectionError.class, new ServerTimeoutError("x", 1, URL, null));
        assertInstanceOf(ServerTimeoutError.class, new ConnectionTimeoutError(1, URL, null));
        assertInstanceOf(ServerTimeoutError.class, new SocketTimeoutError(1, URL, null));
        assertInstanceOf(ClientConnectionError.class, new ServerConnectionError("x", URL, null));
        assertInstanceOf(ClientResponseError.class, new TooManyRedirects(302, "x", URL, List.of()));
        for (ClientError e : List.of(new ClientPayloadError("x", URL, null), new InvalidURL("u", "why"),
                new ClientResponseError(500, "x", URL, List.of(), null, null), new ClientConnectionError("x", URL, null))) {
            assertInstanceOf(RuntimeException.class, e, "unchecked");
        }
    }

    @Test
    void clientResponseErrorStr() {
        ClientResponseError e = new ClientResponseError(404, "Not Found", URL, List.of(URI.create("http://example.com/old")),
                Headers.of("Content-Type", "text/plain"), null);
        assertEquals("404, message='Not Found', url=http://example.com/path", e.getMessage());
        assertEquals(404, e.status());
        assertEquals("Not Found", e.message());
        assertEquals(URL, e.url());
        assertEquals(List.of(URI.create("http://example.com/old")), e.history());
        assertTrue(e.headers().isReadOnly());
        assertNull(new ClientResponseError(500, "x", URL, null, null, null).headers());
    }

    @Test
    void clientResponseErrorCarriesRequestInfo() { // aiohttp: test_client_exceptions.py, ClientResponseError(request_info, history)
        Headers sent = Headers.of("Accept", "*/*");
        RequestInfo info = new RequestInfo(URL, "GET", sent, URI.create(URL + "#top"));
        ClientResponseError e = new ClientResponseError(info, 409, "Conflict", List.of(), null, null);
        assertSame(info, e.requestInfo());
        // aiohttp's __str__ names request_info.real_url: the URL as the caller gave it, fragment kept
        assertEquals(URI.create(URL + "#top"), e.url());
        assertEquals("409, message='Conflict', url=http://example.com/path#top", e.getMessage());
        assertTrue(info.headers().isReadOnly(), "the info keeps a read-only copy");
        assertEquals(info, new RequestInfo(URL, "GET", Headers.of("accept", "*/*"), URI.create(URL + "#top")),
                "equal by value, headers field by field (RequestInfo's Javadoc)");
        assertEquals("*/*", info.headers().get("Accept"));
        assertSame(info, new ContentTypeError(info, 200, "not JSON", List.of(), null).requestInfo());
        assertNull(new ClientResponseError(500, "x", URL, null, null, null).requestInfo());
        assertThrows(NullPointerException.class, () -> new ClientResponseError((RequestInfo) null, 500, "x", null, null, null));
    }

    @Test
    void requestInfoToStringHidesCookieValues() { // aio4j-only (aiohttp's repr shows them), as for Authorization
        Headers sent = Headers.of("Cookie", "sid=s3cret; theme=dark;bare");
        sent.add("Authorization", "Bearer t0k");
        sent.add("Accept", "*/*");
        RequestInfo info = new RequestInfo(URL, "GET", sent, URL);
        assertEquals("RequestInfo[url=http://example.com/path, method=GET, headers=Headers[read-only; "
                + "Cookie: sid=***; theme=***;***, Authorization: Bearer ***, Accept: */*], realUrl=http://example.com/path]",
                info.toString());
        assertEquals("sid=s3cret; theme=dark;bare", info.headers().get("Cookie"), "the field itself is as sent");
        assertEquals("RequestInfo[url=http://example.com/path, method=GET, headers=Headers[read-only; cookie: ], "
                + "realUrl=http://example.com/path]", new RequestInfo(URL, "GET", Headers.of("cookie", ""), URL).toString());
    }

    @Test
    void osErrorKeepsTheIoException() {
        IOException io = new IOException("Connection reset by peer");
        ClientOSError e = new ClientOSError("reading the response", URL, io);
        assertEquals("reading the response: java.io.IOException: Connection reset by peer, url=http://example.com/path", e.getMessage());
        assertSame(io, e.getCause());
        assertSame(io, e.ioException());
    }

    @Test
    void connectorErrorStr() {
        ClientConnectorError e = new ClientConnectorError("example.com", 443, true, URL, new ConnectException("Connection refused"));
        assertEquals("cannot connect to host example.com:443 (TLS): java.net.ConnectException: Connection refused, url=http://example.com/path",
                e.getMessage());
        assertEquals("example.com", e.host());
        assertEquals(443, e.port());
        assertTrue(e.ssl());
    }

    @Test
    void timeoutsSayWhichAndHowLong() {
        assertEquals("connect timeout of 2.5 s expired, url=http://example.com/path", new ConnectionTimeoutError(2.5, URL, null).getMessage());
        assertEquals("socket read timeout of 30.0 s expired, url=http://example.com/path", new SocketTimeoutError(30, URL, null).getMessage());
        assertEquals(30.0, new SocketTimeoutError(30, URL, null).timeoutSeconds());
        assertEquals("total timeout of 300.0 s expired, url=http://example.com/path",
                new ServerTimeoutError("total timeout", 300, URL, null).getMessage());
    }

    @Test
    void withoutUrl() {
        assertEquals("server disconnected before any response byte",
                new ServerDisconnectedError("server disconnected before any response byte", null).getMessage());
        assertEquals("invalid URL ::: unparseable", new InvalidURL("::", "unparseable").getMessage());
    }

    @Test
    void badHttpMessageCarriesKindLimitAndBytes() {
        BadHttpMessage e = new BadHttpMessage(BadHttpMessage.Kind.LINE_TOO_LONG, "status line is longer than 8192 bytes", 8192, "\"HTTP/1.1\"");
        assertEquals("status line is longer than 8192 bytes (limit 8192): \"HTTP/1.1\"", e.getMessage());
        assertEquals(8192, e.limit());
        assertEquals("\"HTTP/1.1\"", e.offending());
        ClientPayloadError p = new ClientPayloadError("response body is incomplete", URL, e);
        assertEquals("response body is incomplete, url=http://example.com/path", p.getMessage());
        assertSame(e, p.getCause());
    }
}
