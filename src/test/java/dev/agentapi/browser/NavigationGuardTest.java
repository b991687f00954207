package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.browser.egress.EgressPolicy;
import dev.agentapi.browser.egress.HostResolver;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The guard reads URLs as a browser does, and refuses by the address a host resolves to. */
class NavigationGuardTest {

    private final NavigationGuard guard = new NavigationGuard(new EgressPolicy(new BrowserProperties.Navigation(
            List.of(), List.of("blocked.example"), false).rules(false), HostResolver.SYSTEM));

    @Test
    void readsTheHostTheWayABrowserDoes() {
        assertThat(NavigationGuard.httpHost("http://example.com/a|b?family=A|B&x={y}")).contains("example.com");
        assertThat(NavigationGuard.httpHost("https://my_host.internal:8443/")).contains("my_host.internal");
        assertThat(NavigationGuard.httpHost("  HTTP://User:pw@Example.COM./x")).contains("example.com");
        assertThat(NavigationGuard.httpHost("http:\\\\169.254.169.254\\latest")).contains("169.254.169.254");
        assertThat(NavigationGuard.httpHost("http://evil.example@169.254.169.254/")).contains("169.254.169.254");
        assertThat(NavigationGuard.httpHost("http://[fd00:ec2::254]:80/")).contains("fd00:ec2::254");
        assertThat(NavigationGuard.httpHost("http://%31%36%39.254.169.254/")).contains("169.254.169.254");
        assertThat(NavigationGuard.httpHost("file:///etc/passwd")).isEmpty();
        assertThat(NavigationGuard.httpHost("javascript:alert(1)")).isEmpty();
        assertThat(NavigationGuard.httpHost("no scheme")).isEmpty();
    }

    @Test
    void refusesMetadataAddressesDeniedHostsAndOtherSchemes() {
        for (String url : List.of("http://169.254.169.254/latest/meta-data", "http:\\\\169.254.169.254\\",
                "http://x@169.254.169.254/", "http://[fe80::1]/", "http://[fd00:ec2::254]/", "http://blocked.example/",
                "file:///etc/passwd", "ftp://example.com/", "http://", "https://:443/")) {
            assertThat(guard.refusal(url)).as(url).isPresent();
        }
    }

    @Test
    void allowsOrdinaryUrlsJavaNetUriWouldReject() {
        // loopback is allowed here (local mode); none of these names needs to resolve for the guard to allow it
        assertThat(guard.refusal("http://127.0.0.1:8080/fonts?family=A|B")).isEqualTo(Optional.empty());
        assertThat(guard.refusal("http://localhost/{template}")).isEqualTo(Optional.empty());
    }
}
