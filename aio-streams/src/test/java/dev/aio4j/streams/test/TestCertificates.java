package dev.aio4j.streams.test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * TLS contexts for tests: a self-signed certificate for localhost and 127.0.0.1, one for
 * other.example that the first does not trust, and one for any other host name (a simulated
 * network's hosts), each made once per JVM by the JDK's keytool. Shared with aio-http's and
 * aio-test's tests through aio-streams' test-jar (the package is outside the
 * {@code dev.aio4j.streams} module, so the sibling modules' tests can see it). aio4j-only test
 * support.
 */
public final class TestCertificates {
    private static final char[] PASS = "changeit".toCharArray();
    private static final String LOCALHOST = "localhost";
    private static final Map<String, Pair> PAIRS = new HashMap<>();
    private static final Map<String, Path> STORES = new HashMap<>();
    private static Path dir;
    private static Path pem;

    private TestCertificates() {}

    /**
     * A self-signed certificate's two contexts.
     *
     * @param server holds the key; trusts the certificate
     * @param client trusts the certificate; no key
     */
    public record Pair(SSLContext server, SSLContext client) {
    }

    /** Holds the localhost key; trusts the localhost certificate. */
    public static SSLContext server() throws Exception {
        return forHost(LOCALHOST).server();
    }

    /** Trusts the localhost certificate; no key. */
    public static SSLContext client() throws Exception {
        return forHost(LOCALHOST).client();
    }

    /** Trusts only other.example's certificate, so the localhost server fails its handshake. */
    public static SSLContext other() throws Exception {
        return forHost("other.example").client();
    }

    /**
     * The contexts of a certificate for {@code host} ({@code CN=host}, {@code SAN=dns:host}; for
     * localhost also {@code ip:127.0.0.1}), made on the first call for that name.
     */
    public static synchronized Pair forHost(String host) throws Exception {
        Pair pair = PAIRS.get(host);
        if (pair == null) {
            if (dir == null) {
                dir = Files.createTempDirectory(scratchRoot(), "aio4j-tls");
                dir.toFile().deleteOnExit();
            }
            Path store = dir.resolve(host + ".p12");
            String san = "SAN=dns:" + host + (host.equals(LOCALHOST) ? ",ip:127.0.0.1" : "");
            keytool("-genkeypair", "-alias", "test", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + host,
                    "-ext", san, "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", "changeit", "-keypass", "changeit");
            store.toFile().deleteOnExit();
            pair = new Pair(context(store, true), context(store, false));
            PAIRS.put(host, pair);
            STORES.put(host, store);
        }
        return pair;
    }

    /** The localhost certificate in PEM, for clients outside the JVM ({@code curl --cacert}). */
    public static synchronized Path pem() throws Exception {
        if (pem == null) {
            forHost(LOCALHOST);
            Path file = dir.resolve("localhost.pem");
            keytool("-exportcert", "-rfc", "-alias", "test", "-keystore", STORES.get(LOCALHOST).toString(),
                    "-storepass", "changeit", "-file", file.toString());
            file.toFile().deleteOnExit();
            pem = file;
        }
        return pem;
    }

    /**
     * Where the stores go: the module's {@code target} directory when the tests run from the module
     * (Surefire's working directory), so that a JVM killed mid-run, whose {@code deleteOnExit} never
     * runs, leaves them for {@code mvn clean} instead of in /tmp; the system's temp directory otherwise.
     */
    static Path scratchRoot() {
        Path target = Path.of("target").toAbsolutePath();
        if (Files.isDirectory(target) && Files.isWritable(target)) {
            return target;
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static void keytool(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
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
