/**
 * aiohttp client programs ported to aio-http, each against an embedded server on loopback: the
 * tutorials' "fetch the weather for three cities concurrently" ({@link CityWeather}) and a large
 * download streamed in bounded memory ({@link StreamingDownload}).
 */
package dev.aio4j.examples.http;
