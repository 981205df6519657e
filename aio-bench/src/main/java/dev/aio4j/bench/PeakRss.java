package dev.aio4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads this process's peak resident set size ({@code VmHWM} in {@code /proc/self/status}),
 * the same figure Python's {@code resource.getrusage(RUSAGE_SELF).ru_maxrss} reports on Linux.
 */
public final class PeakRss {
    private PeakRss() {}

    /**
     * Prints this JVM's peak RSS having done nothing: the baseline a JVM pays before any
     * workload (compare.sh prints it next to the spawn+gather figure).
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("{\"workload\":\"jvm_baseline\",\"impl\":\"jvm\",\"peak_rss_kb\":" + kilobytes() + "}");
    }

    /**
     * Peak RSS in KiB, or -1 where {@code /proc/self/status} is unavailable (not Linux).
     *
     * @return kibibytes, or -1
     */
    public static long kilobytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
