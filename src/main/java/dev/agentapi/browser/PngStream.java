package dev.agentapi.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes an opaque 8-bit RGB PNG row by row, so an image is never whole in memory: a large screenshot is
 * captured in strips and each strip's rows are written here as they are decoded ({@link PageCapture}). The
 * output is bounded: writing past {@code limit} bytes throws {@link TooLarge}.
 */
final class PngStream {

    /** The PNG would be larger than its limit. */
    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int CHUNK = 64 * 1024;

    private final Bounded out;
    private final int width;
    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    private final IdatChunks idat;
    private final DeflaterOutputStream pixels;
    private final byte[] row;

    PngStream(int width, int height, long limit) {
        this.width = width;
        this.out = new Bounded(limit);
        this.row = new byte[1 + 3 * width];
        try {
            out.write(SIGNATURE);
            ByteArrayOutputStream header = new ByteArrayOutputStream(13);
            writeInt(header, width);
            writeInt(header, height);
            header.write(new byte[] {8, 2, 0, 0, 0}); // 8 bits, truecolour (RGB), deflate, no filter method, no interlace
            chunk(out, "IHDR", header.toByteArray(), header.size());
            idat = new IdatChunks(out);
            pixels = new DeflaterOutputStream(idat, deflater, CHUNK);
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory: cannot happen
        }
    }

    /** One row of {@code width} pixels, packed {@code 0xRRGGBB} as {@code BufferedImage.getRGB} gives them. */
    void row(int[] rgb) {
        row[0] = 0; // filter: none
        for (int x = 0, i = 1; x < width; x++) {
            int pixel = x < rgb.length ? rgb[x] : 0xffffff;
            row[i++] = (byte) (pixel >>> 16);
            row[i++] = (byte) (pixel >>> 8);
            row[i++] = (byte) pixel;
        }
        try {
            pixels.write(row);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ends the image; the PNG's bytes. */
    byte[] finish() {
        try {
            pixels.finish();
            idat.flush();
            chunk(out, "IEND", new byte[0], 0);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            deflater.end();
        }
    }

    /** Frees the compressor of an image given up on. */
    void abandon() {
        deflater.end();
    }

    private static void writeInt(OutputStream out, int value) throws IOException {
        out.write(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    private static void chunk(OutputStream out, String type, byte[] data, int length) throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data, 0, length);
        writeInt(out, length);
        out.write(name);
        out.write(data, 0, length);
        writeInt(out, (int) crc.getValue());
    }

    /** Compressed pixels, written as IDAT chunks of at most 64 KiB. */
    private static final class IdatChunks extends OutputStream {
        private final OutputStream out;
        private final byte[] buffer = new byte[CHUNK];
        private int used;

        IdatChunks(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            while (length > 0) {
                int n = Math.min(length, CHUNK - used);
                System.arraycopy(data, offset, buffer, used, n);
                used += n;
                offset += n;
                length -= n;
                if (used == CHUNK) {
                    flush();
                }
            }
        }

        @Override
        public void flush() throws IOException {
            if (used > 0) {
                chunk(out, "IDAT", buffer, used);
                used = 0;
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** A byte array output that refuses to grow past its limit. */
    private static final class Bounded extends ByteArrayOutputStream {
        private final long limit;

        Bounded(long limit) {
            super(64 * 1024);
            this.limit = limit;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (count + (long) len > limit) {
                throw new TooLarge();
            }
            super.write(b, off, len);
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }
}
