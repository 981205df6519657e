/**
 * A deterministic simulated network for tests: {@link dev.aio4j.test.net.SimNetwork} (hosts,
 * TCP-like connections, Unix domain sockets and UDP datagrams on the loop's virtual clock,
 * injected faults, a trace), and fault plans as
 * data ({@link dev.aio4j.test.net.FaultPlan}, {@link dev.aio4j.test.net.Fault}) with a jqwik
 * arbitrary that shrinks them ({@link dev.aio4j.test.net.FaultPlans}). aio4j-only; needs
 * aio-streams (an optional dependency of aio-test) and, for {@code FaultPlans}, jqwik.
 *
 * @since 0.2
 */
package dev.aio4j.test.net;
