/**
 * aio-loop: Python's asyncio event loop for Java. Exports {@code dev.aio4j.loop} only; the
 * implementation lives in {@code dev.aio4j.loop.internal} and its subpackages.
 */
module dev.aio4j.loop {
    // To see whether the thread that runs a carrier loop holds monitors (CarrierScheduler).
    requires java.management;
    // Debug mode's Flight Recorder events (internal.jfr); optional: LoopEvents checks that the
    // module is readable before it touches an event class.
    requires static jdk.jfr;
    // sun.misc.Signal for EventLoop.addSignalHandler and the Runner's SIGINT handling (SignalBridge).
    // Static: without the module those features refuse to work, and everything else is unaffected.
    requires static jdk.unsupported;

    exports dev.aio4j.loop;

    // The one argument-check helper (Checks), the one IP-literal rule (IpLiterals), the text
    // escaping of error messages (Escaping) and the one rethrow rule (Throwables) serve every
    // aio4j module. A public SPI would make them
    // API that users could call and that we could never change; a qualified export keeps them
    // internal to aio4j. Subpackages (sched, timer) stay private to aio-loop.
    exports dev.aio4j.loop.internal to dev.aio4j.streams, dev.aio4j.http, dev.aio4j.test;
}
