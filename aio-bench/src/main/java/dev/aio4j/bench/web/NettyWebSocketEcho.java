package dev.aio4j.bench.web;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Netty peer of the WebSocket echo benchmark (issue 16): Netty 4.2's WebSocket server
 * ({@code WebSocketServerProtocolHandler} on {@code /ws}) on one NIO event loop, echoing text and
 * binary frames, in the shape of Netty's own examples: frames written as they are read, flushed at
 * the end of each read ({@code channelReadComplete}), pings answered by Netty. And a Netty client
 * for the same workload ({@link Client}): {@code WebSocketClientProtocolHandler} on one event loop,
 * each connection sending a 32-byte text message and the next one when the echo arrives.
 * aio4j-only.
 *
 * <p>Standalone: {@code java -cp benchmarks.jar dev.aio4j.bench.web.NettyWebSocketEcho PORT};
 * prints {@code serving on ws://127.0.0.1:PORT/ws} when ready.
 */
public final class NettyWebSocketEcho {
    private NettyWebSocketEcho() {}

    /**
     * Serves until killed.
     *
     * @param args the port
     * @throws Exception if it cannot bind
     */
    public static void main(String[] args) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel ch = serve(group, Integer.parseInt(args[0]));
            System.out.println("serving on ws://127.0.0.1:" + ((InetSocketAddress) ch.localAddress()).getPort() + "/ws");
            System.out.flush();
            ch.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /**
     * Starts the echo server on a group (give it a group of one event loop).
     *
     * @param group the event loops
     * @param port the port, 0 for any
     * @return the server channel; its local address has the port
     * @throws InterruptedException if interrupted while binding
     */
    public static Channel serve(EventLoopGroup group, int port) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new WebSocketServerProtocolHandler("/ws", null, true, 1 << 20), new ServerEcho());
                    }
                });
        return b.bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
    }

    /** Writes each text or binary frame back; flushes once per read. */
    private static final class ServerEcho extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                ctx.write(frame.retain());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Netty's client side of the echo workload: {@code connections} WebSockets on one event loop,
     * each sending a text message and the next one when its echo arrives.
     */
    public static final class Client implements AutoCloseable {
        private final EventLoopGroup group;
        private final boolean ownGroup;
        private final List<Channel> channels = new ArrayList<>();
        private final byte[] message;
        private volatile Round round;

        /** One batch of echoes: how many each connection still sends, and the end. */
        private static final class Round {
            final AtomicInteger left;
            final CompletableFuture<Integer> done = new CompletableFuture<>();
            final int each;
            int received; // touched on the event loop only

            Round(int connections, int each) {
                this.left = new AtomicInteger(connections);
                this.each = each;
            }
        }

        /**
         * Connects and completes the handshakes.
         *
         * @param url the server's {@code ws://} URL
         * @param connections how many WebSockets
         * @param message the text message (ASCII)
         * @throws Exception if a connection or handshake fails
         */
        public Client(String url, int connections, String message) throws Exception {
            this(url, connections, message, null);
        }

        /**
         * Connects and completes the handshakes, on a given group (the server's, to run client and
         * server on one event loop as the other stacks' same-loop runs do) or a new one.
         *
         * @param url the server's {@code ws://} URL
         * @param connections how many WebSockets
         * @param message the text message (ASCII)
         * @param on the event loops to use, or {@code null} for a new group of one
         * @throws Exception if a connection or handshake fails
         */
        public Client(String url, int connections, String message, EventLoopGroup on) throws Exception {
            this.ownGroup = on == null;
            this.group = on == null ? new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()) : on;
            this.message = message.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            URI uri = URI.create(url);
            for (int i = 0; i < connections; i++) {
                CompletableFuture<Void> ready = new CompletableFuture<>();
                Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                                        new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                                .webSocketUri(uri).maxFramePayloadLength(1 << 20).build()),
                                        new ClientEcho(ready));
                            }
                        });
                channels.add(b.connect(uri.getHost(), uri.getPort()).sync().channel());
                ready.get(30, TimeUnit.SECONDS);
            }
        }

        /**
         * Sends {@code total} messages spread over the connections, each one at a time, and
         * waits for every echo.
         *
         * @param total messages, a multiple of the connection count
         * @return echoes received
         * @throws Exception if the round fails or takes over a minute
         */
        public int run(int total) throws Exception {
            Round r = new Round(channels.size(), total / channels.size());
            round = r;
            channels.get(0).eventLoop().execute(() -> {
                for (Channel ch : channels) {
                    ch.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(message)));
                }
            });
            return r.done.get(60, TimeUnit.SECONDS);
        }

        /** Counts echoes and sends the next message of its connection. */
        private final class ClientEcho extends SimpleChannelInboundHandler<WebSocketFrame> {
            private final CompletableFuture<Void> ready;
            private int sent = 1;

            ClientEcho(CompletableFuture<Void> ready) {
                this.ready = ready;
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                    ready.complete(null);
                }
                super.userEventTriggered(ctx, evt);
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                if (!(frame instanceof TextWebSocketFrame t)) {
                    return;
                }
                Round r = round;
                if (t.content().readableBytes() == message.length) {
                    r.received++;
                }
                if (sent < r.each) {
                    sent++;
                    ctx.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(message)));
                } else {
                    sent = 1;
                    if (r.left.decrementAndGet() == 0) {
                        r.done.complete(r.received);
                    }
                }
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                ctx.flush();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ready.completeExceptionally(cause);
                Round r = round;
                if (r != null) {
                    r.done.completeExceptionally(cause);
                }
                ctx.close();
            }
        }

        @Override
        public void close() throws InterruptedException {
            for (Channel ch : channels) {
                ch.close().sync();
            }
            if (ownGroup) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        }
    }
}
