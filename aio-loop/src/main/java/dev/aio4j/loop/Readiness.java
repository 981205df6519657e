package dev.aio4j.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * The loop's selector registrations (asyncio's {@code add_reader}/{@code add_writer} layer of
 * {@code selector_events.py}): one key per channel whose attachment holds the channel's reader
 * and writer handles. Loop-confined; package-private because it queues {@link Handle}s.
 *
 * <p>A key with neither a reader nor a writer is cancelled at once, so {@code selector.keys()}
 * is empty exactly when nothing waits for I/O (what the virtual clock asks).
 */
final class Readiness {
    private final EventLoop loop;
    private final Selector selector;

    /** The attachment of a registered key. */
    static final class Entry {
        Handle reader;
        Handle writer;
    }

    Readiness(EventLoop loop, Selector selector) {
        this.loop = loop;
        this.selector = selector;
    }

    /**
     * Deregisters the cancelled keys now (a selectNow()), which really closes a channel closed
     * while registered, and drops the keys that select selected: the selector is level-triggered,
     * so the next select sees them again, while a schedule's select dispatches the whole
     * selected-key set and would run their callbacks again with this moment's stale readiness.
     * On the loop's side, never during its select.
     */
    void flushCancelledKeys() throws IOException {
        selector.selectNow();
        selector.selectedKeys().clear();
    }

    void add(SelectableChannel ch, Runnable callback, boolean read) {
        if (ch.isBlocking()) {
            throw new IllegalArgumentException("the channel must be in non-blocking mode; call configureBlocking(false) "
                    + "before registering it with the loop: " + ch);
        }
        SelectionKey key = ch.keyFor(selector);
        if (key != null && !key.isValid()) {
            // Cancelled earlier and not yet deregistered: flush it before registering again.
            try {
                flushCancelledKeys();
            } catch (IOException e) {
                throw new UncheckedIOException("selectNow() failed while re-registering " + ch, e);
            }
            key = null;
        }
        Entry e;
        if (key == null) {
            e = new Entry();
            try {
                key = ch.register(selector, 0, e);
            } catch (ClosedChannelException closed) {
                throw new IllegalStateException("cannot wait for I/O on a closed channel: " + ch, closed);
            }
        } else {
            e = (Entry) key.attachment();
        }
        Handle h = new Handle(loop, callback);
        if (read) {
            if (e.reader != null) {
                e.reader.cancel();
            }
            e.reader = h;
        } else {
            if (e.writer != null) {
                e.writer.cancel();
            }
            e.writer = h;
        }
        key.interestOps(ops(e, ch));
    }

    boolean remove(SelectableChannel ch, boolean read) {
        SelectionKey key = ch.keyFor(selector);
        if (key == null || !key.isValid()) {
            return false;
        }
        Entry e = (Entry) key.attachment();
        Handle h = read ? e.reader : e.writer;
        if (h == null) {
            return false;
        }
        h.cancel();
        if (read) {
            e.reader = null;
        } else {
            e.writer = null;
        }
        if (e.reader == null && e.writer == null) {
            key.cancel();
        } else {
            key.interestOps(ops(e, ch));
        }
        return true;
    }

    private static int ops(Entry e, SelectableChannel ch) {
        int valid = ch.validOps();
        int ops = 0;
        if (e.reader != null) {
            ops |= valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        if (e.writer != null) {
            if (ch instanceof SocketChannel sc && sc.isConnectionPending()) {
                ops |= SelectionKey.OP_CONNECT;
            } else {
                ops |= valid & SelectionKey.OP_WRITE;
            }
        }
        return ops;
    }

    /** Queues the handles of the keys in {@code order} (length n) that are ready. */
    void dispatch(SelectionKey[] order, int n, ArrayDeque<Handle> ready) {
        for (int i = 0; i < n; i++) {
            dispatch(order[i], ready);
        }
    }

    /** Queues the handles of one selected key that are ready (also select(Consumer)'s action). */
    static void dispatch(SelectionKey k, ArrayDeque<Handle> ready) {
        if (!k.isValid() || !(k.attachment() instanceof Entry e)) {
            return;
        }
        int r = k.readyOps();
        if ((r & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0 && e.reader != null) {
            ready.add(e.reader);
        }
        if ((r & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 && e.writer != null) {
            ready.add(e.writer);
        }
    }
}
