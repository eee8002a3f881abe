package dev.switchboard.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client's frames, exactly as docs/PROTOCOL.md's "Client → server" shows them. */
class FramesTest {
    @Test
    void requests() {
        assertThat(Frames.send("r1", "bob", "\"hi\"", false, "k1"))
                .isEqualTo("{\"type\":\"send\",\"id\":\"r1\",\"to\":\"bob\",\"message\":\"hi\",\"idempotencyKey\":\"k1\"}");
        assertThat(Frames.send("r2", "b\"o", "{\"a\":1}", true, "k\"2"))
                .isEqualTo("{\"type\":\"send\",\"id\":\"r2\",\"to\":\"b\\\"o\",\"message\":{\"a\":1},\"receipt\":true,"
                        + "\"idempotencyKey\":\"k\\\"2\"}");
        assertThat(Frames.presence("r3", "bob")).isEqualTo("{\"type\":\"presence\",\"id\":\"r3\",\"user\":\"bob\"}");
        assertThat(Frames.received(42)).isEqualTo("{\"type\":\"received\",\"seq\":42}");
        assertThat(Frames.ping()).isEqualTo("{\"type\":\"ping\"}");
    }

    @Test
    void textBecomesAJsonString() {
        assertThat(Json.quote("say \"hi\"\n\u0001é😀")).isEqualTo("\"say \\\"hi\\\"\\n\\u0001é😀\"");
    }

    @Test
    void jsonIsValidatedAndCompactedWithNumbersKeepingTheirDigits() {
        assertThat(Json.compact(" { \"a\" : [ 1 , 2.50, 1e400 ] ,\n \"b\": null } "))
                .isEqualTo("{\"a\":[1,2.50,1e400],\"b\":null}");
        assertThat(Json.compact("0.1000000000000000055511151231257827")).isEqualTo("0.1000000000000000055511151231257827");
        assertThat(Json.compact("\"x\"")).isEqualTo("\"x\"");
        for (String bad : new String[] {"", "  ", "{", "[1,]", "1 2", "{} {}", "nul", "'x'"}) {
            assertThatThrownBy(() -> Json.compact(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Json.compact("[".repeat(200) + "]".repeat(200)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
