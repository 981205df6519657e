package dev.aio4j.jackson;

import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.ClientSession;
import dev.aio4j.http.RequestOption;
import dev.aio4j.http.web.AppRunner;
import dev.aio4j.http.web.Application;
import dev.aio4j.http.web.TCPSite;
import dev.aio4j.http.web.Web;
import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Jackson through aio-http's JSON paths, client and server: aiohttp's test_client_functional
 * json cases ({@code json=} bodies, {@code resp.json()}) and test_web_functional's
 * {@code json_response} and {@code request.json()}, with Jackson as the codec.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JacksonCodecTest {
    /** A record Jackson binds by its components. */
    record Item(String name, int qty) {}

    @Test
    void encodeAndDecodeTypes() throws Exception {
        JacksonCodec codec = new JacksonCodec();
        assertEquals("{\"name\":\"pen\",\"qty\":2}", codec.encode(new Item("pen", 2)));
        assertEquals(new Item("ink", 3), codec.decode("{\"name\":\"ink\",\"qty\":3}", Item.class));
        assertEquals(List.of(1, 2), codec.decode("[1,2]", Object.class));
    }

    @Test
    void jsonRoundTripThroughServerAndClient() throws Exception {
        Aio.run(() -> {
            Application app = new Application().jsonCodec(new JacksonCodec());
            app.router().addPost("/items", request -> {
                Item item = request.json(Item.class);
                return Web.jsonResponse(Map.of("name", item.name(), "total", item.qty() * 10), 201);
            });
            AppRunner runner = new AppRunner(app);
            runner.setup();
            TCPSite site = new TCPSite(runner, "127.0.0.1", 0);
            site.start();
            try (ClientSession s = ClientSession.builder().jsonCodec(new JacksonCodec()).build()) {
                try (ClientResponse r = s.post("http://127.0.0.1:" + site.port() + "/items", RequestOption.json(new Item("pen", 4)))) {
                    assertEquals(201, r.status());
                    assertEquals("application/json", r.contentType());
                    assertEquals(Map.of("name", "pen", "total", 40), r.json());
                }
                try (ClientResponse r = s.post("http://127.0.0.1:" + site.port() + "/items", RequestOption.body("{not json"),
                        RequestOption.header("Content-Type", "application/json"))) {
                    assertEquals(400, r.status(), "a body the codec cannot read is the client's error");
                }
            }
            runner.cleanup();
        });
    }
}
