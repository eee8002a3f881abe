package dev.switchboard.transport.plain;

import dev.switchboard.transport.FrameException;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.core.ErrorCode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes a client can send: the parser either returns a valid send or a {@link FrameException}
 * with a code — never another exception, never a broken result. {@code mvn verify} replays the
 * inputs kept in {@code src/test/resources/.../PlainFrameParserFuzzTestInputs}; {@code JAZZER_FUZZ=1}
 * fuzzes for real.
 */
class PlainFrameParserFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parsesOrRejectsAnyFrame(byte[] frame) {
        try {
            PlainSend send = PlainFrameParser.parse(frame, 0, frame.length);
            assertThat(send.userId()).isNotEmpty().hasSizeLessThanOrEqualTo(PlainFrameParser.MAX_USER_ID_LENGTH);
            assertThat(send.message().text()).isNotNull();
            assertThat(send.message().json()).isNotEmpty();
        } catch (FrameException e) {
            assertThat(e.code()).isIn((Object[]) ErrorCode.values());
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
