package dev.aio4j.http;

import dev.aio4j.http.internal.Exchange;
import dev.aio4j.http.internal.HttpConnection;
import dev.aio4j.http.internal.ws.ClientHandshake;
import dev.aio4j.http.internal.ws.WebSocketConnection;
import dev.aio4j.loop.Aio;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The session's side of {@link ClientSession#wsConnect}: aiohttp's {@code ClientSession._ws_connect},
 * which sends the handshake with {@code self.request(...)}, so that the session's middlewares, traces,
 * redirects, proxies and {@code raise_for_status} apply to it as to any request. The protocol itself
 * (the upgrade fields, the checks of the answer, the WebSocket on the upgraded connection) is
 * {@link ClientHandshake}'s; the request, its redirects included, is {@link SessionRequest}'s, as
 * for any request of the session. Package-private.
 */
final class WsConnect {
    private WsConnect() {}

    /** {@link ClientSession#wsConnect}, the session already checked open. */
    static ClientWebSocketResponse connect(ClientSession session, String url, WSConnectOption... options) {
        WSConnectOption.Spec ws = new WSConnectOption.Spec();
        for (WSConnectOption o : options) {
            o.applyTo(ws);
        }
        ClientHandshake handshakeOffer = new ClientHandshake(ws.protocols, ws.origin, ws.compress, ws.compressBits);
        // aiohttp's _ws_connect sends the handshake with self.request(...) to the URL as given (a ws://
        // or wss:// one kept in its responses' url and request_info): the session's middlewares see it
        // (and may add headers), a stale pooled connection is retried through them, redirects are
        // followed (allow_redirects defaults to True), the session's traces fire for it, and the headers
        // an onRequestStart callback changes (the handshake's own among them) are the ones sent; the
        // checks below apply to the last response, whose history holds the redirects
        List<RequestOption> requestOptions = new ArrayList<>();
        requestOptions.add(RequestOption.headers(handshakeOffer.headers()));
        requestOptions.add(RequestOption.headers(ws.headers));
        requestOptions.addAll(ws.requestOptions);
        SessionRequest req = SessionRequest.start(session, "GET", url, true, requestOptions.toArray(new RequestOption[0]));
        ClientResponse resp = req.follow();
        // the URL the last handshake went to: after redirects, the last one (fragment kept, as given)
        URI u = resp.realUrl();
        Headers rh = resp.headers();
        int status = resp.status();
        Exchange ex = resp.exchange();
        try {
            // aiohttp: _request returned the response, so raise_for_status and on_request_end come
            // before the handshake checks (a refused handshake is no request exception); a failure
            // there is one (it is in _request's try), and the failure path below closes
            req.finish(resp, () -> {});
            ClientHandshake.Accepted accepted;
            try {
                // the key of the try that got this answer, as it went out (a middleware may have changed it)
                accepted = handshakeOffer.check(status, rh, resp.requestInfo().headers().get("Sec-WebSocket-Key"));
            } catch (ClientHandshake.Refused refused) {
                throw handshakeError(resp, refused.getMessage(), refused.getCause());
            }
            HttpConnection conn = ex.connection();
            double hb = ws.heartbeat;
            WebSocketConnection socket = ClientHandshake.open(Aio.getRunningLoop(), ex, u, accepted,
                    new WebSocketConnection.Settings(ws.autoping, ws.autoclose, ws.heartbeat, ws.receiveTimeout, ws.closeTimeout,
                            ws.maxMsgSize, session.jsonCodec(), m -> new ServerTimeoutError(m, hb / 2, u, null)),
                    () -> {
                        conn.close();
                        session.pool().release(conn, false);
                    });
            return new ClientWebSocketResponse(socket, u, status, rh.readOnlyCopy());
        } catch (RuntimeException | Error e) {
            if (!ex.done()) {
                ex.abort();
            } else if (status == 101) {
                // takeUpgraded() ended the exchange: the connection is no longer the pool's to give back
                ex.connection().abort();
                session.pool().release(ex.connection(), false);
            }
            // else a raiseForStatus callable read a refused response's body to its end: the exchange
            // already gave the connection back, to be neither closed nor released again
            throw e;
        }
    }

    /**
     * The error for a handshake response {@code resp} that failed: as aiohttp, every
     * {@code WSServerHandshakeError} is made of {@code resp.request_info}, {@code resp.history},
     * {@code resp.status} and {@code resp.headers}. Made only on failure.
     */
    private static WSServerHandshakeError handshakeError(ClientResponse resp, String message, Throwable cause) {
        return new WSServerHandshakeError(resp.requestInfo(), resp.status(), message, resp.historyUrls(), resp.headers(), cause);
    }
}
