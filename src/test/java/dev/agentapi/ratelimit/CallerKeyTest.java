package dev.agentapi.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.web.ClientAddressResolver;
import dev.agentapi.web.WebProperties;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.unit.DataSize;

/** Which bucket a request spends from: a client cannot mint identities with X-Forwarded-For. */
class CallerKeyTest {

    private static RateLimitFilter filter(List<String> trustedProxies) {
        ClientAddressResolver clients = new ClientAddressResolver(new WebProperties(DataSize.ofMegabytes(1), trustedProxies));
        return new RateLimitFilter(new RateLimitProperties(true, List.of("* /api/**: 10 per minute"), List.of(), "rl:", 10, 0.01, java.time.Duration.ofMillis(500)),
                new LocalBucketStore(10, java.time.Duration.ofMinutes(1)), clients, null, null, null, event -> { });
    }

    private static MockHttpServletRequest from(String peer, String forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/agents/browser");
        request.setRemoteAddr(peer);
        if (forwardedFor != null) {
            request.addHeader("X-Forwarded-For", forwardedFor);
        }
        return request;
    }

    @Test
    void spoofedForwardedForFromAnUntrustedPeerIsIgnored() {
        RateLimitFilter filter = filter(List.of());
        assertThat(filter.callerKey(from("198.51.100.7", "203.0.113.9"))).isEqualTo("ip:198.51.100.7");
        assertThat(filter.callerKey(from("198.51.100.7", "1.2.3.4, 5.6.7.8"))).isEqualTo("ip:198.51.100.7");
    }

    @Test
    void forwardedForFromATrustedProxyNamesTheClient() {
        RateLimitFilter filter = filter(List.of("10.0.0.0/8"));
        assertThat(filter.callerKey(from("10.1.2.3", "203.0.113.9"))).isEqualTo("ip:203.0.113.9");
        // a client-supplied hop to the left of the real one changes nothing
        assertThat(filter.callerKey(from("10.1.2.3", "6.6.6.6, 203.0.113.9"))).isEqualTo("ip:203.0.113.9");
        // chains of our own proxies are walked through
        assertThat(filter.callerKey(from("10.1.2.3", "203.0.113.9, 10.9.9.9"))).isEqualTo("ip:203.0.113.9");
    }

    @Test
    void anAuthenticatedPrincipalIsTheKey() {
        MockHttpServletRequest request = from("198.51.100.7", "203.0.113.9");
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of()));
        try {
            assertThat(filter(List.of("198.51.100.7")).callerKey(request)).isEqualTo("user:alice");
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    @Test
    void anAnonymousCallerIsKeyedByAddress() {
        SecurityContextHolder.getContext().setAuthentication(new AnonymousAuthenticationToken("key", "anonymousUser",
                AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
        try {
            assertThat(filter(List.of()).callerKey(from("198.51.100.7", null))).isEqualTo("ip:198.51.100.7");
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
