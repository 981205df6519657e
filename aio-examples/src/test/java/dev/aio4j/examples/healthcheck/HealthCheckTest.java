package dev.aio4j.examples.healthcheck;

import dev.aio4j.examples.StdoutCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The porting guide's worked example runs and reports every target correctly. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HealthCheckTest {

    @Test
    void reportsUpDownAndTheReasonForEachTarget() throws Exception {
        List<String> out = StdoutCapture.lines(() -> HealthCheck.main(new String[0]));
        assertEquals(6, out.size(), out.toString());
        assertEquals("2 up, 3 down", out.get(5));
        assertEquals(2, out.stream().filter(l -> l.matches("127\\.0\\.0\\.1:\\d+ up \\d+\\.\\d{3}s")).count(), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.contains(" down IllegalArgumentException: unexpected reply b'HTTP/1.1 400 Bad Request\\r\\n'")),
                out.toString());
        assertTrue(out.stream().anyMatch(l -> l.contains(" down TimeoutError: Aio.waitFor() timed out after 1.0 seconds")), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.contains(" down ConnectException: ")), out.toString());
    }
}
