package dev.agentapi.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** URLs lose their query strings and fragments on the way into the audit trail, unless told to keep them. */
class AuditUrlsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void urlFieldsAtAnyDepthLoseQueryAndFragment() {
        Map<String, Object> value = Map.of("url", "https://shop.example/cart?session=abc#pay",
                "steps", List.of(Map.of("page_url", "http://a.example/x#top", "note", "https://b.example/?q=kept in a note")),
                "start_url", "https://c.example/path", "target", "d.example:443");
        String stored = new BoundedValue(JSON, 16_384, new AuditUrls(false)).toJson(value);
        assertThat(JSON.readTree(stored)).isEqualTo(JSON.readTree("""
                {"url": "https://shop.example/cart", "steps": [{"page_url": "http://a.example/x", "note": "https://b.example/?q=kept in a note"}],
                 "start_url": "https://c.example/path", "target": "d.example:443"}"""));
        assertThat(new BoundedValue(JSON, 16_384, new AuditUrls(true)).toJson(value)).contains("session=abc#pay", "#top");
    }

    @Test
    void urlsInsideMessagesLoseQueryAndFragment() {
        AuditUrls urls = new AuditUrls(false);
        assertThat(urls.stripText("Navigation failed: http://127.0.0.1:1/login?user=ann&token=t0k could not be reached"))
                .isEqualTo("Navigation failed: http://127.0.0.1:1/login could not be reached");
        assertThat(urls.stripText("see HTTPS://x.example#frag, then 'https://y.example/?a=1'")).isEqualTo("see HTTPS://x.example then 'https://y.example/'");
        assertThat(new AuditUrls(true).stripText("http://x.example/?a=1")).isEqualTo("http://x.example/?a=1");
        assertThat(urls.stripText(null)).isNull();
    }
}
