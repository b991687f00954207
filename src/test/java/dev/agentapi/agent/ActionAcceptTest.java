package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** When an action's PNG or PDF goes out raw: only when the client prefers it to JSON. */
class ActionAcceptTest {

    private static boolean raw(String accept) {
        return AgentController.prefersRaw(accept, MediaType.IMAGE_PNG);
    }

    @Test
    void rawWhenTheClientAsksForItFirstOrAlone() {
        assertThat(raw("image/png")).isTrue();
        assertThat(raw("image/png, application/json")).isTrue();
        assertThat(raw("image/*")).isTrue();
        assertThat(raw("application/json;q=0.5, image/png")).isTrue();
    }

    @Test
    void jsonWhenTheClientPrefersJsonOrAnything() {
        // what a client generated from the document sends: every type the operation produces, JSON first
        assertThat(raw("application/json, application/pdf, image/png, application/problem+json")).isFalse();
        assertThat(raw("image/png;q=0.2, application/json")).isFalse();
        assertThat(raw("*/*")).isFalse();
        assertThat(raw("application/json")).isFalse();
        assertThat(raw(null)).isFalse();
        assertThat(raw("not a media type")).isFalse();
    }
}
