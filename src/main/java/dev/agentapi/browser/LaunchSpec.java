package dev.agentapi.browser;

/**
 * What to launch for an agent. {@code downloads}: the agent's config asks for downloads (off otherwise; see
 * {@link BrowserProperties.Downloads}). {@code restore}: the state saved when its browser last stopped, which the
 * new one starts from (its context made with the storage state, its tabs opened again); null for a blank browser.
 * {@code idle}: when the runtime closes the browser for idleness, and the reason it gives then; null for the runtime's
 * own ({@code BROWSER_IDLE_TIMEOUT}, {@code idle_timeout}).
 */
public record LaunchSpec(BrowserChannel channel, boolean headless, int viewportWidth, int viewportHeight, String userAgent,
                         boolean downloads, BrowserState restore, IdleClose idle) {

    /**
     * An idle close other than the runtime's default: after {@code after} without an action, with {@code reason} in the
     * {@link BrowserEvent.Stopped} it publishes (the browser's state read just before, as for any idle close).
     */
    public record IdleClose(java.time.Duration after, String reason) {
    }

    /** With the runtime's own idle close. */
    public LaunchSpec(BrowserChannel channel, boolean headless, int viewportWidth, int viewportHeight, String userAgent,
                      boolean downloads, BrowserState restore) {
        this(channel, headless, viewportWidth, viewportHeight, userAgent, downloads, restore, null);
    }

    /** A blank browser (nothing to restore). */
    public LaunchSpec(BrowserChannel channel, boolean headless, int viewportWidth, int viewportHeight, String userAgent,
                      boolean downloads) {
        this(channel, headless, viewportWidth, viewportHeight, userAgent, downloads, null);
    }

    /** The same spec, starting from {@code state} (null: blank). */
    public LaunchSpec restoring(BrowserState state) {
        return new LaunchSpec(channel, headless, viewportWidth, viewportHeight, userAgent, downloads, state, idle);
    }

    /** The same spec, closed for idleness as {@code close} says (null: the runtime's default). */
    public LaunchSpec closingWhenIdle(IdleClose close) {
        return new LaunchSpec(channel, headless, viewportWidth, viewportHeight, userAgent, downloads, restore, close);
    }

    /** The largest viewport side a client may ask for, in CSS pixels. */
    public static final int MAX_VIEWPORT = 4096;
    /** The smallest viewport side a client may ask for. */
    public static final int MIN_VIEWPORT = 100;

    /** Without downloads. */
    public LaunchSpec(BrowserChannel channel, boolean headless, int viewportWidth, int viewportHeight, String userAgent) {
        this(channel, headless, viewportWidth, viewportHeight, userAgent, false, null);
    }

    /** The same spec on another channel. */
    LaunchSpec on(BrowserChannel other) {
        return new LaunchSpec(other, headless, viewportWidth, viewportHeight, userAgent, downloads, restore, idle);
    }

    /**
     * The viewport within {@link #MIN_VIEWPORT}..{@link #MAX_VIEWPORT}: agents stored before the cap (up to
     * 10000) launch at the cap rather than not at all.
     */
    LaunchSpec withinViewportCap() {
        int width = Math.max(MIN_VIEWPORT, Math.min(MAX_VIEWPORT, viewportWidth));
        int height = Math.max(MIN_VIEWPORT, Math.min(MAX_VIEWPORT, viewportHeight));
        return width == viewportWidth && height == viewportHeight ? this
                : new LaunchSpec(channel, headless, width, height, userAgent, downloads, restore, idle);
    }
}
