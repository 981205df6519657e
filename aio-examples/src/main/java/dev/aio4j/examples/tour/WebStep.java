package dev.aio4j.examples.tour;

import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.ClientSession;
import dev.aio4j.http.web.AppRunner;
import dev.aio4j.http.web.Application;
import dev.aio4j.http.web.Response;
import dev.aio4j.http.web.TCPSite;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.aio4j.examples.tour.TourContext.num;
import static dev.aio4j.examples.tour.TourContext.secs;

/**
 * Tour step "web": an aiohttp.web application served on 127.0.0.1 (any free port) with
 * {@code AppRunner} and {@code TCPSite} in the tour's own loop, and fetched from the same loop
 * with a {@code ClientSession}: {@value #REQUESTS} GETs gathered at once, each handler sleeping
 * without blocking, so they overlap.
 *
 * <p><b>asyncio:</b> aiohttp's "application runners" recipe ({@code web.AppRunner(app)},
 * {@code await runner.setup()}, {@code web.TCPSite(runner, '127.0.0.1', 0)},
 * {@code await site.start()}) with {@code asyncio.gather} of {@code session.get(...)} calls.
 *
 * @since 0.2
 */
public final class WebStep implements TourStep {
    private static final int REQUESTS = 20;

    /** Creates the step. It keeps no state, so one instance can run any number of times. */
    public WebStep() {}

    @Override
    public String name() {
        return "web";
    }

    @Override
    public String summary() {
        return "an aiohttp.web Application served with AppRunner/TCPSite in the tour's loop, and " + REQUESTS
                + " concurrent ClientSession GETs to it from the same loop";
    }

    @Override
    public String asyncio() {
        return "runner = web.AppRunner(app); await runner.setup(); await web.TCPSite(runner, '127.0.0.1', 0).start();"
                + " await asyncio.gather(*(session.get(url) for _ in range(" + REQUESTS + ")))";
    }

    @Override
    public void run(TourContext ctx) throws Exception {
        double delay = ctx.seconds(0.2, 0.05);
        AtomicInteger handled = new AtomicInteger();
        int[] inFlight = new int[2]; // now, most at once: touched only on the loop, no lock needed
        Application app = new Application();
        app.router().addGet("/hello/{name}", request -> {
            handled.incrementAndGet();
            inFlight[1] = Math.max(inFlight[1], ++inFlight[0]);
            try {
                Aio.sleep(delay); // await asyncio.sleep(delay): other handlers run meanwhile
            } finally {
                inFlight[0]--;
            }
            return new Response().text("Hello, " + request.matchInfo().get("name"));
        });
        ctx.did("new Application(); router().addGet(\"/hello/{name}\", handler sleeping " + num(delay)
                + " s); AppRunner.setup(); new TCPSite(runner, \"127.0.0.1\", 0).start(); then Aio.gather of "
                + REQUESTS + " session.get(...) in the same loop");
        double[] took = new double[1];
        List<String> bodies = Aio.run(() -> {
            AppRunner runner = new AppRunner(app);
            runner.setup();
            try {
                TCPSite site = new TCPSite(runner, "127.0.0.1", 0);
                site.start();
                ctx.progress("serving on " + site.name());
                try (ClientSession session = ClientSession.builder().limit(REQUESTS).build()) {
                    double t0 = Aio.getRunningLoop().time();
                    List<Task<String>> gets = new ArrayList<>();
                    for (int i = 0; i < REQUESTS; i++) {
                        String url = site.name() + "/hello/client" + i;
                        gets.add(Aio.createTask(() -> {
                            try (ClientResponse r = session.get(url)) {
                                return r.status() + " " + r.text();
                            }
                        }));
                    }
                    List<String> got = Aio.gather(gets).await();
                    took[0] = Aio.getRunningLoop().time() - t0;
                    ctx.progress(got.size() + " answers, the first: " + got.get(0) + "; runner.cleanup()");
                    return got;
                }
            } finally {
                runner.cleanup(); // stop listening, close connections, run onCleanup
            }
        });
        boolean inOrder = true;
        for (int i = 0; i < bodies.size(); i++) {
            inOrder &= bodies.get(i).equals("200 Hello, client" + i);
        }
        boolean fine = inOrder && handled.get() == REQUESTS && took[0] < REQUESTS * delay;
        ctx.measured(String.format(Locale.ROOT, "%d GETs answered in %s, not %s one after another (each handler sleeps %s);"
                        + " at most %d handlers in flight at once; answers in request order: %s%s",
                handled.get(), secs(took[0]), secs(REQUESTS * delay), secs(delay), inFlight[1], inOrder ? "yes" : "no",
                fine ? "" : " -- FAILED: expected " + REQUESTS + " overlapping answers in order"));
    }
}
