/**
 * Reference points that are not aio4j: a raw single-threaded NIO selector loop and
 * CompletableFuture chains, the limits a Java event loop can approach.
 */
package dev.aio4j.bench.reference;
