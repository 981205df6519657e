package dev.aio4j.streams;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.OptionalDouble;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Invariants of {@link ConnectOptions} and {@link ServerOptions} for all valid values: the setters
 * commute (each sets its own option, so the order of a chain does not matter for equality, hash
 * and toString), a getter gives back what its setter got, and no setter changes the value it is
 * called on. aio4j-only.
 */
class OptionsProperties {

    @Provide
    Arbitrary<List<Integer>> connectOrder() {
        return Arbitraries.shuffle(0, 1, 2, 3, 4, 5);
    }

    @Provide
    Arbitrary<List<Integer>> serverOrder() {
        return Arbitraries.shuffle(0, 1, 2, 3, 4);
    }

    @Property(tries = 300)
    void connectOptionsSettersCommute(@ForAll @DoubleRange(min = 0.01, max = 1e6) double handshake,
                                      @ForAll @DoubleRange(min = 0.01, max = 1e6) double shutdown,
                                      @ForAll @DoubleRange(min = 0, max = 100) double delay,
                                      @ForAll @IntRange(min = 0, max = 10) int interleave,
                                      @ForAll @IntRange(min = 1, max = 1 << 24) int limit,
                                      @ForAll("connectOrder") List<Integer> order) {
        List<UnaryOperator<ConnectOptions>> setters = List.of(
                o -> o.sslHandshakeTimeout(handshake), o -> o.sslShutdownTimeout(shutdown), o -> o.happyEyeballsDelay(delay),
                o -> o.interleave(interleave), o -> o.limit(limit), o -> o.serverHostname("h"));
        ConnectOptions inOrder = ConnectOptions.defaults();
        for (UnaryOperator<ConnectOptions> s : setters) {
            inOrder = s.apply(inOrder);
        }
        ConnectOptions shuffled = ConnectOptions.defaults();
        for (int i : order) {
            ConnectOptions before = shuffled;
            String was = before.toString();
            shuffled = setters.get(i).apply(shuffled);
            assertEquals(was, before.toString(), "the receiver is unchanged");
        }
        assertEquals(inOrder, shuffled);
        assertEquals(inOrder.hashCode(), shuffled.hashCode());
        assertEquals(inOrder.toString(), shuffled.toString());
        assertEquals(OptionalDouble.of(handshake), shuffled.sslHandshakeTimeout());
        assertEquals(OptionalDouble.of(shutdown), shuffled.sslShutdownTimeout());
        assertEquals(delay, shuffled.happyEyeballsDelay());
        assertEquals(java.util.OptionalInt.of(interleave), shuffled.interleave());
        assertEquals(limit, shuffled.limit());
        assertEquals("ConnectOptions[defaults]", ConnectOptions.defaults().toString());
    }

    @Property(tries = 300)
    void serverOptionsSettersCommute(@ForAll @DoubleRange(min = 0.01, max = 1e6) double handshake,
                                     @ForAll @DoubleRange(min = 0.01, max = 1e6) double shutdown,
                                     @ForAll @IntRange(min = 1, max = 1 << 16) int backlog,
                                     @ForAll boolean reusePort,
                                     @ForAll @IntRange(min = 1, max = 1 << 24) int limit,
                                     @ForAll("serverOrder") List<Integer> order) {
        List<UnaryOperator<ServerOptions>> setters = List.of(
                o -> o.sslHandshakeTimeout(handshake), o -> o.sslShutdownTimeout(shutdown), o -> o.backlog(backlog),
                o -> o.reusePort(reusePort), o -> o.limit(limit));
        ServerOptions inOrder = ServerOptions.defaults();
        for (UnaryOperator<ServerOptions> s : setters) {
            inOrder = s.apply(inOrder);
        }
        ServerOptions shuffled = ServerOptions.defaults();
        for (int i : order) {
            ServerOptions before = shuffled;
            String was = before.toString();
            shuffled = setters.get(i).apply(shuffled);
            assertEquals(was, before.toString(), "the receiver is unchanged");
        }
        assertEquals(inOrder, shuffled);
        assertEquals(inOrder.hashCode(), shuffled.hashCode());
        assertEquals(inOrder.toString(), shuffled.toString());
        assertEquals(OptionalDouble.of(handshake), shuffled.sslHandshakeTimeout());
        assertEquals(OptionalDouble.of(shutdown), shuffled.sslShutdownTimeout());
        assertEquals(backlog, shuffled.backlog());
        assertEquals(reusePort, shuffled.reusePort());
        assertEquals(limit, shuffled.limit());
        assertEquals("ServerOptions[defaults]", ServerOptions.defaults().toString());
    }
}
