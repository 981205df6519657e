package dev.aio4j.streams.test;

import dev.aio4j.streams.Transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;

/**
 * Makes a loopback connection's kernel buffers small, for tests that need a peer that does not
 * read to stop a writer: with the defaults, Linux's autotuning lets one loopback socket take
 * megabytes (tcp_rmem's and tcp_wmem's maxima vary from machine to machine), so "more than the
 * buffers hold" would be a guess. An explicit SO_SNDBUF / SO_RCVBUF also turns autotuning off for
 * that socket. aio4j-only test helper.
 */
public final class SmallSocketBuffers {
    /** The size asked for (Linux doubles it for its bookkeeping). */
    public static final int SIZE = 64 * 1024;

    private SmallSocketBuffers() {}

    /**
     * Shrinks the send and receive buffers of the socket under {@code t} (a socket transport, or
     * TLS over one: its {@code socket} extra info).
     *
     * @param t the transport
     */
    public static void shrink(Transport t) {
        Object s = t.getExtraInfo("socket", null);
        if (!(s instanceof NetworkChannel ch)) {
            throw new IllegalArgumentException("no socket under " + t + ": " + s);
        }
        try {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, SIZE);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, SIZE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
