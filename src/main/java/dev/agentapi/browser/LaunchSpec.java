package dev.agentapi.browser;

/**
 * What to launch for an agent. {@code downloads}: the agent's config asks for downloads (off otherwise; see
 * {@link BrowserProperties.Downloads}).
 */
public record LaunchSpec(BrowserChannel channel, boolean headless, int viewportWidth, int viewportHeight, String userAgent,
                         boolean downloads) {

    /** The largest viewport side a client may ask for, in CSS pixels. */
    public static final int MAX_VIEWPORT = 4096;
    /** The smallest viewport side a client may ask for. */
    public static final int MIN_VIEWPORT = 100;

    /** Without downloads. */
    public LaunchSpec(BrowserChannel channel, boolean headless, int viewportWidth, int viewportHeight, String userAgent) {
        this(channel, headless, viewportWidth, viewportHeight, userAgent, false);
    }

    /** The same spec on another channel. */
    LaunchSpec on(BrowserChannel other) {
        return new LaunchSpec(other, headless, viewportWidth, viewportHeight, userAgent, downloads);
    }

    /**
     * The viewport within {@link #MIN_VIEWPORT}..{@link #MAX_VIEWPORT}: agents stored before the cap (up to
     * 10000) launch at the cap rather than not at all.
     */
    LaunchSpec withinViewportCap() {
        int width = Math.max(MIN_VIEWPORT, Math.min(MAX_VIEWPORT, viewportWidth));
        int height = Math.max(MIN_VIEWPORT, Math.min(MAX_VIEWPORT, viewportHeight));
        return width == viewportWidth && height == viewportHeight ? this
                : new LaunchSpec(channel, headless, width, height, userAgent, downloads);
    }
}
