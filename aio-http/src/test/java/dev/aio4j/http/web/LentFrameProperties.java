package dev.aio4j.http.web;

import dev.aio4j.http.ClientWebSocketResponse;
import dev.aio4j.http.WSConnectOption;
import dev.aio4j.http.WSMessage;
import dev.aio4j.http.WSMsgType;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.aio4j.http.web.WsHarness.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Lent WebSocket frames (stop 30's review): both ends build each frame of up to 64 KiB in the
 * loop's one reused array and lend it to the socket transport, which copies what the socket does
 * not take. For any sequence of binary and ASCII text messages, with sizes on both sides of the
 * 64 KiB frame limit (the client's frames have a 4-byte mask more than the server's), sent
 * without waiting for the echo over a server socket with small kernel buffers (the writes are
 * partial), every message comes back whole and in order. aio4j-only.
 */
class LentFrameProperties {

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(0, 200)),
                Tuple.of(3, Arbitraries.integers().between(65_516, 65_540)),
                Tuple.of(2, Arbitraries.integers().between(1, 140_000)));
    }

    @Property(tries = 12)
    void framesLentToTheSocketArriveWholeAndInOrder(@ForAll @Size(min = 1, max = 40) List<@From("sizes") Integer> sizes,
                                                    @ForAll long seed) throws Exception {
        Random random = new Random(seed);
        List<Object> messages = new ArrayList<>();
        for (int size : sizes) {
            if (random.nextBoolean()) {
                byte[] b = new byte[size];
                random.nextBytes(b);
                messages.add(b);
            } else {
                StringBuilder s = new StringBuilder(size);
                for (int i = 0; i < size; i++) {
                    s.append((char) (' ' + random.nextInt(95)));
                }
                messages.add(s.toString());
            }
        }
        run(app -> app.router().addGet("/", r -> {
            WebSocketResponse ws = new WebSocketResponse().compress(false);
            ws.prepare(r);
            dev.aio4j.streams.test.SmallSocketBuffers.shrink(r.transport());
            for (WSMessage m : ws) {
                switch (m.type()) {
                    case TEXT -> ws.sendStr(m.str());
                    case BINARY -> ws.sendBytes(m.bytes());
                    default -> { }
                }
            }
            return ws;
        }), (base, s) -> {
            ClientWebSocketResponse ws = s.wsConnect(base.replace("http://", "ws://") + "/", WSConnectOption.compress(false));
            Task<Void> sender = Aio.createTask(() -> {
                for (Object m : messages) {
                    if (m instanceof String text) {
                        ws.sendStr(text);
                    } else {
                        ws.sendBytes((byte[]) m);
                    }
                }
                return null;
            });
            for (int i = 0; i < messages.size(); i++) {
                WSMessage got = ws.receive();
                Object m = messages.get(i);
                if (m instanceof String text) {
                    assertEquals(WSMsgType.TEXT, got.type(), "message " + i);
                    assertEquals(text, got.str(), "message " + i);
                } else {
                    assertEquals(WSMsgType.BINARY, got.type(), "message " + i);
                    assertArrayEquals((byte[]) m, got.bytes(), "message " + i);
                }
            }
            sender.await();
            ws.close();
        });
    }
}
