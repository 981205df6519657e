package dev.aio4j.streams.internal;

import dev.aio4j.streams.internal.SslProtocol.State;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The transition table of {@link SslProtocol}'s state (aio4j-only; asyncio's
 * {@code SSLProtocolState} has no table of its own to test). The behaviour along the legal paths
 * is tested through real connections in {@code dev.aio4j.streams.TlsTest}.
 */
class SslProtocolStateTest {
    @Test
    void exactlyTheDrawnTransitionsAreLegal() {
        List<String> legal = new ArrayList<>();
        for (State from : State.values()) {
            for (State to : State.values()) {
                if (from.canMoveTo(to)) {
                    legal.add(from + "->" + to);
                }
            }
        }
        assertEquals(List.of(
                "UNWRAPPED->DO_HANDSHAKE", "UNWRAPPED->CLOSED",
                "DO_HANDSHAKE->WRAPPED", "DO_HANDSHAKE->CLOSED",
                "WRAPPED->FLUSHING", "WRAPPED->CLOSED",
                "FLUSHING->SHUTDOWN", "FLUSHING->CLOSED",
                "SHUTDOWN->CLOSED"), legal);
    }

    @Test
    void closedIsTerminalAndNoStateIsReentered() {
        for (State s : State.values()) {
            assertEquals(false, State.CLOSED.canMoveTo(s), "CLOSED -> " + s);
            assertEquals(false, s.canMoveTo(s), s + " -> itself");
            assertEquals(false, s.canMoveTo(State.UNWRAPPED), s + " -> UNWRAPPED");
        }
    }
}
