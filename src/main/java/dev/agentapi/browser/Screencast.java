package dev.agentapi.browser;

import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's page as a stream of JPEG frames: Chrome DevTools Protocol's screencast ({@code Page.startScreencast})
 * through a Playwright {@link CDPSession} of the session's current page. Chromium sends a frame when the page changes
 * and the next one only after the previous is acknowledged ({@code Page.screencastFrameAck}); this class acknowledges
 * a frame when its caller asks for the next one, and not before {@link Settings#minInterval()} has passed since the
 * frame came: a caller that is slow to pass a frame on (a slow viewer) slows the stream, and the rate never exceeds
 * one frame per interval. Frames are scaled by Chromium to fit {@link Settings#maxWidth()} × {@link Settings#maxHeight()}.
 *
 * <p>Playwright for Java delivers events only while its thread waits on the driver, so {@link #next} waits there (a
 * local wait, {@code Page.waitForCondition}, no round trip) for at most a slice; actions queued meanwhile run between
 * two calls, and while one runs the stream waits for it (frames arriving meanwhile are kept, one at a time). When the session replaces its page (after a failed load) the screencast moves to the new one. One
 * instance serves one caller thread; its state is only touched on the driver's thread.
 */
public final class Screencast {

    /** The longest an action can keep the driver's thread busy (its timeout's cap, and the margin of a call). */
    private static final Duration ACTION_AT_MOST = Duration.ofSeconds(130);

    private final BrowserSession session;
    private final Settings settings;
    private Page page;
    private CDPSession devtools;
    /** The frame received and not yet taken by {@link #next}, and the frame session id to acknowledge (driver thread). */
    private Frame arrived;
    private Integer pendingAck;
    private long ackNotBefore;
    private boolean stopped;

    private Screencast(BrowserSession session, Settings settings) {
        this.session = session;
        this.settings = settings;
    }

    /**
     * What a stream may cost: frames at most {@code maxWidth} × {@code maxHeight} pixels, JPEG {@code quality}
     * (1 to 100), at most one per {@code minInterval}.
     */
    public record Settings(int maxWidth, int maxHeight, int quality, Duration minInterval) {
        public Settings {
            if (maxWidth < 16 || maxHeight < 16 || quality < 1 || quality > 100 || minInterval.isNegative()) {
                throw new IllegalArgumentException("screencast settings out of range");
            }
        }
    }

    /**
     * One frame: the JPEG (base64, as Chromium sent it) and what it shows: the viewport's size in CSS pixels
     * (a click at x, y of the frame lands at x × viewportWidth / frame width), the page's scale and scroll offsets,
     * and when Chromium drew it (seconds since the epoch; null when it did not say).
     */
    public record Frame(String jpegBase64, int viewportWidth, int viewportHeight, double pageScale,
                        double scrollX, double scrollY, Double timestamp) {
        public Frame {
            Objects.requireNonNull(jpegBase64, "jpegBase64");
        }
    }

    /** Starts the screencast of the session's current page; fails with {@link BrowserFailure} when the browser is gone. */
    public static Screencast start(BrowserSession session, Settings settings, Duration timeout) {
        Screencast screencast = new Screencast(session, settings);
        session.onPage((context, page) -> {
            screencast.attach(context, page);
            return null;
        }, timeout);
        return screencast;
    }

    /**
     * The next frame, waiting at most {@code slice} for one (empty when none came: the page did not change). The
     * previous frame is acknowledged first, once its interval has passed. Fails with {@link BrowserFailure}
     * ({@code CLOSED}) once the browser is closed.
     */
    public Optional<Frame> next(Duration slice) {
        try {
            return Optional.ofNullable(session.onPage((context, current) -> pump(context, current, slice),
                    slice.plus(settings.minInterval()).plus(ACTION_AT_MOST)));
        } catch (BrowserFailure failure) {
            if (failure.kind() == BrowserFailure.Kind.TIMEOUT) {
                return Optional.empty(); // the driver is still busy (a long action): the queued call runs after it
            }
            throw failure;
        }
    }

    /** Stops the screencast and detaches its DevTools session; a closed browser has done both already. */
    public void stop() {
        try {
            session.onPage((context, current) -> {
                detach();
                stopped = true;
                return null;
            }, Duration.ofSeconds(5));
        } catch (BrowserFailure closedOrStuck) {
            // the browser is closing: its DevTools sessions go with it
        }
    }

    private Frame pump(BrowserContext context, Page current, Duration slice) {
        if (stopped) {
            throw new BrowserFailure(BrowserFailure.Kind.CLOSED, "The live view was stopped");
        }
        if (current != page || devtools == null) { // the session replaced its page, or the last wait lost it
            detach();
            attach(context, current);
        }
        long end = System.nanoTime() + slice.toNanos();
        while (true) {
            if (arrived != null) {
                Frame frame = arrived;
                arrived = null;
                return frame;
            }
            long now = System.nanoTime();
            if (pendingAck != null && now - ackNotBefore >= 0) {
                acknowledge();
            }
            if (now - end >= 0) {
                return null;
            }
            long until = pendingAck != null && ackNotBefore - end < 0 ? ackNotBefore : end;
            try {
                current.waitForCondition(() -> arrived != null || System.nanoTime() - until >= 0,
                        new Page.WaitForConditionOptions().setTimeout(slice.toMillis() + settings.minInterval().toMillis() + 5_000));
            } catch (PlaywrightException pageGone) {
                devtools = null; // the page closed under the wait: the next call attaches to the session's new page
                return null;
            }
        }
    }

    private void attach(BrowserContext context, Page current) {
        page = current;
        arrived = null;
        pendingAck = null;
        devtools = context.newCDPSession(current);
        devtools.on("Page.screencastFrame", this::received);
        JsonObject start = new JsonObject();
        start.addProperty("format", "jpeg");
        start.addProperty("quality", settings.quality());
        start.addProperty("maxWidth", settings.maxWidth());
        start.addProperty("maxHeight", settings.maxHeight());
        start.addProperty("everyNthFrame", 1);
        devtools.send("Page.startScreencast", start);
    }

    /** A frame from Chromium (driver thread, while a call waits): kept for {@link #next}, acknowledged later. */
    private void received(JsonObject event) {
        JsonObject metadata = event.getAsJsonObject("metadata");
        arrived = new Frame(event.get("data").getAsString(),
                (int) Math.round(number(metadata, "deviceWidth", 0)), (int) Math.round(number(metadata, "deviceHeight", 0)),
                number(metadata, "pageScaleFactor", 1), number(metadata, "scrollOffsetX", 0), number(metadata, "scrollOffsetY", 0),
                metadata != null && metadata.has("timestamp") ? metadata.get("timestamp").getAsDouble() : null);
        pendingAck = event.get("sessionId").getAsInt();
        ackNotBefore = System.nanoTime() + settings.minInterval().toNanos();
    }

    private void acknowledge() {
        JsonObject ack = new JsonObject();
        ack.addProperty("sessionId", pendingAck);
        pendingAck = null;
        try {
            devtools.send("Page.screencastFrameAck", ack);
        } catch (PlaywrightException pageGone) {
            devtools = null;
        }
    }

    private void detach() {
        if (devtools == null) {
            return;
        }
        try {
            devtools.send("Page.stopScreencast");
            devtools.detach();
        } catch (PlaywrightException pageGone) {
            // the page (and its DevTools session) closed already
        }
        devtools = null;
    }

    private static double number(JsonObject metadata, String name, double absent) {
        return metadata != null && metadata.has(name) ? metadata.get(name).getAsDouble() : absent;
    }
}
