package dev.aio4j.loop.internal;

import java.security.CodeSource;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Call-site helpers for debug mode (asyncio's {@code format_helpers.py}): where a future or task
 * was created, and which stack frames are aio-loop's own machinery rather than the caller's.
 */
public final class CallSites {
    private static final ConcurrentHashMap<String, Boolean> OWN_CLASSES = new ConcurrentHashMap<>();

    private CallSites() {}

    /**
     * The caller's stack, without aio-loop's own frames on top.
     *
     * @return the frames, innermost first
     */
    public static StackTraceElement[] creationSite() {
        StackTraceElement[] raw = new Throwable().getStackTrace();
        int i = 0;
        while (i < raw.length && isOwnFrame(raw[i].getClassName())) {
            i++;
        }
        return Arrays.copyOfRange(raw, Math.min(i, raw.length), raw.length);
    }

    /**
     * Whether a stack frame belongs to aio-loop's own code, as opposed to the caller's. The package
     * name is not enough: other code may live in {@code dev.aio4j.loop} too (aio4j's own tests
     * do), so the class must also come from the same jar or directory as this one.
     *
     * @param className a frame's class name
     * @return true for aio-loop's own classes (and their lambdas)
     */
    public static boolean isOwnFrame(String className) {
        if (!className.startsWith("dev.aio4j.loop.")) {
            return false;
        }
        int lambda = className.indexOf("$$Lambda");
        String name = lambda > 0 ? className.substring(0, lambda) : className;
        return OWN_CLASSES.computeIfAbsent(name, CallSites::loadedFromOwnCodeSource);
    }

    private static boolean loadedFromOwnCodeSource(String className) {
        try {
            Class<?> c = Class.forName(className, false, CallSites.class.getClassLoader());
            CodeSource own = CallSites.class.getProtectionDomain().getCodeSource();
            CodeSource theirs = c.getProtectionDomain().getCodeSource();
            if (own == null || theirs == null) {
                return c.getModule() == CallSites.class.getModule(); // no code source: fall back to the module
            }
            return Objects.equals(own.getLocation(), theirs.getLocation());
        } catch (ClassNotFoundException | LinkageError e) {
            return false; // not loadable from here: not ours
        }
    }
}
