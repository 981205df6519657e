package dev.aio4j.http.internal;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

/**
 * aiohttp's {@code ssl=False}: one TLS context that trusts every certificate, which the pool
 * also uses without host name verification. Connections made with it are logged at WARNING, one
 * line per connection, so that nobody runs it in production by accident.
 */
public final class InsecureTls {
    private static final System.Logger LOG = System.getLogger("dev.aio4j.http.client");
    private static volatile SSLContext context;

    private InsecureTls() {}

    /** The trust-everything context (made once). */
    public static SSLContext context() {
        SSLContext c = context;
        if (c == null) {
            synchronized (InsecureTls.class) {
                c = context;
                if (c == null) {
                    try {
                        c = SSLContext.getInstance("TLS");
                        c.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException("cannot make the ssl(false) TLS context: " + e.getMessage(), e);
                    }
                    context = c;
                }
            }
        }
        return c;
    }

    /** Whether {@code ctx} is the trust-everything context. */
    public static boolean is(SSLContext ctx) {
        return ctx != null && ctx == context;
    }

    /** Logs one connection made without verification. */
    static void warn(String host, int port) {
        LOG.log(System.Logger.Level.WARNING, "TLS verification is OFF (ssl(false)) for a connection to " + host + ":" + port
                + ": the certificate and host name are not checked, so anyone on the path can read and change the traffic");
    }

    /** Accepts every chain: the point of {@code ssl=False}. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // trusts everything, on purpose
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // trusts everything, on purpose
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
