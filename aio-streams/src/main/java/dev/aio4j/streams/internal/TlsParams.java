package dev.aio4j.streams.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.Streams;

import javax.net.ssl.SSLContext;

/**
 * What one TLS connection or server is made with: the context and asyncio's two TLS timeouts
 * ({@code ssl_handshake_timeout}, {@code ssl_shutdown_timeout}), carried from {@code Streams} to
 * every {@link SslProtocol} it makes. A null {@code TlsParams} means plain bytes.
 *
 * @param context the TLS configuration
 * @param handshakeTimeout seconds the handshake may take, &gt; 0 or infinite (no limit)
 * @param shutdownTimeout seconds a close() waits for data the engine did not take yet, &gt; 0 or infinite
 */
public record TlsParams(SSLContext context, double handshakeTimeout, double shutdownTimeout) {
    /** asyncio's {@code constants.SSL_HANDSHAKE_TIMEOUT}. */
    public static final double HANDSHAKE_TIMEOUT = Streams.SSL_HANDSHAKE_TIMEOUT;
    /** asyncio's {@code constants.SSL_SHUTDOWN_TIMEOUT}. */
    public static final double SHUTDOWN_TIMEOUT = Streams.SSL_SHUTDOWN_TIMEOUT;

    public TlsParams {
        Checks.notNull(context, "ssl");
        checkTimeout(handshakeTimeout, "sslHandshakeTimeout");
        checkTimeout(shutdownTimeout, "sslShutdownTimeout");
    }

    /**
     * The check of both timeouts, as asyncio's {@code SSLProtocol.__init__} ("should be a positive
     * number"): any number &gt; 0, {@code Double.POSITIVE_INFINITY} for no limit (asyncio takes
     * {@code float('inf')}, a timer that never fires).
     *
     * @return {@code seconds}
     * @throws IllegalArgumentException "{@code name} must be &gt; 0 seconds or
     *     Double.POSITIVE_INFINITY for none, got ..." (zero, negative, NaN)
     */
    public static double checkTimeout(double seconds, String name) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException(name + " must be > 0 seconds or Double.POSITIVE_INFINITY for none, got " + seconds);
        }
        return seconds;
    }
}
