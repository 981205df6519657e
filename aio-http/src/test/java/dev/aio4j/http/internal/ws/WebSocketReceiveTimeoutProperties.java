package dev.aio4j.http.internal.ws;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.TimeoutError;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;

import static dev.aio4j.http.internal.ws.WebSocketConnectionTest.open;
import static dev.aio4j.http.internal.ws.WebSocketConnectionTest.textTo;
import static dev.aio4j.http.internal.ws.WebSocketConnectionTest.virtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code receive(timeout)} against messages arriving at any instant on a virtual clock (stop 33).
 * Every time is a whole second, so messages often arrive in the iteration of a receive's deadline,
 * before or after its timer (a message's delivery is scheduled at a random earlier second, so
 * either timer may be the older). Whatever the interleaving, in both roles:
 *
 * <ul>
 *   <li>the messages received, in order, are the messages delivered: none lost, none twice;
 *   <li>a receive that times out does so exactly at its deadline;
 *   <li>a receive that returns a message returns before its deadline: one arriving in the
 *       deadline's own iteration is left for the next receive, as aiohttp's reader queue leaves it
 *       when the timeout cancels the read.
 * </ul>
 *
 * aio4j-only (aiohttp has no such test).
 */
class WebSocketReceiveTimeoutProperties {

    /** One message: its delivery is scheduled at {@code scheduleAt} for {@code scheduleAt + delay}. */
    record Delivery(int scheduleAt, int delay) {}

    /** One receive: the receiver sleeps {@code pause} seconds, then calls {@code receive(timeout)}. */
    record Receive(int pause, int timeout) {}

    @Provide
    Arbitrary<Delivery> deliveries() {
        return Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 4))
                .as(Delivery::new);
    }

    @Provide
    Arbitrary<Receive> receives() {
        return Combinators.combine(Arbitraries.of(0, 0, 0, 1, 2), Arbitraries.integers().between(1, 4)).as(Receive::new);
    }

    @Property(tries = 300)
    void everyMessageIsReceivedOnceInOrderAndNoneAtOrAfterItsReceivesDeadline(
            @ForAll @Size(min = 1, max = 12) List<@net.jqwik.api.From("deliveries") Delivery> deliveries,
            @ForAll @Size(min = 1, max = 6) List<@net.jqwik.api.From("receives") Receive> receives,
            @ForAll Role role, @ForAll @IntRange(min = 0, max = 1) int viaReceiveStr) throws Exception {
        virtual(() -> {
            EventLoop loop = Aio.getRunningLoop();
            WebSocketConnectionTest.FakeTransport t = new WebSocketConnectionTest.FakeTransport();
            WebSocketConnection ws = open(t, role, 0);
            double start = loop.time();
            List<String> delivered = new ArrayList<>();
            for (int i = 0; i < deliveries.size(); i++) {
                Delivery d = deliveries.get(i);
                String text = "m" + i;
                loop.callAt(start + d.scheduleAt(), () -> loop.callAt(start + d.scheduleAt() + d.delay(), () -> {
                    delivered.add(text);
                    ws.dataReceived(textTo(role, text));
                }));
            }
            List<String> received = new ArrayList<>();
            List<String> log = new ArrayList<>();
            for (int j = 0; received.size() < deliveries.size(); j++) {
                assertTrue(loop.time() - start < 100, "the receiver gave up: received " + received + ", delivered "
                        + delivered + ", log " + log);
                Receive r = receives.get(j % receives.size());
                if (r.pause() > 0) {
                    Aio.sleep(r.pause());
                }
                double began = loop.time();
                double deadline = began + r.timeout();
                try {
                    String text = viaReceiveStr == 1 ? ws.receiveStr(r.timeout()) : ws.receive(r.timeout()).str();
                    log.add((began - start) + "+" + r.timeout() + ": " + text + " at " + (loop.time() - start));
                    received.add(text);
                    assertTrue(loop.time() < deadline, "a message returned at its receive's deadline: " + log);
                } catch (TimeoutError e) {
                    log.add((began - start) + "+" + r.timeout() + ": timeout at " + (loop.time() - start));
                    assertEquals(deadline, loop.time(), 1e-9, "a timeout away from its deadline: " + log);
                }
            }
            assertEquals(delivered, received, "log " + log);
            assertEquals(0, ws.queuedBytes());
            assertEquals(false, ws.closed());
        });
    }
}
