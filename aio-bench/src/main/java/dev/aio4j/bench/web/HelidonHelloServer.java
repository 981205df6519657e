package dev.aio4j.bench.web;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;

/**
 * The Helidon peer of the web server comparison (web-compare.sh): Helidon SE 4's WebServer (a
 * virtual thread per request), answering {@code /plaintext} and {@code /json} as BenchServer
 * does. aio4j-only.
 *
 * <p>Run: {@code java -cp benchmarks.jar dev.aio4j.bench.web.HelidonHelloServer PORT}; prints
 * {@code serving on http://127.0.0.1:PORT} when ready.
 */
public final class HelidonHelloServer {
    private HelidonHelloServer() {}

    /**
     * Serves until killed.
     *
     * @param args the port
     */
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .routing(r -> r
                        .get("/plaintext", (req, res) -> {
                            res.header(HeaderNames.CONTENT_TYPE, "text/plain");
                            res.send("Hello, World!");
                        })
                        .get("/json", (req, res) -> {
                            res.header(HeaderNames.CONTENT_TYPE, "application/json");
                            res.send("{\"message\":\"Hello, World!\"}");
                        }))
                .build()
                .start();
        System.out.println("serving on http://127.0.0.1:" + server.port());
        System.out.flush();
    }
}
