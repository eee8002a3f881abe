package dev.switchboard.testing;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on the error body every HTTP error and error frame carries: {@code {"error","code"}}. */
public final class JsonErrors {
    private JsonErrors() {
    }

    /** {@code json} is exactly {@code {"error":<non-blank text>,"code":<code>}}. */
    public static void assertError(String json, String code) {
        Map<String, Object> error = JsonObjects.parseFlat(json);
        assertThat(error).as("error body %s", json).containsOnlyKeys("error", "code").containsEntry("code", code);
        assertThat(error.get("error")).as("error text in %s", json)
                .isInstanceOfSatisfying(String.class, text -> assertThat(text).isNotBlank());
    }
}
