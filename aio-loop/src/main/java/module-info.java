/**
 * aio-loop: Python's asyncio event loop for Java. Exports {@code dev.aio4j.loop} only; the
 * implementation lives in {@code dev.aio4j.loop.internal} and its subpackages.
 */
module dev.aio4j.loop {
    // To see whether the thread that runs a carrier loop holds monitors (CarrierScheduler).
    requires java.management;

    exports dev.aio4j.loop;
}
