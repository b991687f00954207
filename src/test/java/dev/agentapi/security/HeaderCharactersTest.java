package dev.agentapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/** The firewall's header rules without regular expressions accept exactly what Spring Security's defaults do. */
class HeaderCharactersTest {

    private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/agents/browser/a1");
    private final HttpServletRequest spring = new StrictHttpFirewall().getFirewalledRequest(request);
    private final HttpServletRequest ours = HeaderCharacters.firewall().getFirewalledRequest(request);

    @Test
    void everyCodePointIsJudgedAsSpringSecurityJudgesIt() throws Exception {
        Walk walk = onAThreadOfItsOwn(this::walkEveryCodePoint);

        assertThat(walk.differences()).isEmpty();
        // the comparison means something: Spring refuses controls and unassigned code points, and tab only in names
        assertThat(walk.refusedNames()).isGreaterThan(65 + 800_000);
        assertThat(walk.refusedValues()).isEqualTo(walk.refusedNames() - 1);
    }

    /** Code points the two firewalls judge differently, and how many Spring Security refuses in names and values. */
    private record Walk(List<String> differences, int refusedNames, int refusedValues) {
    }

    private Walk walkEveryCodePoint() {
        List<String> differences = new ArrayList<>();
        int refusedNames = 0;
        int refusedValues = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String text = "a" + new String(Character.toChars(cp)) + "b";
            boolean springName = nameAllowed(spring, text);
            boolean springValue = valueAllowed(spring, text);
            if (springName != nameAllowed(ours, text) || springValue != valueAllowed(ours, text)) {
                differences.add(Integer.toHexString(cp));
            }
            refusedNames += springName ? 0 : 1;
            refusedValues += springValue ? 0 : 1;
        }
        return new Walk(differences, refusedNames, refusedValues);
    }

    /**
     * Runs {@code work} on a new thread and waits for it. Every refusal is a {@code RequestRejectedException} (over three
     * million in the walk: some 800,000 code points refused, by both firewalls, as names and as values), and each fills
     * in its stack trace: under JUnit and Surefire that stack is about a hundred frames deep, on a new thread a few.
     */
    private static <T> T onAThreadOfItsOwn(Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task, "code-point-walk");
        thread.start();
        try {
            return task.get();
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof Exception e ? e : new IllegalStateException(failed.getCause());
        }
    }

    @Test
    void unpairedSurrogatesPairsAndTheEmptyStringAreJudgedAlike() {
        for (String text : List.of("", "\uD83D\uDE00", "x\uD83Dy", "\uDE00", "\uDE00\uD83D", "tab\there", "nul\0", "del\u007F",
                "c1\u0085", "X-API-Key", "Bearer abc.def.ghi", "\u00E9t\u00E9", "\uFFFF", "\uDB7F\uDFFF")) {
            assertThat(nameAllowed(ours, text)).as("name %s", text).isEqualTo(nameAllowed(spring, text));
            assertThat(valueAllowed(ours, text)).as("value %s", text).isEqualTo(valueAllowed(spring, text));
        }
    }

    private static boolean nameAllowed(HttpServletRequest firewalled, String name) {
        try {
            firewalled.getHeader(name);
            return true;
        } catch (RequestRejectedException rejected) {
            return false;
        }
    }

    private boolean valueAllowed(HttpServletRequest firewalled, String value) {
        request.removeHeader("X-Test");
        request.addHeader("X-Test", value);
        try {
            firewalled.getHeader("X-Test");
            return true;
        } catch (RequestRejectedException rejected) {
            return false;
        }
    }
}
