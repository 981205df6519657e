package dev.aio4j.examples.chat;

import dev.aio4j.examples.StdoutCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@link ChatRoom} on loopback: every member hears every member's hello. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatRoomTest {
    @Test
    void mainPrintsWhatEachMemberHeard() throws Exception {
        List<String> lines = StdoutCapture.lines(() -> ChatRoom.main(new String[0]), ChatRoom.CLIENTS_PROPERTY, "3");
        assertTrue(lines.get(0).startsWith("Chat room on ws://127.0.0.1:"), lines::toString);
        for (int i = 1; i <= 3; i++) {
            assertEquals("c" + i + " heard: c1: hello from c1 | c2: hello from c2 | c3: hello from c3", lines.get(i));
        }
    }

    @Test
    void broadcastReachesManyMembers() throws Exception {
        List<Set<String>> heard = ChatRoom.run(20, line -> { });
        assertEquals(20, heard.size());
        for (Set<String> h : heard) {
            assertEquals(20, h.size(), h.toString());
        }
    }
}
