package dev.aio4j.examples.http;

import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.ClientSession;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Port of the aiohttp tutorial program that fetches the temperature of three cities concurrently
 * with one {@code aiohttp.ClientSession} and {@code asyncio.gather}, here against an embedded
 * server on loopback ({@link LocalHttpServer}) that takes {@code -Dweather.delay=1.0} seconds per
 * answer, so the program runs offline and the three fetches take about one delay, not three.
 *
 * <p>Run it with {@code java -cp ... dev.aio4j.examples.http.CityWeather}; {@code -Dweather.cities=paris,lyon}
 * changes the cities (the server knows paris, toulouse, marseille, lyon, lille). The Python
 * original, for comparison:
 *
 * <pre>{@code
 * async def fetch(session, city):
 *     url = f"https://www.prevision-meteo.ch/services/json/{city}"
 *     async with session.get(url) as response:
 *         data = await response.json()
 *         print(f"Temperature at {city}: {data['current_condition']['tmp']} C")
 *
 * async def main():
 *     async with aiohttp.ClientSession() as session:
 *         cities = ['paris', 'toulouse', 'marseille']
 *         tasks = [fetch(session, city) for city in cities]
 *         await asyncio.gather(*tasks)
 *
 * start_time = time.time()
 * asyncio.run(main())
 * print(f"Program executed in {time.time() - start_time:.2f} seconds.")
 * }</pre>
 *
 * <p>aio-http has no JSON library, so {@link #fetch} picks {@code current_condition.tmp} out of
 * the text with a regular expression; a real program would hand {@code response.text()} to its
 * JSON parser.
 */
public final class CityWeather {
    /** System property: seconds the embedded server takes to answer each city. */
    public static final String DELAY_PROPERTY = "weather.delay";
    /** System property: the cities, comma-separated. */
    public static final String CITIES_PROPERTY = "weather.cities";
    /** The delay when the property is not set. */
    public static final double DEFAULT_DELAY = 1.0;
    /** The tutorial's cities. */
    public static final List<String> DEFAULT_CITIES = List.of("paris", "toulouse", "marseille");

    private static final Pattern TMP = Pattern.compile("\"current_condition\"\\s*:\\s*\\{[^}]*\"tmp\"\\s*:\\s*(-?\\d+)");

    /**
     * One city's result.
     *
     * @param city the city as asked
     * @param temperature degrees Celsius, from {@code current_condition.tmp}
     * @param seconds how long this one fetch took
     */
    public record Reading(String city, int temperature, double seconds) {}

    private CityWeather() {}

    /**
     * Fetches one city and prints its temperature, as the tutorial's {@code fetch} does. Call it
     * in a task.
     *
     * @param session the shared session
     * @param baseUrl the server, e.g. {@code http://127.0.0.1:41234}
     * @param city a city name
     * @param out receives the printed line
     * @return the reading
     * @throws dev.aio4j.http.ClientResponseError if the server answers 404 (unknown city) or another error
     * @throws IllegalStateException if the answer has no {@code current_condition.tmp}
     */
    public static Reading fetch(ClientSession session, String baseUrl, String city, Consumer<String> out) {
        double t0 = Aio.getRunningLoop().time();
        try (ClientResponse response = session.get(baseUrl + "/weather/" + city)) {
            response.raiseForStatus();
            String data = response.text();
            Matcher m = TMP.matcher(data);
            if (!m.find()) {
                throw new IllegalStateException("no current_condition.tmp in the answer for " + city + ": " + data);
            }
            int tmp = Integer.parseInt(m.group(1));
            out.accept("Temperature at " + city + ": " + tmp + " C");
            return new Reading(city, tmp, Aio.getRunningLoop().time() - t0);
        }
    }

    /**
     * Fetches every city concurrently with {@code Aio.gather}, as the tutorial's {@code main}
     * does. Call it in a task.
     *
     * @param session the shared session
     * @param baseUrl the server
     * @param cities the cities
     * @param out receives one line per city, in the order the answers arrive
     * @return the readings, in the order of {@code cities}
     */
    public static List<Reading> fetchAll(ClientSession session, String baseUrl, List<String> cities, Consumer<String> out) {
        List<Task<Reading>> tasks = new ArrayList<>();
        for (String city : cities) {
            tasks.add(Aio.createTask(() -> fetch(session, baseUrl, city, out), "fetch-" + city));
        }
        return Aio.gather(tasks).await();
    }

    /**
     * Starts the embedded server, runs the program, prints the time it took.
     *
     * @param args ignored
     * @throws Exception if the server cannot start, or a fetch fails
     */
    public static void main(String[] args) throws Exception {
        double delay = delayFromProperty();
        List<String> cities = citiesFromProperty();
        try (LocalHttpServer server = LocalHttpServer.start(delay)) {
            System.out.println("Weather service on " + server.url("/weather/") + ", answering in " + delay + " s");
            long t0 = System.nanoTime();
            Aio.run(() -> {
                try (ClientSession session = ClientSession.create()) {
                    return fetchAll(session, server.url(""), cities, System.out::println);
                }
            });
            double took = (System.nanoTime() - t0) / 1e9;
            System.out.println(String.format(Locale.ROOT, "Program executed in %.2f seconds.", took));
            System.out.println(String.format(Locale.ROOT, "(%d requests of %.2f s each, %d of them in the server's hands at once;"
                    + " one after another they would take %.2f s)", cities.size(), delay, server.maxWeatherInFlight(), cities.size() * delay));
        }
    }

    /**
     * The delay from {@value #DELAY_PROPERTY}, or {@value #DEFAULT_DELAY}.
     *
     * @return seconds
     * @throws IllegalArgumentException if the property is not a finite number &gt;= 0
     */
    public static double delayFromProperty() {
        return dev.aio4j.examples.ExampleProperties.seconds(DELAY_PROPERTY, DEFAULT_DELAY);
    }

    /**
     * The cities from {@value #CITIES_PROPERTY}, or {@link #DEFAULT_CITIES}.
     *
     * @return lower-case names
     */
    public static List<String> citiesFromProperty() {
        String raw = System.getProperty(CITIES_PROPERTY);
        if (raw == null || raw.isBlank()) {
            return DEFAULT_CITIES;
        }
        return Arrays.stream(raw.split(",")).map(String::strip).filter(c -> !c.isEmpty())
                .map(c -> c.toLowerCase(Locale.ROOT)).toList();
    }
}
