package dev.aio4j.loop;

import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM by {@link OutOfMemoryTest}: creates tasks (or callbacks) until the heap is
 * exhausted. Prints {@code FATAL java.lang.OutOfMemoryError} when {@code Aio.run} throws the error, then exits 3.
 * Argument: {@code tasks} (the main task creates sleeping tasks, never yielding) or
 * {@code callback} (a loop callback allocates until it fails).
 */
public final class OutOfMemoryMain {
    private OutOfMemoryMain() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "tasks";
        // Prepared before memory runs out: reporting the error must not need the heap.
        java.io.FileOutputStream out = new java.io.FileOutputStream(java.io.FileDescriptor.out);
        byte[] fatalOom = "FATAL java.lang.OutOfMemoryError\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] fatalOther = "FATAL other VirtualMachineError\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] otherError = "OTHER error\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            Aio.run(() -> {
                switch (mode) {
                    case "callback" -> {
                        Aio.getRunningLoop().callSoon(() -> {
                            List<long[]> hog = new ArrayList<>(); // freed when the callback unwinds
                            while (true) {
                                hog.add(new long[4096]);
                            }
                        });
                        Aio.sleep(3600);
                        return null;
                    }
                    default -> {
                        List<Task<Object>> tasks = new ArrayList<>();
                        while (true) {
                            tasks.add(Aio.createTask(() -> {
                                Aio.sleep(3600);
                                return null;
                            }));
                        }
                    }
                }
            });
            System.out.println("RETURNED");
            System.exit(1);
        } catch (VirtualMachineError e) {
            out.write(e instanceof OutOfMemoryError ? fatalOom : fatalOther);
            out.flush();
            Runtime.getRuntime().halt(3);
        } catch (Throwable e) {
            out.write(otherError);
            out.flush();
            try {
                e.printStackTrace();
            } finally {
                Runtime.getRuntime().halt(2);
            }
        }
    }
}
