package dev.aio4j.http.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Queue;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.StreamReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bodies as the JDK's stream types: a response body as an {@link InputStream} or a
 * {@link Flow.Publisher}, and an {@code InputStream} or a {@code Flow.Publisher} as a request
 * body (an {@code Iterable} of chunks for {@link RequestBody.Chunks}). Every buffer is bounded:
 * one piece at a time, pulled on demand.
 */
public final class BodyAdapters {
    private BodyAdapters() {}

    private static boolean inLoop(EventLoop loop) {
        try {
            return Aio.getRunningLoop() == loop;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static IOException unwrap(Throwable e) {
        Throwable t = e instanceof ExecutionException || e instanceof CompletionException ? e.getCause() : e;
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        return new IOException(t);
    }

    // -------------------------------------------------------------------- response -> JDK

    /**
     * An {@code InputStream} over a response body: in a task of {@code loop} a read suspends the
     * task; on any other thread it blocks that thread while the loop reads.
     */
    public static InputStream inputStream(StreamReader content, EventLoop loop) {
        return new InputStream() {
            private boolean eof;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                if (eof) {
                    return -1;
                }
                byte[] piece;
                if (inLoop(loop)) {
                    piece = content.read(len);
                } else {
                    try {
                        piece = Aio.runCoroutineThreadsafe(() -> content.read(len), loop).get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted while reading the response body");
                    } catch (ExecutionException e) {
                        throw unwrap(e);
                    }
                }
                if (piece.length == 0) {
                    eof = true;
                    return -1;
                }
                System.arraycopy(piece, 0, b, off, piece.length);
                return piece.length;
            }
        };
    }

    /**
     * A {@code Flow.Publisher} of a response body's pieces, for one subscriber: pieces are read
     * only as the subscriber requests them; {@code cancel()} runs {@code onCancel} (closing the
     * response). Signals come from the loop's thread, one at a time.
     */
    public static Flow.Publisher<ByteBuffer> publisher(StreamReader content, EventLoop loop, Runnable onCancel) {
        AtomicBoolean subscribed = new AtomicBoolean();
        return subscriber -> {
            Checks.notNull(subscriber, "subscriber");
            if (!subscribed.compareAndSet(false, true)) {
                subscriber.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {}

                    @Override
                    public void cancel() {}
                });
                subscriber.onError(new IllegalStateException("a response body can be subscribed to once"));
                return;
            }
            new BodySubscription(content, loop, subscriber, onCancel).start();
        };
    }

    /** Demand-driven reading of one body for one subscriber; all state lives on the loop. */
    private static final class BodySubscription implements Flow.Subscription {
        private final StreamReader content;
        private final EventLoop loop;
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final Runnable onCancel;
        private long demand;
        private boolean done;
        private Task<Void> pump;
        private Future<Void> wake;

        BodySubscription(StreamReader content, EventLoop loop, Flow.Subscriber<? super ByteBuffer> subscriber, Runnable onCancel) {
            this.content = content;
            this.loop = loop;
            this.subscriber = subscriber;
            this.onCancel = onCancel;
        }

        void start() {
            loop.callSoonThreadsafe(() -> {
                subscriber.onSubscribe(this);
                pump = loop.createTask(() -> {
                    run();
                    return null;
                }, "response body publisher");
            });
        }

        private void run() {
            try {
                while (!done) {
                    if (demand == 0) {
                        wake = loop.createFuture();
                        wake.await();
                        wake = null;
                        continue;
                    }
                    byte[] piece = content.read(64 * 1024);
                    if (done) {
                        return;
                    }
                    if (piece.length == 0) {
                        done = true;
                        subscriber.onComplete();
                        return;
                    }
                    demand--;
                    subscriber.onNext(ByteBuffer.wrap(piece));
                }
            } catch (CancelledError e) {
                // cancelled by the subscriber
            } catch (IOException | RuntimeException e) {
                if (!done) {
                    done = true;
                    subscriber.onError(e);
                }
            }
        }

        @Override
        public void request(long n) {
            loop.callSoonThreadsafe(() -> {
                if (done) {
                    return;
                }
                if (n <= 0) {
                    done = true;
                    pump.cancel();
                    subscriber.onError(new IllegalArgumentException("request(n) needs n > 0, got " + n + " (reactive-streams 3.9)"));
                    onCancel.run();
                    return;
                }
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                if (wake != null && !wake.done()) {
                    wake.setResult(null);
                }
            });
        }

        @Override
        public void cancel() {
            loop.callSoonThreadsafe(() -> {
                if (!done) {
                    done = true;
                    if (pump != null) {
                        pump.cancel();
                    }
                    onCancel.run();
                }
            });
        }
    }

    // --------------------------------------------------------------------- JDK -> request

    /**
     * The chunks of an {@code InputStream}, read in pieces on the loop's executor (the stream
     * may block); the stream is closed at its end. Iterate it in a task.
     */
    public static Iterable<byte[]> chunks(InputStream in) {
        Checks.notNull(in, "in");
        return () -> new PullIterator<>() {
            @Override
            protected byte[] fetch() {
                try {
                    byte[] piece = Aio.toThread(() -> in.readNBytes(RequestBody.PIECE));
                    if (piece.length > 0) {
                        return piece;
                    }
                    in.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // an Iterator cannot throw it checked
                }
                return null;
            }
        };
    }

    /** Sentinel of the end of a publisher's stream in the hand-off queue. */
    private static final Object END = new Object();

    /**
     * The chunks of a {@code Flow.Publisher}, requested one at a time: the publisher never has
     * more than one buffer outstanding. Iterate it in a task (the first {@code hasNext}
     * subscribes).
     */
    public static Iterable<byte[]> chunks(Flow.Publisher<ByteBuffer> publisher) {
        Checks.notNull(publisher, "publisher");
        return () -> new PullIterator<>() {
            private Queue<Object> handoff;
            private Flow.Subscription subscription;

            private void subscribe() {
                EventLoop loop = Aio.getRunningLoop();
                handoff = new Queue<>();
                Future<Flow.Subscription> subscribed = loop.createFuture();
                publisher.subscribe(new Flow.Subscriber<>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        loop.callSoonThreadsafe(() -> subscribed.setResult(s));
                    }

                    @Override
                    public void onNext(ByteBuffer item) {
                        byte[] bytes = new byte[item.remaining()];
                        item.get(bytes);
                        loop.callSoonThreadsafe(() -> handoff.putNowait(bytes));
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        loop.callSoonThreadsafe(() -> handoff.putNowait(throwable));
                    }

                    @Override
                    public void onComplete() {
                        loop.callSoonThreadsafe(() -> handoff.putNowait(END));
                    }
                });
                subscription = subscribed.await();
                subscription.request(1);
            }

            @Override
            protected byte[] fetch() {
                if (handoff == null) {
                    subscribe();
                }
                while (true) {
                    Object item = handoff.get();
                    if (item == END) {
                        return null;
                    }
                    if (item instanceof Throwable t) {
                        throw new UncheckedIOException(new IOException("the request body's publisher failed: " + t, t));
                    }
                    byte[] bytes = (byte[]) item;
                    subscription.request(1);
                    if (bytes.length > 0) {
                        return bytes;
                    }
                }
            }
        };
    }
}
