package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The driver and the browser get an allow-listed environment, read from the real processes
 * ({@code /proc/<pid>/environ}). The test JVM carries AGENT_API_PLANTED_SECRET (set by the build), standing
 * for DATABASE_URL and API keys: neither process may have it, nor anything else off the list.
 */
@ExtendWith(RequiresChromium.class)
class BrowserEnvironmentTest {

    PlaywrightBrowserRuntime runtime;

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.stop();
        }
    }

    static List<String> variables(ProcessHandle process) throws IOException {
        String environ = Files.readString(Path.of("/proc", Long.toString(process.pid()), "environ"));
        return Arrays.stream(environ.split("\0")).filter(v -> !v.isEmpty()).map(v -> v.substring(0, v.indexOf('=') < 0 ? v.length() : v.indexOf('=')))
                .toList();
    }

    @Test
    void driverAndBrowserSeeOnlyTheAllowList() throws Exception {
        assertThat(System.getenv()).as("the build plants a variable the browsers must not see").containsKey("AGENT_API_PLANTED_SECRET");
        BrowserProperties properties = new BrowserProperties(RequiresChromium.EXECUTABLE, List.of("--disable-gpu"), Duration.ofSeconds(30),
                1, Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(1), true, true,
                new BrowserProperties.Navigation(List.of(), List.of(), false), null);
        runtime = new PlaywrightBrowserRuntime(properties, Duration.ofSeconds(5), false, event -> { });
        runtime.start();
        runtime.launch("env1", new LaunchSpec(BrowserChannel.CHROMIUM, true, 800, 600, null));

        ProcessHandle driver = BrowserProcesses.driverOf("env1");
        List<String> driverVariables = variables(driver);
        assertThat(driverVariables).isNotEmpty().contains("PATH").doesNotContain("AGENT_API_PLANTED_SECRET");
        assertThat(driverVariables).allSatisfy(name -> assertThat(BrowserEnvironment.allowedForDriver(name)).as(name).isTrue());

        List<ProcessHandle> browsers = BrowserProcesses.of("env1");
        assertThat(browsers).isNotEmpty();
        for (ProcessHandle browser : browsers) {
            List<ProcessHandle> tree = new java.util.ArrayList<>(List.of(browser));
            browser.descendants().forEach(tree::add);
            for (ProcessHandle process : tree) {
                // Debian's /usr/bin/chromium is a shell script that sets variables of its own (CHROMIUM_FLAGS,
                // GOOGLE_API_KEY, PWD...): what must not be there is anything of the service's environment
                Optional<List<String>> names = readable(process);
                names.ifPresent(list -> assertThat(list).as("environment of " + process.info().command().orElse("?"))
                        .doesNotContain("AGENT_API_PLANTED_SECRET")
                        .filteredOn(name -> System.getenv().containsKey(name) && !name.equals("PWD"))
                        .allSatisfy(name -> assertThat(BrowserEnvironment.allowed(name)).as(name).isTrue()));
            }
        }
    }

    /** A child may exit between listing and reading. */
    private static Optional<List<String>> readable(ProcessHandle process) {
        try {
            return Optional.of(variables(process));
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    @Test
    void theAllowListKeepsWhatBrowsersNeedAndNothingOfTheService() {
        Map<String, String> service = Map.of("PATH", "/usr/bin", "HOME", "/home/app", "LANG", "C.UTF-8", "LC_ALL", "C.UTF-8",
                "XDG_RUNTIME_DIR", "/run/user/1", "TZ", "UTC", "DATABASE_URL", "postgresql://u:p@db/x", "AGENT_API_KEYS", "a:admin:k",
                "APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=x", "NODE_OPTIONS", "--require /tmp/x.js");
        assertThat(BrowserEnvironment.forBrowser(service)).containsOnlyKeys("PATH", "HOME", "LANG", "LC_ALL", "XDG_RUNTIME_DIR", "TZ");
        Map<String, String> driver = new java.util.HashMap<>(service);
        driver.put("PW_LANG_NAME", "java");
        driver.put("PLAYWRIGHT_DISABLE_FORCED_CHROMIUM_PROXIED_LOOPBACK", "1");
        BrowserEnvironment.restrictForDriver(driver);
        assertThat(driver).containsOnlyKeys("PATH", "HOME", "LANG", "LC_ALL", "XDG_RUNTIME_DIR", "TZ", "PW_LANG_NAME");
    }
}
