/**
 * aio-streams: asyncio's networking layers for aio4j (transports and protocols, streams, servers,
 * TLS, Unix domain sockets). Exports {@code dev.aio4j.streams} and its network seam {@code dev.aio4j.streams.spi}; the implementation lives in
 * {@code dev.aio4j.streams.internal}, which is exported only to aio-test and aio-http.
 */
module dev.aio4j.streams {
    requires transitive dev.aio4j.loop;

    exports dev.aio4j.streams;
    // The seam under Streams' connects, listens and name resolution (aio-test's SimNetwork implements it).
    exports dev.aio4j.streams.spi;
    // DatagramEndpoints.sendTarget, the one sendto() address rule, which aio-test's simulated
    // datagram transport must apply exactly as the real one does; qualified, so it stays internal.
    // ... and Connector.connectAny, the Happy Eyeballs race aio-http's connection pool runs over
    // its own DNS cache; FileBlocks, the block read of sendfile's fallback and the off-loop close,
    // which aio-http's FileResponse and client file bodies (OffLoopFile) use too.
    exports dev.aio4j.streams.internal to dev.aio4j.test, dev.aio4j.http;
}
