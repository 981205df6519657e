package consumer;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.TimeoutError;
import dev.aio4j.test.AioTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TimeoutTest {
    @AioTest
    void anHourOfVirtualTimeTimesOut() throws Exception {
        double t0 = Aio.getRunningLoop().time();
        assertThrows(TimeoutError.class, () -> Aio.waitFor(() -> Aio.sleep(3600, "late"), 60));
        assertEquals(60.0, Aio.getRunningLoop().time() - t0, 1e-6);
        // The flag in argLine gives the carrier scheduler; verify.groovy checks this file.
        Files.writeString(Path.of("target/scheduler.txt"), Aio.getRunningLoop().schedulerName());
    }

    @Test
    void plainTestsStillRun() {
        assertEquals(2, 1 + 1);
    }
}
