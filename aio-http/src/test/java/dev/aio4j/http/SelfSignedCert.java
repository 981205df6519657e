package dev.aio4j.http;

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
 * A self-signed certificate for localhost and 127.0.0.1, made once per JVM by the JDK's keytool
 * (as aio-streams' TlsTest does): the server's and the client's {@link SSLContext}s, for the
 * client's TLS tests and the server's TLS sites.
 */
public final class SelfSignedCert {
    private static final char[] PASS = "changeit".toCharArray();
    private static SSLContext server;
    private static SSLContext client;
    private static Path pem;

    private SelfSignedCert() {}

    public static synchronized SSLContext server() throws Exception {
        make();
        return server;
    }

    public static synchronized SSLContext client() throws Exception {
        make();
        return client;
    }

    /** The certificate in PEM, for clients outside the JVM (curl --cacert). */
    public static synchronized Path pem() throws Exception {
        make();
        return pem;
    }

    private static void make() throws Exception {
        if (server != null) {
            return;
        }
        Path dir = Files.createTempDirectory("aio4j-web-tls");
        Path ks = dir.resolve("test.p12");
        run(keytool(), "-genkeypair", "-alias", "test", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit");
        Path cert = dir.resolve("test.pem");
        run(keytool(), "-exportcert", "-rfc", "-alias", "test", "-keystore", ks.toString(), "-storepass", "changeit",
                "-file", cert.toString());
        ks.toFile().deleteOnExit();
        cert.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, PASS);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, PASS);
        SSLContext s = SSLContext.getInstance("TLS");
        s.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        server = s;
        client = c;
        pem = cert;
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
    }
}
