package dev.aio4j.http.internal;

import dev.aio4j.http.AbstractCookieJar;
import dev.aio4j.http.ClientSession;
import dev.aio4j.loop.internal.Checks;

/**
 * Settings of a {@link ClientSession} that aiohttp keeps in private attributes and that only
 * aio4j's own modules change: today the stale-connection retry ({@code _retry_connection}), which
 * aio-test's {@code TestClient} turns off as aiohttp's {@code test_utils.TestClient} does, and
 * building a session with another default cookie jar. The
 * session installs its side when its class is initialized, so any session in hand can be reached.
 * Exported to aio-test only; not public API.
 */
public final class SessionAccess {
    /** What the session lets this class do. */
    public interface Hooks {
        /** Sets {@code session}'s {@code _retry_connection}. */
        void retryConnection(ClientSession session, boolean on);

        /** Builds a session from {@code builder}, with {@code jarIfNone} if it was given no cookie jar. */
        ClientSession build(ClientSession.Builder builder, AbstractCookieJar jarIfNone);
    }

    private static volatile Hooks hooks;

    private SessionAccess() {}

    /**
     * Called once, by {@link ClientSession}'s class initializer.
     *
     * @param h the session's side
     */
    public static void install(Hooks h) {
        hooks = Checks.notNull(h, "hooks");
    }

    /**
     * Turns the stale-connection retry of {@code session} on or off (aiohttp's
     * {@code session._retry_connection = on}), for the requests made from now on.
     *
     * @param session the session
     * @param on whether an idempotent request that lost its connection is sent once more
     */
    public static void retryConnection(ClientSession session, boolean on) {
        Checks.notNull(session, "session");
        hooks.retryConnection(session, on); // a session exists, so its class has installed the hooks
    }

    /**
     * Builds a session from {@code builder} as {@link ClientSession.Builder#build()} does, but
     * with {@code jarIfNone} when the builder was given no cookie jar (no {@code cookie_jar=}), so
     * that aio-test's {@code TestClient} can give each session aiohttp's
     * {@code CookieJar(unsafe=True)} without changing the builder, which its caller may use again.
     *
     * @param builder the builder, left as it is
     * @param jarIfNone the jar to use if the builder has none
     * @return the new session
     */
    public static ClientSession build(ClientSession.Builder builder, AbstractCookieJar jarIfNone) {
        Checks.notNull(builder, "builder");
        Checks.notNull(jarIfNone, "jarIfNone");
        return hooks.build(builder, jarIfNone); // a builder exists, so ClientSession is initialized
    }
}
