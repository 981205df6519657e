package dev.aio4j.http;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The chain {@link ClientSession#buildMiddlewares} builds, for any number of middlewares: the first
 * is the outermost (entered first, left last), each is entered once, and the handler at the end
 * is called once, in the middle. No
 * sockets: the handler is a stand-in. aio4j-only (aiohttp's test_multiple_client_middlewares for
 * two).
 */
class ClientMiddlewareProperties {
    @Property(tries = 200, seed = "20261204")
    void firstIsOutermostForAnyCount(@ForAll @IntRange(min = 0, max = 30) int count) {
        List<String> calls = new ArrayList<>();
        List<ClientMiddleware> mws = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            mws.add((request, handler) -> {
                calls.add("before" + n);
                ClientResponse r = handler.send(request);
                calls.add("after" + n);
                return r;
            });
        }
        ClientHandler end = request -> {
            calls.add("send");
            return null; // a stand-in: no request or response is made
        };
        ClientHandler chain = ClientSession.buildMiddlewares(end, mws);
        assertEquals(null, chain.send(null));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add("before" + i);
        }
        expected.add("send");
        for (int i = count - 1; i >= 0; i--) {
            expected.add("after" + i);
        }
        assertEquals(expected, calls);
        if (count == 0) {
            assertSame(end, chain, "no middlewares: the handler itself");
        }
    }
}
