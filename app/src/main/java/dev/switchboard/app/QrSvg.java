package dev.switchboard.app;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * QR codes as SVG: ZXing computes the matrix, this class draws it — one path of unit squares,
 * merged into runs per row, with the 4-module quiet zone the standard asks for. The text is
 * encoded into the pattern only, never written into the SVG, so no input can inject markup.
 */
public final class QrSvg {
    /** Longer texts make codes too dense for a phone camera at screen size. */
    public static final int MAX_TEXT_LENGTH = 1024;
    private static final int QUIET_ZONE = 4;

    private QrSvg() {
    }

    /**
     * @throws IllegalArgumentException if {@code text} is empty or longer than {@link #MAX_TEXT_LENGTH}
     */
    public static String render(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("text must have 1 to " + MAX_TEXT_LENGTH + " characters");
        }
        BitMatrix matrix;
        try {
            // Margin 0: the quiet zone is drawn below, so the matrix is exactly the modules.
            matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(
                    EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
                    EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name(),
                    EncodeHintType.MARGIN, 0));
        } catch (WriterException e) {
            throw new IllegalArgumentException("text does not fit in a QR code", e);
        }
        int size = matrix.getWidth() + 2 * QUIET_ZONE;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < matrix.getHeight(); y++) {
            int x = 0;
            while (x < matrix.getWidth()) {
                if (!matrix.get(x, y)) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < matrix.getWidth() && matrix.get(x, y)) {
                    x++;
                }
                int run = x - start;
                path.append('M').append(start + QUIET_ZONE).append(' ').append(y + QUIET_ZONE)
                        .append('h').append(run).append("v1h-").append(run).append('z');
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size
                + "\" shape-rendering=\"crispEdges\"><rect width=\"" + size + "\" height=\"" + size
                + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
    }
}
