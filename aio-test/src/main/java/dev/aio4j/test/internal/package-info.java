/**
 * Implementation detail of aio-test; not exported; may change in any release.
 */
package dev.aio4j.test.internal;
