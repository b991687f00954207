package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** A PNG written row by row reads back pixel for pixel, and never grows past its limit. */
class PngStreamTest {

    @Test
    void rowsReadBackAsWritten() throws Exception {
        PngStream png = new PngStream(3, 2, 1 << 20);
        png.row(new int[] {0xff0000, 0x00ff00, 0x0000ff});
        png.row(new int[] {0xffffff, 0x000000, 0x123456});

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.finish()));

        assertThat(image.getWidth()).isEqualTo(3);
        assertThat(image.getHeight()).isEqualTo(2);
        assertThat(image.getRGB(0, 0) & 0xffffff).isEqualTo(0xff0000);
        assertThat(image.getRGB(2, 0) & 0xffffff).isEqualTo(0x0000ff);
        assertThat(image.getRGB(2, 1) & 0xffffff).isEqualTo(0x123456);
    }

    @Test
    void anImageLargerThanItsLimitIsRefusedWhileItIsWritten() {
        PngStream png = new PngStream(1000, 1000, 100_000);
        int[] noise = new int[1000];
        java.util.Random random = new java.util.Random(1);

        assertThatThrownBy(() -> {
            for (int y = 0; y < 1000; y++) {
                for (int x = 0; x < noise.length; x++) {
                    noise[x] = random.nextInt();
                }
                png.row(noise);
            }
            png.finish();
        }).isInstanceOf(PngStream.TooLarge.class);
        png.abandon();
    }
}
