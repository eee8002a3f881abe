package dev.switchboard.api;

import dev.switchboard.transport.http.HttpException;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiRequestsTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pathSegmentsArePercentDecodedOneByOne() throws Exception {
        assertThat(ApiRequests.segments("/api/users/a%2Fb/messages")).containsExactly("api", "users", "a/b", "messages");
        assertThat(ApiRequests.segments("/api/users/%E5%B0%8F%E6%98%8E")).containsExactly("api", "users", "小明");
    }

    @Test
    void anEmptySegmentInsideThePathIsKeptAndOneTrailingSlashIsNotASegment() throws Exception {
        assertThat(ApiRequests.segments("/api/users//messages")).containsExactly("api", "users", "", "messages");
        assertThat(ApiRequests.segments("/api/users/bob//connections"))
                .containsExactly("api", "users", "bob", "", "connections");
        assertThat(ApiRequests.segments("/api/users/bob/")).containsExactly("api", "users", "bob");
        assertThat(ApiRequests.segments("/")).isEmpty();
    }

    @Test
    void messageBodiesKeepTheMessageValue() throws Exception {
        assertThat(new String(ApiRequests.messageBody(utf8("{\"message\":\"hi\",\"x\":1}")).text(),
                StandardCharsets.UTF_8)).isEqualTo("hi");
        assertThat(new String(ApiRequests.messageBody(utf8("{\"message\": {\"a\": [1]}}")).text(),
                StandardCharsets.UTF_8)).isEqualTo("{\"a\":[1]}");
    }

    @Test
    void badBodiesMapToTheirStatus() {
        assertStatus("not json", HttpResponseStatus.BAD_REQUEST, "invalid_json");
        assertStatus("", HttpResponseStatus.BAD_REQUEST, "invalid_json");
        assertStatus("{\"message\":1} 2", HttpResponseStatus.BAD_REQUEST, "invalid_json");
        assertStatus("[1]", HttpResponseStatus.UNPROCESSABLE_ENTITY, "invalid_message");
        assertStatus("{\"msg\":1}", HttpResponseStatus.UNPROCESSABLE_ENTITY, "missing_message");
    }

    @Test
    void userIdsAreBounded() {
        assertThatThrownBy(() -> ApiRequests.userId("u".repeat(257)))
                .isInstanceOfSatisfying(HttpException.class,
                        e -> assertThat(e.status()).isEqualTo(HttpResponseStatus.UNPROCESSABLE_ENTITY));
    }

    private static void assertStatus(String body, HttpResponseStatus status, String code) {
        assertThatThrownBy(() -> ApiRequests.messageBody(utf8(body)))
                .isInstanceOfSatisfying(HttpException.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.code()).isEqualTo(code);
                });
    }
}
