/**
 * A task group that fetches several resources in parallel and fails fast: the first failure
 * cancels the other fetches and the block throws one {@code ExceptionGroup}.
 */
package dev.aio4j.examples.taskgroup;
