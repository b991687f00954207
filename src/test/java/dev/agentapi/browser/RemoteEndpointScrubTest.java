package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Errors met on a remote endpoint lose the credentials its URL may carry before they are logged, shown or stored. */
class RemoteEndpointScrubTest {

    @Test
    void theEndpointsUrlAndAnyUrlsSecretsAreLeftOut() {
        RemoteEndpoint endpoint = RemoteEndpoint.parse("playwright wss://ann:pw@browsers.example:443/run?token=T0KEN&x=1 max 2");
        assertThat(endpoint.scrub("browserType.connect: WebSocket error: wss://ann:pw@browsers.example:443/run?token=T0KEN&x=1 401"))
                .isEqualTo("browserType.connect: WebSocket error: wss://browsers.example:443/run 401");
        assertThat(endpoint.scrub("redirected to https://other.example/login?session=abc#frag, then ws://u@h:1/p?q"))
                .isEqualTo("redirected to https://other.example/login then ws://h:1/p");
        assertThat(endpoint.scrub("no URL here")).isEqualTo("no URL here");
        assertThat(endpoint.name()).isEqualTo("playwright wss://browsers.example:443/run");
    }
}
