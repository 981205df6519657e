package dev.aio4j.examples.tour;

import dev.aio4j.examples.http.CityWeather;
import dev.aio4j.examples.http.LocalHttpServer;
import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.ClientSession;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.aio4j.examples.tour.TourContext.num;
import static dev.aio4j.examples.tour.TourContext.secs;

/**
 * Tour step "http": the aiohttp tutorials' three cities fetched concurrently with one
 * {@code ClientSession} and {@code gather} ({@link CityWeather}) from an embedded local server
 * that answers after a delay, then many small requests over the session's keep-alive pool.
 *
 * <p><b>asyncio:</b> {@code aiohttp.ClientSession} with {@code asyncio.gather} of
 * {@code session.get(...)} calls.
 *
 * @since 0.1
 */
public final class HttpStep implements TourStep {
    private static final int CONNECTIONS = 10;
    private static final int REQUESTS = 200;

    /** Creates the step. It keeps no state, so one instance can run any number of times. */
    public HttpStep() {}

    @Override
    public String name() {
        return "http";
    }

    @Override
    public String summary() {
        return "aio-http's ClientSession fetches 3 cities' weather concurrently from a local server, then " + REQUESTS
                + " requests over " + CONNECTIONS + " keep-alive connections";
    }

    @Override
    public String asyncio() {
        return "async with aiohttp.ClientSession() as session: await asyncio.gather(*(fetch(session, c) for c in cities))"
                + "  # fetch: async with session.get(url) as r: await r.json()";
    }

    @Override
    public void run(TourContext ctx) throws Exception {
        double delay = ctx.seconds(0.5, 0.05);
        List<String> cities = CityWeather.DEFAULT_CITIES;
        try (LocalHttpServer server = LocalHttpServer.start(delay)) {
            ctx.did("ClientSession.builder().limit(" + CONNECTIONS + ").build(); Aio.gather(fetch(\"paris\"), ...) where fetch does"
                    + " session.get(url) and response.text(); the JDK's HttpServer on " + server.url("/") + " answers in "
                    + num(delay) + " s");
            double[] gatherTook = new double[1];
            double[] poolTook = new double[1];
            int[] ok = new int[1];
            List<CityWeather.Reading> readings = Aio.run(() -> {
                try (ClientSession session = ClientSession.builder().limit(CONNECTIONS).build()) {
                    try (ClientResponse warmUp = session.get(server.url("/ping"))) {
                        warmUp.text(); // first use: class loading and one connection, kept out of the figures
                    }
                    double t0 = Aio.getRunningLoop().time();
                    List<CityWeather.Reading> got = CityWeather.fetchAll(session, server.url(""), cities, ctx.progressLines());
                    gatherTook[0] = Aio.getRunningLoop().time() - t0;
                    ctx.progress("then " + REQUESTS + " GET /ping at once, at most " + CONNECTIONS + " connections");
                    double t1 = Aio.getRunningLoop().time();
                    List<Task<Integer>> pings = new ArrayList<>();
                    for (int i = 0; i < REQUESTS; i++) {
                        pings.add(Aio.createTask(() -> {
                            try (ClientResponse r = session.get(server.url("/ping"))) {
                                return r.status() == 200 && r.text().equals("pong") ? 1 : 0;
                            }
                        }));
                    }
                    for (int one : Aio.gather(pings).await()) {
                        ok[0] += one;
                    }
                    poolTook[0] = Aio.getRunningLoop().time() - t1;
                    ctx.progress(ok[0] + " pongs; the pool holds " + session.idleConnections() + " idle connections");
                    return got;
                }
            });
            double sum = 0;
            for (CityWeather.Reading r : readings) {
                sum += r.seconds();
            }
            boolean temperatures = readings.stream().map(CityWeather.Reading::city).toList().equals(cities);
            int connections = server.connections();
            boolean fine = temperatures && ok[0] == REQUESTS && connections <= CONNECTIONS;
            ctx.measured(String.format(Locale.ROOT, "%d fetches concurrently in %s vs %s one after another (the sum of their own times);"
                            + " %d keep-alive requests in %s (%.0f requests/s); the server saw %d connections for %d requests (1 warm-up)%s",
                    readings.size(), secs(gatherTook[0]), secs(sum), ok[0], secs(poolTook[0]), ok[0] / Math.max(poolTook[0], 1e-9),
                    connections, server.requests(), fine ? "" : " -- FAILED: expected " + REQUESTS + " pongs over at most "
                            + CONNECTIONS + " connections"));
        }
    }
}
