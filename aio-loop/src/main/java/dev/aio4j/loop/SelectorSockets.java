package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.IpLiterals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * The loop's socket coroutines ({@code sock_recv}, {@code sock_sendall}, {@code sock_connect},
 * {@code sock_accept}, {@code sock_recvfrom}, {@code sock_sendto}, {@code sock_sendfile},
 * {@code getaddrinfo}; asyncio's {@code selector_events.py} and {@code base_events.py}), behind
 * {@link EventLoop}'s public methods of the same names. Package-private; loop-confined.
 */
final class SelectorSockets {
    private final EventLoop loop;
    private final Readiness readiness;

    SelectorSockets(EventLoop loop, Readiness readiness) {
        this.loop = loop;
        this.readiness = readiness;
    }

    /** Suspends the current task until {@code channel} is readable (read) or writable. */
    private void waitReady(SelectableChannel channel, boolean read, String what) {
        Future<Void> f = new Future<>(loop);
        loop.taskForAwait(what, channel);
        Runnable wake = () -> {
            if (!f.done()) {
                f.setResultInternal(null);
            }
        };
        readiness.add(channel, wake, read);
        try {
            f.await();
        } finally {
            if (!loop.isClosed()) {
                readiness.remove(channel, read);
            }
        }
    }

    private static void checkNonBlocking(SelectableChannel ch, String what) {
        if (ch.isBlocking()) {
            throw new IllegalArgumentException(what + ": the channel must be in non-blocking mode; call "
                    + "configureBlocking(false) first: " + ch);
        }
    }

    int sockRecvInto(SocketChannel channel, ByteBuffer dst) throws IOException {
        Checks.notNull(channel, "channel");
        Checks.notNull(dst, "dst");
        checkNonBlocking(channel, "EventLoop.sockRecvInto()");
        while (true) {
            if (!dst.hasRemaining()) {
                return 0;
            }
            int n = channel.read(dst);
            if (n != 0) {
                return Math.max(n, 0);
            }
            waitReady(channel, true, "EventLoop.sockRecvInto()");
        }
    }

    byte[] sockRecv(SocketChannel channel, int n) throws IOException {
        Checks.positive(n, "n");
        ByteBuffer buf = ByteBuffer.allocate(n);
        int got = sockRecvInto(channel, buf);
        return Arrays.copyOf(buf.array(), got);
    }

    void sockSendall(SocketChannel channel, ByteBuffer src) throws IOException {
        Checks.notNull(channel, "channel");
        Checks.notNull(src, "src");
        checkNonBlocking(channel, "EventLoop.sockSendall()");
        while (src.hasRemaining()) {
            if (channel.write(src) == 0) {
                waitReady(channel, false, "EventLoop.sockSendall()");
            }
        }
    }

    void sockSendall(SocketChannel channel, byte[] data) throws IOException {
        sockSendall(channel, ByteBuffer.wrap(Checks.notNull(data, "data")));
    }

    void sockConnect(SocketChannel channel, SocketAddress address) throws IOException {
        Checks.notNull(channel, "channel");
        Checks.notNull(address, "address");
        checkNonBlocking(channel, "EventLoop.sockConnect()");
        if (channel.connect(address)) {
            return;
        }
        while (true) {
            waitReady(channel, false, "EventLoop.sockConnect()");
            if (channel.finishConnect()) {
                return;
            }
        }
    }

    SocketChannel sockAccept(ServerSocketChannel server) throws IOException {
        Checks.notNull(server, "server");
        checkNonBlocking(server, "EventLoop.sockAccept()");
        while (true) {
            SocketChannel c = server.accept();
            if (c != null) {
                c.configureBlocking(false);
                return c;
            }
            waitReady(server, true, "EventLoop.sockAccept()");
        }
    }

    SocketAddress sockRecvfromInto(DatagramChannel channel, ByteBuffer dst) throws IOException {
        Checks.notNull(channel, "channel");
        Checks.notNull(dst, "dst");
        checkNonBlocking(channel, "EventLoop.sockRecvfromInto()");
        while (true) {
            SocketAddress from = channel.receive(dst); // a datagram longer than dst is cut, as recvfrom_into
            if (from != null) {
                return from;
            }
            waitReady(channel, true, "EventLoop.sockRecvfromInto()");
        }
    }

    EventLoop.Datagram sockRecvfrom(DatagramChannel channel, int bufsize) throws IOException {
        Checks.positive(bufsize, "bufsize");
        ByteBuffer buf = ByteBuffer.allocate(bufsize);
        SocketAddress from = sockRecvfromInto(channel, buf);
        return new EventLoop.Datagram(Arrays.copyOf(buf.array(), buf.position()), from);
    }

    int sockSendto(DatagramChannel channel, ByteBuffer src, SocketAddress address) throws IOException {
        Checks.notNull(channel, "channel");
        Checks.notNull(src, "src");
        Checks.notNull(address, "address");
        checkNonBlocking(channel, "EventLoop.sockSendto()");
        while (true) {
            int n = channel.send(src, address); // all of the datagram or nothing (no room in the send buffer)
            if (n != 0 || !src.hasRemaining()) {
                return n;
            }
            waitReady(channel, false, "EventLoop.sockSendto()");
        }
    }

    long sockSendfile(SocketChannel channel, FileChannel file, long offset, long count) throws IOException {
        Checks.notNull(channel, "channel");
        Checks.notNull(file, "file");
        checkNonBlocking(channel, "EventLoop.sockSendfile()");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0 (0: to the end of the file), got " + count);
        }
        long end = file.size();
        if (count > 0 && count < end - offset) { // compared as a length: offset + count may pass Long.MAX_VALUE
            end = offset + count;
        }
        long pos = offset;
        try {
            while (pos < end) {
                long n = file.transferTo(pos, end - pos, channel);
                if (n > 0) {
                    pos += n;
                } else if (pos < file.size()) {
                    waitReady(channel, false, "EventLoop.sockSendfile()");
                } else {
                    break; // the file shrank meanwhile: what there was is sent
                }
            }
        } finally {
            if (pos > offset) { // as asyncio's _sock_sendfile_update_filepos: after the last byte sent, untouched if none
                file.position(pos);
            }
        }
        return pos - offset;
    }

    List<InetSocketAddress> getaddrinfo(String host, int port) throws UnknownHostException {
        Checks.notNull(host, "host");
        Checks.port(port);
        InetAddress[] addresses;
        if (IpLiterals.isIpLiteral(host)) {
            addresses = InetAddress.getAllByName(host); // no lookup for a literal
        } else {
            try {
                addresses = loop.runInExecutor(null, () -> InetAddress.getAllByName(host)).await();
            } catch (CompletionException e) {
                if (e.getCause() instanceof UnknownHostException u) {
                    throw u;
                }
                throw e;
            }
        }
        List<InetSocketAddress> out = new ArrayList<>(addresses.length);
        for (InetAddress a : addresses) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }
}
