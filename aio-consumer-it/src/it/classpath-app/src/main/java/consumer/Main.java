package consumer;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        // Issue 12: a checked exception is caught by its own type around the calls that wait.
        Path missing = Path.of("target", "no-such-file.txt");
        try {
            Aio.run(() -> Files.readString(missing));
        } catch (IOException e) {
            System.out.println("run caught " + e.getClass().getSimpleName());
        }
        Aio.run(() -> {
            try {
                Aio.waitFor(() -> Files.readString(missing), 1.0);
            } catch (IOException e) {
                System.out.println("waitFor caught " + e.getClass().getSimpleName());
            }
            try {
                Aio.timeout(1.0, () -> {
                    Files.readString(missing);
                });
            } catch (IOException e) {
                System.out.println("timeout caught " + e.getClass().getSimpleName());
            }
            Task<String> t = Aio.createTask(() -> Files.readString(missing));
            try {
                t.awaitChecked(IOException.class);
            } catch (IOException e) {
                System.out.println("awaitChecked caught " + e.getClass().getSimpleName());
            }
        });
    }
}
