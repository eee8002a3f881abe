package dev.switchboard.api;

import dev.switchboard.transport.http.HttpException;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any path and body a backend can send to the server API: parsed, or refused with a 4xx
 * {@link HttpException} — never another exception. Inputs kept in
 * {@code src/test/resources/.../ApiRequestsFuzzTestInputs} are replayed by {@code mvn verify}.
 */
class ApiRequestsFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parsesOrRejectsAnyRequest(FuzzedDataProvider data) {
        String path = data.consumeString(300);
        byte[] body = data.consumeRemainingAsBytes();
        try {
            for (String segment : ApiRequests.segments(path)) {
                assertThat(segment).isNotNull();
                ApiRequests.userId(segment);
            }
        } catch (HttpException e) {
            assertThat(e.status().code()).isBetween(400, 499);
        }
        try {
            assertThat(ApiRequests.messageBody(body).json()).isNotEmpty();
        } catch (HttpException e) {
            assertThat(e.status().code()).isBetween(400, 499);
        }
    }
}
