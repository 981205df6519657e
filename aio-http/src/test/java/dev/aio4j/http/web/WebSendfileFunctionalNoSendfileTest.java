package dev.aio4j.http.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link WebSendfileFunctionalTest} again with the {@code no_sendfile} sender of aiohttp's
 * tests/test_web_sendfile_functional.py (its {@code sender} fixture patches {@code loop.sendfile}
 * to raise {@code NotImplementedError}): every response on a plain connection takes the fallback,
 * pieces of {@code chunkSize} read in the loop's default executor, as TLS does.
 */
class WebSendfileFunctionalNoSendfileTest extends WebSendfileFunctionalTest {
    @BeforeEach
    void noSendfile() {
        FileResponse.noSendfileForTests = true;
    }

    @AfterEach
    void sendfileAgain() {
        FileResponse.noSendfileForTests = false;
    }
}
