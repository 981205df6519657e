/**
 * Implementation detail of aio-loop; not exported; may change in any release. The JDK Flight
 * Recorder events of debug mode ({@code dev.aio4j.SlowCallback}, {@code dev.aio4j.SlowTaskStep},
 * {@code dev.aio4j.BlockedLoop}); loaded only when the {@code jdk.jfr} module is present.
 */
package dev.aio4j.loop.internal.jfr;
