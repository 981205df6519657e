package dev.aio4j.bench.streams;

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
 * A self-signed certificate for 127.0.0.1 made by the JDK's keytool, and the server's and the
 * client's {@link SSLContext}s for the TLS benchmarks. The key is an ECDSA P-256 key
 * ({@code ec}, the default; what the Python twin's {@code openssl req -newkey ec} makes too) or an
 * RSA 2048 key ({@code rsa}). The client context trusts exactly this certificate and verifies it
 * (and the host name, as a default client does).
 */
public final class TlsCerts {
    private static final char[] PASS = "changeit".toCharArray();

    /** The server's context (key and certificate). */
    public final SSLContext server;
    /** The client's context (trusts the certificate). */
    public final SSLContext client;
    /** {@code ec} or {@code rsa}. */
    public final String key;

    private TlsCerts(SSLContext server, SSLContext client, String key) {
        this.server = server;
        this.client = client;
        this.key = key;
    }

    /**
     * No TLS: both contexts null (the benchmarks' plain-TCP variant).
     *
     * @return null contexts
     */
    public static TlsCerts none() {
        return new TlsCerts(null, null, "none");
    }

    /**
     * Makes a key pair and certificate with keytool in a temporary directory (deleted at exit).
     *
     * @param key {@code ec} (ECDSA P-256) or {@code rsa} (RSA 2048)
     * @return the two contexts
     * @throws Exception if keytool fails
     */
    public static TlsCerts make(String key) throws Exception {
        Path dir = Files.createTempDirectory("aio4j-bench-tls");
        Path ks = dir.resolve("bench.p12");
        String[] alg = switch (key) {
            case "ec" -> new String[] {"-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA"};
            case "rsa" -> new String[] {"-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA"};
            default -> throw new IllegalArgumentException("key must be ec or rsa, got " + key);
        };
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        String[] cmd = new String[alg.length + 16];
        String[] head = {keytool, "-genkeypair", "-alias", "bench"};
        String[] tail = {"-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit"};
        System.arraycopy(head, 0, cmd, 0, head.length);
        System.arraycopy(alg, 0, cmd, head.length, alg.length);
        System.arraycopy(tail, 0, cmd, head.length + alg.length, tail.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, PASS);
        }
        Files.delete(ks);
        Files.delete(dir);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, PASS);
        SSLContext s = SSLContext.getInstance("TLS");
        s.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return new TlsCerts(s, c, key);
    }
}
