package dev.switchboard.app;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SVG is a real QR code: its drawn squares, read back by ZXing's decoder, give the text. */
class QrSvgTest {
    private static final Pattern SIZE = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"");
    private static final Pattern RUN = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
    private static final int SCALE = 4;

    @Test
    void the_drawn_code_decodes_to_the_text() throws Exception {
        String link = "https://192.168.1.20:5201/app/phone?pair=Zk3_xQ9bT2mVw8LrYp0aHg";
        assertThat(decode(QrSvg.render(link))).isEqualTo(link);
    }

    @Test
    void unicode_and_the_longest_text_decode_too() throws Exception {
        assertThat(decode(QrSvg.render("http://localhost:5201/app/phone?userId=张三"))).isEqualTo(
                "http://localhost:5201/app/phone?userId=张三");
        String longest = "x".repeat(QrSvg.MAX_TEXT_LENGTH);
        assertThat(decode(QrSvg.render(longest))).isEqualTo(longest);
    }

    @Test
    void markup_in_the_text_never_reaches_the_svg() {
        String svg = QrSvg.render("<script>alert(1)</script>\"");
        assertThat(svg).doesNotContain("script").doesNotContain("alert");
        assertThat(svg.replaceAll("<[^>]*>", "")).isEmpty(); // nothing but elements
    }

    @Test
    void empty_and_overlong_texts_are_refused() {
        assertThatThrownBy(() -> QrSvg.render("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QrSvg.render(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QrSvg.render("x".repeat(QrSvg.MAX_TEXT_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Rasterises the SVG's runs of unit squares, then decodes the picture. */
    private static String decode(String svg) throws Exception {
        Matcher size = SIZE.matcher(svg);
        assertThat(size.find()).isTrue();
        int modules = Integer.parseInt(size.group(1));
        byte[] pixels = new byte[modules * SCALE * modules * SCALE];
        java.util.Arrays.fill(pixels, (byte) 255);
        Matcher run = RUN.matcher(svg);
        while (run.find()) {
            int x = Integer.parseInt(run.group(1));
            int y = Integer.parseInt(run.group(2));
            int length = Integer.parseInt(run.group(3));
            for (int py = y * SCALE; py < (y + 1) * SCALE; py++) {
                for (int px = x * SCALE; px < (x + length) * SCALE; px++) {
                    pixels[py * modules * SCALE + px] = 0;
                }
            }
        }
        int side = modules * SCALE;
        LuminanceSource source = new LuminanceSource(side, side) {
            @Override
            public byte[] getRow(int y, byte[] row) {
                byte[] out = row != null && row.length >= side ? row : new byte[side];
                System.arraycopy(pixels, y * side, out, 0, side);
                return out;
            }

            @Override
            public byte[] getMatrix() {
                return pixels;
            }
        };
        Result result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)),
                Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE, DecodeHintType.CHARACTER_SET, "UTF-8"));
        return result.getText();
    }
}
