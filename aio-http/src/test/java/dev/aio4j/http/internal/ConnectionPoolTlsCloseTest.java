package dev.aio4j.http.internal;

import dev.aio4j.http.ClientTimeout;
import dev.aio4j.loop.Aio;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.test.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the pool closes TLS connections, now that a TLS close waits for the server's close_notify
 * (asyncio's SSLProtocol SHUTDOWN, up to {@code ssl_shutdown_timeout}). aiohttp's
 * {@code BaseConnector._close_immediately(abort_ssl=)}: the connector's close aborts TLS
 * connections (its default since {@code ssl_shutdown_timeout} became 0, aiohttp PR 11148) and
 * closes plain ones. aio4j-only test (aiohttp tests it with mocks in tests/test_connector.py).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionPoolTlsCloseTest {
    private static final String HOST = InetAddress.getLoopbackAddress().getHostAddress();

    private static ConnectionPool pool(SSLContext ssl) {
        return new ConnectionPool(new ConnectorSettings(15, 100, 0, ssl, StreamReader.DEFAULT_LIMIT,
                ConnectorSettings.DEFAULT_HAPPY_EYEBALLS_DELAY, 0, true, ConnectorSettings.DEFAULT_TTL_DNS_CACHE, null, null));
    }

    private static Transport open(ConnectionPool pool, URI url, SSLContext ssl) throws Exception {
        HttpConnection c = pool.acquire(PoolKey.of(url, ssl), url, true, new Deadlines(ClientTimeout.DEFAULT, url), new ArrayList<>());
        return c.out().transport();
    }

    @Test
    void closingThePoolAbortsTlsConnectionsAndClosesPlainOnes() throws Exception {
        Aio.run(() -> {
            SSLContext client = TestCertificates.client();
            Server tls = Streams.startServer((r, w) -> {
                r.read(-1);
                w.close();
            }, HOST, 0, TestCertificates.server());
            Server plain = Streams.startServer((r, w) -> {
                r.read(-1);
                w.close();
            }, HOST, 0);
            ConnectionPool pool = pool(client);
            Transport overTls = open(pool, URI.create("https://localhost:" + tls.port() + "/"), client);
            Transport overTcp = open(pool, URI.create("http://" + HOST + ":" + plain.port() + "/"), client);
            assertTrue(overTls.toString().startsWith("SslTransport[WRAPPED"), overTls.toString());
            pool.close();
            // Aborted: no close_notify, no wait in SHUTDOWN for the server's.
            assertTrue(overTls.toString().startsWith("SslTransport[CLOSED"), overTls.toString());
            assertTrue(overTcp.isClosing());
            assertFalse(overTcp.toString().contains("aborted"), overTcp.toString());
            tls.close();
            plain.close();
            tls.waitClosed();
            plain.waitClosed();
            return null;
        });
    }

    @Test
    void closingThePoolAbortsIdleTlsConnectionsToo() throws Exception {
        // aiohttp's _close_immediately walks self._conns (the idle ones) as well as the acquired
        // ones with the same abort_ssl rule: an idle keep-alive TLS connection is aborted, not
        // closed with close_notify and a wait for the server's.
        Aio.run(() -> {
            SSLContext client = TestCertificates.client();
            Server tls = Streams.startServer((r, w) -> {
                r.read(-1);
                w.close();
            }, HOST, 0, TestCertificates.server());
            ConnectionPool pool = pool(client);
            URI url = URI.create("https://localhost:" + tls.port() + "/");
            HttpConnection c = pool.acquire(PoolKey.of(url, client), url, true, new Deadlines(ClientTimeout.DEFAULT, url), new ArrayList<>());
            Transport overTls = c.out().transport();
            pool.release(c, true);
            assertTrue(pool.idleCount() == 1, "kept for reuse");
            pool.close();
            assertTrue(overTls.toString().startsWith("SslTransport[CLOSED"), overTls.toString());
            tls.close();
            tls.waitClosed();
            return null;
        });
    }
}
