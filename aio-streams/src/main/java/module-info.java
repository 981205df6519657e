/**
 * aio-streams: asyncio's networking layers for aio4j (transports and protocols, streams, servers,
 * TLS, Unix domain sockets). Exports {@code dev.aio4j.streams} and its network seam {@code dev.aio4j.streams.spi}; the implementation lives in
 * {@code dev.aio4j.streams.internal}, which is not exported.
 */
module dev.aio4j.streams {
    requires transitive dev.aio4j.loop;

    exports dev.aio4j.streams;
    // The seam under Streams' connects, listens and name resolution (aio-test's SimNetwork implements it).
    exports dev.aio4j.streams.spi;
}
