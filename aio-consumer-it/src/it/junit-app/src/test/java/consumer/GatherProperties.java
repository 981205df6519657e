package consumer;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Coroutine;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Schedule;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Named *Properties: runs only because the pom includes it (docs/testing.md says so). */
class GatherProperties {
    @Property(tries = 20)
    boolean gatherKeepsInputOrder(@ForAll @Size(max = 20) List<@IntRange(min = 0, max = 50) Integer> delaysMs,
                                  @ForAll Schedule schedule) throws Exception {
        Files.writeString(Path.of("target/properties-ran.txt"), "yes\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        try (EventLoop loop = EventLoop.create(dev.aio4j.loop.VirtualClock.autoJump(), schedule)) {
            List<Integer> got = loop.runUntilComplete(() -> {
                List<Coroutine<Integer>> work = new ArrayList<>();
                for (int i = 0; i < delaysMs.size(); i++) {
                    int index = i;
                    work.add(() -> Aio.sleep(delaysMs.get(index) / 1000.0, index));
                }
                @SuppressWarnings("unchecked")
                Coroutine<Integer>[] array = work.toArray(new Coroutine[0]);
                return Aio.gather(array).await();
            });
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < delaysMs.size(); i++) {
                expected.add(i);
            }
            assertEquals(expected, got);
        }
        return true;
    }
}
