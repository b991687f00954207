package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentapi.support.TestPages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The element, keyboard, history, viewport and wait actions against real Chromium, on one agent's browser that
 * every test shares (each opens its own page first): the runtime alone, no Spring context.
 */
@ExtendWith(RequiresChromium.class)
class BrowserActionsTest {

    @RegisterExtension
    static final TestPages pages = TestPages.perClass();
    static OneAgentRuntime browser;
    static final String AGENT = "actions";

    @BeforeAll
    static void launch() {
        BrowserProperties properties = new BrowserProperties(RequiresChromium.EXECUTABLE,
                List.of("--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run"),
                Duration.ofSeconds(30), 1, Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(5), true, true, new BrowserProperties.Navigation(List.of(), List.of("localhost"), false), null)
                // a click waits up to 10 s for what it started: long enough for a loaded machine, never reached when it settles
                .withActions(new BrowserProperties.Actions(Duration.ofSeconds(10), false));
        browser = OneAgentRuntime.launch(properties, AGENT);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void hoversSelectsTypesAndPressesKeys() {
        browser.act(new BrowserAction.Navigate(pages.url("/controls"), null, null));

        browser.act(new BrowserAction.Hover("#hover", null, null));
        assertThat(browser.text("#out")).isEqualTo("hovered");

        // by label or by value
        browser.act(new BrowserAction.SelectOption("#color", null, List.of("Green"), null));
        assertThat(browser.text("#out")).isEqualTo("color g");
        browser.act(new BrowserAction.SelectOption("#sizes", null, List.of("s", "Large"), null));
        assertThat(browser.text("#out")).isEqualTo("s,l");
        assertThat(browser.failure(new BrowserAction.SelectOption("#color", null, List.of("Purple"), 500))).isEqualTo(BrowserFailure.Kind.TIMEOUT);

        // slowly: a key press per character, which the page counts; else filled at once (no key presses)
        browser.act(new BrowserAction.TypeText("#q", null, "abc", true, false, null));
        assertThat(browser.text("#keys")).isEqualTo("3");
        browser.act(new BrowserAction.TypeText("#q", null, "xyz", null, true, null));
        assertThat(browser.text("#out")).isEqualTo("submitted xyz");
        assertThat(browser.text("#keys")).as("only the Enter of submit").isEqualTo("4");

        // on the page, to whatever has the focus (the input, since typing)
        browser.act(new BrowserAction.PressKey("ArrowLeft", null));
        assertThat(browser.text("#key")).isEqualTo("ArrowLeft");
        assertThat(browser.text("#keys")).isEqualTo("5");
        assertThat(browser.failure(new BrowserAction.PressKey("NoSuchKey", null))).isEqualTo(BrowserFailure.Kind.INVALID_ACTION);
    }

    @Test
    void fillsAFormInOneCall() {
        browser.act(new BrowserAction.Navigate(pages.url("/controls"), null, null));
        browser.act(new BrowserAction.FillForm(List.of(new BrowserAction.FormField("#agree", null, "true"),
                new BrowserAction.FormField("#q", null, "Ada"), new BrowserAction.FormField("#color", null, "Blue")), null));
        assertThat(browser.text("#out")).as("the select, set last").isEqualTo("color b");
        assertThat(browser.act(new BrowserAction.Snapshot("#f", null, null, null)).text()).contains("Ada");
        assertThat(browser.text("#keys")).as("filled, not typed").isEqualTo("0");
        browser.act(new BrowserAction.FillForm(List.of(new BrowserAction.FormField("#agree", null, "false")), null));
        assertThat(browser.text("#out")).as("it was checked").isEqualTo("agree false");
        assertThat(browser.failure(new BrowserAction.FillForm(List.of(new BrowserAction.FormField("#agree", null, "maybe")), null)))
                .isEqualTo(BrowserFailure.Kind.INVALID_ACTION);
    }

    @Test
    void dragsOneElementOntoAnotherBySelectorOrRef() {
        browser.act(new BrowserAction.Navigate(pages.url("/controls"), null, null));
        browser.act(new BrowserAction.Drag("#src", null, "#dst", null, null));
        assertThat(browser.text("#out")).isEqualTo("dropped");

        browser.act(new BrowserAction.Navigate(pages.url("/controls"), null, null));
        String snapshot = browser.act(new BrowserAction.Snapshot(null, null, null, null)).text();
        browser.act(new BrowserAction.Drag(null, ref(snapshot, "drag"), null, ref(snapshot, "drop"), null));
        assertThat(browser.text("#out")).isEqualTo("dropped");
        assertThat(browser.failure(new BrowserAction.Drag("#src", null, "#missing", null, null))).isEqualTo(BrowserFailure.Kind.SELECTOR_NOT_FOUND);
    }

    /** The ref of the element whose snapshot line ends with {@code : text}. */
    private static String ref(String snapshot, String text) {
        java.util.regex.Matcher found = java.util.regex.Pattern.compile("\\[ref=([a-z0-9]+)][^\\n]*: " + text + "\\n").matcher(snapshot + "\n");
        assertThat(found.find()).as(text + " in\n" + snapshot).isTrue();
        return found.group(1);
    }

    @Test
    void aClickAnswersOnceTheLoadItStartedIsDone() {
        // the link leads to a page whose second half waits for a script the server answers 400 ms late: the click
        // answers once the page has loaded, and the next action reads all of it
        browser.act(new BrowserAction.Navigate(pages.url("/link?%2Flate"), null, null));
        ActionResult clicked = browser.act(new BrowserAction.Click("#away", null, null));
        assertThat(clicked.url()).isEqualTo(pages.url("/late"));
        assertThat(clicked.title()).isEqualTo("Late");
        assertThat(browser.text(null)).contains("on time").contains("arrived late");
    }

    @Test
    void aTypedSubmitAnswersOnceTheLoadItStartedIsDone() {
        // Enter submits the form to the late page: the type answers once that page has loaded, as a click does
        browser.act(new BrowserAction.Navigate(pages.url("/search-late"), null, null));
        ActionResult typed = browser.act(new BrowserAction.TypeText("#q", null, "agents", null, true, null));
        assertThat(typed.url()).isEqualTo(pages.url("/late?q=agents"));
        assertThat(typed.title()).isEqualTo("Late");
        assertThat(browser.text(null)).contains("on time").contains("arrived late");
    }

    @Test
    void goesBackAndForwardInHistory() {
        browser.act(new BrowserAction.Navigate(pages.url("/"), null, null));
        browser.act(new BrowserAction.Navigate(pages.url("/form"), null, null));

        ActionResult back = browser.act(new BrowserAction.NavigateBack(null));
        assertThat(back.title()).isEqualTo("Home");
        assertThat(back.url()).isEqualTo(pages.url("/"));
        ActionResult forward = browser.act(new BrowserAction.NavigateForward(null));
        assertThat(forward.title()).isEqualTo("Form");
        // nothing ahead: the page stays where it is
        assertThat(browser.act(new BrowserAction.NavigateForward(null)).url()).isEqualTo(pages.url("/form"));
    }

    @Test
    void aHistoryMoveToARefusedPageIsRefusedAsANavigationIs() {
        // pages are served on 127.0.0.1; the same server named localhost is denied in this runtime: a link there (which no
        // early check sees) ends on the egress proxy's refusal page, and going forward to it again is refused again
        String denied = "http://localhost:" + java.net.URI.create(pages.url("/")).getPort() + "/";
        browser.act(new BrowserAction.Navigate(pages.url("/link?" + java.net.URLEncoder.encode(denied, java.nio.charset.StandardCharsets.UTF_8)),
                null, null));
        browser.act(new BrowserAction.Click("#away", null, null)); // a click's load is the page's: it ends on the refusal page
        assertThat(browser.act(new BrowserAction.WaitFor(null, null, null, "Refused by the egress proxy", null, null, 10_000)).url())
                .isEqualTo(denied);

        assertThat(browser.act(new BrowserAction.NavigateBack(null)).title()).isEqualTo("Link");
        assertThatThrownBy(() -> browser.act(new BrowserAction.NavigateForward(null))).isInstanceOfSatisfying(BrowserFailure.class, f -> {
            assertThat(f.kind()).isEqualTo(BrowserFailure.Kind.NAVIGATION_REFUSED);
            assertThat(f.getMessage()).contains("localhost");
        });
    }

    @Test
    void resizesTheViewportAndCapturesOneElement() throws Exception {
        browser.act(new BrowserAction.Navigate(pages.url("/controls"), null, null));
        try {
            browser.act(new BrowserAction.Resize(500, 400, null));
            assertThat(png(browser.act(new BrowserAction.Screenshot(false, null)).data())).extracting(BufferedImage::getWidth, BufferedImage::getHeight)
                    .containsExactly(500, 400);

            // the box sits below the viewport: scrolled to, and captured alone
            BufferedImage box = png(browser.act(new BrowserAction.Screenshot(null, "#box", null, null)).data());
            assertThat(box.getWidth()).isEqualTo(120);
            assertThat(box.getHeight()).isEqualTo(60);
            assertThat(box.getRGB(60, 30) & 0xffffff).isEqualTo(0xff0000);
        } finally {
            browser.act(new BrowserAction.Resize(800, 600, null));
        }
    }

    @Test
    void anElementLargerThanOneCaptureIsTakenInStrips() throws Exception {
        // 800 × 6000 px: more than PageCapture.DIRECT_PIXELS, so strip by strip, red at its top and blue at its bottom
        browser.act(new BrowserAction.Navigate(pages.url("/tall?w=800&h=6000"), null, null));
        BufferedImage tall = png(browser.act(new BrowserAction.Screenshot(null, "div", null, 60_000)).data());
        assertThat(tall.getWidth()).isEqualTo(800);
        assertThat(tall.getHeight()).isEqualTo(6000);
        assertThat(tall.getRGB(400, 50) & 0xffffff).isEqualTo(0xff0000);
        assertThat(tall.getRGB(400, 5950) & 0xffffff).isEqualTo(0x0000ff);
    }

    private static BufferedImage png(byte[] data) throws java.io.IOException {
        return ImageIO.read(new ByteArrayInputStream(data));
    }

    @Test
    void waitsForTextToAppearOrGoAndForATime() {
        browser.act(new BrowserAction.Navigate(pages.url("/later"), null, null));
        browser.act(new BrowserAction.WaitFor(null, null, null, "Ready now", null, null, 10_000));
        assertThat(browser.text("#ready")).isEqualTo("Ready now");
        browser.act(new BrowserAction.WaitFor(null, null, null, null, "Loading...", null, 10_000));
        assertThat(browser.act(new BrowserAction.Content(null)).html()).doesNotContain("Loading...");
        assertThat(browser.failure(new BrowserAction.WaitFor(null, null, null, "Never shown", null, null, 300))).isEqualTo(BrowserFailure.Kind.TIMEOUT);

        // a timed wait lasts past a page timer 200 ms after the load (the navigate answers after the load)
        browser.act(new BrowserAction.Navigate(pages.url("/timer"), null, null));
        browser.act(new BrowserAction.WaitFor(null, null, null, null, null, 1.5, null));
        assertThat(browser.text("#out")).isEqualTo("fired");
        // a wait longer than the timeout the client gave could only time out
        assertThat(browser.failure(new BrowserAction.WaitFor(null, null, null, null, null, 2.0, 1_000))).isEqualTo(BrowserFailure.Kind.INVALID_ACTION);
    }
}
