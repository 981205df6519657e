package dev.aio4j.bench;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The one place that holds the JMH defaults of every aio4j benchmark: average time per
 * operation in nanoseconds, two forks, three warm-up and five measurement iterations of one
 * second each, and the fork's JVM flags.
 *
 * <p>The forked JVM always gets {@code --add-opens java.base/java.lang=ALL-UNNAMED}, so the
 * {@code carrier} scheduler can be chosen; whether it is chosen is decided per trial by
 * {@link AbstractLoopBenchmark#scheduler}, not by the flag. It also gets {@code --add-exports
 * java.base/jdk.internal.vm=ALL-UNNAMED}, used only by the reference
 * {@code RawContinuationBenchmark} (aio4j never touches that package). The heap is fixed at
 * 1 GiB so that heap sizing does not drift between forks; the collector is the JVM's default
 * (G1). JMH's command-line {@code -jvmArgsAppend} <em>replaces</em> this list, so a run that
 * passes it must repeat these flags (see {@code docs/benchmarks.md}).
 *
 * <p>Every benchmark states, in its class Javadoc, what one operation is and which script in
 * {@code aio-bench/python/} is its CPython twin. Benchmarks use
 * {@link org.openjdk.jmh.annotations.OperationsPerInvocation} so that one invocation does
 * substantial work (milliseconds to a few hundred milliseconds) while the score still reads as
 * time per switch, per task or per callback.
 *
 * <p>Command-line options ({@code -f}, {@code -wi}, {@code -i}, {@code -w}, {@code -r}) override
 * these defaults; {@code aio-bench/compare.sh} uses them for its quick mode.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
        "-Xms1g", "-Xmx1g",
})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class AbstractBenchmark {
}
