/**
 * aiohttp's server, {@code aiohttp.web}, on aio4j. So far the exceptions a handler throws to
 * answer with a status: {@link dev.aio4j.http.web.HTTPException} and its family, one class per
 * status as in {@code aiohttp/web_exceptions.py}, grouped by {@link
 * dev.aio4j.http.web.HTTPSuccessful},
 * {@link dev.aio4j.http.web.HTTPRedirection} (with {@link dev.aio4j.http.web.HTTPMove} for the
 * ones that set {@code Location}), {@link dev.aio4j.http.web.HTTPClientError} and
 * {@link dev.aio4j.http.web.HTTPServerError}. The application, requests, responses and the
 * router join them here, under aiohttp's names, and {@link dev.aio4j.http.web.WebSocketResponse}
 * turns a request into a WebSocket ({@code docs/websockets.md}).
 */
package dev.aio4j.http.web;
