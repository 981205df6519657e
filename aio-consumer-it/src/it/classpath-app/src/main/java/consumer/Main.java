package consumer;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;

import java.util.List;

public class Main {
    public static void main(String[] args) {
        String scheduler = Aio.run(() -> {
            Task<Integer> a = Aio.createTask(() -> { Aio.sleep(0.01); return 1; });
            Task<Integer> b = Aio.createTask(() -> { Aio.sleep(0.01); return 2; });
            List<Integer> both = Aio.gather(a, b).await();
            System.out.println("gathered=" + both);
            return Aio.getRunningLoop().schedulerName();
        });
        System.out.println("scheduler=" + scheduler);
    }
}
