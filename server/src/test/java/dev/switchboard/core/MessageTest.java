package dev.switchboard.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MessageTest {
    @Test
    void aStringHasItsTextAndAnEscapedJsonForm() {
        Message message = Message.ofString("他说 \"你好\"\n");
        assertThat(new String(message.text(), StandardCharsets.UTF_8)).isEqualTo("他说 \"你好\"\n");
        assertThat(new String(message.json(), StandardCharsets.UTF_8)).isEqualTo("\"他说 \\\"你好\\\"\\n\"");
        assertThat(message.json()).isSameAs(message.json());
    }

    @Test
    void otherJsonIsItsOwnText() {
        byte[] json = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        Message message = Message.ofJson(json);
        assertThat(message.isString()).isFalse();
        assertThat(message.text()).isEqualTo(json);
        assertThat(message.json()).isEqualTo(json);
    }

    @Test
    void toStringNeverShowsTheBody() {
        assertThat(Message.ofString("secret transcript").toString()).doesNotContain("secret");
    }

    @Test
    void equalityIsByValue() {
        assertThat(Message.ofString("a")).isEqualTo(Message.ofString("a")).isNotEqualTo(Message.ofJson("\"a\"".getBytes()));
    }
}
