package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A body as the JDK's stream types, both ways: {@code response.inputStream()},
 * {@code response.publisher()}, {@code RequestOption.body(InputStream)} and
 * {@code body(Flow.Publisher)}. aiohttp's counterparts are {@code data=} with a file object or
 * an async iterable (tests/test_client_functional.py: test_POST_STREAM_DATA,
 * test_async_payload_generator) and reading {@code resp.content}; aio4j-only for the JDK types.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BodyAdaptersTest {
    private static final byte[] BIG = TestServers.payload(300_000, 7);

    private static TestServers.Jdk echoServer(List<String> encodings) throws Exception {
        TestServers.Jdk srv = new TestServers.Jdk();
        srv.handle("/big", ex -> TestServers.send(ex, 200, BIG)).handle("/echo", ex -> {
            encodings.add(String.valueOf(ex.getRequestHeaders().getFirst("Transfer-Encoding")));
            byte[] body = ex.getRequestBody().readAllBytes();
            TestServers.send(ex, 200, body);
        });
        return srv;
    }

    @Test
    void responseInputStreamInATaskAndOnAnotherThread() throws Exception {
        try (TestServers.Jdk srv = echoServer(new CopyOnWriteArrayList<>())) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    try (ClientResponse r = s.get(srv.url("/big"))) {
                        InputStream in = r.inputStream();
                        assertArrayEquals(BIG, in.readAllBytes(), "read in the task");
                        assertEquals(-1, in.read());
                    }
                    try (ClientResponse r = s.get(srv.url("/big"))) {
                        InputStream in = r.inputStream();
                        byte[] got = Aio.toThread(() -> in.readAllBytes());
                        assertArrayEquals(BIG, got, "read on an executor thread while the loop serves it");
                    }
                }
                return null;
            });
        }
    }

    @Test
    void responsePublisherHonoursDemandAndCancel() throws Exception {
        try (TestServers.Jdk srv = echoServer(new CopyOnWriteArrayList<>())) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    try (ClientResponse r = s.get(srv.url("/big"))) {
                        CompletableFuture<byte[]> all = new CompletableFuture<>();
                        r.publisher().subscribe(new Flow.Subscriber<>() {
                            private final ByteArrayOutputStream out = new ByteArrayOutputStream();
                            private Flow.Subscription sub;

                            @Override
                            public void onSubscribe(Flow.Subscription subscription) {
                                sub = subscription;
                                sub.request(1);
                            }

                            @Override
                            public void onNext(ByteBuffer item) {
                                byte[] b = new byte[item.remaining()];
                                item.get(b);
                                out.writeBytes(b);
                                sub.request(1);
                            }

                            @Override
                            public void onError(Throwable throwable) {
                                all.completeExceptionally(throwable);
                            }

                            @Override
                            public void onComplete() {
                                all.complete(out.toByteArray());
                            }
                        });
                        assertArrayEquals(BIG, Aio.wrapFuture(all).await());
                    }
                    ClientResponse r = s.get(srv.url("/big"));
                    CompletableFuture<Integer> first = new CompletableFuture<>();
                    r.publisher().subscribe(new Flow.Subscriber<>() {
                        private Flow.Subscription sub;

                        @Override
                        public void onSubscribe(Flow.Subscription subscription) {
                            sub = subscription;
                            sub.request(1);
                        }

                        @Override
                        public void onNext(ByteBuffer item) {
                            first.complete(item.remaining());
                            sub.cancel();
                        }

                        @Override
                        public void onError(Throwable throwable) {
                            first.completeExceptionally(throwable);
                        }

                        @Override
                        public void onComplete() {
                            first.completeExceptionally(new AssertionError("one piece was requested, the body is larger"));
                        }
                    });
                    assertTrue(Aio.wrapFuture(first).await() > 0);
                    Aio.sleep(0.05);
                    assertEquals(0, s.openConnections(), "cancel() closed the response and its connection");
                }
                return null;
            });
        }
    }

    @Test
    void requestBodyFromAnInputStreamIsChunked() throws Exception {
        List<String> encodings = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk srv = echoServer(encodings)) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create();
                     ClientResponse r = s.post(srv.url("/echo"), RequestOption.body(new ByteArrayInputStream(BIG)))) {
                    assertArrayEquals(BIG, r.bytes());
                }
                return null;
            });
        }
        assertEquals(List.of("chunked"), encodings);
    }

    private static void awaitSubscriber(SubmissionPublisher<?> pub) {
        while (pub.getNumberOfSubscribers() == 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void requestBodyFromAPublisher() throws Exception {
        List<String> encodings = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk srv = echoServer(encodings)) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    SubmissionPublisher<ByteBuffer> pub = new SubmissionPublisher<>();
                    Thread.ofPlatform().start(() -> {
                        awaitSubscriber(pub); // a SubmissionPublisher drops what it is given before anyone subscribes
                        for (int off = 0; off < BIG.length; off += 10_000) {
                            pub.submit(ByteBuffer.wrap(BIG, off, Math.min(10_000, BIG.length - off)));
                        }
                        pub.close();
                    });
                    try (ClientResponse r = s.post(srv.url("/echo"), RequestOption.body(pub))) {
                        assertArrayEquals(BIG, r.bytes());
                    }
                    SubmissionPublisher<ByteBuffer> failing = new SubmissionPublisher<>();
                    Thread.ofPlatform().start(() -> {
                        awaitSubscriber(failing);
                        failing.submit(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                        failing.closeExceptionally(new IllegalStateException("source broke"));
                    });
                    RuntimeException e = assertThrows(RuntimeException.class, () -> s.post(srv.url("/echo"), RequestOption.body(failing)));
                    assertTrue(String.valueOf(e).contains("source broke") || String.valueOf(e.getCause()).contains("source broke"),
                            String.valueOf(e));
                }
                return null;
            });
        }
        assertEquals("chunked", encodings.get(0));
    }
}
