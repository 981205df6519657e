package dev.aio4j.http.web;

/**
 * The answer of {@link WebSocketResponse#canPrepare(Request)}: whether the request is a valid
 * WebSocket upgrade, and which subprotocol the handshake would choose.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.WebSocketReady(ok, protocol)}. <b>Differences:</b> a record.
 *
 * @param ok whether {@link WebSocketResponse#prepare(Request)} would succeed
 * @param protocol the subprotocol that would be chosen, or {@code null} for none
 * @since 0.2
 */
public record WebSocketReady(boolean ok, String protocol) {
}
