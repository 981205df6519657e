package dev.aio4j.http.web;

import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.ClientWebSocketResponse;
import dev.aio4j.http.Headers;
import dev.aio4j.http.RequestOption;
import dev.aio4j.http.WSConnectOption;
import dev.aio4j.http.WSMessage;
import dev.aio4j.http.WSMsgType;
import dev.aio4j.http.WebSocketError;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.TimeoutError;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.Streams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.aio4j.http.web.WsHarness.clientFrame;
import static dev.aio4j.http.web.WsHarness.echo;
import static dev.aio4j.http.web.WsHarness.eventually;
import static dev.aio4j.http.web.WsHarness.run;
import static dev.aio4j.http.web.WsHarness.upgradeRequest;
import static dev.aio4j.http.web.WsHarness.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's WebSockets end to end over loopback, with the aio4j client and raw sockets: mirrors
 * aiohttp's tests/test_web_websocket_functional.py (names camelCased; tests aiohttp lacks are marked).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebWebsocketFunctionalTest {

    private static String ws(String base, String path) {
        return base.replace("http://", "ws://") + path;
    }

    /** A raw connection: sends the upgrade request (plus {@code extra}) and reads the 101 head. */
    private static StreamPair rawUpgrade(String base, String path, byte[] extra) throws IOException {
        URI u = URI.create(base);
        StreamPair p = Streams.openConnection(u.getHost(), u.getPort());
        byte[] head = upgradeRequest(path).getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(head, head.length + extra.length);
        System.arraycopy(extra, 0, all, head.length, extra.length);
        p.writer().write(all);
        String response = new String(p.reader().readuntil(utf8("\r\n\r\n")), StandardCharsets.ISO_8859_1);
        assertTrue(response.startsWith("HTTP/1.1 101 "), response);
        assertTrue(response.contains("Sec-WebSocket-Accept: " + WsHarness.acceptForSampleKey()), response);
        return p;
    }

    /** Reads one unmasked frame: the opcode, then the payload. */
    private static byte[] readFrame(StreamReader in) throws IOException {
        byte[] h = in.readexactly(2);
        int len = (int) WsHarness.payloadLength(in, h[1]);
        assertEquals(0, h[1] & 0x80, "a server never masks");
        byte[] payload = in.readexactly(len);
        byte[] out = new byte[len + 1];
        out[0] = (byte) (h[0] & 0x0F);
        System.arraycopy(payload, 0, out, 1, len);
        return out;
    }

    @Test
    void websocketCanPrepare() throws Exception {
        List<WebSocketReady> seen = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            seen.add(ws.canPrepare(r));
            return new Response().text("plain");
        }), (base, s) -> {
            try (ClientResponse r = s.get(base + "/")) {
                assertEquals(200, r.status());
                assertEquals("plain", r.text());
            }
            assertFalse(seen.get(0).ok());
            assertNull(seen.get(0).protocol());
        });
    }

    @Test
    void websocketCanPrepareWithProtocol() throws Exception { // aio4j-only: the subprotocol canPrepare() would choose
        List<WebSocketReady> seen = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse().protocols("chat", "v2");
            seen.add(ws.canPrepare(r));
            ws.prepare(r);
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"), WSConnectOption.protocols("v2", "chat"));
            assertEquals(WSMsgType.CLOSE, ws.receive().type());
            assertEquals(new WebSocketReady(true, "v2"), seen.get(0), "the client's first choice that the server speaks");
            assertEquals("v2", ws.protocol());
        });
    }

    @Test
    void handshakeProtocolAgreement() throws Exception { // aiohttp test_websocket_handshake.py::test_handshake_protocol_agreement
        List<String> chosen = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse().protocols("best", "chat", "worse_proto");
            ws.prepare(r);
            chosen.add(ws.wsProtocol());
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"), WSConnectOption.protocols("worse_proto", "chat"));
            assertEquals(WSMsgType.CLOSE, ws.receive().type());
            assertEquals(List.of("worse_proto"), chosen);
            assertEquals("worse_proto", ws.protocol());
        });
    }

    @Test
    void pipelinedRequestAfterFailedWebsocketUpgrade() throws Exception {
        run(app -> {
            app.router().addGet("/ws", echo());
            app.router().addGet("/plain", r -> new Response().text("after"));
        }, (base, s) -> {
            URI u = URI.create(base);
            StreamPair p = Streams.openConnection(u.getHost(), u.getPort());
            // an upgrade without a key fails with 400; the request behind it is answered normally
            p.writer().write(utf8("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\nGET /plain HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            byte[] all = p.reader().read();
            StringBuilder sb = new StringBuilder(new String(all, StandardCharsets.ISO_8859_1));
            while (!sb.toString().contains("after")) {
                byte[] more = p.reader().read();
                if (more.length == 0) {
                    break;
                }
                sb.append(new String(more, StandardCharsets.ISO_8859_1));
            }
            String text = sb.toString();
            assertTrue(text.startsWith("HTTP/1.1 400 "), text);
            assertTrue(text.contains("Handshake error"), text);
            assertTrue(text.indexOf("HTTP/1.1 200 ") > 0 && text.endsWith("after"), text);
            p.writer().close();
        });
    }

    @Test
    void websocketFramesPipelinedBehindRequest() throws Exception {
        run(app -> app.router().addGet("/ws", echo()), (base, s) -> {
            // the first frame arrives in the same packet as the upgrade request
            StreamPair p = rawUpgrade(base, "/ws", clientFrame(0x1, utf8("early")));
            byte[] f = readFrame(p.reader());
            assertEquals(0x1, f[0]);
            assertEquals("early", new String(f, 1, f.length - 1, StandardCharsets.UTF_8));
            p.writer().write(clientFrame(0x8, new byte[] {0x03, (byte) 0xE8}));
            byte[] close = readFrame(p.reader());
            assertEquals(0x8, close[0]);
            assertEquals(1000, ((close[1] & 0xFF) << 8) | (close[2] & 0xFF), "the close code is echoed");
            assertEquals(0, p.reader().read().length, "the server closes the connection after the close handshake");
        });
    }

    @Test
    void handshakeConnectionHeaderSubstringNotAToken() throws Exception {
        run(app -> app.router().addGet("/ws", echo()), (base, s) -> {
            try (ClientResponse r = s.get(base + "/ws", RequestOption.header("Upgrade", "websocket"),
                    RequestOption.header("Connection", "keep-alive, notupgrade"), RequestOption.header("Sec-WebSocket-Version", "13"),
                    RequestOption.header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="))) {
                assertEquals(400, r.status());
                assertTrue(r.text().contains("No CONNECTION upgrade hdr"));
            }
        });
    }

    @Test
    void handshakeErrors() throws Exception { // aio4j-only: each bad upgrade and its status
        run(app -> app.router().addRoute("*", "/ws", echo()), (base, s) -> {
            RequestOption up = RequestOption.header("Upgrade", "websocket");
            RequestOption conn = RequestOption.header("Connection", "Upgrade");
            RequestOption v13 = RequestOption.header("Sec-WebSocket-Version", "13");
            RequestOption key = RequestOption.header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
            try (ClientResponse r = s.get(base + "/ws", up, conn, v13)) {
                assertEquals(400, r.status(), "no key");
            }
            try (ClientResponse r = s.get(base + "/ws", up, conn, v13, RequestOption.header("Sec-WebSocket-Key", "c2hvcnQ="))) {
                assertEquals(400, r.status(), "a key that is not 16 bytes");
            }
            try (ClientResponse r = s.get(base + "/ws", up, conn, key)) {
                assertEquals(400, r.status(), "no version: a malformed handshake (RFC 6455 section 4.2.1)");
                assertTrue(r.text().contains("no Sec-WebSocket-Version"));
            }
            try (ClientResponse r = s.get(base + "/ws", up, conn, key, RequestOption.header("Sec-WebSocket-Version", "8"))) {
                assertEquals(426, r.status(), "another version");
                assertEquals("13", r.headers().get("Sec-WebSocket-Version"));
            }
            try (ClientResponse r = s.get(base + "/ws", conn, v13, key)) {
                assertEquals(400, r.status(), "no Upgrade");
                assertTrue(r.text().contains("No WebSocket UPGRADE hdr"));
            }
            try (ClientResponse r = s.post(base + "/ws", up, conn, v13, key)) {
                assertEquals(405, r.status(), "not GET");
                assertEquals("GET", r.headers().get("Allow"));
            }
        });
    }

    @Test
    void handshakeHttp10Refused() throws Exception { // aio4j-only: RFC 6455 section 4.1, RFC 9110 section 15.2
        // A WebSocket upgrade needs HTTP/1.1 or later, and an HTTP/1.0 client must never get a 1xx answer.
        run(app -> app.router().addGet("/ws", echo()), (base, s) -> {
            URI u = URI.create(base);
            StreamPair p = Streams.openConnection(u.getHost(), u.getPort());
            p.writer().write(utf8(upgradeRequest("/ws").replace(" HTTP/1.1\r\n", " HTTP/1.0\r\n")));
            String head = new String(p.reader().readuntil(utf8("\r\n\r\n")), StandardCharsets.ISO_8859_1);
            assertTrue(head.startsWith("HTTP/1.1 400 "), head);
            p.writer().close();
        });
    }

    @Test
    void websocketJson() throws Exception {
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            Object v = ws.receiveJson();
            ws.sendJson(v);
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            ws.sendStr("\"hello\"");
            assertEquals("hello", ws.receiveJson());
            assertEquals(WSMsgType.CLOSE, ws.receive().type());
        });
    }

    @Test
    void websocketJsonInvalidMessage() throws Exception {
        List<Throwable> errors = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            try {
                ws.receiveJson();
            } catch (IllegalArgumentException e) {
                errors.add(e);
                ws.sendStr("ValueError was raised");
            }
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            ws.sendStr("not json");
            assertEquals("ValueError was raised", ws.receiveStr());
            assertEquals(1, errors.size());
        });
    }

    @Test
    void sendRecvText() throws Exception {
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            String msg = ws.receiveStr();
            ws.sendStr(msg + "/answer");
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            ws.sendStr("ask");
            WSMessage msg = ws.receive();
            assertEquals(WSMsgType.TEXT, msg.type());
            assertEquals("ask/answer", msg.data());
            msg = ws.receive();
            assertEquals(WSMsgType.CLOSE, msg.type());
            assertEquals(1000, msg.data());
            assertEquals("", msg.extra());
            assertTrue(ws.closed());
            assertEquals(1000, ws.closeCode().getAsInt());
        });
    }

    @Test
    void sendRecvBytes() throws Exception {
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            byte[] msg = ws.receiveBytes();
            byte[] out = Arrays.copyOf(msg, msg.length + 7);
            System.arraycopy(utf8("/answer"), 0, out, msg.length, 7);
            ws.sendBytes(out);
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            ws.sendBytes(utf8("ask"));
            assertArrayEquals(utf8("ask/answer"), ws.receiveBytes());
            assertEquals(WSMsgType.CLOSE, ws.receive().type());
            assertEquals(1000, ws.closeCode().getAsInt());
        });
    }

    @Test
    void sendRecvJson() throws Exception {
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            Object v = ws.receiveJson();
            ws.sendJson(((String) v) + "/answer");
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            ws.sendJson("request");
            assertEquals("request/answer", ws.receiveJson());
            assertEquals(WSMsgType.CLOSE, ws.receive().type());
        });
    }

    @Test
    void closeTimeout() throws Exception {
        List<WebSocketResponse> server = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse().timeout(0.1);
            server.add(ws);
            ws.prepare(r);
            ws.sendStr("text");
            assertTrue(ws.close());
            return ws;
        }), (base, s) -> {
            // a raw client that never answers the close frame
            StreamPair p = rawUpgrade(base, "/", new byte[0]);
            assertEquals(0x1, readFrame(p.reader())[0]);
            assertEquals(0x8, readFrame(p.reader())[0]);
            assertEquals(0, p.reader().read().length, "the server gives up after its close timeout");
            eventually(() -> server.get(0).closeCode().isPresent(), "close code set");
            assertEquals(1006, server.get(0).closeCode().getAsInt());
            assertInstanceOf(TimeoutError.class, server.get(0).exception());
        });
    }

    @Test
    void concurrentClose() throws Exception {
        List<Object> serverSaw = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            Task<WSMessage> waiting = Aio.createTask(() -> ws.receive());
            Aio.sleep(0); // let the task start waiting
            assertTrue(ws.close(1000, "closing"));
            serverSaw.add(waiting.await().type());
            serverSaw.add(ws.receive().type());
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            WSMessage msg = ws.receive();
            assertEquals(WSMsgType.CLOSE, msg.type());
            assertEquals("closing", msg.extra());
            eventually(() -> serverSaw.size() == 2, "the server's receives ended");
            assertEquals(WSMsgType.CLOSING, serverSaw.get(0), "aiohttp's close() feeds CLOSING to a waiting receive()");
            assertEquals(WSMsgType.CLOSED, serverSaw.get(1), "then CLOSED, once closed");
        });
    }

    @Test
    void concurrentCloseMultipleTasks() throws Exception {
        List<Boolean> results = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            Task<Boolean> a = Aio.createTask(() -> ws.close());
            Task<Boolean> b = Aio.createTask(() -> ws.close());
            results.add(a.await());
            results.add(b.await());
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            assertEquals(WSMsgType.CLOSE, ws.receive().type());
            eventually(() -> results.size() == 2, "both closes returned");
            assertEquals(List.of(true, false), results, "one close does the handshake, the other finds it done");
        });
    }

    @Test
    void closeOpCodeFromClient() throws Exception {
        List<WSMessage> serverSaw = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            serverSaw.add(ws.receive());
            serverSaw.add(ws.receive());
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            ws.sendFrame(new byte[] {0x03, (byte) 0xE8}, WSMsgType.CLOSE);
            assertEquals(WSMsgType.CLOSE, ws.receive().type());
            eventually(() -> serverSaw.size() == 2, "the server saw the close");
            assertEquals(WSMsgType.CLOSE, serverSaw.get(0).type());
            assertEquals(WSMsgType.CLOSED, serverSaw.get(1).type());
        });
    }

    @Test
    void autoPongWithClosingByPeer() throws Exception {
        List<WSMessage> serverSaw = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            ws.receive(); // "ask"
            serverSaw.add(ws.receive());
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"), WSConnectOption.autoclose(false), WSConnectOption.autoping(false));
            ws.ping();
            ws.sendStr("ask");
            WSMessage msg = ws.receive();
            assertEquals(WSMsgType.PONG, msg.type(), "the server answered the ping while its handler was busy");
            ws.close(1000, "exit message");
            eventually(() -> !serverSaw.isEmpty(), "the server saw the close");
            assertEquals(WSMsgType.CLOSE, serverSaw.get(0).type());
            assertEquals(1000, serverSaw.get(0).data());
            assertEquals("exit message", serverSaw.get(0).extra());
        });
    }

    @Test
    void ping() throws Exception {
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            ws.ping(utf8("data"));
            ws.receive(); // until the client closes
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"), WSConnectOption.autoping(false));
            WSMessage msg = ws.receive();
            assertEquals(WSMsgType.PING, msg.type());
            assertArrayEquals(utf8("data"), msg.bytes());
            ws.pong(utf8("data"));
            ws.close();
        });
    }

    @Test
    void clientPing() throws Exception {
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            ws.receive();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"), WSConnectOption.autoping(false));
            ws.ping(utf8("data"));
            WSMessage msg = ws.receive();
            assertEquals(WSMsgType.PONG, msg.type());
            assertArrayEquals(utf8("data"), msg.bytes());
            ws.close();
        });
    }

    @Test
    void pong() throws Exception {
        List<WSMessage> serverSaw = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse().autoping(false);
            ws.prepare(r);
            WSMessage msg = ws.receive();
            serverSaw.add(msg);
            ws.pong(msg.bytes());
            serverSaw.add(ws.receive());
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"), WSConnectOption.autoping(false));
            ws.ping(utf8("data"));
            WSMessage msg = ws.receive();
            assertEquals(WSMsgType.PONG, msg.type());
            assertArrayEquals(utf8("data"), msg.bytes());
            ws.close();
            eventually(() -> serverSaw.size() == 2, "the server saw ping and close");
            assertEquals(WSMsgType.PING, serverSaw.get(0).type());
            assertEquals(WSMsgType.CLOSE, serverSaw.get(1).type());
        });
    }

    /** Offers protocols foo and bar, accepts the upgrade, and closes at once (code 1000). */
    private static Handler closeAtOnce() {
        return r -> {
            WebSocketResponse ws = new WebSocketResponse().protocols("foo", "bar");
            ws.prepare(r);
            ws.close();
            return ws;
        };
    }

    @Test
    void handleProtocol() throws Exception {
        run(app -> app.router().addGet("/", closeAtOnce()), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"), WSConnectOption.protocols("eggs", "bar"));
            assertEquals("bar", ws.protocol());
            assertEquals("bar", ws.headers().get("Sec-WebSocket-Protocol"));
            ws.close();
        });
    }

    @Test
    void serverCloseHandshake() throws Exception {
        run(app -> app.router().addGet("/", closeAtOnce()), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"), WSConnectOption.autoclose(false), WSConnectOption.protocols("eggs", "bar"));
            assertEquals(WSMsgType.CLOSE, ws.receive().type());
            ws.close();
            assertEquals(1000, ws.closeCode().getAsInt());
        });
    }

    @Test
    void clientCloseHandshake() throws Exception {
        List<WSMessage> serverSaw = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse().autoclose(false).protocols("foo", "bar");
            ws.prepare(r);
            WSMessage msg = ws.receive();
            serverSaw.add(msg);
            assertFalse(ws.closed());
            ws.close();
            assertTrue(ws.closed());
            assertEquals(1000, ws.closeCode().getAsInt());
            serverSaw.add(ws.receive());
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"), WSConnectOption.autoclose(false), WSConnectOption.protocols("eggs", "bar"));
            ws.close();
            eventually(() -> serverSaw.size() == 2, "the server answered");
            assertEquals(WSMsgType.CLOSE, serverSaw.get(0).type());
            assertEquals(WSMsgType.CLOSED, serverSaw.get(1).type());
            assertEquals(1000, ws.closeCode().getAsInt());
        });
    }

    @Test
    void serverCloseHandshakeServerEatsClientMessages() throws Exception {
        run(app -> app.router().addGet("/", closeAtOnce()), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"), WSConnectOption.autoclose(false), WSConnectOption.protocols("eggs", "bar"));
            assertEquals(WSMsgType.CLOSE, ws.receive().type());
            ws.sendStr("text");
            ws.sendBytes(utf8("bytes"));
            ws.ping();
            ws.close();
            assertEquals(1000, ws.closeCode().getAsInt());
        });
    }

    @Test
    void receiveTimeout() throws Exception {
        List<Throwable> raised = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse().receiveTimeout(0.1);
            ws.prepare(r);
            try {
                ws.receive();
            } catch (TimeoutError e) {
                raised.add(e);
            }
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            assertEquals(WSMsgType.CLOSE, ws.receive().type());
            assertEquals(1, raised.size());
        });
    }

    @Test
    void customReceiveTimeout() throws Exception {
        List<Throwable> raised = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            try {
                ws.receive(0.1);
            } catch (TimeoutError e) {
                raised.add(e);
            }
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            assertEquals(WSMsgType.CLOSE, ws.receive().type());
            assertEquals(1, raised.size());
        });
    }

    @Test
    void receiveTimeoutKeepsConnectionOpen() throws Exception {
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            assertThrows(TimeoutError.class, () -> ws.receive(0.05));
            ws.sendStr(ws.receiveStr() + " after a timeout");
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            Aio.sleep(0.2);
            ws.sendStr("still open");
            assertEquals("still open after a timeout", ws.receiveStr());
            ws.close();
        });
    }

    @Test
    void receiveBeingCancelledKeepsConnectionOpen() throws Exception {
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            Task<WSMessage> t = Aio.createTask(() -> ws.receive());
            Aio.sleep(0.01);
            t.cancel();
            Aio.sleep(0.01);
            ws.sendStr(ws.receiveStr() + " after a cancel");
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            Aio.sleep(0.1);
            ws.sendStr("still open");
            assertEquals("still open after a cancel", ws.receiveStr());
            ws.close();
        });
    }

    @Test
    void heartbeat() throws Exception {
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse().heartbeat(0.05);
            ws.prepare(r);
            ws.receive();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"), WSConnectOption.autoping(false));
            WSMessage msg = ws.receive();
            assertEquals(WSMsgType.PING, msg.type());
            ws.close();
        });
    }

    @Test
    void heartbeatNoPong() throws Exception {
        List<WebSocketResponse> server = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse().heartbeat(0.05);
            server.add(ws);
            ws.prepare(r);
            WSMessage msg = ws.receive();
            assertEquals(WSMsgType.ERROR, msg.type(), "a dead peer ends receive() with an error");
            return ws;
        }), (base, s) -> {
            // a raw client that reads the ping and never answers
            StreamPair p = rawUpgrade(base, "/", new byte[0]);
            assertEquals(0x9, readFrame(p.reader())[0]);
            assertEquals(0, p.reader().read().length, "the server drops a peer that does not answer its ping");
            eventually(() -> server.get(0).closed(), "closed");
            assertEquals(1006, server.get(0).closeCode().getAsInt());
            assertInstanceOf(TimeoutError.class, server.get(0).exception());
        });
    }

    @Test
    void serverWsAsyncFor() throws Exception {
        List<String> seen = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            for (WSMessage msg : ws) {
                assertEquals(WSMsgType.TEXT, msg.type());
                seen.add(msg.str());
                ws.sendStr(msg.str() + "/reply");
            }
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            for (String m : List.of("a", "b", "c")) {
                ws.sendStr(m);
                assertEquals(m + "/reply", ws.receiveStr());
            }
            ws.close();
            eventually(() -> seen.size() == 3, "three messages");
            assertEquals(List.of("a", "b", "c"), seen);
        });
    }

    @Test
    void closedAsyncFor() throws Exception {
        List<String> seen = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            for (WSMessage msg : ws) {
                seen.add(msg.str());
                ws.close();
            }
            seen.add("done");
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            ws.sendStr("first");
            ws.sendStr("second");
            assertEquals(WSMsgType.CLOSE, ws.receive().type());
            eventually(() -> seen.contains("done"), "the loop ended");
            assertEquals(List.of("first", "done"), seen, "the loop ends at close; later messages are dropped");
        });
    }

    @Test
    void receiveStrNonstring() throws Exception {
        List<Throwable> raised = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            raised.add(assertThrows(IllegalStateException.class, ws::receiveStr));
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            ws.sendBytes(utf8("answer"));
            assertEquals(WSMsgType.CLOSE, ws.receive().type());
            assertTrue(raised.get(0).getMessage().contains("is not WSMsgType.TEXT"), raised.get(0).getMessage());
        });
    }

    @Test
    void receiveBytesNonbytes() throws Exception {
        List<Throwable> raised = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            raised.add(assertThrows(IllegalStateException.class, ws::receiveBytes));
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            ws.sendStr("answer");
            assertEquals(WSMsgType.CLOSE, ws.receive().type());
            assertTrue(raised.get(0).getMessage().contains("is not WSMsgType.BINARY"), raised.get(0).getMessage());
        });
    }

    @Test
    void wsCloseReturnCode() throws Exception {
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            ws.receive();
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            ws.sendStr("some text");
            assertEquals(WSMsgType.CLOSE, ws.receive().type());
            assertEquals(1000, ws.closeCode().getAsInt());
        });
    }

    @Test
    void abnormalClosureWhenClientDoesNotClose() throws Exception {
        List<WebSocketResponse> server = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse().timeout(0.1);
            server.add(ws);
            ws.prepare(r);
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"), WSConnectOption.autoclose(false));
            // the client never answers the close frame: the server's close times out
            eventually(() -> !server.isEmpty() && server.get(0).closed() && server.get(0).closeCode().isPresent(), "server closed");
            assertEquals(1006, server.get(0).closeCode().getAsInt());
            ws.close();
        });
    }

    @Test
    void normalClosureWhileClientSendsMsg() throws Exception {
        List<WebSocketResponse> server = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse().timeout(1);
            server.add(ws);
            ws.prepare(r);
            ws.close();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            ws.sendStr("TEXT DATA");
            assertEquals(WSMsgType.CLOSE, ws.receive().type());
            eventually(() -> server.get(0).closeCode().isPresent(), "server closed");
            assertEquals(1000, server.get(0).closeCode().getAsInt());
        });
    }

    @Test
    void websocketPreparedProperty() throws Exception {
        List<Boolean> states = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            states.add(ws.prepared());
            ws.prepare(r);
            states.add(ws.prepared());
            ws.close();
            states.add(ws.prepared());
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            assertEquals(WSMsgType.CLOSE, ws.receive().type());
            eventually(() -> states.size() == 3, "handler done");
            assertEquals(List.of(false, true, true), states);
        });
    }

    @Test
    void protocolErrorClosesWith1002() throws Exception { // aio4j-only: an unmasked client frame
        List<WSMessage> serverSaw = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            serverSaw.add(ws.receive());
            return ws;
        }), (base, s) -> {
            StreamPair p = rawUpgrade(base, "/", WsHarness.serverFrame(0x1, utf8("unmasked")));
            byte[] close = readFrame(p.reader());
            assertEquals(0x8, close[0]);
            assertEquals(1002, ((close[1] & 0xFF) << 8) | (close[2] & 0xFF));
            assertEquals(0, p.reader().read().length);
            eventually(() -> !serverSaw.isEmpty(), "the handler saw the error");
            assertEquals(WSMsgType.ERROR, serverSaw.get(0).type());
            WebSocketError e = assertInstanceOf(WebSocketError.class, serverSaw.get(0).data());
            assertEquals(1002, e.code());
            assertTrue(e.getMessage().contains("unmasked TEXT frame from the client"), e.getMessage());
        });
    }

    @Test
    void tooBigClosesWith1009() throws Exception { // aio4j-only
        List<WebSocketResponse> server = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse().maxMsgSize(16);
            server.add(ws);
            ws.prepare(r);
            ws.receive();
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"));
            ws.sendStr("this message is longer than sixteen bytes");
            WSMessage msg = ws.receive();
            assertEquals(WSMsgType.CLOSE, msg.type());
            assertEquals(1009, msg.data());
            eventually(() -> server.get(0).closeCode().isPresent(), "server closed");
            assertEquals(1009, server.get(0).closeCode().getAsInt());
        });
    }

    @Test
    void invalidUtf8ClosesWith1007() throws Exception { // aio4j-only
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            ws.receive();
            return ws;
        }), (base, s) -> {
            StreamPair p = rawUpgrade(base, "/", clientFrame(0x1, new byte[] {(byte) 0xCE, (byte) 0xBA, (byte) 0xE1, (byte) 0x80}));
            p.writer().write(clientFrame(0x1, new byte[] {(byte) 0xFF}));
            byte[] close = readFrame(p.reader());
            assertEquals(0x8, close[0]);
            assertEquals(1007, ((close[1] & 0xFF) << 8) | (close[2] & 0xFF));
        });
    }

    @Test
    void sendAwaitsDrainWhenTheClientDoesNotRead() throws Exception { // aio4j-only: back-pressure on send
        int[] sent = new int[1];
        long[] maxBuffered = new long[1];
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse().compress(false);
            ws.prepare(r);
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 200; i++) {
                ws.sendBytes(chunk);
                sent[0]++;
                maxBuffered[0] = Math.max(maxBuffered[0], r.transport().getWriteBufferSize());
            }
            ws.close();
            return ws;
        }), (base, s) -> {
            StreamPair p = rawUpgrade(base, "/", new byte[0]);
            Aio.sleep(0.3); // the client reads nothing meanwhile: the server must be waiting in send
            int before = sent[0];
            assertTrue(before < 200, "the sender waits for the reader (sent " + before + " of 200 messages)");
            int frames = 0;
            while (true) {
                byte[] f = readFrame(p.reader());
                if (f[0] == 0x8) {
                    break;
                }
                frames++;
            }
            assertEquals(200, frames);
            assertTrue(maxBuffered[0] < 2 * 1024 * 1024, "the write buffer stayed bounded: " + maxBuffered[0]);
            p.writer().write(clientFrame(0x8, new byte[] {0x03, (byte) 0xE8}));
        });
    }

    /**
     * aio4j-only (stop 30): after the upgrade the server's WebSocket is lent its reads through its
     * RequestHandler. While the handler does not receive, the queue fills and the server's
     * transport stops reading, so the client's sends wait; once the handler receives again, reading
     * resumes and every message arrives whole and in order.
     */
    @Test
    void serverReadingPausesWhileTheHandlerDoesNotReceive() throws Exception {
        dev.aio4j.loop.Event go = new dev.aio4j.loop.Event();
        boolean[] readingWhileFull = {true};
        List<Integer> sizes = new ArrayList<>();
        List<Object> protocol = new ArrayList<>();
        List<dev.aio4j.streams.Transport> serverTransport = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse().compress(false);
            ws.prepare(r);
            protocol.add(r.transport().getProtocol());
            // what the kernel holds for a peer that does not read is then small on any machine
            dev.aio4j.streams.test.SmallSocketBuffers.shrink(r.transport());
            serverTransport.add(r.transport());
            go.await();
            readingWhileFull[0] = r.transport().isReading();
            for (WSMessage m : ws) {
                if (m.type() == WSMsgType.BINARY) {
                    byte[] b = m.bytes();
                    for (int i = 0; i < b.length; i++) {
                        if (b[i] != (byte) (sizes.size() + i)) {
                            throw new AssertionError("message " + sizes.size() + " differs at byte " + i);
                        }
                    }
                    sizes.add(b.length);
                }
            }
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(ws(base, "/"), WSConnectOption.compress(false));
            int[] sent = new int[1];
            Task<Void> sender = Aio.createTask(() -> {
                for (int k = 0; k < 300; k++) { // about 15 MB: more than the sockets' buffers hold
                    byte[] m = new byte[k % 4 != 3 ? 64 * 1024 : 7];
                    for (int i = 0; i < m.length; i++) {
                        m[i] = (byte) (k + i);
                    }
                    ws.sendBytes(m);
                    sent[0]++;
                }
                return null;
            });
            try {
                // the handler receives nothing meanwhile: its queue fills and its transport stops
                // reading, long before 15 MB were sent
                eventually(() -> !serverTransport.isEmpty() && !serverTransport.get(0).isReading(), "the server stopped reading");
                assertTrue(sent[0] < 300, "the client's sends wait while the server does not read (sent " + sent[0] + " of 300)");
            } finally {
                go.set();
            }
            sender.await();
            ws.close();
            eventually(() -> sizes.size() == 300, "the handler got every message");
            assertFalse(readingWhileFull[0], "the server's transport was paused while the queue was full");
            // the socket transport's protocol is lent its reads, and passes them on to the WebSocket
            assertInstanceOf(dev.aio4j.streams.internal.BorrowedReadProtocol.class, protocol.get(0));
            for (int k = 0; k < 300; k++) {
                assertEquals(k % 4 != 3 ? 64 * 1024 : 7, sizes.get(k));
            }
        });
    }

    /**
     * aio4j-only (stop 30): the client's end of stream in the middle of a frame, after a whole
     * message, over the server's lent reads: the handler gets the message, then CLOSED with close
     * code 1006 (aiohttp: the reader's EOF ends the WebSocket with ABNORMAL_CLOSURE), and the
     * server closes the connection without a close frame.
     */
    @Test
    void clientEofInTheMiddleOfAFrame() throws Exception {
        List<Object> serverSaw = new ArrayList<>();
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            serverSaw.add(ws.receive());
            serverSaw.add(ws.receive());
            serverSaw.add(ws.closeCode().orElse(-1));
            return ws;
        }), (base, s) -> {
            byte[] whole = clientFrame(0x1, utf8("whole"));
            byte[] cut = clientFrame(0x2, new byte[1000]);
            StreamPair p = rawUpgrade(base, "/", whole);
            p.writer().write(Arrays.copyOf(cut, 500)); // the header and part of the payload
            p.writer().writeEof();
            assertEquals(0, p.reader().read().length, "the server closes without a close frame");
            eventually(() -> serverSaw.size() == 3, "the handler saw the end");
            WSMessage first = (WSMessage) serverSaw.get(0);
            assertEquals(WSMsgType.TEXT, first.type());
            assertEquals("whole", first.str());
            assertEquals(WSMsgType.CLOSED, ((WSMessage) serverSaw.get(1)).type());
            assertEquals(1006, serverSaw.get(2));
        });
    }
}
