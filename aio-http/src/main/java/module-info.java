/**
 * aio-http: an aiohttp-style HTTP/1.1 client for aio4j. Exports {@code dev.aio4j.http} only; the
 * parser, codecs and policies live in {@code dev.aio4j.http.internal}, which is not exported.
 */
module dev.aio4j.http {
    // The session (next step) suspends through the loop's Future/Task API; the public exception
    // types already point at dev.aio4j.loop.TimeoutError in their documentation.
    requires transitive dev.aio4j.loop;
    // "requires dev.aio4j.streams" is added when ClientSession is wired to StreamReader/Writer.

    exports dev.aio4j.http;
}
