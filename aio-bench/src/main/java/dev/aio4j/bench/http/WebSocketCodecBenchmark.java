package dev.aio4j.bench.http;

import dev.aio4j.bench.AbstractBenchmark;
import dev.aio4j.http.internal.ws.CloseStatus;
import dev.aio4j.http.internal.ws.FrameParser;
import dev.aio4j.http.internal.ws.FrameWriter;
import dev.aio4j.http.internal.ws.MessageAssembler;
import dev.aio4j.http.internal.ws.Role;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * aio-http's WebSocket codec alone, with no socket and no loop: the per-message work of
 * {@link WebSocketEchoBenchmark}'s echo that is aio4j's own. One operation is one 32-byte text
 * message framed by a client {@link FrameWriter} (masked, into a reused array, as
 * {@code sendStr} does), parsed, unmasked, validated and decoded by a server {@link FrameParser}
 * and {@link MessageAssembler}, and the received String framed back by the server and parsed by
 * the client; {@value #MESSAGES} per invocation.
 *
 * <p>No CPython twin (aio4j-only): aiohttp's reader and writer are C or Cython
 * ({@code _websocket/reader_c}, {@code mask}), so a like-for-like figure would time that code.
 * The end-to-end figure is {@link WebSocketEchoBenchmark}'s; this one has the noise of the
 * sockets and the loop taken out, so that a change to the codec shows.
 */
public class WebSocketCodecBenchmark extends AbstractBenchmark {
    /** Messages per invocation. */
    public static final int MESSAGES = 1_000;

    private final FrameWriter clientWriter = new FrameWriter(Role.CLIENT, null);
    private final FrameWriter serverWriter = new FrameWriter(Role.SERVER, null);
    private final Received toServer = new Received();
    private final Received toClient = new Received();
    private final FrameParser serverParser = new FrameParser(Role.SERVER, false,
            new MessageAssembler(toServer, MessageAssembler.DEFAULT_MAX_MESSAGE_SIZE, null));
    private final FrameParser clientParser = new FrameParser(Role.CLIENT, false,
            new MessageAssembler(toClient, MessageAssembler.DEFAULT_MAX_MESSAGE_SIZE, null));
    private final byte[] wire = new byte[256];

    /** Creates the benchmark. */
    public WebSocketCodecBenchmark() {}

    /** Keeps the last text message. */
    private static final class Received implements MessageAssembler.Listener {
        String text;

        @Override
        public void text(String text) {
            this.text = text;
        }

        @Override
        public void binary(byte[] data) {
            throw new AssertionError("binary");
        }

        @Override
        public void ping(byte[] payload) {
            throw new AssertionError("ping");
        }

        @Override
        public void pong(byte[] payload) {
            throw new AssertionError("pong");
        }

        @Override
        public void close(CloseStatus status) {
            throw new AssertionError("close");
        }
    }

    /**
     * @return characters received by the client, so that nothing is optimized away
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long echoText() {
        long chars = 0;
        for (int i = 0; i < MESSAGES; i++) {
            int n = clientWriter.textIntoLength(WebSocketEchoBenchmark.MESSAGE);
            clientWriter.textInto(WebSocketEchoBenchmark.MESSAGE, wire);
            serverParser.feed(wire, 0, n);
            String echo = toServer.text;
            n = serverWriter.textIntoLength(echo);
            serverWriter.textInto(echo, wire);
            clientParser.feed(wire, 0, n);
            chars += toClient.text.length();
        }
        return chars;
    }
}
