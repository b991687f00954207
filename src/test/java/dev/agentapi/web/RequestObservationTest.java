package dev.agentapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import dev.agentapi.support.TestKeys;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What a request is observed with: one {@code http.server.requests} observation (its timer, its trace
 * context), and none per Spring Security filter chain, authentication or authorization, whose cost
 * per request exceeded the request's own.
 */
@IntegrationTest
class RequestObservationTest {

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry meters;

    @Test
    void aRequestIsObservedOnceNotPerSecurityFilter() {
        Api alice = new Api(port, TestKeys.ALICE);
        assertThat(alice.get("/api/agents/browser").status()).isEqualTo(200);
        assertThat(Api.anonymous(port).get("/api/agents/browser").status()).isEqualTo(401);

        assertThat(meters.find("http.server.requests").timers()).as("requests are still timed").isNotEmpty();
        assertThat(meters.getMeters()).as("no Spring Security observations")
                .noneMatch(meter -> meter.getId().getName().startsWith("spring.security"));
    }
}
