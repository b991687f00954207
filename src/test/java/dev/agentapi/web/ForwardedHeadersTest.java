package dev.agentapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.RateLimitIntegrationTest;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * On a platform where Spring Boot would switch the container's forwarded-header handling on by itself
 * (Kubernetes), a client still cannot choose the address the audit and the rate limiter see:
 * {@code X-Forwarded-For} is believed only from {@code TRUSTED_PROXIES}, none here.
 */
@RateLimitIntegrationTest // which runs as on Kubernetes
class ForwardedHeadersTest {

    @LocalServerPort
    int port;

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnoredOnKubernetes() {
        Api admin = new Api(port);
        String id = "forwarded-" + UUID.randomUUID();

        Api.Response created = admin.send(HttpRequest.newBuilder(admin.uri("/api/agents/browser"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", "203.0.113.9")
                .header("X-Forwarded-Proto", "https")
                .POST(HttpRequest.BodyPublishers.ofString(Api.json(Map.of("agent_id", id)))));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Strict-Transport-Security")).as("no HSTS over plain HTTP from an untrusted peer").isNull();
        JsonNode entry = admin.get("/api/audit?resource_id=" + id).json().get("entries").get(0);
        assertThat(entry.get("ip_address").asString()).isEqualTo("127.0.0.1");
    }
}
