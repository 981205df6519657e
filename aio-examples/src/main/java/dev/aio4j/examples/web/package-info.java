/**
 * aiohttp.web server programs ported to aio-http's {@code dev.aio4j.http.web}: the
 * {@link dev.aio4j.examples.web.BenchServer} that HTTP benchmarks start as a child process.
 */
package dev.aio4j.examples.web;
