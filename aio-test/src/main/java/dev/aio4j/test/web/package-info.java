/**
 * Testing aiohttp.web applications: {@link dev.aio4j.test.web.TestServer} serves an
 * {@code Application} on 127.0.0.1 and a free port in the test's loop, and
 * {@link dev.aio4j.test.web.TestClient} sends requests to it by path. Needs aio-http on the test
 * class path (aio-test depends on it optionally). See {@code docs/testing.md} and
 * {@code docs/http-server.md}.
 */
package dev.aio4j.test.web;
