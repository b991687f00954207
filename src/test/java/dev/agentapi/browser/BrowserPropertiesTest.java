package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrowserPropertiesTest {

    private static BrowserProperties withMax(Integer max) {
        return new BrowserProperties("/usr/bin/chromium", List.of(), Duration.ofSeconds(30), max, Duration.ofMinutes(10),
                Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(2), true, true,
                new BrowserProperties.Navigation(List.of(), List.of(), null), null);
    }

    private static BrowserProperties installed(String executable, String headlessShell, int max) {
        return new BrowserProperties(executable, List.of(), Duration.ofSeconds(30), max, Duration.ofMinutes(10),
                Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(2), true, true,
                new BrowserProperties.Navigation(List.of(), List.of(), null), null, 0,
                new BrowserProperties.Remote(List.of("playwright ws://b:3000/ max 1"), null, null), headlessShell);
    }

    @Test
    void eitherChromiumBinaryMakesTheProcessAbleToRunAgents(@TempDir Path dir) throws IOException {
        String full = executable(dir.resolve("chromium"));
        String shell = executable(dir.resolve("chromium-headless-shell"));
        String missing = dir.resolve("absent").toString();
        assertThat(installed(full, shell, 1).localChromiumInstalled()).isTrue();
        assertThat(installed(missing, shell, 1).localChromiumInstalled()).as("headless agents run on the shell").isTrue();
        assertThat(installed(missing, shell, 1).headlessExecutable()).isEqualTo(shell);
        assertThat(installed(full, missing, 1).localChromiumInstalled()).isTrue();
        assertThat(installed(full, missing, 1).headlessExecutable()).isEqualTo(full);
        assertThat(installed(full, "", 1).headlessExecutable()).as("blank: the full browser").isEqualTo(full);
        assertThat(installed(missing, missing, 1).localChromiumInstalled()).isFalse();
        assertThat(installed(missing, "", 1).localChromiumInstalled()).isFalse();
        assertThat(installed(full, shell, 0).localChromiumInstalled()).as("no local places").isFalse();
    }

    private static String executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\n");
        assertThat(file.toFile().setExecutable(true)).isTrue();
        return file.toString();
    }

    @Test
    void theConfiguredLimitWins() {
        assertThat(withMax(3).browserLimit()).isEqualTo(3);
    }

    @Test
    void unsetTheLimitNeverPlansMoreBrowsersThanMemoryHolds() {
        long mib = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / (1024 * 1024);
        int limit = withMax(null).browserLimit();
        assertThat(limit).isBetween(1, 8);
        if (mib > 1536) {
            assertThat(1024 + limit * 512L).as("%d browsers in %d MiB", limit, mib).isLessThanOrEqualTo(mib);
        }
    }

    private static BrowserProperties withRemote(Integer max, String... endpoints) {
        return new BrowserProperties("/usr/bin/chromium", List.of(), Duration.ofSeconds(30), max, Duration.ofMinutes(10),
                Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(2), true, true,
                new BrowserProperties.Navigation(List.of(), List.of(), null), null, 0,
                new BrowserProperties.Remote(List.of(endpoints), "127.0.0.1", null));
    }

    @Test
    void remoteEndpointsReadAsSentences() {
        List<RemoteEndpoint> endpoints = withRemote(0, "playwright ws://browsers-0.browsers:3000/pw?token=secret max 4",
                "  CDP http://chrome:9222 max 2 ", "cdp wss://grid.example/devtools/browser/abc max 1").remote().parsed();

        assertThat(endpoints).extracting(RemoteEndpoint::protocol).containsExactly(RemoteEndpoint.Protocol.PLAYWRIGHT,
                RemoteEndpoint.Protocol.CDP, RemoteEndpoint.Protocol.CDP);
        assertThat(endpoints).extracting(RemoteEndpoint::capacity).containsExactly(4, 2, 1);
        assertThat(endpoints.get(0).url()).isEqualTo("ws://browsers-0.browsers:3000/pw?token=secret");
        assertThat(endpoints.get(0).name()).as("no token in logs or health").isEqualTo("playwright ws://browsers-0.browsers:3000/pw");
        assertThat(endpoints.get(0).toString()).doesNotContain("secret");
        assertThat(endpoints.get(1).port()).isEqualTo(9222);
        assertThat(endpoints.get(2).port()).isEqualTo(443);
    }

    @Test
    void withRemoteEndpointsThisProcessMayRunNoBrowserWithoutThemAtLeastOne() {
        assertThat(withRemote(0, "playwright ws://b:3000/ max 1").browserLimit()).isZero();
        assertThat(withMax(0).browserLimit()).isEqualTo(1);
        assertThat(withRemote(null).remote().advertisedEgressHost()).isEqualTo("127.0.0.1");
        assertThat(new BrowserProperties.Remote(List.of("cdp http://c:9222 max 1"), "0.0.0.0", "10.1.2.3", "20000-20099")
                .advertisedEgressHost()).isEqualTo("10.1.2.3");
    }

    @Test
    void wrongEndpointsStopTheStartWithTheRule() {
        for (String wrong : List.of("ws://b:3000/ max 4", "playwright ws://b:3000/", "playwright ws://b:3000/ max 0",
                "selenium ws://b:3000/ max 1", "playwright http://b:3000/ max 1", "cdp ftp://b max 1",
                "playwright ws:///nohost max 1", "playwright ws://b:3000/?token=leak max many")) {
            assertThatThrownBy(() -> withRemote(0, wrong)).as(wrong).isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("leak"));
        }
        assertThatThrownBy(() -> withRemote(0, "playwright ws://b:3000/ max 1", "playwright ws://b:3000/ max 2"))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> new BrowserProperties.Remote(List.of("cdp http://c:9222 max 1"), "0.0.0.0", null))
                .as("a wildcard bind is no address a remote browser can be told").hasMessageContaining("BROWSER_REMOTE_EGRESS_HOST");
        assertThatThrownBy(() -> new BrowserProperties.Remote(List.of(), "127.0.0.1", null, "20099-20000"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
