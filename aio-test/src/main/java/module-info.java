/**
 * aio-test: testing async code written with aio4j. Exports {@code dev.aio4j.test} and, for
 * aiohttp.web applications, {@code dev.aio4j.test.web} (which needs aio-http).
 */
module dev.aio4j.test {
    requires transitive dev.aio4j.loop;
    requires transitive org.junit.jupiter.api;
    requires static net.jqwik.api;
    // Optional: only dev.aio4j.test.web (TestServer, TestClient) uses aio-http; users testing a
    // web application have aio-http already.
    requires static dev.aio4j.http;

    exports dev.aio4j.test;
    exports dev.aio4j.test.web;

    provides net.jqwik.api.providers.ArbitraryProvider with dev.aio4j.test.internal.ScheduleArbitraryProvider;
}
