package dev.aio4j.examples.http;

import dev.aio4j.examples.StdoutCapture;
import dev.aio4j.http.ClientResponseError;
import dev.aio4j.http.ClientSession;
import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@link CityWeather} against its embedded server on loopback (real clock, real sockets). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CityWeatherTest {
    private static final Pattern TOOK = Pattern.compile("Program executed in (\\d+\\.\\d\\d) seconds\\.");

    @Test
    void mainFetchesThreeCitiesConcurrently() throws Exception {
        List<String> lines = StdoutCapture.lines(() -> CityWeather.main(new String[0]), CityWeather.DELAY_PROPERTY, "0.5");

        assertTrue(lines.get(0).startsWith("Weather service on http://127.0.0.1:"), lines::toString);
        Set<String> temps = lines.stream().filter(l -> l.startsWith("Temperature at ")).collect(Collectors.toSet());
        assertEquals(Set.of("Temperature at paris: 18 C", "Temperature at toulouse: 24 C", "Temperature at marseille: 25 C"), temps);
        double took = -1;
        for (String l : lines) {
            Matcher m = TOOK.matcher(l);
            if (m.matches()) {
                took = Double.parseDouble(m.group(1));
            }
        }
        // A lower bound only; concurrency is shown by what the server saw, not by a stopwatch.
        assertTrue(took >= 0.49, "took " + took + ": " + lines);
        assertTrue(lines.contains("(3 requests of 0.50 s each, 3 of them in the server's hands at once; one after another they would take 1.50 s)"),
                lines::toString);
    }

    @Test
    void citiesComeFromTheProperty() throws Exception {
        List<String> lines = StdoutCapture.lines(() -> CityWeather.main(new String[0]),
                CityWeather.DELAY_PROPERTY, "0", CityWeather.CITIES_PROPERTY, " Lyon, lille ");

        assertEquals(Set.of("Temperature at lyon: 21 C", "Temperature at lille: 14 C"),
                lines.stream().filter(l -> l.startsWith("Temperature at ")).collect(Collectors.toSet()));
    }

    @Test
    void fetchAllKeepsTheCitiesOrderAndOneSessionReusesItsConnections() throws Exception {
        try (LocalHttpServer server = LocalHttpServer.start(0)) {
            List<CityWeather.Reading> readings = Aio.run(() -> {
                try (ClientSession session = ClientSession.create()) {
                    CityWeather.fetchAll(session, server.url(""), CityWeather.DEFAULT_CITIES, line -> { });
                    return CityWeather.fetchAll(session, server.url(""), CityWeather.DEFAULT_CITIES, line -> { });
                }
            });
            assertEquals(List.of("paris", "toulouse", "marseille"), readings.stream().map(CityWeather.Reading::city).toList());
            assertEquals(List.of(18, 24, 25), readings.stream().map(CityWeather.Reading::temperature).toList());
            assertEquals(6, server.requests());
            assertTrue(server.connections() <= 3, "the second round reuses the first round's connections: " + server);
        }
    }

    @Test
    void unknownCityIsA404() throws Exception {
        try (LocalHttpServer server = LocalHttpServer.start(0)) {
            ClientResponseError e = Aio.run(() -> {
                try (ClientSession session = ClientSession.create()) {
                    return assertThrows(ClientResponseError.class, () -> CityWeather.fetch(session, server.url(""), "atlantis", line -> { }));
                }
            });
            assertEquals(404, e.status());
            assertTrue(e.getMessage().endsWith("url=" + server.url("/weather/atlantis")), e.getMessage());
        }
    }

    @Test
    void badDelayPropertyIsRejectedWithItsValue() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StdoutCapture.lines(() -> CityWeather.main(new String[0]), CityWeather.DELAY_PROPERTY, "soon"));
        assertEquals("-Dweather.delay must be a finite number of seconds >= 0, got soon", e.getMessage());
    }
}
