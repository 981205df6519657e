package dev.aio4j.http.web;

import dev.aio4j.loop.EventLoop;

import java.util.ArrayList;
import java.util.List;

/** runApp's SIGINT/SIGTERM handlers: installed on the serving loop, removed after. */
final class Signals {
    private static final List<String> NAMES = List.of("SIGINT", "SIGTERM");

    private final EventLoop loop;
    private final List<String> installed;

    private Signals(EventLoop loop, List<String> installed) {
        this.loop = loop;
        this.installed = installed;
    }

    /** Installs {@code stop} for SIGINT and SIGTERM if the config asks; warns where signals are unavailable. */
    static Signals install(EventLoop loop, ServerConfig config, Runnable stop) {
        List<String> done = new ArrayList<>();
        if (config.handleSignals()) {
            for (String s : NAMES) {
                try {
                    loop.addSignalHandler(s, stop);
                    done.add(s);
                } catch (UnsupportedOperationException | IllegalArgumentException e) {
                    WebServer.LOG.log(System.Logger.Level.WARNING, "cannot handle " + s + " (" + e.getMessage()
                            + "): the server will not shut down gracefully on it");
                }
            }
        }
        return new Signals(loop, done);
    }

    void remove() {
        for (String s : installed) {
            loop.removeSignalHandler(s);
        }
    }
}
