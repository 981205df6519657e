/**
 * Benchmarks of aio-loop: task switch, Future ping-pong, spawn and gather, callSoon chain,
 * timers. Each runs under both scheduler back-ends and has a CPython twin in
 * {@code aio-bench/python/}.
 */
package dev.aio4j.bench.loop;
