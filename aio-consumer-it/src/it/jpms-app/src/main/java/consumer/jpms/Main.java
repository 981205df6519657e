package consumer.jpms;

import dev.aio4j.loop.Aio;

public class Main {
    public static void main(String[] args) {
        String scheduler = Aio.run(() -> {
            Aio.sleep(0.01);
            return Aio.getRunningLoop().schedulerName();
        });
        System.out.println("module=" + Main.class.getModule().getName());
        System.out.println("aio-loop module=" + Aio.class.getModule().getName());
        System.out.println("scheduler=" + scheduler);
    }
}
