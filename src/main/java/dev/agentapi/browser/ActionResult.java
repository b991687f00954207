package dev.agentapi.browser;

import java.util.Map;

/**
 * What an action produced, with the page's URL and title afterwards. At most one of {@code text},
 * {@code html} or {@code data} (PNG or PDF bytes, with {@code mediaType}) is set; {@code fields} carries the
 * structured answer of the actions that have one (tabs, console messages, network requests, cookies, storage state,
 * dialogs, an evaluation), keyed by the snake_case names clients read, empty for the others.
 */
public record ActionResult(String url, String title, String text, String html, byte[] data, String mediaType,
                           Map<String, Object> fields) {

    public ActionResult {
        fields = fields == null ? Map.of() : fields;
    }

    public ActionResult(String url, String title, String text, String html, byte[] data, String mediaType) {
        this(url, title, text, html, data, mediaType, Map.of());
    }

    static ActionResult of(String url, String title) {
        return new ActionResult(url, title, null, null, null, null);
    }

    /** The page's state with a structured answer. */
    static ActionResult of(String url, String title, Map<String, Object> fields) {
        return new ActionResult(url, title, null, null, null, null, fields);
    }
}
