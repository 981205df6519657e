/**
 * The steps of the {@link dev.aio4j.examples.Tour}: each shows one asyncio idiom next to its aio4j
 * port and measures it. A new step is one class implementing {@link dev.aio4j.examples.tour.TourStep}
 * plus one line in {@code Tour.STEPS}.
 */
package dev.aio4j.examples.tour;
