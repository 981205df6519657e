package dev.aio4j.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small forward proxy on loopback for the proxy tests, written on blocking JDK sockets with
 * platform threads. aio4j-only (aiohttp's tests use the {@code proxy.py} package).
 *
 * <ul>
 *   <li>A request in absolute form ({@code GET http://host:port/path HTTP/1.1}) is forwarded to the
 *       origin in origin form on a new socket with {@code Connection: close}; the origin's answer
 *       is relayed with its {@code Connection} field removed, so the client's connection to the
 *       proxy stays open for the next request.</li>
 *   <li>{@code CONNECT host:port} is answered {@code 200 Connection established}, then bytes are
 *       relayed both ways until either side closes; the first byte from the client is recorded.</li>
 *   <li>With {@link #requireAuth(String)}, a request without that {@code Proxy-Authorization} is
 *       answered {@code 407} with {@code Proxy-Authenticate} and the connection closed.</li>
 * </ul>
 * Every request head it receives is kept in {@link #heads}; {@link #accepted} counts connections.
 */
final class ForwardProxy implements AutoCloseable {
    final ServerSocket server;
    final List<String> heads = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final AtomicInteger accepted = new AtomicInteger();
    /** The first byte a client sent into each tunnel (0x16 starts a TLS handshake record). */
    final List<Integer> tunnelFirstBytes = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile String expectedAuth;
    private final Thread acceptor;

    ForwardProxy() throws IOException {
        server = new ServerSocket(0, 50, TestServers.LOOPBACK);
        acceptor = Thread.ofPlatform().daemon(true).name("forward-proxy").start(this::acceptLoop);
    }

    /** Demands {@code Proxy-Authorization: <value>} from now on (null: none). */
    ForwardProxy requireAuth(String value) {
        expectedAuth = value;
        return this;
    }

    int port() {
        return server.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    private void acceptLoop() {
        while (true) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            sockets.add(s);
            Thread.ofPlatform().daemon(true).name("forward-proxy-conn").start(() -> serve(s));
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            while (true) {
                String head = TestServers.readHead(in);
                if (!head.endsWith("\r\n\r\n")) {
                    return; // the client closed the connection
                }
                heads.add(head);
                String[] lines = head.split("\r\n");
                String[] requestLine = lines[0].split(" ");
                String auth = field(lines, "Proxy-Authorization");
                String expected = expectedAuth;
                if (expected != null && !expected.equals(auth)) {
                    TestServers.write(out, "HTTP/1.1 407 Proxy Authentication Required\r\n"
                            + "Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                }
                if (requestLine[0].equals("CONNECT")) {
                    tunnel(client, in, out, requestLine[1]);
                    return;
                }
                forward(in, out, requestLine, lines);
            }
        } catch (Throwable e) {
            errors.add(e);
        }
    }

    private static String field(String[] lines, String name) {
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).equalsIgnoreCase(name)) {
                return lines[i].substring(colon + 1).strip();
            }
        }
        return null;
    }

    private void forward(InputStream in, OutputStream out, String[] requestLine, String[] lines) throws IOException {
        URI target = URI.create(requestLine[1]);
        StringBuilder sb = new StringBuilder();
        sb.append(requestLine[0]).append(' ').append(target.getRawPath().isEmpty() ? "/" : target.getRawPath());
        if (target.getRawQuery() != null) {
            sb.append('?').append(target.getRawQuery());
        }
        sb.append(" HTTP/1.1\r\n");
        long length = 0;
        for (int i = 1; i < lines.length; i++) {
            String name = lines[i].substring(0, lines[i].indexOf(':')).toLowerCase(Locale.ROOT);
            if (name.equals("proxy-authorization") || name.equals("connection") || name.equals("proxy-connection")) {
                continue;
            }
            if (name.equals("content-length")) {
                length = Long.parseLong(lines[i].substring(lines[i].indexOf(':') + 1).strip());
            }
            sb.append(lines[i]).append("\r\n");
        }
        sb.append("Connection: close\r\n\r\n");
        try (Socket origin = new Socket(target.getHost(), target.getPort())) {
            OutputStream o = origin.getOutputStream();
            o.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            o.write(in.readNBytes((int) length));
            o.flush();
            InputStream oi = origin.getInputStream();
            String head = TestServers.readHead(oi);
            StringBuilder answer = new StringBuilder();
            for (String line : head.split("\r\n")) {
                if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                    answer.append(line).append("\r\n");
                }
            }
            answer.append("\r\n");
            out.write(answer.toString().getBytes(StandardCharsets.ISO_8859_1));
            oi.transferTo(out); // the origin closes after its answer: Connection: close
            out.flush();
        }
    }

    private void tunnel(Socket client, InputStream in, OutputStream out, String authority) throws Exception {
        int colon = authority.lastIndexOf(':');
        String host = authority.substring(0, colon);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        try (Socket origin = new Socket(host, Integer.parseInt(authority.substring(colon + 1)))) {
            sockets.add(origin);
            TestServers.write(out, "HTTP/1.1 200 Connection established\r\n\r\n");
            int first = in.read();
            if (first < 0) {
                return;
            }
            tunnelFirstBytes.add(first);
            OutputStream o = origin.getOutputStream();
            o.write(first);
            o.flush();
            Thread up = Thread.ofPlatform().daemon(true).name("forward-proxy-up").start(() -> {
                try {
                    in.transferTo(o);
                    origin.shutdownOutput();
                } catch (IOException e) {
                    // the other direction ended first
                }
            });
            try {
                origin.getInputStream().transferTo(out);
                client.shutdownOutput();
            } catch (IOException e) {
                // the other direction ended first
            }
            up.join(10_000);
        }
    }

    /** The heads received so far, without the ones of earlier tests, joined for messages. */
    String headsText() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String h : heads) {
            b.writeBytes(h.getBytes(StandardCharsets.ISO_8859_1));
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws Exception {
        server.close();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        acceptor.join(5000);
    }
}
