package dev.aio4j.http.web;

import dev.aio4j.http.internal.ParserLimits;
import dev.aio4j.loop.internal.Checks;

import javax.net.ssl.SSLContext;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * How a web application is served: where it listens ({@link Web#runApp}), how connections are
 * handled ({@link AppRunner}), how it shuts down, and on how many loops. Immutable: every
 * setter returns a changed copy.
 *
 * <pre>{@code
 * Web.runApp(app, ServerConfig.defaults().host("127.0.0.1").port(8080).workers(2).shutdownTimeout(10));
 * }</pre>
 *
 * <p><b>aiohttp:</b> the keyword arguments of {@code web.run_app()} ({@code host}, {@code port},
 * {@code path}, {@code sock}, {@code ssl_context}, {@code backlog}, {@code reuse_port},
 * {@code shutdown_timeout}, {@code handle_signals}, {@code print}, {@code access_log},
 * {@code access_log_format}, {@code handler_cancellation}) and of {@code AppRunner} /
 * {@code RequestHandler} ({@code keepalive_timeout}, {@code lingering_time}, {@code max_line_size},
 * {@code max_field_size}, {@code max_headers}, {@code read_bufsize}). <b>Differences:</b>
 * {@link #workers(int)} (several loops in one JVM) and {@link #readHeadTimeout(double)} are
 * aio4j's; the access log is off unless asked for, because Java's default logging prints what
 * Python's default logging would not.
 *
 * @since 0.2
 */
public final class ServerConfig implements Cloneable {
    private String host;
    private int port = 8080;
    private Path path;
    private ServerSocketChannel sock;
    private SSLContext ssl;
    private int backlog = 128;
    private boolean reusePort;
    private int workers = 1;
    private double shutdownTimeout = 60;
    private double keepaliveTimeout = 75;
    private double lingeringTime = 10;
    private double readHeadTimeout = 60;
    private boolean handleSignals = true;
    private boolean accessLog;
    private String accessLogFormat = AccessLogger.DEFAULT_FORMAT;
    private Consumer<String> print = System.out::println;
    private int maxLineSize = 8190;
    private int maxFieldSize = 8190;
    private int maxHeaders = 128;
    private int readBufferSize = 64 * 1024;
    private boolean handlerCancellation;
    private boolean showErrorDetails;

    private ServerConfig() {}

    /**
     * Returns the defaults: all interfaces, port 8080, one worker, 60 s shutdown timeout, 75 s
     * keep-alive, 10 s lingering close, 60 s to read a request head, signals handled, access log off.
     *
     * @return the default configuration
     */
    public static ServerConfig defaults() {
        return new ServerConfig();
    }

    private ServerConfig copy() {
        try {
            return (ServerConfig) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    // -------------------------------------------------------------------------------- where

    /**
     * Returns the host to bind.
     *
     * @return the host, or null for all interfaces
     */
    public String host() {
        return host;
    }

    /**
     * Sets the host to bind: {@code host=}.
     *
     * @param host a name or address, or null for all interfaces
     * @return a changed copy
     */
    public ServerConfig host(String host) {
        ServerConfig c = copy();
        c.host = host;
        return c;
    }

    /**
     * Returns the port.
     *
     * @return the TCP port
     */
    public int port() {
        return port;
    }

    /**
     * Sets the port: {@code port=}.
     *
     * @param port 0 to 65535 (0 picks a free one)
     * @return a changed copy
     */
    public ServerConfig port(int port) {
        Checks.port(port);
        ServerConfig c = copy();
        c.port = port;
        return c;
    }

    /**
     * Returns the Unix socket path.
     *
     * @return the path, or null
     */
    public Path path() {
        return path;
    }

    /**
     * Serves on a Unix domain socket instead of TCP: {@code path=}.
     *
     * @param path the socket file, or null for TCP
     * @return a changed copy
     */
    public ServerConfig path(Path path) {
        ServerConfig c = copy();
        c.path = path;
        return c;
    }

    /**
     * Returns the listening socket to serve on.
     *
     * @return the socket, or null
     */
    public ServerSocketChannel sock() {
        return sock;
    }

    /**
     * Serves on a socket bound elsewhere: {@code sock=}.
     *
     * @param sock a bound server socket channel, or null
     * @return a changed copy
     */
    public ServerConfig sock(ServerSocketChannel sock) {
        ServerConfig c = copy();
        c.sock = sock;
        return c;
    }

    /**
     * Returns the TLS configuration.
     *
     * @return the context, or null for plain HTTP
     */
    public SSLContext ssl() {
        return ssl;
    }

    /**
     * Serves HTTPS: {@code ssl_context=}.
     *
     * @param ssl the server's TLS context (its key managers hold the certificate), or null
     * @return a changed copy
     */
    public ServerConfig ssl(SSLContext ssl) {
        ServerConfig c = copy();
        c.ssl = ssl;
        return c;
    }

    /**
     * Returns the listen backlog.
     *
     * @return the backlog (default 128, as aiohttp)
     */
    public int backlog() {
        return backlog;
    }

    /**
     * Sets the listen backlog: {@code backlog=}.
     *
     * @param backlog positive
     * @return a changed copy
     */
    public ServerConfig backlog(int backlog) {
        ServerConfig c = copy();
        c.backlog = Checks.positive(backlog, "backlog");
        return c;
    }

    /**
     * Returns whether {@code SO_REUSEPORT} is set.
     *
     * @return whether the port is shared
     */
    public boolean reusePort() {
        return reusePort;
    }

    /**
     * Sets {@code SO_REUSEPORT} on the listening socket: {@code reuse_port=}.
     *
     * @param reusePort whether other sockets may bind the same port
     * @return a changed copy
     */
    public ServerConfig reusePort(boolean reusePort) {
        ServerConfig c = copy();
        c.reusePort = reusePort;
        return c;
    }

    /**
     * Returns the number of event loops serving the application.
     *
     * @return the worker count
     */
    public int workers() {
        return workers;
    }

    /**
     * Serves on {@code n} event loops in this JVM, each on its own thread with its own
     * {@code SO_REUSEPORT} listener (where the platform has it), all serving one application.
     * The application's startup and cleanup run once, on the first loop.
     *
     * @param n 1 or more (typically the number of cores)
     * @return a changed copy
     */
    public ServerConfig workers(int n) {
        ServerConfig c = copy();
        c.workers = Checks.positive(n, "n");
        return c;
    }

    // ------------------------------------------------------------------------------- timing

    /**
     * Returns the graceful shutdown's wait for in-flight requests.
     *
     * @return seconds
     */
    public double shutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * Sets how long a graceful shutdown lets in-flight requests finish before cancelling them:
     * {@code shutdown_timeout=}.
     *
     * @param seconds 0 or more
     * @return a changed copy
     */
    public ServerConfig shutdownTimeout(double seconds) {
        ServerConfig c = copy();
        c.shutdownTimeout = nonNegative(seconds, "seconds");
        return c;
    }

    /**
     * Sets the graceful shutdown's wait; see {@link #shutdownTimeout(double)}.
     *
     * @param timeout 0 or more
     * @return a changed copy
     * @since 0.2
     */
    public ServerConfig shutdownTimeout(Duration timeout) {
        return shutdownTimeout(nonNegative(Checks.seconds(timeout, "timeout"), "timeout"));
    }

    /**
     * Returns the keep-alive timeout.
     *
     * @return seconds
     */
    public double keepaliveTimeout() {
        return keepaliveTimeout;
    }

    /**
     * Sets how long an idle keep-alive connection stays open: {@code keepalive_timeout=}.
     *
     * @param seconds 0 for no keep-alive timeout
     * @return a changed copy
     */
    public ServerConfig keepaliveTimeout(double seconds) {
        ServerConfig c = copy();
        c.keepaliveTimeout = nonNegative(seconds, "seconds");
        return c;
    }

    /**
     * Sets the keep-alive timeout; see {@link #keepaliveTimeout(double)}.
     *
     * @param timeout 0 for no keep-alive timeout
     * @return a changed copy
     * @since 0.2
     */
    public ServerConfig keepaliveTimeout(Duration timeout) {
        return keepaliveTimeout(nonNegative(Checks.seconds(timeout, "timeout"), "timeout"));
    }

    /**
     * Returns the lingering time.
     *
     * @return seconds (0: lingering is off)
     */
    public double lingeringTime() {
        return lingeringTime;
    }

    /**
     * Sets how long, after a response, the server reads and discards the rest of a request body
     * the handler did not read: {@code lingering_time=} (10 s by default). If the body ends in
     * time the connection stays open for the next request (when both sides asked for keep-alive);
     * if not (the body is larger than what arrives in time, or the client stops sending), the
     * connection is closed at the deadline. The discarded bytes are never kept. With 0 there is no
     * lingering: such a response says {@code Connection: close} and the connection closes after it.
     *
     * <p>No lingering either, whatever this says, for a body whose {@code Expect} was never
     * answered with {@code 100 Continue} (the client may not send it), after a failure of the
     * body's framing, or once the server is shutting down.
     *
     * @param seconds 0 or more
     * @return a changed copy
     */
    public ServerConfig lingeringTime(double seconds) {
        ServerConfig c = copy();
        c.lingeringTime = nonNegative(seconds, "seconds");
        return c;
    }

    /**
     * Sets the lingering time; see {@link #lingeringTime(double)}.
     *
     * @param time 0 or more
     * @return a changed copy
     */
    public ServerConfig lingeringTime(Duration time) {
        ServerConfig c = copy();
        c.lingeringTime = nonNegative(Checks.seconds(time, "time"), "time");
        return c;
    }

    /**
     * Returns the request-head timeout.
     *
     * @return seconds
     */
    public double readHeadTimeout() {
        return readHeadTimeout;
    }

    /**
     * Sets how long a client may take to send a request head, from its first byte (or the
     * accept): past it the server answers 408 and closes (the slowloris defence).
     *
     * @param seconds 0 for none
     * @return a changed copy
     */
    public ServerConfig readHeadTimeout(double seconds) {
        ServerConfig c = copy();
        c.readHeadTimeout = nonNegative(seconds, "seconds");
        return c;
    }

    /**
     * Sets the request-head timeout; see {@link #readHeadTimeout(double)}.
     *
     * @param timeout 0 for none
     * @return a changed copy
     * @since 0.2
     */
    public ServerConfig readHeadTimeout(Duration timeout) {
        return readHeadTimeout(nonNegative(Checks.seconds(timeout, "timeout"), "timeout"));
    }

    // ----------------------------------------------------------------------------- behaviour

    /**
     * Returns whether {@link Web#runApp} stops gracefully on SIGINT and SIGTERM.
     *
     * @return whether signals are handled
     */
    public boolean handleSignals() {
        return handleSignals;
    }

    /**
     * Sets whether {@link Web#runApp} stops gracefully on SIGINT and SIGTERM (needs
     * {@code jdk.unsupported}, present in every JDK): {@code handle_signals=}.
     *
     * @param handle whether to handle them
     * @return a changed copy
     */
    public ServerConfig handleSignals(boolean handle) {
        ServerConfig c = copy();
        c.handleSignals = handle;
        return c;
    }

    /**
     * Returns whether each request is logged.
     *
     * @return whether the access log is on
     */
    public boolean accessLog() {
        return accessLog;
    }

    /**
     * Logs each request to the {@code System.Logger} {@code dev.aio4j.http.web.access} at INFO.
     *
     * @param on whether to log
     * @return a changed copy
     */
    public ServerConfig accessLog(boolean on) {
        ServerConfig c = copy();
        c.accessLog = on;
        return c;
    }

    /**
     * Returns the access log format.
     *
     * @return the format
     */
    public String accessLogFormat() {
        return accessLogFormat;
    }

    /**
     * Sets the access log format (aiohttp's: {@code %a %t "%r" %s %b "%{Referer}i"
     * "%{User-Agent}i"} by default; also {@code %P %T %Tf %D %{Name}o}) and turns the log on.
     *
     * @param format the format
     * @return a changed copy
     * @throws IllegalArgumentException for an unknown directive
     */
    public ServerConfig accessLogFormat(String format) {
        AccessLogger.compile(format);
        ServerConfig c = copy();
        c.accessLogFormat = format;
        c.accessLog = true;
        return c;
    }

    /**
     * Returns where {@link Web#runApp} prints its "Running on" line.
     *
     * @return the printer
     */
    public Consumer<String> print() {
        return print;
    }

    /**
     * Sets where {@link Web#runApp} prints the address it serves on: {@code print=}.
     *
     * @param print a printer, or {@code s -> {}} for silence
     * @return a changed copy
     */
    public ServerConfig print(Consumer<String> print) {
        ServerConfig c = copy();
        c.print = Checks.notNull(print, "print");
        return c;
    }

    /**
     * Returns whether handlers are cancelled when their client disconnects.
     *
     * @return whether handler cancellation is on
     */
    public boolean handlerCancellation() {
        return handlerCancellation;
    }

    /**
     * Cancels a handler when its client disconnects: {@code handler_cancellation=}.
     *
     * @param on whether to cancel
     * @return a changed copy
     */
    public ServerConfig handlerCancellation(boolean on) {
        ServerConfig c = copy();
        c.handlerCancellation = on;
        return c;
    }

    /**
     * Returns whether error responses say what went wrong.
     *
     * @return whether details are shown
     */
    public boolean showErrorDetails() {
        return showErrorDetails;
    }

    /**
     * Puts the parser's reason into 4xx bodies and the exception into 500 bodies (for
     * development: it tells clients about the server's internals). A loop in debug mode shows
     * the exception in 500 bodies too, as aiohttp's {@code handle_error} does under
     * {@code loop.get_debug()}.
     *
     * @param on whether to show details
     * @return a changed copy
     */
    public ServerConfig showErrorDetails(boolean on) {
        ServerConfig c = copy();
        c.showErrorDetails = on;
        return c;
    }

    // --------------------------------------------------------------------------------- limits

    /**
     * Sets the longest request line and header field line (431/414 beyond):
     * {@code max_line_size=}, {@code max_field_size=}.
     *
     * @param maxLineSize bytes of the request line (default 8190)
     * @param maxFieldSize bytes of one header line (default 8190)
     * @param maxHeaders number of header fields (default 128)
     * @return a changed copy
     */
    public ServerConfig limits(int maxLineSize, int maxFieldSize, int maxHeaders) {
        ServerConfig c = copy();
        c.maxLineSize = Checks.positive(maxLineSize, "maxLineSize");
        c.maxFieldSize = Checks.positive(maxFieldSize, "maxFieldSize");
        c.maxHeaders = Checks.positive(maxHeaders, "maxHeaders");
        return c;
    }

    /**
     * Returns the limit of a request body's read buffer.
     *
     * @return bytes
     */
    public int readBufferSize() {
        return readBufferSize;
    }

    /**
     * Sets the request body stream's buffer limit (reading pauses beyond twice it):
     * {@code read_bufsize=}.
     *
     * @param bytes positive (default 64 KiB)
     * @return a changed copy
     */
    public ServerConfig readBufferSize(int bytes) {
        ServerConfig c = copy();
        c.readBufferSize = Checks.positive(bytes, "bytes");
        return c;
    }

    ParserLimits parserLimits() {
        int line = Math.max(maxLineSize, maxFieldSize);
        return new ParserLimits(line, Math.max(maxFieldSize * 8, 65536), maxHeaders, 4096);
    }

    private static double nonNegative(double v, String name) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + v);
        }
        return v;
    }

    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + (path != null ? ", path=" + path : "") + ", workers=" + workers
                + ", ssl=" + (ssl != null) + ", shutdownTimeout=" + shutdownTimeout + ", keepaliveTimeout=" + keepaliveTimeout + ", lingeringTime=" + lingeringTime + "]";
    }
}
