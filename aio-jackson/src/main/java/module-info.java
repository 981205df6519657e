/**
 * aio-jackson: Jackson as aio-http's {@code JsonCodec}. Exports {@code dev.aio4j.jackson}.
 */
module dev.aio4j.jackson {
    requires transitive dev.aio4j.http;
    requires transitive com.fasterxml.jackson.databind;

    exports dev.aio4j.jackson;
}
