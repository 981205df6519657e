/**
 * A payment client that retries a charge after a network error, and the bank it pays: the
 * double charge of issue 17 in small. The tour's {@code simnet} step sweeps fault plans for the
 * reset that makes the client charge twice; {@code DoubleChargeProperties} (this module's tests)
 * lets jqwik find and shrink it; both run this one client and bank on aio-test's simulated network.
 */
package dev.aio4j.examples.payment;
