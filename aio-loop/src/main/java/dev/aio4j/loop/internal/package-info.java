/**
 * Implementation detail of aio4j; exported only to the sibling aio4j modules (see module-info);
 * may change in any release.
 *
 * <p>Holds the one argument-check helper ({@link dev.aio4j.loop.internal.Checks}) whose message
 * format every aio4j error follows: <i>what</i> + <i>the rule</i> + <i>the value we got</i>; and
 * the call-site helpers of debug mode ({@link dev.aio4j.loop.internal.CallSites}).
 */
package dev.aio4j.loop.internal;
