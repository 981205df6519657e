package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import dev.aio4j.streams.test.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * https against the JDK's HttpsServer: mirrors the TLS tests of aiohttp's
 * tests/test_client_functional.py. The keystore (a self-signed certificate for localhost and
 * 127.0.0.1) is made by the JDK's keytool when the class starts, as aio-streams' TlsTest does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientSslTest {
    static SSLContext serverCtx;
    static SSLContext clientCtx;

    @BeforeAll
    static void makeKeystore() throws Exception {
        serverCtx = TestCertificates.server();
        clientCtx = TestCertificates.client();
    }

    @Test
    void httpsGetsOverOneConnection() throws Exception {
        byte[] big = TestServers.payload(500_000, 2);
        try (TestServers.Jdk srv = TestServers.Jdk.https(serverCtx)
                .handle("/small", ex -> TestServers.send(ex, 200, "secure"))
                .handle("/big", ex -> TestServers.sendChunked(ex, 200, big, 10_000))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().sslContext(clientCtx).build()) {
                    String base = "https://localhost:" + srv.port();
                    for (int i = 0; i < 3; i++) {
                        try (ClientResponse r = s.get(base + "/small")) {
                            assertEquals("secure", r.text());
                        }
                    }
                    try (ClientResponse r = s.get(base + "/big")) {
                        assertEquals(big.length, r.bytes().length);
                    }
                    assertEquals(1, s.openConnections());
                }
                return null;
            });
            assertEquals(1, srv.clientPorts.size());
        }
    }

    @Test
    void hostnameIsVerified() throws Exception {
        try (TestServers.Jdk srv = TestServers.Jdk.https(serverCtx, java.net.InetAddress.getByName("127.0.0.2"))
                .handle("/", ex -> TestServers.send(ex, 200, "secure"))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().sslContext(clientCtx).build()) {
                    // The certificate is for localhost and 127.0.0.1, not for 127.0.0.2 (also loopback).
                    String url = "https://127.0.0.2:" + srv.port() + "/";
                    ClientConnectorError e = assertThrows(ClientConnectorError.class, () -> s.get(url));
                    assertTrue(e.ssl());
                    assertTrue(e.getMessage().contains("127.0.0.2") && !e.getMessage().contains("Connection refused"),
                            "refused by the name check, not by the socket: " + e.getMessage());
                    assertTrue(e.getMessage().endsWith("url=" + url), e.getMessage());
                    assertEquals(0, s.openConnections());
                }
                return null;
            });
        }
    }

    @Test
    void untrustedCertificateIsRefused() throws Exception {
        try (TestServers.Jdk srv = TestServers.Jdk.https(serverCtx).handle("/", ex -> TestServers.send(ex, 200, "secure"))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) { // the JDK's default trust store
                    assertThrows(ClientConnectorError.class, () -> s.get("https://localhost:" + srv.port() + "/"));
                    assertEquals(0, s.openConnections());
                }
                return null;
            });
        }
    }

    @Test
    void sslFalseSkipsVerificationForOneRequest() throws Exception { // aiohttp: test_ssl_client ssl=False
        try (TestServers.Jdk srv = TestServers.Jdk.https(serverCtx, java.net.InetAddress.getByName("127.0.0.2"))
                .handle("/", ex -> TestServers.send(ex, 200, "secure"))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) { // the default trust store does not know the certificate
                    String url = "https://127.0.0.2:" + srv.port() + "/"; // and the name does not match either
                    assertThrows(ClientConnectorError.class, () -> s.get(url));
                    try (ClientResponse r = s.get(url, RequestOption.ssl(false))) {
                        assertEquals("secure", r.text());
                    }
                    assertThrows(ClientConnectorError.class, () -> s.get(url, RequestOption.ssl(true)),
                            "the insecure connection is pooled apart: a verified request never reuses it");
                }
                return null;
            });
        }
    }

    @Test
    void perRequestSslContextIsUsedAndPooledApart() throws Exception { // aiohttp: request ssl=SSLContext
        try (TestServers.Jdk srv = TestServers.Jdk.https(serverCtx).handle("/", ex -> TestServers.send(ex, 200, "secure"))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    String url = "https://localhost:" + srv.port() + "/";
                    try (ClientResponse r = s.get(url, RequestOption.ssl(clientCtx))) {
                        assertEquals("secure", r.text());
                    }
                    assertEquals(1, s.idleConnections());
                    assertThrows(ClientConnectorError.class, () -> s.get(url),
                            "without the request's context the session's default trust store refuses the server");
                }
                return null;
            });
        }
    }

    @Test
    void sessionSslFalse() throws Exception { // aiohttp: TCPConnector(ssl=False)
        try (TestServers.Jdk srv = TestServers.Jdk.https(serverCtx, java.net.InetAddress.getByName("127.0.0.2"))
                .handle("/", ex -> TestServers.send(ex, 200, "secure"))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().ssl(false).build()) {
                    try (ClientResponse r = s.get("https://127.0.0.2:" + srv.port() + "/")) {
                        assertEquals("secure", r.text());
                    }
                }
                return null;
            });
        }
    }

    @Test
    void connectionsClosedAfterEachRequestLeaveNoDescriptorOpen() throws Exception {
        // keepAliveTimeout(0): each connection is closed once its response is read (aiohttp's
        // _release with should_close: protocol.close(), a graceful TLS close that waits for the
        // server's close_notify); the JDK's HttpsServer answers it, so nothing stays open.
        try (TestServers.Jdk srv = TestServers.Jdk.https(serverCtx).handle("/", ex -> TestServers.send(ex, 200, "secure"))) {
            TestServers.assertNoFdLeak(() -> Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().sslContext(clientCtx).keepAliveTimeout(0).build()) {
                    for (int i = 0; i < 3; i++) {
                        try (ClientResponse r = s.get("https://localhost:" + srv.port() + "/")) {
                            assertEquals("secure", r.text());
                        }
                    }
                }
                Aio.sleep(0.05); // let the transports finish closing
                return null;
            }));
        }
    }

    // aiohttp's ClientRequest.is_ssl() is true for https and wss, so request() sends a wss:// URL
    // over TLS to port 443 unless another is given; the response keeps the wss URL (aio4j-only test)
    @Test
    void requestSendsAWssUrlOverTls() throws Exception {
        try (TestServers.Jdk srv = TestServers.Jdk.https(serverCtx).handle("/", ex -> TestServers.send(ex, 200, "secure"))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().sslContext(clientCtx).build();
                     ClientResponse r = s.get("wss://localhost:" + srv.port() + "/x")) {
                    assertEquals("secure", r.text());
                    assertEquals(java.net.URI.create("wss://localhost:" + srv.port() + "/x"), r.url());
                }
                return null;
            });
        }
    }
}
