package dev.aio4j.examples.tour;

import dev.aio4j.examples.chat.ChatRoom;

import java.util.List;
import java.util.Set;

/**
 * Tour step "chat": a WebSocket chat room ({@link ChatRoom}) on loopback; members with heartbeats
 * join, say hello, and each hears everyone.
 *
 * <p><b>asyncio:</b> aiohttp's chat demo: {@code web.WebSocketResponse} per member and a broadcast
 * with {@code send_str}; clients with {@code session.ws_connect(url, heartbeat=...)}.
 *
 * @since 0.2
 */
public final class ChatStep implements TourStep {
    /** Creates the step. It keeps no state, so one instance can run any number of times. */
    public ChatStep() {}

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public String summary() {
        return "a WebSocket chat room: members with heartbeats join, say hello, and the server broadcasts to all";
    }

    @Override
    public String asyncio() {
        return "ws = web.WebSocketResponse(); await ws.prepare(request); async for msg in ws: for m in members: await m.send_str(msg.data)";
    }

    @Override
    public void run(TourContext ctx) throws Exception {
        int members = ctx.quick() ? 5 : 50;
        ctx.did("WebSocketResponse per member, Room.broadcast(...) to all; " + members
                + " ClientSession.wsConnect(url, heartbeat(5)) members each send one hello");
        double t0 = System.nanoTime();
        List<Set<String>> heard = ChatRoom.run(members, ctx.progressLines());
        double took = (System.nanoTime() - t0) / 1e9;
        long complete = heard.stream().filter(h -> h.size() == members).count();
        ctx.measured(complete + " of " + members + " members heard all " + members + " hellos ("
                + (long) members * members + " messages delivered) in " + TourContext.secs(took));
    }
}
