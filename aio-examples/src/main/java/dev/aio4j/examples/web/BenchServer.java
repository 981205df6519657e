package dev.aio4j.examples.web;

import dev.aio4j.http.WSMessage;
import dev.aio4j.http.web.Application;
import dev.aio4j.http.web.HTTPBadRequest;
import dev.aio4j.http.web.Request;
import dev.aio4j.http.web.Response;
import dev.aio4j.http.web.ServerConfig;
import dev.aio4j.http.web.StreamResponse;
import dev.aio4j.http.web.Web;
import dev.aio4j.http.web.WebSocketResponse;
import dev.aio4j.loop.Aio;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server that HTTP benchmarks drive: the usual TechEmpower-style routes of an aiohttp
 * benchmark app ({@code web.Application} with a few handlers and {@code web.run_app}), served by
 * aio-http's {@code dev.aio4j.http.web} on one event loop or several.
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp CLASSPATH dev.aio4j.examples.web.BenchServer \
 *     --host 127.0.0.1 --port 8080 [--workers N] [--static DIR]
 * </pre>
 *
 * <p><b>Contract</b> (what a benchmark driver may rely on):
 * <ul>
 *   <li>When it accepts connections it prints exactly one line {@code serving on http://HOST:PORT}
 *       to standard output and flushes it; {@code PORT} is the bound port, so {@code --port 0}
 *       works. Nothing else is printed on standard output.</li>
 *   <li>SIGTERM or SIGINT shut it down gracefully (stop accepting, close idle connections, let
 *       requests in flight finish for up to 10 s) and the process exits with status 0. A command
 *       line it cannot parse prints a usage message on standard error and exits with status 2;
 *       a failure to serve (the port is taken, ...) exits with status 1.</li>
 *   <li>Routes: {@code GET /plaintext} answers {@code Hello, World!} ({@code text/plain});
 *       {@code GET /json} answers {@code {"message":"Hello, World!"}} ({@code application/json});
 *       {@code POST /echo} answers the request body with the request's {@code Content-Type}
 *       (over 1 MiB, the application's {@code clientMaxSize}: 413); {@code GET /stream?chunks=N&size=S}
 *       answers a chunked body of {@code N} writes of {@code S} bytes of {@code 'x'} (defaults 10
 *       and 1024; {@code N} from 0 to {@value #MAX_CHUNKS}, {@code S} from 1 to
 *       {@value #MAX_CHUNK_SIZE}; anything else is 400); {@code GET /sleep?ms=M} answers
 *       {@code slept} after a non-blocking {@code Aio.sleep} of {@code M} milliseconds (default
 *       0, at most {@value #MAX_SLEEP_MS}; else 400); {@code GET /static/PATH} serves the files
 *       under {@code --static DIR} with Range, ETag, Last-Modified and 304s (only when
 *       {@code --static} is given); {@code GET /ws} is a WebSocket echo: text and binary messages
 *       come back as they were sent, and a close is answered with a close. Every other path is 404, another method on a known path 405. The GET
 *       routes answer HEAD too.</li>
 * </ul>
 *
 * <p><b>aiohttp:</b> an aiohttp.web benchmark application run with {@code web.run_app(app,
 * host=..., port=...)}; {@code --workers N} is {@link ServerConfig#workers(int)}: N loops in this
 * JVM sharing one {@link Application} (where aiohttp would run N processes). aio4j-only as a
 * program.
 */
public final class BenchServer {
    /** The most chunks {@code /stream} writes. */
    public static final int MAX_CHUNKS = 100_000;
    /** The largest chunk {@code /stream} writes, in bytes (1 MiB). */
    public static final int MAX_CHUNK_SIZE = 1024 * 1024;
    /** The longest {@code /sleep}, in milliseconds. */
    public static final int MAX_SLEEP_MS = 60_000;

    static final String USAGE = "usage: BenchServer --host HOST --port PORT [--workers N] [--static DIR]\n"
            + "  --host HOST    address to bind, e.g. 127.0.0.1\n"
            + "  --port PORT    0 to 65535 (0: any free port; the line 'serving on http://HOST:PORT' names it)\n"
            + "  --workers N    event loops serving the application in this JVM, 1 to 256 (default 1)\n"
            + "  --static DIR   serve the files under DIR at /static/";

    private static final byte[] PLAINTEXT = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final byte[] JSON = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SLEPT = "slept".getBytes(StandardCharsets.UTF_8);
    private static final Pattern RUNNING_ON = Pattern.compile("Running on (\\S+)");

    private BenchServer() {}

    /**
     * The parsed command line.
     *
     * @param host the address to bind
     * @param port the port, 0 for any
     * @param workers how many event loops serve
     * @param staticDir the directory served at {@code /static/}, or null
     */
    public record Options(String host, int port, int workers, Path staticDir) {}

    /**
     * Parses the command line.
     *
     * @param args {@code --host HOST --port PORT [--workers N] [--static DIR]}
     * @return the options
     * @throws IllegalArgumentException naming what was wrong
     */
    public static Options parse(String[] args) {
        String host = null;
        Integer port = null;
        int workers = 1;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (!Arrays.asList("--host", "--port", "--workers", "--static").contains(flag)) {
                throw new IllegalArgumentException("unknown argument: " + flag);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--host" -> {
                    if (value.isBlank()) {
                        throw new IllegalArgumentException("--host must not be empty");
                    }
                    host = value;
                }
                case "--port" -> port = integer(flag, value, 0, 65535);
                case "--workers" -> workers = integer(flag, value, 1, 256);
                default -> {
                    dir = Path.of(value);
                    if (!Files.isDirectory(dir)) {
                        throw new IllegalArgumentException("--static must name a directory, got " + value);
                    }
                }
            }
        }
        if (host == null || port == null) {
            throw new IllegalArgumentException("--host and --port are required");
        }
        return new Options(host, port, workers, dir);
    }

    private static int integer(String flag, String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be an integer from " + min + " to " + max + ", got " + value);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(flag + " must be from " + min + " to " + max + ", got " + value);
        }
        return n;
    }

    /**
     * Builds the application. Its handlers keep no state, so one instance serves every loop.
     *
     * @param staticDir the directory to serve at {@code /static/}, or null for none
     * @return the application, not yet frozen
     */
    public static Application app(Path staticDir) {
        Application app = new Application();
        app.router().addGet("/plaintext", r -> new Response().body(PLAINTEXT).contentType("text/plain"));
        app.router().addGet("/json", r -> new Response().body(JSON).contentType("application/json"));
        app.router().addPost("/echo", BenchServer::echo);
        app.router().addGet("/stream", BenchServer::stream);
        app.router().addGet("/sleep", r -> {
            int ms = param(r, "ms", 0, 0, MAX_SLEEP_MS);
            Aio.sleep(ms / 1000.0);
            return new Response().body(SLEPT).contentType("text/plain");
        });
        app.router().addGet("/ws", BenchServer::wsEcho);
        if (staticDir != null) {
            app.router().addStatic("/static", staticDir);
        }
        return app;
    }

    /**
     * The handler of {@code GET /ws}: a WebSocket that echoes text and binary messages; autoclose
     * answers the client's close. aio-bench's WebSocket benchmarks serve it too
     * ({@code EchoServers}).
     *
     * @param r the upgrade request
     * @return the WebSocket, closed
     * @throws IOException if the connection fails
     */
    public static StreamResponse wsEcho(Request r) throws IOException {
        WebSocketResponse ws = new WebSocketResponse();
        ws.prepare(r);
        for (WSMessage msg : ws) {
            switch (msg.type()) {
                case TEXT -> ws.sendStr(msg.str());
                case BINARY -> ws.sendBytes(msg.bytes());
                default -> { }
            }
        }
        return ws;
    }

    private static Response echo(Request r) throws IOException {
        byte[] body = r.read(); // 413 over clientMaxSize (1 MiB)
        Response response = new Response().body(body);
        String type = r.headers().get("Content-Type");
        response.contentType(type == null || type.isBlank() ? "application/octet-stream" : type);
        return response;
    }

    private static StreamResponse stream(Request r) throws IOException {
        int chunks = param(r, "chunks", 10, 0, MAX_CHUNKS);
        int size = param(r, "size", 1024, 1, MAX_CHUNK_SIZE);
        byte[] chunk = new byte[size];
        Arrays.fill(chunk, (byte) 'x');
        StreamResponse response = new StreamResponse(200);
        response.contentType("application/octet-stream");
        response.enableChunkedEncoding();
        response.prepare(r);
        for (int i = 0; i < chunks; i++) {
            response.write(chunk); // drains when the socket's buffer is full
        }
        response.writeEof();
        return response;
    }

    private static int param(Request r, String name, int absent, int min, int max) {
        String raw = r.query().get(name);
        if (raw == null) {
            return absent;
        }
        int n;
        try {
            n = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            n = Integer.MIN_VALUE;
        }
        if (n < min || n > max) {
            throw new HTTPBadRequest(null, null, name + " must be an integer from " + min + " to " + max + ", got " + raw, null);
        }
        return n;
    }

    /**
     * The {@link ServerConfig} for the options: signals handled, a 10 s shutdown timeout, and
     * {@code runApp}'s banner replaced by the one {@code serving on URL} line.
     *
     * @param options the parsed command line
     * @param out where the ready line goes
     * @return the configuration
     */
    public static ServerConfig config(Options options, PrintStream out) {
        Consumer<String> ready = banner -> {
            // runApp's banner is "======== Running on URL ========" (plus the loop count with
            // workers): keep only the URL, which carries the bound port.
            Matcher m = RUNNING_ON.matcher(banner);
            out.println("serving on " + (m.find() ? m.group(1) : banner));
            out.flush();
        };
        return ServerConfig.defaults()
                .host(options.host())
                .port(options.port())
                .workers(options.workers())
                .handleSignals(true)
                .shutdownTimeout(10)
                .print(ready);
    }

    /**
     * Serves until SIGTERM or SIGINT, then returns; exits with 2 on a bad command line and 1 if
     * serving failed.
     *
     * @param args {@code --host HOST --port PORT [--workers N] [--static DIR]}
     */
    public static void main(String[] args) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("BenchServer: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        try {
            Web.runApp(app(options.staticDir()), config(options, System.out));
        } catch (Exception e) {
            System.err.println("BenchServer: cannot serve on " + options.host() + ":" + options.port() + ": " + e);
            System.exit(1);
        }
        // Returning from main: the JVM exits with 0 once runApp's loops have ended.
    }
}
