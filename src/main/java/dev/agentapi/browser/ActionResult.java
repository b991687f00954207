package dev.agentapi.browser;

/**
 * What an action produced, with the page's URL and title afterwards. At most one of {@code text},
 * {@code html} or {@code data} (PNG or PDF bytes, with {@code mediaType}) is set.
 */
public record ActionResult(String url, String title, String text, String html, byte[] data, String mediaType) {

    static ActionResult of(String url, String title) {
        return new ActionResult(url, title, null, null, null, null);
    }
}
