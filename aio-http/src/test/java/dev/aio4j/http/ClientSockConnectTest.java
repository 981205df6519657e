package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import dev.aio4j.streams.test.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * aiohttp's {@code ClientTimeout.sock_connect}: each attempt to open a new connection (the socket
 * and the TLS handshake) has its own limit, the wait for a pooled connection does not count, and
 * the default is aiohttp's {@code ClientTimeout(total=300, sock_connect=30)}
 * (tests/test_client_session.py test_default_timeout / test_client_functional.py's
 * sock_connect cases).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientSockConnectTest {
    static SSLContext clientCtx;

    @BeforeAll
    static void certificates() throws Exception {
        clientCtx = TestCertificates.client();
    }

    /** Accepts TCP connections and never says a word: a TLS handshake with it never ends. */
    private static final class SilentPeer implements AutoCloseable {
        final ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> accepted = new ArrayList<>();
        final Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) {
                    Socket s = ss.accept();
                    synchronized (accepted) {
                        accepted.add(s);
                    }
                }
            } catch (java.io.IOException closed) {
                // done
            }
        });

        SilentPeer() throws java.io.IOException {
        }

        int port() {
            return ss.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            ss.close();
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
            acceptor.join(5000);
        }
    }

    @Test
    void theDefaultIsAiohttps() {
        assertEquals(new ClientTimeout(300, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 30), ClientTimeout.DEFAULT);
        assertEquals(Double.POSITIVE_INFINITY, ClientTimeout.ofTotal(60).sockConnect(), "ClientTimeout(total=60): no sock_connect");
        assertEquals(new ClientTimeout(30, 5, 10, Double.POSITIVE_INFINITY), new ClientTimeout(30, 5, 10));
    }

    @Test
    void theWithMethodsChangeOneLimitEach() {
        ClientTimeout t = ClientTimeout.NONE.withTotal(30).withConnect(Duration.ofSeconds(5)).withSockRead(2.5)
                .withSockConnect(Duration.ofMillis(1500));
        assertEquals(new ClientTimeout(30, 5, 2.5, 1.5), t);
        assertEquals(new ClientTimeout(30, 5, 2.5, Double.POSITIVE_INFINITY), t.withSockConnect(Double.POSITIVE_INFINITY));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.withSockConnect(0));
        assertEquals("sockConnect must be > 0 seconds or Double.POSITIVE_INFINITY for none, got 0.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.withTotal(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> t.withSockRead((Duration) null));
    }

    @Test
    void aTlsHandshakeThatNeverEndsIsTheSockConnectTimeout() throws Exception {
        try (SilentPeer peer = new SilentPeer()) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().sslContext(clientCtx)
                        .timeout(ClientTimeout.NONE.withTotal(30).withSockConnect(0.2)).build()) {
                    String url = "https://localhost:" + peer.port() + "/";
                    ConnectionTimeoutError e = assertThrows(ConnectionTimeoutError.class, () -> s.get(url));
                    assertEquals("sock_connect timeout of 0.2 s expired, url=" + url, e.getMessage());
                    assertEquals(0.2, e.timeoutSeconds());
                    assertEquals(0, s.openConnections(), "the attempt's socket is closed");
                }
                return null;
            });
        }
    }

    // aiohttp's _request raises ConnectionTimeoutError(f"Connection timeout to host {req.url}"),
    // req.url the wss:// URL ws_connect was given (its request keeps it): the message names that
    // URL, not the https:// one the handshake goes out as (aio4j-only test)
    @Test
    void aWsConnectTimeoutNamesTheWssUrl() throws Exception {
        try (SilentPeer peer = new SilentPeer()) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().sslContext(clientCtx)
                        .timeout(ClientTimeout.NONE.withTotal(30).withSockConnect(0.2)).build()) {
                    String url = "wss://localhost:" + peer.port() + "/chat";
                    ConnectionTimeoutError e = assertThrows(ConnectionTimeoutError.class, () -> s.wsConnect(url));
                    assertEquals("sock_connect timeout of 0.2 s expired, url=" + url, e.getMessage());
                    assertEquals(java.net.URI.create(url), e.url());
                    assertEquals(0, s.openConnections(), "the attempt's socket is closed");
                }
                return null;
            });
        }
    }

    @Test
    void theConnectLimitStillBoundsTheAttemptWhenItIsShorter() throws Exception {
        try (SilentPeer peer = new SilentPeer()) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().sslContext(clientCtx)
                        .timeout(ClientTimeout.NONE.withTotal(30).withConnect(0.2).withSockConnect(20)).build()) {
                    String url = "https://localhost:" + peer.port() + "/";
                    ConnectionTimeoutError e = assertThrows(ConnectionTimeoutError.class, () -> s.get(url));
                    assertEquals("connect timeout of 0.2 s expired, url=" + url, e.getMessage());
                }
                return null;
            });
        }
    }

    @Test
    void waitingForAPooledConnectionIsNotTheSockConnectTimeout() throws Exception {
        try (TestServers.Scripted srv = new TestServers.Scripted((sock, in, out) -> {
            for (int i = 0; i < 2; i++) {
                TestServers.readHead(in);
                TestServers.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().limit(1)
                        .timeout(ClientTimeout.NONE.withTotal(30).withSockConnect(0.2)).build()) {
                    ClientResponse held = s.get(srv.url("/held"));
                    Aio.createTask(() -> {
                        Aio.sleep(0.5); // longer than sock_connect: the second request waits for the pool meanwhile
                        held.text();
                        held.close();
                        return null;
                    });
                    try (ClientResponse second = s.get(srv.url("/second"))) {
                        assertEquals("ok", second.text());
                    }
                }
                return null;
            });
        }
    }
}
