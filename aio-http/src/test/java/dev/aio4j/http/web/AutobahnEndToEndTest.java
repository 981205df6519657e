package dev.aio4j.http.web;

import dev.aio4j.http.ClientSession;
import dev.aio4j.http.ClientWebSocketResponse;
import dev.aio4j.http.WSConnectOption;
import dev.aio4j.http.WSMessage;
import dev.aio4j.http.internal.ws.DeflateNegotiation;
import dev.aio4j.http.internal.ws.FrameWriter;
import dev.aio4j.http.internal.ws.Handshake;
import dev.aio4j.http.internal.ws.PerMessageDeflate;
import dev.aio4j.http.internal.ws.Role;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.StreamWriter;
import dev.aio4j.streams.Streams;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Autobahn testsuite's case groups run end to end over loopback, against both aio4j ends: a
 * fuzzing peer written here (raw frames on an aio-streams connection, as Autobahn's fuzzing client
 * and fuzzing server send them) talks to the aio4j server's echo handler, and to an aio4j client
 * running the same echo loop. Each case runs twice: {@code server:} and {@code client:}. The codec
 * tests in {@code internal.ws} cover every case of each group without a socket; these pick cases
 * from every group (1 framing, 2 ping/pong, 3 reserved bits, 4 opcodes, 5 fragmentation, 6 UTF-8,
 * 7 close handling, 9 limits, 12 and 13 compression) and check the wire behaviour: echoes, pongs,
 * the close code sent, and that the TCP connection is closed after a failure. aio4j-only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AutobahnEndToEndTest {
    /** One frame as the fuzzer read it. */
    record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** The fuzzing peer: writes raw frames, reads the aio4j end's frames. */
    static final class Fuzzer {
        final StreamReader in;
        final StreamWriter out;
        /** Whether this fuzzer is a client (masks what it sends). */
        final boolean client;
        final PerMessageDeflate deflate;
        private final Random keys = new Random(7);

        Fuzzer(StreamReader in, StreamWriter out, boolean client, PerMessageDeflate deflate) {
            this.in = in;
            this.out = out;
            this.client = client;
            this.deflate = deflate;
        }

        byte[] frame(boolean fin, int rsv, int opcode, byte[] payload) {
            return FrameWriter.frame(fin, rsv, opcode, payload, 0, payload.length, client, keys.nextInt());
        }

        void send(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
            out.write(frame(fin, rsv, opcode, payload));
            out.drain();
        }

        void send(int opcode, byte[] payload) throws IOException {
            send(true, 0, opcode, payload);
        }

        void sendText(String s) throws IOException {
            send(0x1, utf8(s));
        }

        /** Writes the frames' bytes in pieces of {@code chop} bytes. */
        void sendChopped(int chop, byte[]... frames) throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] f : frames) {
                all.writeBytes(f);
            }
            byte[] b = all.toByteArray();
            for (int i = 0; i < b.length; i += chop) {
                out.write(Arrays.copyOfRange(b, i, Math.min(b.length, i + chop)));
                out.drain();
            }
        }

        /** Sends a message compressed (RSV1) with the negotiated codec. */
        void sendCompressed(int opcode, byte[] payload) throws IOException {
            byte[] c = deflate.compress(payload, 0, payload.length);
            send(true, 4, opcode, c);
        }

        Frame read() throws IOException {
            byte[] h = in.readexactly(2);
            long len = WsHarness.payloadLength(in, h[1]);
            boolean masked = (h[1] & 0x80) != 0;
            assertEquals(!client, masked, client ? "a server never masks" : "a client masks every frame");
            byte[] mask = masked ? in.readexactly(4) : null;
            byte[] p = in.readexactly((int) len);
            if (mask != null) {
                for (int i = 0; i < p.length; i++) {
                    p[i] ^= mask[i & 3];
                }
            }
            int rsv = (h[0] >> 4) & 7;
            if (rsv == 4 && deflate != null) {
                p = deflate.decompress(p, 0, p.length, 64 * 1024 * 1024);
                rsv = 0;
            }
            return new Frame((h[0] & 0x80) != 0, rsv, h[0] & 0x0F, p);
        }

        /** The next frame echoes a message (one frame: aio4j sends each message whole). */
        void expectEcho(int opcode, byte[] payload) throws IOException {
            Frame f = read();
            assertEquals(opcode, f.opcode(), "opcode of the echo");
            assertTrue(f.fin());
            assertArrayEquals(payload, f.payload(), "payload of the echo");
        }

        /** The aio4j end sends a close frame with {@code code} (-1: any code or none) and closes the TCP connection. */
        void expectClose(int code) throws IOException {
            Frame f = read();
            assertEquals(0x8, f.opcode(), "expected a close frame, got opcode " + f.opcode());
            if (code >= 0) {
                assertEquals(code, f.closeCode(), "close code");
            }
            expectTcpClose();
        }

        void expectTcpClose() throws IOException {
            for (int i = 0; i < 1000; i++) {
                byte[] b = in.read(65536);
                if (b.length == 0) {
                    return;
                }
            }
            throw new AssertionError("the aio4j end did not close the TCP connection");
        }
    }

    interface Case {
        void run(Fuzzer f) throws Exception;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] filled(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('*' + i % 50);
        }
        return b;
    }

    static byte[] closePayload(int code, String reason) {
        byte[] r = utf8(reason);
        byte[] out = new byte[2 + r.length];
        out[0] = (byte) (code >> 8);
        out[1] = (byte) code;
        System.arraycopy(r, 0, out, 2, r.length);
        return out;
    }

    /** Ends a case that left the connection open: a normal close, echoed. */
    static void closeNormally(Fuzzer f) throws IOException {
        f.send(0x8, closePayload(1000, ""));
        f.expectClose(1000);
    }

    // ------------------------------------------------------------------------------- the cases

    static Map<String, Case> cases() {
        Map<String, Case> c = new LinkedHashMap<>();
        // 1: framing, payload lengths at the boundaries of the 7-bit, 16-bit and 64-bit encodings
        for (int n : new int[] {0, 125, 126, 127, 128, 65535, 65536}) {
            c.put("1.1 text " + n, f -> {
                byte[] p = filled(n);
                f.send(0x1, p);
                f.expectEcho(0x1, p);
                closeNormally(f);
            });
            c.put("1.2 binary " + n, f -> {
                byte[] p = filled(n);
                f.send(0x2, p);
                f.expectEcho(0x2, p);
                closeNormally(f);
            });
        }
        c.put("1.1.8 text 65536 chopped 997", f -> {
            byte[] p = filled(65536);
            f.sendChopped(997, f.frame(true, 0, 0x1, p));
            f.expectEcho(0x1, p);
            closeNormally(f);
        });
        // 2: ping/pong
        c.put("2.1 ping empty", f -> {
            f.send(0x9, new byte[0]);
            f.expectEcho(0xA, new byte[0]);
            closeNormally(f);
        });
        c.put("2.4 ping 125", f -> {
            f.send(0x9, filled(125));
            f.expectEcho(0xA, filled(125));
            closeNormally(f);
        });
        c.put("2.5 ping 126 fails 1002", f -> {
            f.send(0x9, filled(126));
            f.expectClose(1002);
        });
        c.put("2.6 ping 125 chopped into octets", f -> {
            f.sendChopped(1, f.frame(true, 0, 0x9, filled(125)));
            f.expectEcho(0xA, filled(125));
            closeNormally(f);
        });
        c.put("2.9 unsolicited pong then ping", f -> {
            f.send(0xA, utf8("unsolicited"));
            f.send(0x9, utf8("solicited"));
            f.expectEcho(0xA, utf8("solicited"));
            closeNormally(f);
        });
        c.put("2.10 ten pings", f -> {
            for (int i = 0; i < 10; i++) {
                f.send(0x9, utf8("ping " + i));
            }
            for (int i = 0; i < 10; i++) {
                f.expectEcho(0xA, utf8("ping " + i));
            }
            closeNormally(f);
        });
        // 3: reserved bits without an extension
        for (int rsv = 1; rsv <= 7; rsv++) {
            int r = rsv;
            c.put("3." + rsv + " rsv " + rsv + " after a valid text fails 1002", f -> {
                f.sendText("Hello, world!");
                f.expectEcho(0x1, utf8("Hello, world!"));
                f.send(true, r, r == 7 ? 0x8 : 0x1, r == 7 ? new byte[0] : utf8("Hello, world!"));
                f.expectClose(1002);
            });
        }
        // 4: reserved opcodes
        for (int op : new int[] {3, 4, 5, 6, 7, 11, 12, 13, 14, 15}) {
            c.put("4 reserved opcode " + op + " after a valid text fails 1002", f -> {
                f.sendText("Hello, world!");
                f.send(op, utf8("reserved"));
                f.expectEcho(0x1, utf8("Hello, world!"));
                f.expectClose(1002);
            });
        }
        // 5: fragmentation
        c.put("5.1 ping fragmented fails 1002", f -> {
            f.send(false, 0, 0x9, utf8("frag"));
            f.expectClose(1002);
        });
        c.put("5.3 text in two fragments", f -> {
            f.send(false, 0, 0x1, utf8("fragment1"));
            f.send(true, 0, 0x0, utf8("fragment2"));
            f.expectEcho(0x1, utf8("fragment1fragment2"));
            closeNormally(f);
        });
        c.put("5.6 text fragments with a ping between", f -> {
            f.send(false, 0, 0x1, utf8("fragment1"));
            f.send(0x9, utf8("ping payload"));
            f.send(true, 0, 0x0, utf8("fragment2"));
            f.expectEcho(0xA, utf8("ping payload"));
            f.expectEcho(0x1, utf8("fragment1fragment2"));
            closeNormally(f);
        });
        c.put("5.8 fragments with a ping between, chopped into octets", f -> {
            f.sendChopped(1, f.frame(false, 0, 0x1, utf8("fragment1")), f.frame(true, 0, 0x9, utf8("ping payload")),
                    f.frame(true, 0, 0x0, utf8("fragment2")));
            f.expectEcho(0xA, utf8("ping payload"));
            f.expectEcho(0x1, utf8("fragment1fragment2"));
            closeNormally(f);
        });
        c.put("5.9 continuation with nothing to continue fails 1002", f -> {
            f.send(true, 0, 0x0, utf8("fragment"));
            f.expectClose(1002);
        });
        c.put("5.18 text fragment then a new text fails 1002", f -> {
            f.send(false, 0, 0x1, utf8("fragment1"));
            f.send(true, 0, 0x1, utf8("fragment2"));
            f.expectClose(1002);
        });
        c.put("5.19 many fragments with pings between", f -> {
            StringBuilder all = new StringBuilder();
            for (int i = 1; i <= 5; i++) {
                f.send(false, 0, i == 1 ? 0x1 : 0x0, utf8("fragment" + i));
                all.append("fragment").append(i);
                f.send(0x9, utf8("pongme " + i));
            }
            f.send(true, 0, 0x0, utf8("end"));
            for (int i = 1; i <= 5; i++) {
                f.expectEcho(0xA, utf8("pongme " + i));
            }
            f.expectEcho(0x1, utf8(all + "end"));
            closeNormally(f);
        });
        // 6: UTF-8
        c.put("6.2.1 valid UTF-8 in one frame", f -> {
            f.sendText("Hello-µ@ßöäüàá-UTF-8!!");
            f.expectEcho(0x1, utf8("Hello-µ@ßöäüàá-UTF-8!!"));
            closeNormally(f);
        });
        c.put("6.2.3 valid UTF-8 fragmented into octets", f -> {
            byte[] p = utf8("Hello-µ@ßöäüàá-UTF-8!!");
            f.send(false, 0, 0x1, new byte[] {p[0]});
            for (int i = 1; i < p.length - 1; i++) {
                f.send(false, 0, 0x0, new byte[] {p[i]});
            }
            f.send(true, 0, 0x0, new byte[] {p[p.length - 1]});
            f.expectEcho(0x1, p);
            closeNormally(f);
        });
        c.put("6.3.1 invalid UTF-8 (a surrogate) fails 1007", f -> {
            f.send(0x1, new byte[] {(byte) 0xCE, (byte) 0xBA, (byte) 0xE1, (byte) 0xBD, (byte) 0xB9, (byte) 0xCF, (byte) 0x83,
                    (byte) 0xCE, (byte) 0xBC, (byte) 0xCE, (byte) 0xB5, (byte) 0xED, (byte) 0xA0, (byte) 0x80, 0x65, 0x64, 0x69,
                    0x74, 0x65, 0x64});
            f.expectClose(1007);
        });
        c.put("6.4.1 invalid UTF-8 fails fast, mid-message", f -> {
            f.send(false, 0, 0x1, new byte[] {(byte) 0xCE, (byte) 0xBA, (byte) 0xE1, (byte) 0xBD, (byte) 0xB9, (byte) 0xCF,
                    (byte) 0x83, (byte) 0xCE, (byte) 0xBC, (byte) 0xCE, (byte) 0xB5});
            f.send(false, 0, 0x0, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80});
            f.expectClose(1007); // before the message ends
        });
        c.put("6.x text ending inside a sequence fails 1007", f -> {
            f.send(0x1, new byte[] {0x61, (byte) 0xE2, (byte) 0x82});
            f.expectClose(1007);
        });
        // 7: close handling
        c.put("7.1.1 text then close", f -> {
            f.sendText("Hello World!");
            f.expectEcho(0x1, utf8("Hello World!"));
            closeNormally(f);
        });
        c.put("7.1.3 ping after close is ignored", f -> {
            f.send(0x8, closePayload(1000, ""));
            f.send(0x9, utf8("ping"));
            f.expectClose(1000);
        });
        c.put("7.1.4 text after close is ignored", f -> {
            f.send(0x8, closePayload(1000, ""));
            f.sendText("after close");
            f.expectClose(1000);
        });
        c.put("7.3.1 close with an empty payload", f -> {
            f.send(0x8, new byte[0]);
            f.expectClose(-1);
        });
        c.put("7.3.2 close with a 1-byte payload fails 1002", f -> {
            f.send(0x8, new byte[] {0x03});
            f.expectClose(1002);
        });
        c.put("7.3.4 close with a code and a reason", f -> {
            f.send(0x8, closePayload(1000, "Hello World!"));
            f.expectClose(1000);
        });
        c.put("7.3.5 close with a 123-byte reason", f -> {
            f.send(0x8, closePayload(1000, "*".repeat(123)));
            f.expectClose(1000);
        });
        c.put("7.3.6 close with a 124-byte reason fails 1002", f -> {
            f.send(0x8, closePayload(1000, "*".repeat(124)));
            f.expectClose(1002);
        });
        c.put("7.5.1 close reason not UTF-8 fails 1007", f -> {
            byte[] p = {0x03, (byte) 0xE8, (byte) 0xCE, (byte) 0xBA, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
            f.send(0x8, p);
            f.expectClose(1007);
        });
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999}) {
            c.put("7.7 valid close code " + code + " is echoed", f -> {
                f.send(0x8, closePayload(code, ""));
                f.expectClose(code);
            });
        }
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999, 5000, 65535}) {
            c.put("7.9 invalid close code " + code + " fails 1002", f -> {
                f.send(0x8, closePayload(code, ""));
                f.expectClose(1002);
            });
        }
        // 9: limits (aio4j's default maximum is 4 MiB)
        for (int n : new int[] {64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024}) {
            c.put("9.1 text " + n, f -> {
                byte[] p = filled(n);
                f.send(0x1, p);
                f.expectEcho(0x1, p);
                closeNormally(f);
            });
            c.put("9.2 binary " + n, f -> {
                byte[] p = filled(n);
                f.send(0x2, p);
                f.expectEcho(0x2, p);
                closeNormally(f);
            });
        }
        c.put("9.x message over the maximum fails 1009 from its header", f -> {
            byte[] frame = f.frame(true, 0, 0x2, new byte[4 * 1024 * 1024 + 1]);
            f.out.write(Arrays.copyOf(frame, f.client ? 14 : 10)); // the header alone: no payload byte is needed
            f.expectClose(1009);
        });
        c.put("9.4 binary 1 MiB in 64 KiB fragments", f -> {
            byte[] p = filled(1024 * 1024);
            for (int i = 0; i < 16; i++) {
                f.send(i == 15, 0, i == 0 ? 0x2 : 0x0, Arrays.copyOfRange(p, i * 65536, (i + 1) * 65536));
            }
            f.expectEcho(0x2, p);
            closeNormally(f);
        });
        return c;
    }

    // ------------------------------------------------------------------------- the two ends

    /** The aio4j end's echo loop: text and binary back, until the close. */
    static void echo(Iterable<WSMessage> ws, Sender send) throws IOException {
        for (WSMessage m : ws) {
            switch (m.type()) {
                case TEXT -> send.text(m.str());
                case BINARY -> send.bytes(m.bytes());
                default -> { }
            }
        }
    }

    interface Sender {
        void text(String s) throws IOException;

        void bytes(byte[] b) throws IOException;
    }

    /** Runs {@code c} with a fuzzing client against the aio4j server's echo handler. */
    static void againstServer(String offer, Case c) throws Exception {
        WsHarness.run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            echo(ws, new Sender() {
                public void text(String s) throws IOException { ws.sendStr(s); }

                public void bytes(byte[] b) throws IOException { ws.sendBytes(b); }
            });
            return ws;
        }), (base, s) -> {
            URI u = URI.create(base);
            StreamPair p = Streams.openConnection(u.getHost(), u.getPort());
            String key = Handshake.newKey(new Random(3));
            p.writer().write(utf8("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\n" + (offer == null ? "" : "Sec-WebSocket-Extensions: " + offer + "\r\n") + "\r\n"));
            String head = new String(p.reader().readuntil(utf8("\r\n\r\n")), StandardCharsets.ISO_8859_1);
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            assertTrue(head.contains("Sec-WebSocket-Accept: " + Handshake.accept(key)), head);
            PerMessageDeflate codec = null;
            if (offer != null) {
                String ext = head.lines().filter(l -> l.startsWith("Sec-WebSocket-Extensions: ")).map(l -> l.substring(26).strip())
                        .findFirst().orElse(null);
                assertNotNull(ext, "permessage-deflate accepted: " + head);
                codec = DeflateNegotiation.acceptResponse(List.of(ext), offer.contains("client_no_context_takeover"))
                        .codec(Role.CLIENT, -1);
            }
            c.run(new Fuzzer(p.reader(), p.writer(), true, codec));
        });
    }

    /** Runs {@code c} with a fuzzing server against an aio4j client's echo loop. */
    static void againstClient(boolean compress, boolean serverNoContextTakeover, Case c) throws Exception {
        Aio.run(() -> {
            Future<Fuzzer> fuzzer = Aio.getRunningLoop().createFuture();
            Future<Void> done = Aio.getRunningLoop().createFuture();
            Server server = Streams.startServer((in, out) -> {
                String head = new String(in.readuntil(utf8("\r\n\r\n")), StandardCharsets.ISO_8859_1);
                String key = head.lines().filter(l -> l.startsWith("Sec-WebSocket-Key: ")).map(l -> l.substring(19).strip())
                        .findFirst().orElseThrow();
                List<String> offers = head.lines().filter(l -> l.startsWith("Sec-WebSocket-Extensions: "))
                        .map(l -> l.substring(26).strip()).toList();
                DeflateNegotiation.Agreement a = compress ? DeflateNegotiation.negotiate(offers, serverNoContextTakeover) : null;
                out.write(utf8("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                        + Handshake.accept(key) + "\r\n" + (a == null ? "" : "Sec-WebSocket-Extensions: " + a.responseHeader() + "\r\n")
                        + "\r\n"));
                fuzzer.setResult(new Fuzzer(in, out, false, a == null ? null : a.codec(Role.SERVER, -1)));
                done.await();
            }, "127.0.0.1", 0);
            int port = ((java.net.InetSocketAddress) server.addresses().get(0)).getPort();
            try (ClientSession s = ClientSession.create()) {
                ClientWebSocketResponse ws = s.wsConnect("ws://127.0.0.1:" + port + "/", WSConnectOption.compress(compress),
                        WSConnectOption.maxMsgSize(4 * 1024 * 1024));
                Task<Void> loop = Aio.createTask(() -> echo(ws, new Sender() {
                    public void text(String t) { ws.sendStr(t); }

                    public void bytes(byte[] b) { ws.sendBytes(b); }
                }));
                try {
                    c.run(fuzzer.await());
                    loop.await();
                } finally {
                    done.setResult(null);
                    server.close();
                }
            }
            return null;
        });
    }

    @TestFactory
    Stream<DynamicTest> caseGroupsAgainstTheServer() {
        return cases().entrySet().stream().map(e -> DynamicTest.dynamicTest("server: " + e.getKey(),
                () -> againstServer(null, e.getValue())));
    }

    @TestFactory
    Stream<DynamicTest> caseGroupsAgainstTheClient() {
        return cases().entrySet().stream().map(e -> DynamicTest.dynamicTest("client: " + e.getKey(),
                () -> againstClient(false, false, e.getValue())));
    }

    // ------------------------------------------------------------------- 12, 13: compression

    /** Autobahn 12/13: messages of growing sizes, text and binary, compressed both ways. */
    static Case compressedEchoes() {
        return f -> {
            Random r = new Random(12);
            String[] words = {"autobahn ", "websocket ", "deflate ", "κόσμε ", "message ", "frame "};
            for (int size : new int[] {16, 64, 256, 1024, 4096, 16384, 65536, 131072}) {
                for (int i = 0; i < 5; i++) {
                    StringBuilder sb = new StringBuilder();
                    while (sb.length() < size) {
                        sb.append(words[r.nextInt(words.length)]);
                    }
                    byte[] text = utf8(sb.toString());
                    f.sendCompressed(0x1, text);
                    f.expectEcho(0x1, text);
                    byte[] bin = new byte[size];
                    r.nextBytes(bin);
                    f.sendCompressed(0x2, bin);
                    f.expectEcho(0x2, bin);
                }
            }
            closeNormally(f);
        };
    }

    @TestFactory
    Stream<DynamicTest> compressionAgainstTheServer() {
        List<String> offers = new ArrayList<>(List.of("permessage-deflate", "permessage-deflate; client_no_context_takeover",
                "permessage-deflate; server_no_context_takeover",
                "permessage-deflate; client_no_context_takeover; server_no_context_takeover",
                "permessage-deflate; client_max_window_bits", "permessage-deflate; client_max_window_bits=9",
                "permessage-deflate; server_max_window_bits=9, permessage-deflate"));
        return offers.stream().map(o -> DynamicTest.dynamicTest("server: 12/13 " + o, () -> againstServer(o, compressedEchoes())));
    }

    @TestFactory
    Stream<DynamicTest> compressionAgainstTheClient() {
        return Stream.of(false, true).map(snct -> DynamicTest.dynamicTest("client: 12/13 permessage-deflate"
                + (snct ? ", server_no_context_takeover" : ""), () -> againstClient(true, snct, compressedEchoes())));
    }
}
