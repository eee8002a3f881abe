package dev.switchboard.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Test {

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "héllo", "铁路", "😀 emoji", "\u007f\u0080\u07ff\u0800\uffff", "\ud800\udc00\udbff\udfff"})
    void well_formed_text_is_valid(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.isValid(bytes, 0, bytes.length)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"80", "bf", "c0af", "c1bf", "c328", "e080af", "eda080", "edbfbf", "f08f8080", "f4908080",
            "f5808080", "ff", "fe", "e282", "f09f98"})
    void malformed_sequences_are_not(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertThat(Utf8.isValid(bytes, 0, bytes.length)).as(hex).isFalse();
        assertThat(jdkAccepts(bytes)).as("the JDK agrees on " + hex).isFalse();
    }

    @Test
    void only_the_given_range_is_checked() {
        byte[] bytes = {(byte) 0xFF, 'o', 'k', (byte) 0xE9};
        assertThat(Utf8.isValid(bytes, 1, 3)).isTrue();
        assertThat(Utf8.isValid(bytes, 0, 3)).isFalse();
        assertThat(Utf8.isValid(bytes, 1, 4)).isFalse();
    }

    @Test
    void agrees_with_the_jdks_strict_decoder_on_random_bytes() {
        Random random = new Random(42);
        for (int n = 0; n < 200_000; n++) {
            byte[] bytes = new byte[1 + random.nextInt(6)];
            for (int i = 0; i < bytes.length; i++) {
                // Mostly the interesting bytes: leads, continuations and the edges between them.
                bytes[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(128) : 0x80 + random.nextInt(128));
            }
            assertThat(Utf8.isValid(bytes, 0, bytes.length)).as(HexFormat.of().formatHex(bytes))
                    .isEqualTo(jdkAccepts(bytes));
        }
    }
}
