package dev.aio4j.http.web;

import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.Headers;
import dev.aio4j.http.ServerTimeoutError;
import dev.aio4j.http.internal.RequestHead;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.ReturnWhen;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.TimeoutError;
import dev.aio4j.streams.StreamReader;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The request-handling core one runner owns on one loop: makes a {@link RequestHandler} per
 * connection, routes each request through the application and its middlewares, turns
 * exceptions into responses, and shuts the connections down gracefully. aiohttp's
 * {@code web_server.Server} with {@code Application._handle}.
 */
final class WebServer {
    static final System.Logger LOG = System.getLogger("dev.aio4j.http.web.server");
    static final String SERVER = "aio4j/" + version();
    /** RFC 9110's IMF-fixdate, two-digit day included (the JDK's RFC 1123 format writes "3 Dec"). */
    static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US)
            .withZone(ZoneOffset.UTC);

    private final Application app;
    private final ServerConfig config;
    private final EventLoop loop;
    private final List<Application> rootApps;
    private final AccessLogger access;
    private final double timerStep;
    private final Set<RequestHandler> connections = new LinkedHashSet<>();
    private boolean closing;
    private long dateSecond = Long.MIN_VALUE;
    private String date;

    WebServer(Application app, ServerConfig config, EventLoop loop) {
        this.app = app;
        this.config = config;
        this.loop = loop;
        this.rootApps = List.of(app);
        this.access = config.accessLog() ? new AccessLogger(config.accessLogFormat()) : null;
        double step = Double.POSITIVE_INFINITY;
        // not lingeringTime: a drain is rare, so a lingering deadline shorter than the step may
        // reschedule its connection's timer, rather than every idle connection waking that often
        for (double t : new double[] {config.readHeadTimeout(), config.keepaliveTimeout()}) {
            if (t > 0 && t < step) {
                step = t;
            }
        }
        this.timerStep = Double.isInfinite(step) ? 60 : step;
    }

    private static String version() {
        String v = WebServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    RequestHandler newConnection() {
        return new RequestHandler(this, loop);
    }

    ServerConfig config() {
        return config;
    }

    /** How far ahead a connection's timer is set: the shortest configured timeout (or 60 s). */
    double timerStep() {
        return timerStep;
    }

    long clientMaxSize() {
        return app.clientMaxSize();
    }

    boolean closing() {
        return closing;
    }

    void register(RequestHandler c) {
        connections.add(c);
    }

    void unregister(RequestHandler c) {
        connections.remove(c);
    }

    int connectionCount() {
        return connections.size();
    }

    /** Date and Server, unless the response set them. */
    void commonHeaders(Headers h) {
        if (!h.contains("Date")) {
            long now = System.currentTimeMillis() / 1000;
            if (now != dateSecond) {
                dateSecond = now;
                date = IMF_FIXDATE.format(Instant.ofEpochSecond(now));
            }
            h.set("Date", date);
        }
        if (!h.contains("Server")) {
            h.set("Server", SERVER);
        }
    }

    // ------------------------------------------------------------------------- one request

    /**
     * Handles one request and writes its response; returns whether the connection may go on.
     * aiohttp's {@code RequestHandler._handle_request} with {@code handle_error} and
     * {@code finish_response}.
     */
    boolean handle(Request request) {
        double start = access != null ? loop.time() : 0;
        StreamResponse response;
        boolean logged = false; // the handler's failure is logged already
        try {
            response = dispatch(request);
            if (response == null) {
                // aiohttp's finish_response: logged, and answered with HTTPInternalServerError's
                // response, which keeps the connection (no exception was raised to handle_error)
                LOG.log(System.Logger.Level.ERROR, "Missing return statement on request handler of " + request.method() + " "
                        + request.rawPath() + ": the handler (or a middleware) returned null; return a Response or throw an HTTPException");
                response = toResponse(new HTTPInternalServerError());
            }
        } catch (HTTPException e) {
            response = toResponse(e);
        } catch (CancelledError e) {
            throw e;
        } catch (Exception e) {
            if (request.connection().lost() || request.connection().transport().isClosing()) {
                if (!(e instanceof IOException) && !(e.getCause() instanceof IOException)) {
                    // not the connection's failure but the handler's: a bug is logged even when
                    // nobody is left to answer, as aiohttp logs "Error handling request"
                    LOG.log(System.Logger.Level.ERROR, errorHandling(request) + " (the connection has closed)", e);
                }
                return false; // the client went away (aiohttp drops ConnectionResetError quietly too)
            }
            // an UncheckedIOException only carries the IOException (MultipartReader.BodyPart's
            // decodeIter() wraps readChunk()'s so), which says what broke
            Throwable failure = e instanceof java.io.UncheckedIOException && e.getCause() != null ? e.getCause() : e;
            if (failure instanceof BadHttpMessage || failure.getCause() instanceof BadHttpMessage) {
                // the body's framing broke while the handler read it (a bad chunk size, a
                // multipart body that ends inside a part, ...): the client's fault, and the
                // connection closes since the parser failed
                response = toResponse(new HTTPBadRequest());
            } else if (e instanceof TimeoutError || e instanceof ServerTimeoutError) {
                // aiohttp's _handle_request: asyncio.TimeoutError out of the handler is a 504, logged
                // without its traceback (that goes to the debug log); aiohttp's ServerTimeoutError
                // (a client call of the handler timed out) is one, here a ServerConnectionError
                StreamResponse out = request.response();
                boolean headOut = out != null && out.writer() != null && out.writer().headSent();
                LOG.log(System.Logger.Level.ERROR, errorHandling(request) + ": the handler timed out (" + e.getMessage() + ")"
                        + (headOut ? "; its response had begun, so the connection closes" : "; answering 504 and closing the connection"));
                LOG.log(System.Logger.Level.DEBUG, "Request handler timed out.", e);
                response = errorResponse(request, 504, e);
                logged = true;
            } else {
                LOG.log(System.Logger.Level.ERROR, errorHandling(request), e);
                response = errorResponse(request, 500, e);
                logged = true;
            }
        }
        StreamResponse started = request.response();
        if (started != null && started != response && started.writer() != null && started.writer().discardIfUnsent()) {
            // the handler prepared a response whose head is still held back (a Response's head
            // waits for its body) and then failed or returned another: nothing is on the wire, so
            // the other response can still be sent, as aiohttp's handle_error does while the
            // writer's output_size is 0
            request.response(null);
            started = null;
        }
        if (started != null && started != response) {
            // the handler prepared one response and then failed or returned another: the head is
            // out, so nothing can be answered in its place (aiohttp's handle_error raises
            // ConnectionError when output_size > 0); a failure was logged once above
            if (!started.eofSent() && !logged) {
                LOG.log(System.Logger.Level.ERROR, "the handler of " + request.method() + " " + request.rawPath()
                        + " prepared a response and did not finish it; closing the connection");
            }
            return false;
        }
        closeIfBodyUnread(request, response);
        try {
            finish(request, response);
        } catch (HTTPException e) {
            if (response.prepared()) {
                return false;
            }
            response = toResponse(e);
            closeIfBodyUnread(request, response); // the answer in its place says it too
            try {
                finish(request, response);
            } catch (IOException | RuntimeException again) {
                return false;
            }
        } catch (CancelledError e) {
            throw e;
        } catch (IOException e) {
            // the client went away while the response was sent: still one request answered, and
            // logged, as aiohttp's finish_response logs the access on a ConnectionError
            logAccess(request, response, start);
            return false;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Error sending the response to " + request.method() + " " + request.rawPath(), e);
            if (response.prepared() || request.response() != null || request.connection().lost()) {
                return false; // bytes of it may be out: the connection cannot carry another answer
            }
            // prepare() failed before its head was built (a header or cookie that cannot be sent,
            // an onResponsePrepare callback that threw): nothing is on the wire, so answer 500 as
            // aiohttp does for an error before the response started
            response = errorResponse(request, 500, e);
            closeIfBodyUnread(request, response);
            try {
                finish(request, response);
            } catch (IOException | RuntimeException again) {
                return false;
            }
        }
        logAccess(request, response, start);
        PayloadWriter w = response.writer();
        return w != null && w.keepAlive() && w.eofWritten();
    }

    private void logAccess(Request request, StreamResponse response, double start) {
        if (access != null) {
            access.log(request, response, loop.time() - start);
        }
    }

    /**
     * The rest of the request's body has not arrived and will not be drained after the answer
     * (lingering is off, or its 100-continue was never sent): the connection closes after this
     * answer, so the answer says so (RFC 9112 9.6).
     */
    private static void closeIfBodyUnread(Request request, StreamResponse response) {
        if (!response.prepared() && !request.connection().requestComplete() && !request.connection().mayLinger(request)) {
            response.forceClose();
        }
    }

    private StreamResponse dispatch(Request request) throws Exception {
        MatchInfo match = app.router().resolve(request.method(), request.pathSafe(), request.headers().get("Host"), rootApps);
        request.route(match, match.currentApp());
        String expect = request.headers().get("Expect");
        if (expect != null && !expect.isEmpty()) {
            // aiohttp's Application._handle: the route's expect handler, before the middlewares;
            // a response it returns is sent instead of the handler's. A 404 or 405 has aiohttp's
            // SystemRoute, whose expect handler is the default one: 100 Continue, then the error,
            // or a 417 for an unknown expectation in place of the error (Route.systemRouteExpect)
            if (match.route() == null) {
                Route.systemRouteExpect(request);
            } else {
                StreamResponse early = match.route().expectHandler().handle(request);
                if (early != null) {
                    return early;
                }
                if (request.head().expectContinue() && request.response() == null) {
                    // the handler may read the body (sent once); never after a response the expect
                    // handler started itself, whose head is already on the wire
                    request.connection().sendContinue();
                }
            }
        }
        Handler h = match.handler();
        List<Application> apps = match.apps();
        for (int i = apps.size() - 1; i >= 0; i--) {
            Application owner = apps.get(i);
            List<Middleware> mws = owner.middlewares();
            for (int j = mws.size() - 1; j >= 0; j--) {
                Middleware mw = mws.get(j);
                Handler next = h;
                h = r -> mw.handle(r, next);
            }
            if (apps.size() > 1) {
                // request.app() is the application whose middleware (or handler) runs: aiohttp's
                // _fix_request_current_app
                Handler inner = h;
                h = r -> {
                    Application prev = r.app();
                    r.route(match, owner);
                    try {
                        return inner.handle(r);
                    } finally {
                        r.route(match, prev);
                    }
                };
            }
        }
        return h.handle(request);
    }

    private static void finish(Request request, StreamResponse response) throws IOException {
        if (response instanceof Response r) {
            r.finish(request);
        } else {
            response.prepare(request);
            response.writeEof();
        }
    }

    /** The response an HTTPException stands for. */
    static Response toResponse(HTTPException e) {
        Response r = new Response(e.status(), e.reason(), e.headers());
        byte[] body = e.body();
        if (body != null) {
            r.body(body);
            String ct = e.contentType();
            if (ct != null && ContentTypes.charsetOf(ct) == null && (ct.startsWith("text/") || ct.contains("json"))) {
                r.headers().set("Content-Type", ct + "; charset=" + e.charset().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return r;
    }

    /** The start of the ERROR record of a failed handler: aiohttp's {@code "Error handling request from %s"}. */
    private static String errorHandling(Request request) {
        String remote = request.remote();
        return "Error handling request from " + (remote == null ? "an unknown peer" : remote) + ": " + request.method() + " "
                + request.rawPath();
    }

    /**
     * aiohttp's {@code handle_error}: the answer to a handler that raised, which always closes
     * the connection after it ({@code force_close()}). A 500 says {@code Server got itself in
     * trouble}, or gives the stack trace instead when {@code showErrorDetails} is on or the loop
     * is in debug mode (aiohttp: {@code loop.get_debug()}); as an HTML page when the client's
     * {@code Accept} holds {@code text/html}, else as plain text. Other statuses (504) have no
     * body.
     */
    private Response errorResponse(Request request, int status, Throwable e) {
        String contentType = "text/plain; charset=utf-8";
        String text = "";
        if (status == 500) {
            String title = "500 Internal Server Error";
            String msg = "Server got itself in trouble";
            String trace = null;
            if (config.showErrorDetails() || loop.getDebug()) {
                StringWriter sw = new StringWriter();
                e.printStackTrace(new PrintWriter(sw));
                trace = sw.toString();
            }
            String accept = request.headers().get("Accept");
            if (accept != null && accept.contains("text/html")) {
                if (trace != null) {
                    msg = "<h2>Traceback:</h2>\n<pre>" + escapeHtml(trace) + "</pre>";
                }
                text = "<html><head><title>" + title + "</title></head><body>\n<h1>" + title + "</h1>\n" + msg + "\n</body></html>\n";
                contentType = "text/html; charset=utf-8";
            } else {
                text = title + "\n\n" + (trace != null ? trace : msg);
            }
        }
        Response r = new Response(status);
        r.headers().set("Content-Type", contentType);
        r.text(text);
        r.forceClose();
        return r;
    }

    /** Python's {@code html.escape(s)}: {@code & < > " '}. */
    static String escapeHtml(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#x27;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * The access log's line for an answer written before any request was made (a head refused
     * with 400, 414, 431 or 505, or a 408): the request is aiohttp's stand-in for one that failed
     * to parse, {@code UNKNOWN / HTTP/1.0}.
     */
    void logRefused(RequestHandler c, int status, String reason, Headers headers, long bodyLength) {
        if (access != null) {
            RequestHead unknown = new RequestHead("UNKNOWN", "/", 0, new Headers(), RequestHead.Framing.NONE, 0, false, false);
            Request request = new Request(c, unknown, new StreamReader(), 0);
            access.log(request, new Response(status, reason, headers), bodyLength, 0);
        }
    }

    void logBadRequest(RequestHandler c, int status, BadHttpMessage e) {
        LOG.log(System.Logger.Level.DEBUG, () -> "answered " + status + " and closed " + c + ": " + e.getMessage());
    }

    void logTimeout(RequestHandler c) {
        LOG.log(System.Logger.Level.DEBUG, () -> "answered 408 and closed " + c + ": no request head within "
                + config.readHeadTimeout() + " s");
    }

    // -------------------------------------------------------------------------- shutdown

    /**
     * aiohttp's {@code Server.shutdown(timeout)}: idle connections close now, busy ones after
     * their response; handlers still running after {@code timeout} seconds are cancelled.
     */
    void shutdown(double timeout) {
        closing = true;
        for (RequestHandler c : new ArrayList<>(connections)) {
            c.closeIfIdle();
        }
        List<Future<?>> busy = running();
        if (!busy.isEmpty() && timeout > 0) {
            Aio.wait(busy, timeout, ReturnWhen.ALL_COMPLETED);
        }
        busy = running();
        if (!busy.isEmpty()) {
            for (RequestHandler c : new ArrayList<>(connections)) {
                c.cancelHandler();
            }
            Aio.wait(busy, 5.0, ReturnWhen.ALL_COMPLETED);
        }
        for (RequestHandler c : new ArrayList<>(connections)) {
            if (c.transport() != null) {
                c.transport().abort();
            }
        }
    }

    private List<Future<?>> running() {
        List<Future<?>> out = new ArrayList<>();
        for (RequestHandler c : connections) {
            Task<Void> t = c.task();
            if (t != null && !t.done()) {
                out.add(t);
            }
        }
        return out;
    }
}
