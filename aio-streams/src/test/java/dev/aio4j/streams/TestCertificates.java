package dev.aio4j.streams;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

/**
 * TLS contexts for tests: a self-signed certificate for localhost and 127.0.0.1, made once per
 * JVM by the JDK's keytool, and a second one for other.example that the first does not trust.
 */
public final class TestCertificates {
    private static final char[] PASS = "changeit".toCharArray();
    private static SSLContext server;
    private static SSLContext client;
    private static SSLContext other;

    private TestCertificates() {}

    /** Holds the localhost key; trusts the localhost certificate. */
    public static synchronized SSLContext server() throws Exception {
        make();
        return server;
    }

    /** Trusts the localhost certificate; no key. */
    public static synchronized SSLContext client() throws Exception {
        make();
        return client;
    }

    /** Trusts only other.example's certificate, so the localhost server fails its handshake. */
    public static synchronized SSLContext other() throws Exception {
        make();
        return other;
    }

    private static void make() throws Exception {
        if (server != null) {
            return;
        }
        Path dir = Files.createTempDirectory("aio4j-tls");
        Path ks = keytool(dir, "test.p12", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        Path otherKs = keytool(dir, "other.p12", "CN=other.example", "SAN=dns:other.example");
        server = context(ks, true);
        client = context(ks, false);
        other = context(otherKs, false);
    }

    private static Path keytool(Path dir, String name, String dn, String san) throws Exception {
        Path file = dir.resolve(name);
        Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(tool.toString(), "-genkeypair", "-alias", "test", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", dn, "-ext", san, "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
        file.toFile().deleteOnExit();
        return file;
    }

    private static SSLContext context(Path keystore, boolean withKey) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASS);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        if (withKey) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASS);
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        } else {
            ctx.init(null, tmf.getTrustManagers(), null);
        }
        return ctx;
    }
}
