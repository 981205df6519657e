/**
 * aio-test: testing async code written with aio4j. Exports {@code dev.aio4j.test}; for
 * aiohttp.web applications, {@code dev.aio4j.test.web} (which needs aio-http); and the simulated
 * network {@code dev.aio4j.test.net} (which needs aio-streams).
 */
module dev.aio4j.test {
    requires transitive dev.aio4j.loop;
    requires transitive org.junit.jupiter.api;
    requires static net.jqwik.api;
    // Optional: only dev.aio4j.test.web (TestServer, TestClient) uses aio-http; users testing a
    // web application have aio-http already.
    requires static dev.aio4j.http;
    // Optional: only dev.aio4j.test.net (SimNetwork) uses aio-streams; users testing network code have it already.
    requires static dev.aio4j.streams;

    exports dev.aio4j.test;
    exports dev.aio4j.test.web;
    exports dev.aio4j.test.net;

    provides net.jqwik.api.providers.ArbitraryProvider with dev.aio4j.test.internal.ScheduleArbitraryProvider;
}
