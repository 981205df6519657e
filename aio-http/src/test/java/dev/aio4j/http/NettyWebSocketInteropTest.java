package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static dev.aio4j.http.WSConnectOption.autoping;
import static dev.aio4j.http.WSConnectOption.compress;
import static dev.aio4j.http.WSConnectOption.header;
import static dev.aio4j.http.WSConnectOption.protocols;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interoperability with a WebSocket server aio4j did not write: the aio4j client against Netty
 * 4.2's WebSocket server ({@code WebSocketServerProtocolHandler}, with and without its
 * permessage-deflate handlers), started in-process on loopback on one event loop. Covers text and
 * binary echo, payload lengths at the 7/16/64-bit boundaries, a fragmented message with a ping
 * between its fragments, ping/pong, the close handshake both ways with the code echoed, subprotocol
 * negotiation, and permessage-deflate with context takeover, without it, and with a client window
 * Netty limits to fewer than 15 bits. aio4j-only (issue 16's interoperability proof).
 *
 * <p>Netty's servers: {@code /ws} echoes text and binary frames as they come (continuations too),
 * answers {@code "fragment"} with a message in three fragments and a ping between them,
 * {@code "close:CODE"} with a close frame of that code, {@code "protocol?"} with the subprotocol
 * its handshake chose, and a pong with the text {@code "pong:PAYLOAD"}. Netty answers pings itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyWebSocketInteropTest {
    private static EventLoopGroup group;
    private static int plain;
    private static int deflate;
    private static int deflateNoContext;
    private static int deflateSmallClientWindow;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        plain = serve(null);
        deflate = serve(WebSocketServerCompressionHandler::new);
        // allowServerNoContext: the client may ask for server_no_context_takeover; preferredClientNoContext:
        // Netty answers client_no_context_takeover when the client offers it.
        deflateNoContext = serve(() -> new WebSocketServerExtensionHandler(
                new PerMessageDeflateServerExtensionHandshaker(6, false, 15, true, true, 0)));
        // Netty asks the client for a 9-bit window when the offer carries client_max_window_bits.
        deflateSmallClientWindow = serve(() -> new WebSocketServerExtensionHandler(
                new PerMessageDeflateServerExtensionHandshaker(6, false, 9, false, false, 0)));
    }

    @AfterAll
    static void stop() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private static int serve(Supplier<ChannelHandler> extensions) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192));
                        if (extensions != null) {
                            ch.pipeline().addLast(extensions.get());
                        }
                        ch.pipeline().addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                .websocketPath("/ws").subprotocols("chat,superchat").maxFramePayloadLength(1 << 20)
                                .allowExtensions(true).dropPongFrames(false).build()), new Echo());
                    }
                });
        Channel ch = b.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** Netty's side: echoes, and the few commands above. */
    private static final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {
        private String protocol = "";

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
                protocol = done.selectedSubprotocol() == null ? "" : done.selectedSubprotocol();
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame t && t.isFinalFragment()) {
                String text = t.text();
                if (text.equals("fragment")) {
                    ctx.write(new TextWebSocketFrame(false, 0, "frag"));
                    ctx.write(new PingWebSocketFrame(Unpooled.copiedBuffer("between", StandardCharsets.UTF_8)));
                    ctx.write(new ContinuationWebSocketFrame(false, 0, "men"));
                    ctx.writeAndFlush(new ContinuationWebSocketFrame(true, 0, "ted \u00e9\u20ac"));
                    return;
                }
                if (text.startsWith("close:")) {
                    ctx.writeAndFlush(new CloseWebSocketFrame(Integer.parseInt(text.substring(6)), "netty says bye"));
                    return;
                }
                if (text.equals("protocol?")) {
                    ctx.writeAndFlush(new TextWebSocketFrame(protocol));
                    return;
                }
            }
            ByteBuf content = frame.content().retain();
            if (frame instanceof TextWebSocketFrame) {
                ctx.writeAndFlush(new TextWebSocketFrame(frame.isFinalFragment(), 0, content));
            } else if (frame instanceof BinaryWebSocketFrame) {
                ctx.writeAndFlush(new BinaryWebSocketFrame(frame.isFinalFragment(), 0, content));
            } else if (frame instanceof ContinuationWebSocketFrame) {
                ctx.writeAndFlush(new ContinuationWebSocketFrame(frame.isFinalFragment(), 0, content));
            } else if (frame instanceof PongWebSocketFrame) {
                ctx.writeAndFlush(new TextWebSocketFrame("pong:" + content.toString(StandardCharsets.UTF_8)));
                content.release();
            } else {
                content.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private interface Body {
        void run(ClientSession session);
    }

    private static void client(Body body) {
        Aio.run(() -> {
            try (ClientSession session = ClientSession.create()) {
                body.run(session);
            }
            return null;
        });
    }

    private static String url(int port) {
        return "ws://127.0.0.1:" + port + "/ws";
    }

    private static byte[] noise(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Text that compresses (so that deflate's back-references are exercised), n bytes of ASCII. */
    private static String prose(int n, long seed) {
        String[] words = {"the ", "event ", "loop ", "runs ", "a ", "task ", "until ", "it ", "awaits ", "socket "};
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(n + 8);
        while (sb.length() < n) {
            sb.append(words[r.nextInt(words.length)]);
        }
        sb.setLength(n);
        return sb.toString();
    }

    /** Echo of text and binary messages at every length boundary, then the close handshake. */
    private static void echoAll(int port, WSConnectOption... options) {
        client(s -> {
            ClientWebSocketResponse ws = s.wsConnect(url(port), options);
            try {
                ws.sendStr("hello, Netty \u00e9\u20ac\uD83D\uDE00");
                assertEquals("hello, Netty \u00e9\u20ac\uD83D\uDE00", ws.receiveStr());
                ws.sendStr("");
                assertEquals("", ws.receiveStr());
                for (int n : new int[] {1, 125, 126, 127, 65_535, 65_536, 65_537, 300_000}) {
                    byte[] data = noise(n, n);
                    ws.sendBytes(data);
                    assertArrayEquals(data, ws.receiveBytes(), "binary of " + n + " bytes");
                    String text = prose(n, n);
                    ws.sendStr(text);
                    assertEquals(text, ws.receiveStr(), "text of " + n + " bytes");
                }
                for (int i = 0; i < 50; i++) { // many messages: context takeover carries over between them
                    String text = prose(200 + i, i) + i;
                    ws.sendStr(text);
                    assertEquals(text, ws.receiveStr());
                }
            } finally {
                assertTrue(ws.close(4001, "bye"));
            }
            assertEquals(4001, ws.closeCode().getAsInt(), "Netty echoes the close code");
            assertTrue(ws.closed());
        });
    }

    @Test
    void echoWithoutCompression() {
        client(s -> {
            ClientWebSocketResponse ws = s.wsConnect(url(plain), compress(true));
            assertFalse(ws.compressed(), "this Netty server has no extension handler: it declines the offer");
            ws.close();
        });
        echoAll(plain);
    }

    @Test
    void echoWithPermessageDeflate() {
        client(s -> {
            ClientWebSocketResponse ws = s.wsConnect(url(deflate), compress(true));
            assertTrue(ws.compressed());
            ws.close();
        });
        echoAll(deflate, compress(true));
    }

    @Test
    void echoWithoutContextTakeoverBothWays() {
        client(s -> {
            ClientWebSocketResponse ws = s.wsConnect(url(deflateNoContext), compress(true),
                    header("Sec-WebSocket-Extensions", "permessage-deflate; client_no_context_takeover; server_no_context_takeover"));
            assertTrue(ws.compressed());
            String ext = ws.headers().get("Sec-WebSocket-Extensions");
            assertTrue(ext.contains("server_no_context_takeover") && ext.contains("client_no_context_takeover"), ext);
            ws.close();
        });
        echoAll(deflateNoContext, compress(true),
                header("Sec-WebSocket-Extensions", "permessage-deflate; client_no_context_takeover; server_no_context_takeover"));
    }

    @Test
    void echoWithAClientWindowNettyLimits() {
        client(s -> {
            ClientWebSocketResponse ws = s.wsConnect(url(deflateSmallClientWindow), compress(true));
            assertTrue(ws.compressed());
            assertTrue(ws.headers().get("Sec-WebSocket-Extensions").contains("client_max_window_bits=9"),
                    ws.headers().get("Sec-WebSocket-Extensions"));
            ws.close();
        });
        echoAll(deflateSmallClientWindow, compress(true));
    }

    @Test
    void aServerWindowOfferNettyDoesNotAllowIsDeclined() {
        // Netty's default handshaker refuses server_max_window_bits: the connection goes on uncompressed.
        client(s -> {
            ClientWebSocketResponse ws = s.wsConnect(url(deflate), compress(10));
            assertFalse(ws.compressed());
            ws.sendStr("still fine");
            assertEquals("still fine", ws.receiveStr());
            ws.close();
        });
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fragmentedMessageWithAPingBetween(boolean compressed) {
        client(s -> {
            ClientWebSocketResponse ws = s.wsConnect(url(compressed ? deflate : plain), compress(compressed), autoping(false));
            ws.sendStr("fragment");
            WSMessage ping = ws.receive();
            assertEquals(WSMsgType.PING, ping.type(), "the control frame between the fragments comes first");
            assertArrayEquals("between".getBytes(StandardCharsets.UTF_8), ping.bytes());
            assertEquals("fragmented \u00e9\u20ac", ws.receiveStr());
            ws.close();
        });
    }

    @Test
    void pingAndPong() {
        client(s -> {
            ClientWebSocketResponse ws = s.wsConnect(url(plain), autoping(false));
            ws.ping("are you there".getBytes(StandardCharsets.UTF_8));
            WSMessage pong = ws.receive();
            assertEquals(WSMsgType.PONG, pong.type());
            assertArrayEquals("are you there".getBytes(StandardCharsets.UTF_8), pong.bytes());
            ws.pong("unsolicited".getBytes(StandardCharsets.UTF_8));
            assertEquals("pong:unsolicited", ws.receiveStr(), "Netty read the client's masked pong");
            ws.close();
        });
        client(s -> { // autoping: Netty's ping inside a fragmented message is answered and not delivered
            ClientWebSocketResponse ws = s.wsConnect(url(plain));
            ws.sendStr("fragment");
            assertEquals("fragmented \u00e9\u20ac", ws.receiveStr());
            assertEquals("pong:between", ws.receiveStr(), "the client answered Netty's ping with its payload");
            ws.close();
        });
    }

    @Test
    void closeStartedByNetty() {
        client(s -> {
            ClientWebSocketResponse ws = s.wsConnect(url(plain));
            ws.sendStr("close:4002");
            WSMessage close = ws.receive();
            assertEquals(WSMsgType.CLOSE, close.type());
            assertEquals(4002, close.data());
            assertEquals("netty says bye", close.extra());
            assertTrue(ws.closed(), "autoclose answered and closed");
            assertEquals(4002, ws.closeCode().getAsInt());
        });
    }

    @Test
    void subprotocolNegotiation() {
        client(s -> {
            ClientWebSocketResponse ws = s.wsConnect(url(plain), protocols("v2.chat", "superchat", "chat"));
            assertEquals("superchat", ws.protocol(), "Netty picks the first offered protocol it supports");
            ws.sendStr("protocol?");
            assertEquals("superchat", ws.receiveStr());
            ws.close();
        });
        client(s -> {
            ClientWebSocketResponse ws = s.wsConnect(url(plain), protocols("v2.chat"));
            assertEquals(null, ws.protocol(), "no common subprotocol: none");
            ws.close();
        });
    }
}
