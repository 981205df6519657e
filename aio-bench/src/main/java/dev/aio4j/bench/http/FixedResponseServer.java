package dev.aio4j.bench.http;

import dev.aio4j.streams.IncompleteReadError;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.StreamWriter;
import dev.aio4j.streams.Streams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The server of the HTTP benchmarks: a minimal aio-streams server that reads each request head
 * up to the blank line and answers the same fixed keep-alive response (200, 13-byte body). It
 * does no HTTP parsing, so what the benchmarks measure is the client. The Python twin
 * ({@code http_client.py}) uses the same server written with {@code asyncio.start_server}.
 */
public final class FixedResponseServer {
    /** The body of every response. */
    public static final String BODY = "Hello, World!";
    static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + BODY.length()
            + "\r\nConnection: keep-alive\r\n\r\n" + BODY).getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private FixedResponseServer() {
    }

    /**
     * Starts the server on 127.0.0.1 and an ephemeral port; call from a task of the loop that
     * should serve.
     *
     * @return the server
     * @throws IOException if it cannot listen
     */
    public static Server start() throws IOException {
        return Streams.startServer(FixedResponseServer::serve, "127.0.0.1", 0);
    }

    private static void serve(StreamReader r, StreamWriter w) throws Exception {
        while (true) {
            try {
                r.readuntil(END_OF_HEAD);
            } catch (IncompleteReadError eof) {
                break;
            }
            w.write(RESPONSE);
            w.drain();
        }
        w.close();
    }
}
