package dev.agentapi.browser;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.ViewportSize;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.springframework.util.unit.DataSize;

/**
 * Screenshots and PDFs whose size is bounded before they are pulled in. A screenshot's worst case is known
 * before it is taken (at most 4 bytes a pixel: Chromium's PNGs of pure noise are 3): a capture of up to
 * {@link #DIRECT_PIXELS} is taken in one piece; a larger one (a tall full page, a large viewport) is taken in
 * strips of that size whose rows go straight into a {@link PngStream}, so the whole image is never in memory
 * twice and the result stops at the image limit. A full page is first measured and refused when it is larger
 * than the capture limits; the measured size is also the capture's clip, so a page that lies about its size
 * only shortens its own screenshot. A PDF is printed by Chromium into a stream read in 1 MiB chunks, and
 * refused as soon as it passes the PDF limit.
 */
final class PageCapture {

    /** Captures up to this many pixels are taken whole: 4 MiB pixels, 16 MiB of PNG at worst (2048 × 2048, 2560 × 1600). */
    static final long DIRECT_PIXELS = 4L << 20;
    private static final int PDF_CHUNK = 1 << 20;

    private PageCapture() {
    }

    /** The worst-case PNG of a capture: 4 bytes a pixel, a filter byte a row, headers. */
    static long worstPng(long width, long height) {
        return width * height * 4 + height + 4096;
    }

    /** The heap a binary of {@code bytes} takes while it is pulled in: the message, its text, its base64 and the bytes. */
    static long heapToPull(long bytes) {
        return bytes * 5;
    }

    static byte[] screenshot(ActionTarget target, boolean fullPage, long timeoutMs) {
        Page page = target.page();
        BrowserProperties.Limits limits = target.limits();
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        if (fullPage) {
            int[] size = pageSize(page);
            if (size[0] > limits.captureWidth() || size[1] > limits.captureHeight()) {
                throw new BrowserFailure(BrowserFailure.Kind.RESULT_TOO_LARGE, "The page is " + size[0] + " × " + size[1]
                        + " px; full-page screenshots are limited to " + limits.captureWidth() + " × " + limits.captureHeight()
                        + " px (BROWSER_MAX_CAPTURE_WIDTH, BROWSER_MAX_CAPTURE_HEIGHT); take the viewport instead");
            }
            return capture(target, new Area(true, 0, 0, size[0], size[1]), deadline);
        }
        ViewportSize viewport = page.viewportSize();
        return capture(target, new Area(false, 0, 0, viewport.width, viewport.height), deadline);
    }

    /**
     * One element: the part of the page its box covers (scrolled into view first), taken as a full page clipped to
     * that box, so an element larger than the viewport comes whole, within the full-page limits.
     */
    static byte[] element(ActionTarget target, Locator element, long timeoutMs) {
        BrowserProperties.Limits limits = target.limits();
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        element.scrollIntoViewIfNeeded(new Locator.ScrollIntoViewIfNeededOptions().setTimeout(timeoutMs));
        BoundingBox box = element.boundingBox(new Locator.BoundingBoxOptions().setTimeout(remaining(deadline).toMillis()));
        if (box == null || box.width <= 0 || box.height <= 0) {
            throw new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, "The element is not visible: there is nothing of it to capture");
        }
        // the box is relative to the viewport; a full page's clip is relative to the document
        double[] scroll = scroll(target.page());
        int left = (int) Math.max(0, Math.floor(box.x + scroll[0]));
        int top = (int) Math.max(0, Math.floor(box.y + scroll[1]));
        int width = (int) Math.max(1, Math.min(Integer.MAX_VALUE / 8, Math.ceil(box.x + scroll[0] + box.width) - left));
        int height = (int) Math.max(1, Math.min(Integer.MAX_VALUE / 8, Math.ceil(box.y + scroll[1] + box.height) - top));
        if (width > limits.captureWidth() || height > limits.captureHeight()) {
            throw new BrowserFailure(BrowserFailure.Kind.RESULT_TOO_LARGE, "The element is " + width + " × " + height
                    + " px; screenshots are limited to " + limits.captureWidth() + " × " + limits.captureHeight()
                    + " px (BROWSER_MAX_CAPTURE_WIDTH, BROWSER_MAX_CAPTURE_HEIGHT); take the viewport instead");
        }
        return capture(target, new Area(true, left, top, width, height), deadline);
    }

    /** The page's scroll offsets; a page whose window lies about them only moves its own element's capture. */
    private static double[] scroll(Page page) {
        String[] parts = String.valueOf(page.evaluate("() => [window.scrollX, window.scrollY].join(',')")).split(",", 2);
        try {
            return new double[] {finite(parts[0]), finite(parts.length > 1 ? parts[1] : "0")};
        } catch (NumberFormatException nonsense) {
            return new double[] {0, 0};
        }
    }

    private static double finite(String value) {
        double number = Double.parseDouble(value.strip());
        return Double.isFinite(number) ? Math.max(0, Math.min(1e7, number)) : 0;
    }

    /**
     * What is captured: the viewport's or the document's pixels ({@code document}), from ({@code x}, {@code y}),
     * {@code width} × {@code height} of them. The viewport's whole is taken as Playwright takes it.
     */
    private record Area(boolean document, int x, int y, int width, int height) {
    }

    private static byte[] capture(ActionTarget target, Area area, long deadline) {
        Page page = target.page();
        BrowserProperties.Limits limits = target.limits();
        long imageLimit = limits.image().toBytes();
        if ((long) area.width() * area.height() <= DIRECT_PIXELS) {
            byte[] png;
            try (TransferBudget.Reservation reserved = target.budget().reserve(heapToPull(worstPng(area.width(), area.height())),
                    remaining(deadline))) {
                // the viewport as Playwright takes it; a part of the document clipped to the size measured (and allowed)
                png = page.screenshot(area.document() ? clipped(area, 0, area.height(), remaining(deadline))
                        : new Page.ScreenshotOptions().setTimeout(remaining(deadline).toMillis()));
            }
            if (png.length > imageLimit) {
                throw tooLarge("screenshot", limits.image(), "BROWSER_MAX_IMAGE");
            }
            return png;
        }
        return inStrips(target, area, deadline);
    }

    /** The capture in strips of at most {@link #DIRECT_PIXELS}, each decoded and appended row by row. */
    private static byte[] inStrips(ActionTarget target, Area area, long deadline) {
        int width = area.width();
        int height = area.height();
        long imageLimit = target.limits().image().toBytes();
        int strip = (int) Math.max(1, DIRECT_PIXELS / width);
        long heap = heapToPull(worstPng(width, Math.min(strip, height))) + 4L * width * strip + imageLimit;
        try (TransferBudget.Reservation reserved = target.budget().reserve(heap, remaining(deadline))) {
            PngStream png = new PngStream(width, height, imageLimit);
            int[] row = new int[width];
            try {
                for (int top = 0; top < height; top += strip) {
                    int rows = Math.min(strip, height - top);
                    BufferedImage part = decode(target.page().screenshot(clipped(area, top, rows, remaining(deadline))));
                    for (int y = 0; y < rows; y++) {
                        java.util.Arrays.fill(row, 0xffffff); // a page that shrank meanwhile leaves white, not garbage
                        if (part != null && y < part.getHeight()) {
                            part.getRGB(0, y, Math.min(width, part.getWidth()), 1, row, 0, width);
                        }
                        png.row(row);
                    }
                }
                return png.finish();
            } catch (PngStream.TooLarge over) {
                png.abandon();
                throw tooLarge("screenshot", target.limits().image(), "BROWSER_MAX_IMAGE");
            } catch (RuntimeException failure) {
                png.abandon();
                throw failure;
            }
        }
    }

    private static BufferedImage decode(byte[] png) {
        try {
            return ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException unreadable) {
            return null;
        }
    }

    /** {@code rows} rows of the area from its row {@code top}: of the document (full page) or of the viewport. */
    private static Page.ScreenshotOptions clipped(Area area, int top, int rows, Duration timeout) {
        return new Page.ScreenshotOptions().setFullPage(area.document()).setClip(area.x(), area.y() + top, area.width(), rows)
                .setTimeout(timeout.toMillis());
    }

    /** The page's full size as Playwright measures it, at least 1 × 1 (see {@link PageScripts#PAGE_SIZE}). */
    private static int[] pageSize(Page page) {
        Object measured = page.evaluate(PageScripts.PAGE_SIZE);
        String[] parts = String.valueOf(measured).split(",", 2);
        try {
            return new int[] {dimension(parts[0]), dimension(parts.length > 1 ? parts[1] : "1")};
        } catch (NumberFormatException nonsense) {
            ViewportSize viewport = page.viewportSize();
            return new int[] {viewport.width, viewport.height};
        }
    }

    private static int dimension(String value) {
        double size = Double.parseDouble(value.strip());
        if (!(size >= 1)) {
            return 1;
        }
        return (int) Math.min(Integer.MAX_VALUE / 8, Math.ceil(size));
    }

    private static Duration remaining(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new TimeoutError("Timeout exceeded while capturing");
        }
        return Duration.ofNanos(left);
    }

    /**
     * The page as a PDF (Letter, no margins, no background, as {@code page.pdf()} prints by default), read from
     * Chromium's print stream in 1 MiB chunks and refused once it passes the PDF limit.
     */
    static byte[] pdf(ActionTarget target, long timeoutMs) {
        BrowserProperties.Limits limits = target.limits();
        long limit = limits.pdf().toBytes();
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        PageDevtools devtools = target.devtools().get();
        JsonObject print = new JsonObject();
        print.addProperty("transferMode", "ReturnAsStream");
        print.addProperty("paperWidth", 8.5);
        print.addProperty("paperHeight", 11);
        for (String margin : new String[] {"marginTop", "marginBottom", "marginLeft", "marginRight"}) {
            print.addProperty(margin, 0);
        }
        print.addProperty("printBackground", false);
        print.addProperty("preferCSSPageSize", false);
        print.addProperty("generateTaggedPDF", false);
        print.addProperty("generateDocumentOutline", false);
        try (TransferBudget.Reservation reserved = target.budget().reserve(limit + heapToPull(PDF_CHUNK), remaining(deadline))) {
            String stream = devtools.send("Page.printToPDF", print).get("stream").getAsString();
            PdfBuffer pdf = new PdfBuffer(limit);
            try {
                while (true) {
                    remaining(deadline);
                    JsonObject read = new JsonObject();
                    read.addProperty("handle", stream);
                    read.addProperty("size", PDF_CHUNK);
                    JsonObject chunk = devtools.send("IO.read", read);
                    String data = chunk.get("data").getAsString();
                    boolean base64 = chunk.has("base64Encoded") && chunk.get("base64Encoded").getAsBoolean();
                    if (!pdf.add(base64 ? Base64.getDecoder().decode(data) : data.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))) {
                        throw tooLarge("pdf", limits.pdf(), "BROWSER_MAX_PDF");
                    }
                    if (chunk.get("eof").getAsBoolean()) {
                        return pdf.bytes();
                    }
                }
            } finally {
                JsonObject close = new JsonObject();
                close.addProperty("handle", stream);
                try {
                    devtools.send("IO.close", close);
                } catch (PlaywrightException alreadyClosed) {
                    // the stream ends with the page
                }
            }
        }
    }

    /** A PDF's bytes so far, refusing to pass its limit. */
    private static final class PdfBuffer extends java.io.ByteArrayOutputStream {
        private final long limit;

        PdfBuffer(long limit) {
            super(256 * 1024);
            this.limit = limit;
        }

        boolean add(byte[] bytes) {
            if (count + (long) bytes.length > limit) {
                return false;
            }
            write(bytes, 0, bytes.length);
            return true;
        }

        byte[] bytes() {
            return toByteArray();
        }
    }

    static BrowserFailure tooLarge(String what, DataSize limit, String setting) {
        return new BrowserFailure(BrowserFailure.Kind.RESULT_TOO_LARGE, "The " + what + " is larger than the "
                + megabytes(limit) + " limit (" + setting + ")");
    }

    /** "5 MB", "512 KB". */
    static String megabytes(DataSize size) {
        long bytes = size.toBytes();
        return bytes % (1 << 20) == 0 ? bytes / (1 << 20) + " MB" : bytes >= (1 << 20)
                ? String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (double) (1 << 20)) : Math.max(1, bytes / 1024) + " KB";
    }
}
