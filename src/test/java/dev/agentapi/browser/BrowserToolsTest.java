package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentapi.support.TestPages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.util.unit.DataSize;

/**
 * The tools beyond the page's elements (tabs, dialogs, console and network logs, cookies, storage state, file
 * upload, evaluate) against real Chromium, on one agent's browser that every test shares: the runtime alone, no
 * Spring context. The agent may keep 3 tabs and pull in 64 KiB of text; it runs on the full Chromium, whose links
 * open windows (the headless shell opens none).
 */
@ExtendWith(RequiresChromium.class)
class BrowserToolsTest {

    @RegisterExtension
    static final TestPages pages = TestPages.perClass();
    /** The same pages on another site: framed by {@link #pages}, a cross-site frame (Chromium runs it apart). */
    @RegisterExtension
    static final TestPages otherSite = TestPages.perClassOn("127.0.0.2");
    static OneAgentRuntime browser;
    static final String AGENT = "tools";

    @BeforeAll
    static void launch() {
        BrowserProperties properties = new BrowserProperties(RequiresChromium.EXECUTABLE,
                List.of("--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run"),
                Duration.ofSeconds(30), 1, Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(5), true, true, new BrowserProperties.Navigation(List.of(), List.of("localhost"), false), null, 0,
                BrowserProperties.Remote.NONE, "") // the full browser: the headless shell opens no window for a link's target
                .withLimits(new BrowserProperties.Limits(DataSize.ofKilobytes(64), DataSize.ofMegabytes(5), DataSize.ofMegabytes(20),
                        DataSize.ofMegabytes(20), 4096, 16384, 3))
                .withActions(new BrowserProperties.Actions(Duration.ofSeconds(10), true));
        browser = OneAgentRuntime.launch(properties, AGENT);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    /** Each test starts with one tab. */
    @BeforeEach
    void oneTab() {
        while (tabs(browser.act(new BrowserAction.Tabs("list", null, null, null))).size() > 1) {
            browser.act(new BrowserAction.Tabs("close", null, null, null));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tabs(ActionResult result) {
        return (List<Map<String, Object>>) result.fields().get("tabs");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(ActionResult result, String field) {
        return (List<Map<String, Object>>) result.fields().get(field);
    }

    @Test
    void opensSelectsAndClosesTabsAndActionsActOnTheActiveOne() {
        browser.act(new BrowserAction.Navigate(pages.url("/"), null, null));
        ActionResult opened = browser.act(new BrowserAction.Tabs("new", null, pages.url("/form"), null));
        assertThat(opened.title()).isEqualTo("Form");
        assertThat(opened.fields().get("active")).isEqualTo(1);
        assertThat(tabs(opened)).extracting(tab -> tab.get("title")).containsExactly("Home", "Form");
        assertThat(browser.act(new BrowserAction.Snapshot(null, null, null, null)).text()).contains("Send");

        browser.act(new BrowserAction.Tabs("select", 0, null, null));
        assertThat(browser.text("#h")).isEqualTo("Hello");

        // the cap (3 here) holds for tabs a client opens too
        browser.act(new BrowserAction.Tabs("new", null, null, null));
        assertThat(browser.failure(new BrowserAction.Tabs("new", null, null, null))).isEqualTo(BrowserFailure.Kind.INVALID_ACTION);
        assertThat(browser.failure(new BrowserAction.Tabs("select", 5, null, null))).isEqualTo(BrowserFailure.Kind.INVALID_ACTION);

        // closing the active tab makes the newest remaining one active
        ActionResult closed = browser.act(new BrowserAction.Tabs("close", null, null, null));
        assertThat(tabs(closed)).hasSize(2);
        assertThat(closed.url()).isEqualTo(pages.url("/form"));
        assertThat(browser.act(new BrowserAction.Tabs("close", 0, null, null)).title()).isEqualTo("Form");
    }

    /**
     * A snapshot's title is read by the evaluation that bounds its size, in the service's own world: the document's
     * title, whatever the page's scripts made of its getter, and empty past 4096 characters as every answer's title.
     */
    @Test
    void aSnapshotAnswersTheDocumentsOwnTitleBounded() {
        browser.act(new BrowserAction.Navigate(pages.url("/title?chars=12"), null, null));
        assertThat(browser.act(new BrowserAction.Snapshot(null, null, null, null)).title()).isEqualTo("T".repeat(12));
        browser.act(new BrowserAction.Navigate(pages.url("/title?chars=4097"), null, null));
        ActionResult longTitle = browser.act(new BrowserAction.Snapshot(null, null, null, null));
        assertThat(longTitle.title()).isEmpty();
        assertThat(longTitle.text()).contains("Titled");
    }

    /**
     * A snapshot holds its frames' documents, so its size bound counts them: a frame of the page's own site is walked
     * from the page, a cross-site frame (in a process of its own) is measured there. Small, the frame's text is in the
     * snapshot (so the frame was measured, not refused unmeasured); past the 64 KiB text limit, the snapshot is refused.
     */
    @Test
    void aSnapshotsSizeBoundCountsWhatItsFramesHold() {
        for (TestPages site : List.of(pages, otherSite)) {
            browser.act(new BrowserAction.Navigate(framing(site.url("/visible-text?kb=1")), null, null));
            assertThat(browser.act(new BrowserAction.Snapshot(null, null, null, null)).text()).as(site.url("/"))
                    .contains("iframe").contains("lorem ipsum");
            browser.act(new BrowserAction.Navigate(framing(site.url("/visible-text?kb=256")), null, null));
            assertThatThrownBy(() -> browser.act(new BrowserAction.Snapshot(null, null, null, null))).as(site.url("/"))
                    .isInstanceOfSatisfying(BrowserFailure.class, f -> assertThat(f.kind()).isEqualTo(BrowserFailure.Kind.RESULT_TOO_LARGE));
        }
    }

    private static String framing(String url) {
        return pages.url("/framed?src=" + java.net.URLEncoder.encode(url, StandardCharsets.UTF_8));
    }

    @Test
    void aNewTabsUrlIsCheckedAsANavigationIsAndATabAPageOpenedIsListed() {
        String denied = "http://localhost:" + java.net.URI.create(pages.url("/")).getPort() + "/";
        assertThatThrownBy(() -> browser.act(new BrowserAction.Tabs("new", null, denied, null)))
                .isInstanceOfSatisfying(BrowserFailure.class, f -> assertThat(f.kind()).isEqualTo(BrowserFailure.Kind.NAVIGATION_REFUSED));
        assertThat(tabs(browser.act(new BrowserAction.Tabs("list", null, null, null)))).as("refused before a tab opened").hasSize(1);

        browser.act(new BrowserAction.Navigate(pages.url("/popup-link"), null, null));
        browser.act(new BrowserAction.Click("#open", null, null));
        // the window opens on the page's time
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> tabs(browser.act(new BrowserAction.Tabs("list", null, null, null))).size() == 2);
        List<Map<String, Object>> listed = tabs(browser.act(new BrowserAction.Tabs("list", null, null, null)));
        assertThat(listed.get(0).get("active")).isEqualTo(true);
        assertThat(listed.get(1).get("url")).isEqualTo(pages.url("/"));
    }

    @Test
    void dialogsAreDismissedUnlessAnsweredAsArmed() {
        browser.act(new BrowserAction.Navigate(pages.url("/dialogs"), null, null));
        browser.act(new BrowserAction.Click("#confirm", null, null));
        assertThat(browser.text("#out")).isEqualTo("confirm false");
        browser.act(new BrowserAction.Click("#prompt", null, null));
        assertThat(browser.text("#out")).isEqualTo("prompt null");

        browser.act(new BrowserAction.HandleDialog(true, null, null));
        browser.act(new BrowserAction.Click("#confirm", null, null));
        assertThat(browser.text("#out")).isEqualTo("confirm true");
        // armed once: the next is dismissed again
        browser.act(new BrowserAction.Click("#confirm", null, null));
        assertThat(browser.text("#out")).isEqualTo("confirm false");

        ActionResult armed = browser.act(new BrowserAction.HandleDialog(true, "Ada", null));
        assertThat(list(armed, "dialogs")).containsExactly(Map.of("type", "confirm", "message", "sure?", "accepted", true));
        browser.act(new BrowserAction.Click("#prompt", null, null));
        assertThat(browser.text("#out")).isEqualTo("prompt Ada");

        assertThat(list(browser.act(new BrowserAction.HandleDialog(false, null, null)), "dialogs"))
                .extracting(d -> d.get("type") + " " + d.get("message") + " " + d.get("accepted")).containsExactly("prompt name? true");
        browser.act(new BrowserAction.Click("#alert", null, null));
        assertThat(browser.text("#out")).isEqualTo("alerted");
        assertThat(list(browser.act(new BrowserAction.HandleDialog(false, null, null)), "dialogs"))
                .extracting(d -> d.get("type") + " " + d.get("accepted")).containsExactly("alert false");
    }

    @Test
    void keepsTheConsoleAndTheRequestsOfTheActiveTabWithoutCredentials() {
        browser.act(new BrowserAction.Navigate(pages.url("/console"), null, null));
        browser.act(new BrowserAction.WaitFor(null, null, null, "fetched", null, null, 10_000));

        List<Map<String, Object>> messages = list(browser.act(new BrowserAction.ConsoleMessages(true, null)), "messages");
        assertThat(messages).containsExactly(Map.of("type", "log", "text", "hello from the page"),
                Map.of("type", "error", "text", "something failed"));
        assertThat(list(browser.act(new BrowserAction.ConsoleMessages(null, null)), "messages")).as("cleared").isEmpty();

        List<Map<String, Object>> requests = list(browser.act(new BrowserAction.NetworkRequests(null, null)), "requests");
        assertThat(requests).anySatisfy(r -> {
            assertThat(r.get("url")).isEqualTo(pages.url("/console"));
            assertThat(r.get("resource_type")).isEqualTo("document");
            assertThat(r.get("status")).isEqualTo(200);
        });
        assertThat(requests).anySatisfy(r -> {
            assertThat(r.get("url")).isEqualTo(pages.url("/result?name=x&access_token=REDACTED"));
            assertThat(r.get("method")).isEqualTo("GET");
            assertThat(r.get("resource_type")).isEqualTo("fetch");
        });
        assertThat(requests.toString()).doesNotContain("s3cret").doesNotContain("frag");
    }

    @Test
    void addsReadsAndClearsCookiesAndReadsTheStorageState() {
        browser.act(new BrowserAction.Navigate(pages.url("/"), null, null));
        browser.act(new BrowserAction.Cookies("add", List.of(new BrowserAction.CookieField("flavour", "oat", pages.url("/"), null, null,
                null, null, null, "Lax")), null));
        List<Map<String, Object>> cookies = list(browser.act(new BrowserAction.Cookies("get", null, null)), "cookies");
        assertThat(cookies).singleElement().satisfies(c -> {
            assertThat(c).containsEntry("name", "flavour").containsEntry("value", "oat").containsEntry("domain", "127.0.0.1")
                    .containsEntry("same_site", "Lax");
        });
        assertThat(browser.act(new BrowserAction.Evaluate("() => document.cookie", null, null, null)).fields()).containsEntry("result", "\"flavour=oat\"");

        browser.act(new BrowserAction.Evaluate("() => localStorage.setItem('colour', 'teal')", null, null, null));
        String state = browser.act(new BrowserAction.StorageState(null)).fields().get("storage_state").toString();
        assertThat(state).contains("flavour").contains("colour").contains("teal");

        browser.act(new BrowserAction.Cookies("clear", null, null));
        assertThat(list(browser.act(new BrowserAction.Cookies("get", null, null)), "cookies")).isEmpty();
    }

    @Test
    void uploadsFilesFromTheRequestsContent() {
        browser.act(new BrowserAction.Navigate(pages.url("/upload"), null, null));
        browser.act(new BrowserAction.FileUpload("#file", null, List.of(
                new BrowserAction.UploadFile("a.txt", "text/plain", base64("hello")),
                new BrowserAction.UploadFile("b.csv", null, base64("1,2"))), null));
        browser.act(new BrowserAction.WaitFor(null, null, null, "a.txt", null, null, 10_000));
        assertThat(browser.text("#out")).isEqualTo("a.txt:text/plain:hello,b.csv:application/octet-stream:1,2");
        assertThat(browser.failure(new BrowserAction.FileUpload("#missing", null, List.of(new BrowserAction.UploadFile("a.txt", null, "")), null)))
                .isEqualTo(BrowserFailure.Kind.SELECTOR_NOT_FOUND);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void evaluatesScriptsWithinTheTextLimit() {
        browser.act(new BrowserAction.Navigate(pages.url("/"), null, null));
        assertThat(browser.act(new BrowserAction.Evaluate("1 + 2", null, null, null)).fields()).containsEntry("result", "3");
        assertThat(browser.act(new BrowserAction.Evaluate("() => ({a: [1, 'two']})", null, null, null)).fields())
                .containsEntry("result", "{\"a\":[1,\"two\"]}");
        assertThat(browser.act(new BrowserAction.Evaluate("() => undefined", null, null, null)).fields()).containsEntry("result", "undefined");
        assertThat(browser.act(new BrowserAction.Evaluate("el => el.textContent", "#h", null, null)).fields()).containsEntry("result", "\"Hello\"");
        // 100 000 characters, over the 64 KiB limit here: never pulled in
        assertThat(browser.failure(new BrowserAction.Evaluate("() => 'x'.repeat(100000)", null, null, null)))
                .isEqualTo(BrowserFailure.Kind.RESULT_TOO_LARGE);
        assertThat(browser.failure(new BrowserAction.Evaluate("() => { throw new Error('no') }", null, null, null)))
                .isEqualTo(BrowserFailure.Kind.INVALID_ACTION);
    }
}
