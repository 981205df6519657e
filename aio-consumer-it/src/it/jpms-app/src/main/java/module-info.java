module consumer.jpms {
    requires dev.aio4j.loop;
}
