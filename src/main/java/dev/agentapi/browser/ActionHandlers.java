package dev.agentapi.browser;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaSnapshotMode;
import com.microsoft.playwright.options.WaitForSelectorState;
import com.microsoft.playwright.options.WaitUntilState;
import dev.agentapi.browser.egress.EgressProxy;
import dev.agentapi.browser.egress.EgressRules;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import org.springframework.util.unit.DataSize;

/**
 * One handler per action type, looked up by the action's record class (Java 17 has no pattern
 * switch; the sealed interface's permitted subclasses are checked against the table at class load,
 * so a new action type without a handler fails at start, not at its first use). Fields were checked
 * at the door ({@link BrowserActionRules}); handlers only do the work.
 */
final class ActionHandlers {

    @FunctionalInterface
    interface Handler<A extends BrowserAction> {
        ActionResult perform(A action, ActionTarget target, long timeoutMs);
    }

    private static final Map<Class<? extends BrowserAction>, Handler<?>> HANDLERS = Map.ofEntries(
            handler(BrowserAction.Navigate.class, ActionHandlers::navigate),
            handler(BrowserAction.Click.class, ActionHandlers::click),
            handler(BrowserAction.Fill.class, ActionHandlers::fill),
            handler(BrowserAction.Press.class, ActionHandlers::press),
            handler(BrowserAction.Hover.class, ActionHandlers::hover),
            handler(BrowserAction.FillForm.class, ActionHandlers::fillForm),
            handler(BrowserAction.SelectOption.class, ActionHandlers::selectOption),
            handler(BrowserAction.TypeText.class, ActionHandlers::type),
            handler(BrowserAction.PressKey.class, ActionHandlers::pressKey),
            handler(BrowserAction.Drag.class, ActionHandlers::drag),
            handler(BrowserAction.NavigateBack.class, ActionHandlers::back),
            handler(BrowserAction.NavigateForward.class, ActionHandlers::forward),
            handler(BrowserAction.Resize.class, ActionHandlers::resize),
            handler(BrowserAction.WaitFor.class, ActionHandlers::waitFor),
            handler(BrowserAction.Text.class, ActionHandlers::text),
            handler(BrowserAction.Content.class, ActionHandlers::content),
            handler(BrowserAction.Snapshot.class, ActionHandlers::snapshot),
            handler(BrowserAction.Screenshot.class, ActionHandlers::screenshot),
            handler(BrowserAction.Pdf.class, ActionHandlers::pdf));

    private static <A extends BrowserAction> Map.Entry<Class<? extends BrowserAction>, Handler<?>> handler(Class<A> type, Handler<A> handler) {
        return Map.entry(type, handler);
    }

    static {
        Arrays.stream(BrowserAction.class.getPermittedSubclasses()).filter(type -> !HANDLERS.containsKey(type))
                .findFirst().ifPresent(type -> {
                    throw new IllegalStateException("No handler for browser action " + type.getSimpleName());
                });
    }

    private ActionHandlers() {
    }

    /** Runs the action on the session's thread; Playwright's own exceptions pass through for translation. */
    @SuppressWarnings("unchecked")
    static ActionResult perform(BrowserAction action, ActionTarget target, long timeoutMs) {
        return ((Handler<BrowserAction>) HANDLERS.get(action.getClass())).perform(action, target, timeoutMs);
    }

    private static ActionResult navigate(BrowserAction.Navigate action, ActionTarget target, long timeoutMs) {
        Optional<String> refusal = target.guard().refusal(action.url());
        if (refusal.isPresent()) {
            throw new BrowserFailure(BrowserFailure.Kind.NAVIGATION_REFUSED, "Navigation refused: " + refusal.get());
        }
        Page.NavigateOptions options = new Page.NavigateOptions().setTimeout(timeoutMs).setWaitUntil(waitUntil(action.waitUntil()));
        Response response;
        try {
            response = target.page().navigate(action.url(), options);
        } catch (PlaywrightException e) {
            // the error page of an earlier failed load can still be arriving: go again once
            if (!PlaywrightFailures.interruptedByAnotherNavigation(e)) {
                throw e;
            }
            response = target.page().navigate(action.url(), options);
        }
        return landed(response, target);
    }

    /**
     * The page after a load: a plain-http hop the proxy refused or could not reach ends on its 403/502 page rather
     * than in an error, and is reported as the refusal or failure it is. {@code response} is null when nothing was
     * loaded (same-document navigation, no history entry to go to).
     */
    private static ActionResult landed(Response response, ActionTarget target) {
        String egress = response == null ? null : response.headers().get(EgressProxy.REFUSAL_HEADER.toLowerCase(Locale.ROOT));
        if ("refused".equals(egress)) {
            String refused = target.lastRefusal().get();
            throw new BrowserFailure(BrowserFailure.Kind.NAVIGATION_REFUSED,
                    "Navigation refused: " + (refused != null ? refused : response.url()) + ": " + EgressRules.PUBLIC_REASON);
        }
        if ("unreachable".equals(egress)) {
            throw new BrowserFailure(BrowserFailure.Kind.NAVIGATION_FAILED, "Navigation failed: " + response.url() + " could not be reached");
        }
        return target.state();
    }

    /**
     * History moves need no early check: every entry was loaded through the egress proxy once, and a page that is
     * loaded again (not restored from the back-forward cache) goes through it again, as any load does.
     */
    private static ActionResult back(BrowserAction.NavigateBack action, ActionTarget target, long timeoutMs) {
        return landed(target.page().goBack(new Page.GoBackOptions().setTimeout(timeoutMs)), target);
    }

    private static ActionResult forward(BrowserAction.NavigateForward action, ActionTarget target, long timeoutMs) {
        return landed(target.page().goForward(new Page.GoForwardOptions().setTimeout(timeoutMs)), target);
    }

    private static ActionResult click(BrowserAction.Click action, ActionTarget target, long timeoutMs) {
        element(target.page(), action).click(new Locator.ClickOptions().setTimeout(timeoutMs));
        return target.state();
    }

    private static ActionResult fill(BrowserAction.Fill action, ActionTarget target, long timeoutMs) {
        element(target.page(), action).fill(action.value() == null ? "" : action.value(),
                new Locator.FillOptions().setTimeout(timeoutMs));
        return target.state();
    }

    private static ActionResult press(BrowserAction.Press action, ActionTarget target, long timeoutMs) {
        element(target.page(), action).press(action.key(), new Locator.PressOptions().setTimeout(timeoutMs));
        return target.state();
    }

    private static ActionResult hover(BrowserAction.Hover action, ActionTarget target, long timeoutMs) {
        element(target.page(), action).hover(new Locator.HoverOptions().setTimeout(timeoutMs));
        return target.state();
    }

    /** Each field as its element's kind wants it, asked of the element: a page that lies about it only fills its own form wrong. */
    private static ActionResult fillForm(BrowserAction.FillForm action, ActionTarget target, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        Page page = target.page();
        for (BrowserAction.FormField field : action.fields()) {
            Locator element = element(page, field);
            Object kind = element.evaluate("e => e.tagName === 'SELECT' ? 'select' : e.tagName === 'INPUT' ? String(e.type) : 'text'",
                    null, new Locator.EvaluateOptions().setTimeout(left(deadline)));
            if ("select".equals(kind)) {
                element.selectOption(field.value(), new Locator.SelectOptionOptions().setTimeout(left(deadline)));
            } else if ("checkbox".equals(kind) || "radio".equals(kind)) {
                element.setChecked(checked(field.value()), new Locator.SetCheckedOptions().setTimeout(left(deadline)));
            } else {
                element.fill(field.value(), new Locator.FillOptions().setTimeout(left(deadline)));
            }
        }
        return target.state();
    }

    private static boolean checked(String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, "A checkbox or radio button takes true or false, not " + value);
    }

    /** Playwright matches each value against the options' values and labels alike. */
    private static ActionResult selectOption(BrowserAction.SelectOption action, ActionTarget target, long timeoutMs) {
        element(target.page(), action).selectOption(action.values().toArray(String[]::new),
                new Locator.SelectOptionOptions().setTimeout(timeoutMs));
        return target.state();
    }

    private static ActionResult type(BrowserAction.TypeText action, ActionTarget target, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        Locator element = element(target.page(), action);
        if (Boolean.TRUE.equals(action.slowly())) {
            element.pressSequentially(action.text(), new Locator.PressSequentiallyOptions().setTimeout(timeoutMs));
        } else {
            element.fill(action.text(), new Locator.FillOptions().setTimeout(timeoutMs));
        }
        if (Boolean.TRUE.equals(action.submit())) {
            element.press("Enter", new Locator.PressOptions().setTimeout(left(deadline)));
        }
        return target.state();
    }

    private static ActionResult pressKey(BrowserAction.PressKey action, ActionTarget target, long timeoutMs) {
        target.page().keyboard().press(action.key());
        return target.state();
    }

    private static ActionResult drag(BrowserAction.Drag action, ActionTarget target, long timeoutMs) {
        Page page = target.page();
        element(page, action.start()).dragTo(element(page, action.end()), new Locator.DragToOptions().setTimeout(timeoutMs));
        return target.state();
    }

    private static ActionResult resize(BrowserAction.Resize action, ActionTarget target, long timeoutMs) {
        target.page().setViewportSize(action.width(), action.height());
        return target.state();
    }

    /** Milliseconds left until {@code deadline} (System.nanoTime); a step past it times out. */
    private static long left(long deadline) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new com.microsoft.playwright.TimeoutError("Timeout exceeded");
        }
        return left;
    }

    private static ActionResult waitFor(BrowserAction.WaitFor action, ActionTarget target, long timeoutMs) {
        Page page = target.page();
        if (action.time() != null) {
            long wait = (long) Math.ceil(action.time() * 1000);
            if (wait > timeoutMs) {
                throw new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, "A wait of " + action.time() + " s is longer than the action's "
                        + timeoutMs + " ms timeout (timeout_ms, at most BROWSER_MAX_ACTION_TIMEOUT)");
            }
            page.waitForTimeout(wait);
            return target.state();
        }
        if (action.text() != null || action.textGone() != null) {
            boolean appearing = action.text() != null;
            page.getByText(appearing ? action.text() : action.textGone()).first().waitFor(new Locator.WaitForOptions()
                    .setState(appearing ? WaitForSelectorState.VISIBLE : WaitForSelectorState.HIDDEN).setTimeout(timeoutMs));
            return target.state();
        }
        WaitForSelectorState state = state(action.state());
        // an element a ref named is gone for good once it is gone: waiting for it to come back would only time out
        boolean appearing = state == WaitForSelectorState.ATTACHED || state == WaitForSelectorState.VISIBLE;
        Locator element = action.ref() == null ? page.locator(action.selector()).first()
                : appearing ? referenced(page, action.ref()) : page.locator(ARIA_REF + action.ref());
        element.waitFor(new Locator.WaitForOptions().setState(state).setTimeout(timeoutMs));
        return target.state();
    }

    /** Results of up to this many characters are pulled with the measurement, in one round trip. */
    static final int SMALL_RESULT = 256 * 1024;

    private static ActionResult text(BrowserAction.Text action, ActionTarget target, long timeoutMs) {
        Page page = target.page();
        Locator element = action.selector() == null && action.ref() == null ? page.locator("body") : element(page, action);
        Locator.EvaluateOptions options = new Locator.EvaluateOptions().setTimeout(timeoutMs);
        String text = bounded(target, "text", target.limits().text(), "BROWSER_MAX_TEXT",
                max -> element.evaluate(PageScripts.TEXT, max, options), timeoutMs);
        return new ActionResult(page.url(), target.title(), text, null, null, null);
    }

    private static ActionResult content(BrowserAction.Content action, ActionTarget target, long timeoutMs) {
        Page page = target.page();
        String html = bounded(target, "page's HTML", target.limits().html(), "BROWSER_MAX_HTML",
                max -> page.evaluate(PageScripts.CONTENT, max), timeoutMs);
        return new ActionResult(page.url(), target.title(), null, html, null, null);
    }

    /**
     * A text result measured in the page before it is pulled in: {@code pull} answers the text when it has at most
     * the characters it is given, else its length. One round trip for a result of up to {@link #SMALL_RESULT}
     * characters; a larger one within the limit reserves heap and is pulled by a second. Over the limit (in UTF-8
     * bytes): {@code RESULT_TOO_LARGE}.
     */
    private static String bounded(ActionTarget target, String what, DataSize limit, String setting,
                                  IntFunction<Object> pull, long timeoutMs) {
        int limitBytes = (int) Math.min(Integer.MAX_VALUE - 8, limit.toBytes());
        Object measured = pull.apply(Math.min(SMALL_RESULT, limitBytes));
        if (!(measured instanceof String)) {
            if (length(measured) > limitBytes) { // a character is at least one UTF-8 byte
                throw PageCapture.tooLarge(what, limit, setting);
            }
            try (TransferBudget.Reservation reserved = target.budget().reserve(16L * limitBytes, Duration.ofMillis(timeoutMs))) {
                measured = pull.apply(limitBytes);
            }
            if (!(measured instanceof String)) {
                throw PageCapture.tooLarge(what, limit, setting);
            }
        }
        String text = (String) measured;
        if (utf8Length(text) > limitBytes) {
            throw PageCapture.tooLarge(what, limit, setting);
        }
        return text;
    }

    private static long length(Object measured) {
        return measured instanceof Number number ? number.longValue() : Long.MAX_VALUE;
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    /**
     * Cut to {@link BrowserAction#MAX_SNAPSHOT_CHARS}: a huge page must not become a huge answer (or a model's whole
     * context). Playwright builds the snapshot in a world of its own and answers it whole, so it is measured first:
     * an upper bound of its size is computed in a world of the service's own ({@link PageScripts#SNAPSHOT_SIZE})
     * while the page's scripts are paused, so the page can neither fake the measure nor grow between it and the
     * snapshot. Over the text limit: {@code RESULT_TOO_LARGE}.
     */
    private static ActionResult snapshot(BrowserAction.Snapshot action, ActionTarget target, long timeoutMs) {
        Page page = target.page();
        Locator element = action.selector() == null && action.ref() == null ? page.locator("body") : element(page, action);
        // the AI form: every element carries a ref that a later action can name (Playwright keeps the map in the page)
        Locator.AriaSnapshotOptions options = new Locator.AriaSnapshotOptions().setMode(AriaSnapshotMode.AI).setTimeout(timeoutMs);
        if (action.depth() != null) {
            options.setDepth(action.depth());
        }
        long limit = target.limits().text().toBytes();
        PageDevtools devtools = target.devtools().get();
        String snapshot;
        devtools.pauseScripts(true);
        try {
            JsonObject measured = devtools.evaluateIsolated(PageScripts.snapshotSize(limit));
            long estimate = measured.has("value") ? (long) Math.ceil(measured.get("value").getAsDouble()) : Long.MAX_VALUE;
            if (estimate > limit) {
                throw new BrowserFailure(BrowserFailure.Kind.RESULT_TOO_LARGE, "The page's accessibility snapshot may be larger than the "
                        + PageCapture.megabytes(target.limits().text()) + " limit (BROWSER_MAX_TEXT)");
            }
            try (TransferBudget.Reservation reserved = target.budget().reserve(16 * estimate, Duration.ofMillis(timeoutMs))) {
                snapshot = element.ariaSnapshot(options);
            }
        } finally {
            resume(devtools);
        }
        if (snapshot.length() > BrowserAction.MAX_SNAPSHOT_CHARS) {
            int cut = snapshot.lastIndexOf('\n', BrowserAction.MAX_SNAPSHOT_CHARS);
            snapshot = snapshot.substring(0, cut > 0 ? cut : BrowserAction.MAX_SNAPSHOT_CHARS)
                    + "\n# truncated: the snapshot had " + snapshot.length() + " characters; ask for a ref, a selector or a depth";
        }
        return new ActionResult(page.url(), target.title(), snapshot, null, null, null);
    }

    private static void resume(PageDevtools devtools) {
        try {
            devtools.pauseScripts(false);
        } catch (PlaywrightException gone) {
            // the page is gone, and its paused scripts with it
        }
    }

    private static ActionResult screenshot(BrowserAction.Screenshot action, ActionTarget target, long timeoutMs) {
        byte[] png = action.selector() != null || action.ref() != null
                ? PageCapture.element(target, element(target.page(), action), timeoutMs)
                : PageCapture.screenshot(target, Boolean.TRUE.equals(action.fullPage()), timeoutMs);
        return new ActionResult(target.page().url(), target.title(), null, null, png, "image/png");
    }

    private static ActionResult pdf(BrowserAction.Pdf action, ActionTarget target, long timeoutMs) {
        if (!target.headless()) {
            throw new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, "PDF needs a headless browser");
        }
        byte[] pdf = PageCapture.pdf(target, timeoutMs);
        return new ActionResult(target.page().url(), target.title(), null, null, pdf, "application/pdf");
    }

    /** Playwright's selector engine for the refs of its last AI snapshot of the page. */
    private static final String ARIA_REF = "aria-ref=";

    /** The element an action names, by selector or by ref (exactly one was given: {@link ElementTarget}). */
    private static Locator element(Page page, BrowserAction.OnElement action) {
        return action.ref() != null ? referenced(page, action.ref()) : existing(page, action.selector());
    }

    /**
     * A ref names one element of the page as a snapshot saw it; once that element is gone (the page navigated or
     * changed) the ref matches nothing and never will again (new elements get new refs).
     */
    private static Locator referenced(Page page, String ref) {
        Locator locator = page.locator(ARIA_REF + ref);
        if (locator.count() == 0) {
            throw new BrowserFailure(BrowserFailure.Kind.STALE_REF, "No element has ref " + ref
                    + " now: refs come from the latest snapshot and the page has changed since; take a new snapshot");
        }
        return locator;
    }

    private static Locator existing(Page page, String selector) {
        Locator locator = page.locator(selector);
        if (locator.count() == 0) {
            throw new BrowserFailure(BrowserFailure.Kind.SELECTOR_NOT_FOUND, "No element matches selector " + selector);
        }
        return locator.first();
    }

    private static WaitUntilState waitUntil(String value) {
        return option(WaitUntilState.class, value, WaitUntilState.LOAD, "wait_until " + BrowserAction.WAIT_UNTIL_MESSAGE);
    }

    private static WaitForSelectorState state(String value) {
        return option(WaitForSelectorState.class, value, WaitForSelectorState.VISIBLE, "state " + BrowserAction.STATE_MESSAGE);
    }

    /** Playwright's option enums are named as clients write the values, in upper case. */
    private static <E extends Enum<E>> E option(Class<E> type, String value, E absent, String refusal) {
        if (value == null) {
            return absent;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, refusal);
        }
    }
}
