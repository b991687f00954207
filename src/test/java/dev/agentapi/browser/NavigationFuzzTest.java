package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Navigation rules read a URL's host the way a browser does. Only the parsing is fuzzed here: the
 * guard's address check resolves names, and a fuzzer must not send DNS queries off this machine.
 */
class NavigationFuzzTest {

    /** Any text: a lower-case host, or empty for a scheme other than http(s); never an exception. */
    @FuzzTest(maxDuration = "30s")
    void anyUrl(byte[] input) {
        String url = new String(input, StandardCharsets.UTF_8);
        Optional<String> host = NavigationGuard.httpHost(url);
        host.ifPresent(h -> assertThat(h).as("host of %s", url).isEqualTo(h.toLowerCase(java.util.Locale.ROOT)));
    }

    /**
     * Spellings a browser reads as the same URL (WHATWG URL: case of the scheme, surrounding spaces,
     * backslashes, extra slashes, user info, a port, tabs and newlines anywhere, which browsers drop)
     * give the same host, so no spelling slips a private address past the guard. First line: a host
     * (letters, digits, dots, dashes); second: a path.
     */
    @FuzzTest(maxDuration = "30s")
    void spellingsOfOneUrlAgree(byte[] input) {
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", 2);
        String host = lines[0].replaceAll("[^A-Za-z0-9.-]", "");
        String path = lines.length > 1 ? lines[1].replaceAll("[\\s?#\\\\]", "") : "";
        if (host.isEmpty() || host.startsWith(".") || host.endsWith(".")) {
            return;
        }
        String canonical = "http://" + host + "/" + path;
        Optional<String> expected = NavigationGuard.httpHost(canonical);
        assertThat(expected).as("host of %s", canonical).contains(host.toLowerCase(java.util.Locale.ROOT));
        int middle = host.length() / 2;
        List<String> spellings = List.of(
                "HTTP://" + host + "/" + path,
                "  http://" + host + "/" + path + " ",
                "http:\\\\" + host + "\\" + path,
                "http:////" + host + "/" + path,
                "http://user:pass@" + host + ":8080/" + path,
                "http://" + host + "./" + path,
                "http://" + host.substring(0, middle) + "\t" + host.substring(middle) + "/" + path,
                "http://" + host.substring(0, middle) + "\n" + host.substring(middle) + "/" + path,
                "ht\ttp://" + host + "/" + path);
        for (String spelling : spellings) {
            assertThat(NavigationGuard.httpHost(spelling)).as("host of %s", spelling.replace("\t", "\\t").replace("\n", "\\n"))
                    .isEqualTo(expected);
        }
    }
}
