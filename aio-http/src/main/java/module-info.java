/**
 * aio-http: an aiohttp-style HTTP/1.1 client for aio4j, and aiohttp's server. Exports
 * {@code dev.aio4j.http} (the client) and {@code dev.aio4j.http.web} (aiohttp.web); the parser,
 * codecs, policies and the connection pool live in {@code dev.aio4j.http.internal}, which is not
 * exported.
 */
module dev.aio4j.http {
    // The session suspends through the loop's Future/Task API; the public exception types point at
    // dev.aio4j.loop.TimeoutError.
    requires transitive dev.aio4j.loop;
    // Connections are aio-streams stream pairs; ClientResponse.content() returns a StreamReader.
    requires transitive dev.aio4j.streams;

    exports dev.aio4j.http;
    exports dev.aio4j.http.web;
    // aio-test's TestClient turns a session's stale-connection retry off through SessionAccess, as
    // aiohttp's test_utils.TestClient sets the private session._retry_connection; not public API.
    exports dev.aio4j.http.internal to dev.aio4j.test;
}
