package dev.switchboard.transport.plain;

import dev.switchboard.transport.FrameException;

import dev.switchboard.core.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlainFrameParserTest {
    private static PlainSend parse(String frame) throws FrameException {
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        return PlainFrameParser.parse(bytes, 0, bytes.length);
    }

    private static String text(PlainSend send) {
        return new String(send.message().text(), StandardCharsets.UTF_8);
    }

    @Test
    void aStringMessageIsDeliveredVerbatim() throws Exception {
        PlainSend send = parse("{\"userId\":\"bob\",\"message\":\"给你bob一个大铁锤 \\\"quoted\\\" \\u00e9\"}");
        assertThat(send.userId()).isEqualTo("bob");
        assertThat(text(send)).isEqualTo("给你bob一个大铁锤 \"quoted\" é");
        assertThat(send.message().isString()).isTrue();
    }

    @Test
    void anyOtherMessageIsDeliveredAsCompactJson() throws Exception {
        assertThat(text(parse("{ \"message\" : { \"a\" : [ 1 , 2.5 , true , null ] } , \"userId\" : \"bob\" }")))
                .isEqualTo("{\"a\":[1,2.5,true,null]}");
        assertThat(text(parse("{\"userId\":\"bob\",\"message\":42}"))).isEqualTo("42");
        assertThat(text(parse("{\"userId\":\"bob\",\"message\":null}"))).isEqualTo("null");
        assertThat(text(parse("{\"userId\":\"bob\",\"message\":[]}"))).isEqualTo("[]");
    }

    @Test
    void theJsonFormOfAStringMessageIsEscaped() throws Exception {
        PlainSend send = parse("{\"userId\":\"bob\",\"message\":\"a\\\"b\\nc\"}");
        assertThat(new String(send.message().json(), StandardCharsets.UTF_8)).isEqualTo("\"a\\\"b\\nc\"");
    }

    @Test
    void otherMembersAreIgnoredAndTheLastRepeatWins() throws Exception {
        PlainSend send = parse("{\"x\":{\"userId\":\"inner\"},\"userId\":\"a\",\"message\":1,\"userId\":\"b\"}");
        assertThat(send.userId()).isEqualTo("b");
        assertThat(text(send)).isEqualTo("1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json                                  | INVALID_JSON",
        "''                                        | INVALID_JSON",
        "{\"userId\":\"bob\",\"message\":1         | INVALID_JSON",
        "{\"userId\":\"bob\",\"message\":1} {}     | INVALID_JSON",
        "[1,2]                                     | INVALID_MESSAGE",
        "\"a string\"                              | INVALID_MESSAGE",
        "42                                        | INVALID_MESSAGE",
        "{\"message\":\"hi\"}                      | MISSING_USER_ID",
        "{\"userId\":\"\",\"message\":\"hi\"}      | MISSING_USER_ID",
        "{\"userId\":null,\"message\":\"hi\"}      | MISSING_USER_ID",
        "{\"userId\":7,\"message\":\"hi\"}         | INVALID_USER_ID",
        "{\"userId\":[\"bob\"],\"message\":\"hi\"} | INVALID_USER_ID",
        "{\"userId\":{},\"message\":\"hi\"}        | INVALID_USER_ID",
        "{\"userId\":\"bob\"}                      | MISSING_MESSAGE",
    })
    void badFramesGetTheirStableCode(String frame, ErrorCode expected) {
        assertThatThrownBy(() -> parse(frame))
                .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.code()).isEqualTo(expected))
                .hasMessageNotContaining("Exception");
    }

    @Test
    void invalidJsonCarriesTheParsersReasonAndPosition() {
        assertThatThrownBy(() -> parse("{\"userId\": bob}"))
                .hasMessageStartingWith("invalid JSON: ")
                .hasMessageContaining("column");
    }

    @Test
    void anOverlongUserIdIsRejected() {
        String longId = "u".repeat(PlainFrameParser.MAX_USER_ID_LENGTH + 1);
        assertThatThrownBy(() -> parse("{\"userId\":\"" + longId + "\",\"message\":1}"))
                .isInstanceOfSatisfying(FrameException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_USER_ID));
    }

    @Test
    void deepNestingIsBoundedAndReportedAsInvalidJson() {
        String deep = "[".repeat(PlainFrameParser.MAX_NESTING_DEPTH + 10) + "]".repeat(PlainFrameParser.MAX_NESTING_DEPTH + 10);
        assertThatThrownBy(() -> parse("{\"userId\":\"bob\",\"message\":" + deep + "}"))
                .isInstanceOfSatisfying(FrameException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_JSON));
    }

    @Test
    void invalidUtf8InABinaryFrameIsInvalidJson() {
        byte[] frame = "{\"userId\":\"bob\",\"message\":\"xx\"}".getBytes(StandardCharsets.UTF_8);
        frame[28] = (byte) 0xC3; // a lead byte followed by an ASCII byte
        assertThatThrownBy(() -> PlainFrameParser.parse(frame, 0, frame.length))
                .isInstanceOfSatisfying(FrameException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_JSON));
    }

    @Test
    void parsesASliceOfALargerArray() throws Exception {
        byte[] bytes = "xx{\"userId\":\"bob\",\"message\":\"hi\"}yy".getBytes(StandardCharsets.UTF_8);
        PlainSend send = PlainFrameParser.parse(bytes, 2, bytes.length - 4);
        assertThat(send.userId()).isEqualTo("bob");
    }
}
