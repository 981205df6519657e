package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The response object: mirrors aiohttp's tests/test_client_response.py. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientResponseTest {

    @Test
    void textUsesTheCharsetOfContentType() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk()
                .handle("/latin1", ex -> {
                    ex.getResponseHeaders().add("Content-Type", "text/plain; charset=\"ISO-8859-1\"");
                    TestServers.send(ex, 200, "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
                })
                .handle("/none", ex -> TestServers.send(ex, 200, "caf\u00e9".getBytes(StandardCharsets.UTF_8)))
                .handle("/bogus", ex -> {
                    ex.getResponseHeaders().add("Content-Type", "text/html; charset=no-such-charset");
                    TestServers.send(ex, 200, "caf\u00e9".getBytes(StandardCharsets.UTF_8));
                })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    try (ClientResponse r = s.get(srv.url("/latin1"))) {
                        assertEquals("text/plain", r.contentType());
                        assertEquals("ISO-8859-1", r.charset());
                        assertEquals("caf\u00e9", r.text());
                    }
                    try (ClientResponse r = s.get(srv.url("/none"))) {
                        assertNull(r.charset());
                        assertEquals("caf\u00e9", r.text());
                    }
                    try (ClientResponse r = s.get(srv.url("/bogus"))) {
                        assertEquals("text/html", r.contentType());
                        assertEquals("caf\u00e9", r.text());
                    }
                }
                return null;
            });
        }
    }

    @Test
    void contentAfterBytesAndBytesAfterContent() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "body"))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    try (ClientResponse r = s.get(srv.url("/"))) {
                        assertArrayEquals("body".getBytes(), r.bytes());
                        assertArrayEquals("body".getBytes(), r.content().read(-1));
                    }
                    try (ClientResponse r = s.get(srv.url("/"))) {
                        assertArrayEquals("body".getBytes(), r.content().read(-1));
                        assertThrows(IllegalStateException.class, r::bytes);
                    }
                    assertEquals(1, s.idleConnections());
                }
                return null;
            });
        }
    }

    @Test
    void toStringShowsStatusUrlAndState() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "body"))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    ClientResponse r = s.get(srv.url("/t"));
                    assertEquals("ClientResponse[200 OK, GET " + srv.url("/t") + ", body pending]", r.toString());
                    r.text();
                    assertEquals("ClientResponse[200 OK, GET " + srv.url("/t") + ", released]", r.toString());
                    r.close();
                    assertTrue(r.isClosed());
                    assertTrue(r.toString().endsWith(", released, closed]"), r.toString());
                }
                return null;
            });
        }
    }

    @Test
    void bytesAfterCloseOfAnUnreadBodyIsRefused() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, TestServers.payload(300_000, 1)))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    ClientResponse r = s.get(srv.url("/"));
                    r.close();
                    IllegalStateException e = assertThrows(IllegalStateException.class, r::bytes);
                    assertTrue(e.getMessage().startsWith("ClientResponse.bytes() called on a closed response"), e.getMessage());
                }
                return null;
            });
        }
    }
}
