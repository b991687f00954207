package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a network_requests answer keeps of a URL. */
class PageActivityTest {

    @Test
    void urlsLoseUserInfoFragmentsAndCredentialLikeQueryValues() {
        assertThat(PageActivity.redact("https://user:pw@example.com:8443/a/b?x=1&access_token=abc&API_KEY=k&q=cats#id_token=t"))
                .isEqualTo("https://example.com:8443/a/b?x=1&access_token=REDACTED&API_KEY=REDACTED&q=cats");
        assertThat(PageActivity.redact("https://example.com/cb?code=123&state=xyz&page=2"))
                .isEqualTo("https://example.com/cb?code=REDACTED&state=REDACTED&page=2");
        assertThat(PageActivity.redact("https://example.com/path@with-at?sig=s")).isEqualTo("https://example.com/path@with-at?sig=REDACTED");
        assertThat(PageActivity.redact("data:image/png;base64,iVBORw0KGgo=")).isEqualTo("data:image/png;base64,…");
        assertThat(PageActivity.redact("https://example.com/" + "a".repeat(5000))).hasSize(PageActivity.MAX_URL + 1);
    }
}
