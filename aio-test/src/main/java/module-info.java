/**
 * aio-test: testing async code written with aio4j. Exports {@code dev.aio4j.test} only.
 */
module dev.aio4j.test {
    requires transitive dev.aio4j.loop;
    requires transitive org.junit.jupiter.api;
    requires static net.jqwik.api;

    exports dev.aio4j.test;

    provides net.jqwik.api.providers.ArbitraryProvider with dev.aio4j.test.internal.ScheduleArbitraryProvider;
}
