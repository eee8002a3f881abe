package dev.switchboard.transport.v1;

import dev.switchboard.transport.FrameException;

import dev.switchboard.core.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeParserTest {
    private static EnvelopeRequest parse(String frame) throws FrameException {
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        return EnvelopeParser.parse(bytes, 0, bytes.length);
    }

    @Test
    void aSendCarriesItsTargetMessageIdAndReceiptFlag() throws Exception {
        EnvelopeRequest send = parse("{\"type\":\"send\",\"id\":\"r1\",\"to\":\"bob\",\"message\":{\"x\":[1, 2.50]},\"receipt\":true}");
        assertThat(send.type()).isEqualTo("send");
        assertThat(send.id()).isEqualTo("r1");
        assertThat(send.target()).isEqualTo("bob");
        assertThat(new String(send.message().json(), StandardCharsets.UTF_8)).isEqualTo("{\"x\":[1,2.50]}");
        assertThat(send.receipt()).isTrue();
        assertThat(parse("{\"type\":\"send\",\"to\":\"bob\",\"message\":\"hi\"}").receipt()).isFalse();
    }

    @Test
    void presenceReceivedAndPingParse() throws Exception {
        assertThat(parse("{\"type\":\"presence\",\"id\":\"r2\",\"user\":\"bob\"}").target()).isEqualTo("bob");
        assertThat(parse("{\"type\":\"received\",\"seq\":42}").seq()).isEqualTo(42);
        assertThat(parse("{\"type\":\"ping\",\"id\":\"r3\"}").id()).isEqualTo("r3");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json                                                   | INVALID_JSON    | ",
        "[1]                                                        | INVALID_MESSAGE | ",
        "{\"id\":\"a\"}                                             | INVALID_MESSAGE | a",
        "{\"type\":\"shout\",\"id\":\"a\"}                          | INVALID_MESSAGE | a",
        "{\"type\":7,\"id\":\"a\"}                                  | INVALID_MESSAGE | a",
        "{\"type\":\"ping\",\"id\":7}                               | INVALID_MESSAGE | ",
        "{\"type\":\"send\",\"id\":\"a\",\"message\":1}             | MISSING_USER_ID | a",
        "{\"type\":\"send\",\"id\":\"a\",\"to\":\"\",\"message\":1} | MISSING_USER_ID | a",
        "{\"type\":\"send\",\"id\":\"a\",\"to\":5,\"message\":1}    | INVALID_USER_ID | a",
        "{\"type\":\"send\",\"id\":\"a\",\"to\":\"bob\"}            | MISSING_MESSAGE | a",
        "{\"type\":\"send\",\"id\":\"a\",\"to\":\"b\",\"message\":1,\"receipt\":\"yes\"} | INVALID_MESSAGE | a",
        "{\"type\":\"presence\",\"id\":\"a\"}                       | MISSING_USER_ID | a",
        "{\"type\":\"presence\",\"id\":\"a\",\"to\":\"bob\"}        | MISSING_USER_ID | a",
        "{\"type\":\"received\",\"id\":\"a\"}                       | INVALID_MESSAGE | a",
        "{\"type\":\"received\",\"id\":\"a\",\"seq\":0}             | INVALID_MESSAGE | a",
        "{\"type\":\"received\",\"id\":\"a\",\"seq\":1.5}           | INVALID_MESSAGE | a",
        "{\"type\":\"ping\",\"id\":\"a\"} {}                        | INVALID_JSON    | a",
    })
    void badRequestsGetPlainModesCodesAndKeepTheirId(String frame, ErrorCode code, String id) {
        assertThatThrownBy(() -> parse(frame)).isInstanceOfSatisfying(FrameException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.requestId()).isEqualTo(id);
        });
    }
}
