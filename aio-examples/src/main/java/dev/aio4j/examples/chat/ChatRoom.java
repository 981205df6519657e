package dev.aio4j.examples.chat;

import dev.aio4j.http.ClientSession;
import dev.aio4j.http.ClientWebSocketResponse;
import dev.aio4j.http.WSConnectOption;
import dev.aio4j.http.WSMessage;
import dev.aio4j.http.WSMsgType;
import dev.aio4j.http.web.AppRunner;
import dev.aio4j.http.web.Application;
import dev.aio4j.http.web.TCPSite;
import dev.aio4j.http.web.WebSocketResponse;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A chat room: every member's messages go to every member, over WebSockets. Ports aiohttp's chat
 * demo ({@code web.WebSocketResponse} per member, the members in a set, a broadcast with
 * {@code send_str}), with clients made by {@code session.ws_connect(url, heartbeat=...)}.
 *
 * <p>{@code main} starts the room on loopback, connects {@code -Dchat.clients=3} members (each
 * with a heartbeat), lets each say hello, and prints what each member heard.
 *
 * <p>The room lives on one loop (a {@link Room} per application): a broadcast is a loop of
 * {@code sendStr} calls, each of which waits while that member reads slowly; a member that went
 * away is skipped.
 */
public final class ChatRoom {
    /** System property: how many members {@code main} connects. */
    public static final String CLIENTS_PROPERTY = "chat.clients";

    /** Seconds between the members' heartbeat pings. */
    static final double HEARTBEAT = 5;

    private ChatRoom() {}

    /** The members of one room; loop-confined. */
    public static final class Room {
        private final Set<WebSocketResponse> members = new LinkedHashSet<>();

        /** An empty room. */
        public Room() {}

        /**
         * Sends {@code text} to every member.
         *
         * @param text the line
         */
        public void broadcast(String text) {
            for (WebSocketResponse m : new ArrayList<>(members)) {
                try {
                    m.sendStr(text);
                } catch (IOException e) {
                    members.remove(m); // gone: its handler removes it too when its loop ends
                }
            }
        }

        /**
         * Returns how many members are connected.
         *
         * @return the count
         */
        public int size() {
            return members.size();
        }
    }

    /**
     * The room's application: {@code GET /chat?name=...} joins the room.
     *
     * @param room the room
     * @return the application
     */
    public static Application app(Room room) {
        Application app = new Application();
        app.router().addGet("/chat", request -> {
            String name = request.query().get("name");
            WebSocketResponse ws = new WebSocketResponse().heartbeat(HEARTBEAT);
            ws.prepare(request);
            room.members.add(ws);
            room.broadcast("* " + name + " joined");
            try {
                for (WSMessage msg : ws) {
                    if (msg.type() == WSMsgType.TEXT) {
                        room.broadcast(name + ": " + msg.str());
                    }
                }
            } finally {
                room.members.remove(ws);
                room.broadcast("* " + name + " left");
            }
            return ws;
        });
        return app;
    }

    /**
     * Runs the room on loopback with {@code clients} members; each says hello and reads until it
     * heard everyone's hello. Prints one line per member.
     *
     * @param clients how many members
     * @param out where to print
     * @return what each member heard (its chat lines, sorted), in member order
     * @throws Exception what the body threw: the I/O error of a failed connection, as it was raised
     */
    public static List<Set<String>> run(int clients, Consumer<String> out) throws Exception {
        return Aio.run(() -> {
            Room room = new Room();
            AppRunner runner = new AppRunner(app(room));
            runner.setup();
            TCPSite site = new TCPSite(runner, "127.0.0.1", 0);
            site.start();
            String url = "ws://127.0.0.1:" + site.port() + "/chat?name=";
            out.accept("Chat room on " + url.substring(0, url.length() - 6));
            List<Set<String>> heard = new ArrayList<>();
            try (ClientSession session = ClientSession.create()) {
                List<ClientWebSocketResponse> members = new ArrayList<>();
                for (int i = 1; i <= clients; i++) {
                    ClientWebSocketResponse ws = session.wsConnect(url + "c" + i, WSConnectOption.heartbeat(HEARTBEAT));
                    members.add(ws);
                    while (!ws.receiveStr().equals("* c" + i + " joined")) {
                        // joins of earlier members are not ours
                    }
                }
                List<Task<Set<String>>> tasks = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    ClientWebSocketResponse ws = members.get(i);
                    String me = "c" + (i + 1);
                    tasks.add(Aio.createTask(() -> {
                        ws.sendStr("hello from " + me);
                        Set<String> got = new TreeSet<>();
                        while (got.size() < clients) {
                            String line = ws.receiveStr();
                            if (!line.startsWith("* ")) {
                                got.add(line);
                            }
                        }
                        return got;
                    }));
                }
                for (int i = 0; i < clients; i++) {
                    Set<String> got = tasks.get(i).await();
                    heard.add(got);
                    out.accept("c" + (i + 1) + " heard: " + String.join(" | ", got));
                }
                for (ClientWebSocketResponse ws : members) {
                    ws.close();
                }
            } finally {
                runner.cleanup();
            }
            return heard;
        });
    }

    /**
     * Runs the room with {@code -Dchat.clients} members (3 by default).
     *
     * @param args unused
     * @throws Exception what the body threw: the I/O error of a failed connection, as it was raised
     */
    public static void main(String[] args) throws Exception {
        int clients = Integer.getInteger(CLIENTS_PROPERTY, 3);
        run(clients, System.out::println);
    }
}
