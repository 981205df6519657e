package dev.aio4j.examples.queue;

import dev.aio4j.examples.StdoutCapture;
import dev.aio4j.loop.test.Loops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@link ProducerConsumer}: on a virtual clock for exact times and order, and its main with a tiny unit. */
@Timeout(30)
class ProducerConsumerTest {
    private static final Pattern TOOK = Pattern.compile("Took (\\d+\\.\\d\\d) seconds for 0\\.19 seconds of work");

    @Test
    void threeWorkersDrainTheQueueThenAreCancelledInGet_onVirtualClock() {
        List<String> lines = new ArrayList<>();
        ProducerConsumer.Report r = Loops.runVirtual(() -> ProducerConsumer.run(3, 0.25, lines::add));

        // 19 units of work (4.75 s) on 3 workers; the last job ends at 1.75 s of loop time.
        assertEquals(new ProducerConsumer.Report(10, 4.75, 1.75, 3, 3), r);
        assertEquals(List.of(
                "producer-1 waits: the queue is full (3 jobs)",
                "producer-2 waits: the queue is full (3 jobs)",
                "producer-1 put all 5 jobs",
                "producer-2 waits: the queue is full (3 jobs)",
                "worker-2 finished p1-job2 (0.25 s)",
                "producer-2 waits: the queue is full (3 jobs)",
                "worker-3 finished p1-job3 (0.5 s)",
                "producer-2 waits: the queue is full (3 jobs)",
                "worker-1 finished p1-job1 (0.75 s)",
                "worker-3 finished p1-job5 (0.25 s)",
                "producer-2 put all 5 jobs",
                "producers done; main waits in queue.join()",
                "worker-2 finished p1-job4 (0.75 s)",
                "worker-1 finished p2-job1 (0.25 s)",
                "worker-3 finished p2-job2 (0.5 s)",
                "worker-1 finished p2-job4 (0.25 s)",
                "worker-2 finished p2-job3 (0.75 s)",
                "worker-3 finished p2-job5 (0.5 s)",
                "queue.join() returned: every job is marked done; cancelling the workers",
                "worker-1 cancelled while waiting in queue.get()",
                "worker-2 cancelled while waiting in queue.get()",
                "worker-3 cancelled while waiting in queue.get()",
                "3 workers did 10 jobs (4.75 s of work) in 1.75 s; the queue held at most 3 (maxsize 3); 3 workers cancelled"),
                lines);
    }

    @Test
    void oneWorkerDoesTheJobsOneAfterAnother_onVirtualClock() {
        List<String> lines = new ArrayList<>();
        ProducerConsumer.Report r = Loops.runVirtual(() -> ProducerConsumer.run(1, 0.25, lines::add));

        assertEquals(new ProducerConsumer.Report(10, 4.75, 4.75, 1, 1), r);
        // FIFO: the jobs are done in the order they were put, producers taking turns at the full queue.
        List<String> done = lines.stream().filter(l -> l.startsWith("worker-1 finished ")).map(l -> l.split(" ")[2]).toList();
        assertEquals(List.of("p1-job1", "p1-job2", "p2-job1", "p1-job3", "p2-job2", "p1-job4", "p2-job3", "p1-job5",
                "p2-job4", "p2-job5"), done);
    }

    @Test
    void mainPrintsEveryJobAndTheSummary() throws Exception {
        List<String> lines = StdoutCapture.lines(() -> ProducerConsumer.main(new String[0]),
                ProducerConsumer.SECONDS_PROPERTY, "0.01", ProducerConsumer.WORKERS_PROPERTY, "2");

        assertEquals(10, lines.stream().filter(l -> l.matches("worker-[12] finished p[12]-job[1-5] \\(0\\.0[123] s\\)")).count(),
                lines::toString);
        assertEquals(2, lines.stream().filter(l -> l.endsWith(" cancelled while waiting in queue.get()")).count(), lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("2 workers did 10 jobs (0.19 s of work) in ")
                && l.endsWith("; the queue held at most 2 (maxsize 2); 2 workers cancelled")), lines::toString);
        Matcher m = TOOK.matcher(lines.get(lines.size() - 1));
        assertTrue(m.matches(), lines::toString);
        // A lower bound only: two workers need at least half of the 0.19 s of work.
        assertTrue(Double.parseDouble(m.group(1)) >= 0.09, m.group(1));
    }

    @Test
    void badPropertiesAreRejectedWithTheirValue() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StdoutCapture.lines(ProducerConsumer::secondsFromProperty, ProducerConsumer.SECONDS_PROPERTY, "-1"));
        assertEquals("-Dqueue.seconds must be a finite number of seconds >= 0, got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> StdoutCapture.lines(ProducerConsumer::workersFromProperty, ProducerConsumer.WORKERS_PROPERTY, "none"));
        assertEquals("-Dqueue.workers must be a whole number >= 1, got none", e.getMessage());
    }
}
