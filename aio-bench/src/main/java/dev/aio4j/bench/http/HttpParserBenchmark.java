package dev.aio4j.bench.http;

import dev.aio4j.bench.AbstractBenchmark;
import dev.aio4j.http.internal.ParserLimits;
import dev.aio4j.http.internal.RequestHead;
import dev.aio4j.http.internal.RequestParser;
import dev.aio4j.http.internal.ResponseHead;
import dev.aio4j.http.internal.ResponseParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

import java.nio.charset.StandardCharsets;

/**
 * aio-http's HTTP/1.1 parsers alone, with no socket and no loop: the bytes of typical messages
 * fed in 1,460-byte pieces (one TCP segment's payload) to {@link RequestParser} (the server's)
 * and {@link ResponseParser} (the client's). One operation is one whole message; each
 * invocation parses {@value #MESSAGES} of them, reusing the parser as a keep-alive connection
 * does ({@code next()} / {@code start()}).
 *
 * <ul>
 *   <li>{@link #requestGet()}: a browser-like GET with nine header fields and no body.
 *   <li>{@link #requestChunkedPost()}: a POST with a 4 KiB body in four chunks.
 *   <li>{@link #responseLength()}: a 200 with six header fields and a 4 KiB Content-Length body.
 *   <li>{@link #responseChunked()}: the same body in four chunks.
 * </ul>
 *
 * <p>No CPython twin (aio4j-only): aiohttp's parser is C ({@code _http_parser.pyx}, llhttp), so
 * a like-for-like figure would measure llhttp, not asyncio. The end-to-end figure that includes
 * the response parser is {@link HttpKeepAliveBenchmark}.
 */
public class HttpParserBenchmark extends AbstractBenchmark {
    /** Messages per invocation. */
    public static final int MESSAGES = 1_000;

    /** Bytes fed per {@code feed} call. */
    static final int SEGMENT = 1460;

    private static final byte[] BODY = "0123456789abcdef".repeat(256).getBytes(StandardCharsets.US_ASCII);

    private static final byte[] GET = bytes("GET /articles/2026/12/a-fairly-typical-path?page=2&sort=new HTTP/1.1\r\n"
            + "Host: www.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Connection: keep-alive\r\n"
            + "Cookie: session=4f2a9c1e7b3d5f608a1b2c3d4e5f6a7b; theme=dark\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n"
            + "Priority: u=0, i\r\n"
            + "\r\n");

    private static final byte[] CHUNKED_POST = concat(bytes("POST /upload HTTP/1.1\r\n"
            + "Host: www.example.com\r\n"
            + "Content-Type: application/octet-stream\r\n"
            + "Transfer-Encoding: chunked\r\n"
            + "\r\n"), chunked(BODY));

    private static final byte[] RESPONSE_LENGTH = concat(bytes("HTTP/1.1 200 OK\r\n"
            + "Date: Thu, 03 Dec 2026 22:00:00 GMT\r\n"
            + "Server: aio4j\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Cache-Control: no-cache\r\n"
            + "ETag: \"5f2b-1a\"\r\n"
            + "Content-Length: " + BODY.length + "\r\n"
            + "\r\n"), BODY);

    private static final byte[] RESPONSE_CHUNKED = concat(bytes("HTTP/1.1 200 OK\r\n"
            + "Date: Thu, 03 Dec 2026 22:00:00 GMT\r\n"
            + "Server: aio4j\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Cache-Control: no-cache\r\n"
            + "ETag: \"5f2b-1a\"\r\n"
            + "Transfer-Encoding: chunked\r\n"
            + "\r\n"), chunked(BODY));

    /** Counts what the parsers report, so that nothing they produce is dead code. */
    private final class Counter implements RequestParser.Listener, ResponseParser.Listener {
        @Override
        public void head(RequestHead head) {
            bodyBytes += head.headers().size();
        }

        @Override
        public void head(ResponseHead head) {
            bodyBytes += head.headers().size();
        }

        @Override
        public void body(byte[] data, int offset, int length) {
            bodyBytes += length;
        }

        @Override
        public void complete() {
            completed++;
        }
    }

    private long bodyBytes;
    private int completed;
    private final Counter counter = new Counter();
    private final RequestParser requests = new RequestParser(ParserLimits.DEFAULT, counter);
    private final ResponseParser responses = new ResponseParser(ParserLimits.DEFAULT, counter);

    /**
     * @return bytes and fields the listener saw, plus the messages completed
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long requestGet() {
        return parseRequests(GET);
    }

    /**
     * @return bytes and fields the listener saw, plus the messages completed
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long requestChunkedPost() {
        return parseRequests(CHUNKED_POST);
    }

    /**
     * @return bytes and fields the listener saw, plus the messages completed
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long responseLength() {
        return parseResponses(RESPONSE_LENGTH);
    }

    /**
     * @return bytes and fields the listener saw, plus the messages completed
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long responseChunked() {
        return parseResponses(RESPONSE_CHUNKED);
    }

    /**
     * Parses {@link #MESSAGES} copies of a request, one after the other on one parser.
     *
     * @param message the bytes of one request
     * @return bytes and fields the listener saw, plus the messages completed
     */
    public long parseRequests(byte[] message) {
        bodyBytes = 0;
        completed = 0;
        for (int m = 0; m < MESSAGES; m++) {
            for (int off = 0; off < message.length; off += SEGMENT) {
                requests.feed(message, off, Math.min(SEGMENT, message.length - off));
            }
            requests.next();
        }
        return bodyBytes + completed;
    }

    /**
     * Parses {@link #MESSAGES} copies of a response to a GET, one after the other on one parser.
     *
     * @param message the bytes of one response
     * @return bytes and fields the listener saw, plus the messages completed
     */
    public long parseResponses(byte[] message) {
        bodyBytes = 0;
        completed = 0;
        for (int m = 0; m < MESSAGES; m++) {
            responses.start("GET");
            for (int off = 0; off < message.length; off += SEGMENT) {
                responses.feed(message, off, Math.min(SEGMENT, message.length - off));
            }
        }
        return bodyBytes + completed;
    }

    /** @return the messages completed by the last invocation (for tests) */
    public int completed() {
        return completed;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] chunked(byte[] body) {
        int quarter = body.length / 4;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            sb.append(Integer.toHexString(quarter)).append("\r\n")
                    .append(new String(body, i * quarter, quarter, StandardCharsets.ISO_8859_1)).append("\r\n");
        }
        return bytes(sb.append("0\r\n\r\n").toString());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
