package dev.agentapi.browser;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.JSHandle;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaSnapshotMode;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.SameSiteAttribute;
import com.microsoft.playwright.options.WaitForSelectorState;
import com.microsoft.playwright.options.WaitUntilState;
import dev.agentapi.browser.egress.EgressProxy;
import dev.agentapi.browser.egress.EgressRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
            handler(BrowserAction.Pdf.class, ActionHandlers::pdf),
            handler(BrowserAction.Tabs.class, ActionHandlers::tabs),
            handler(BrowserAction.HandleDialog.class, ActionHandlers::handleDialog),
            handler(BrowserAction.ConsoleMessages.class, ActionHandlers::consoleMessages),
            handler(BrowserAction.NetworkRequests.class, ActionHandlers::networkRequests),
            handler(BrowserAction.Cookies.class, ActionHandlers::cookies),
            handler(BrowserAction.StorageState.class, ActionHandlers::storageState),
            handler(BrowserAction.FileUpload.class, ActionHandlers::fileUpload),
            handler(BrowserAction.Evaluate.class, ActionHandlers::evaluate));

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
            String refused = target.refusal().apply(response.url());
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
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        Locator element = element(target.page(), action);
        settling(target, deadline, () -> element.click(new Locator.ClickOptions().setTimeout(left(deadline))));
        return target.state();
    }

    /**
     * Runs {@code act}, then waits a little (at most {@code BROWSER_ACTION_SETTLE}, within the action's timeout) for
     * what it started on the page: a navigation of the main frame until it has loaded, other requests until they
     * are done, as Playwright MCP does after a click. What has not settled by then is answered as it is: a slow page
     * is still loading, and the next action finds it as the page has it.
     */
    private static void settling(ActionTarget target, long deadline, Runnable act) {
        long settle = target.actions().settle().toMillis();
        if (settle <= 0) {
            act.run();
            return;
        }
        PageActivity activity = target.activity();
        activity.startSettling(target.page());
        try {
            act.run();
            long budget = Math.min(settle, (deadline - System.nanoTime()) / 1_000_000);
            if (budget > 0 && !activity.settled()) {
                try {
                    target.page().waitForCondition(activity::settled, new Page.WaitForConditionOptions().setTimeout(budget));
                } catch (PlaywrightException notSettled) {
                    // still loading (or the page closed itself): answered as it is
                }
            }
        } finally {
            activity.stopSettling();
        }
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
            // the Enter submits a form as a click on its button does: answered once what it started has settled
            settling(target, deadline, () -> element.press("Enter", new Locator.PressOptions().setTimeout(left(deadline))));
        }
        return target.state();
    }

    private static ActionResult pressKey(BrowserAction.PressKey action, ActionTarget target, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        settling(target, deadline, () -> target.page().keyboard().press(action.key()));
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
     * snapshot. The snapshot holds its frames' documents too: those of the page's process are walked from their
     * frame elements, a frame in a process of its own is measured there (scripts paused as well), and a frame that
     * neither reached makes the bound unknown. Over the text limit: {@code RESULT_TOO_LARGE}.
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
        String title;
        devtools.pauseScripts(true);
        List<PageDevtools> apart = List.of();
        try {
            // the size bound and the title in one evaluation; anything but [number, number, string] is refused as too large
            JsonArray measured = array(devtools.evaluateIsolated(PageScripts.snapshotSizeAndTitle(limit, ActionTarget.MAX_TITLE)));
            long estimate = number(measured, 0);
            long unreached = number(measured, 1);
            title = measured != null && measured.size() == 3 && measured.get(2).isJsonPrimitive() ? measured.get(2).getAsString() : "";
            if (estimate <= limit && unreached > 0) {
                // frames in processes of their own: each measured there, with its scripts paused too
                apart = devtools.outOfProcessFrames();
                for (PageDevtools frame : apart) {
                    frame.pauseScripts(true);
                    JsonArray inFrame = array(frame.evaluateIsolated(PageScripts.snapshotSize(limit - estimate)));
                    estimate = plus(estimate, number(inFrame, 0));
                    unreached = plus(unreached, number(inFrame, 1));
                    if (estimate > limit) {
                        break;
                    }
                }
                if (unreached > apart.size()) {
                    estimate = Long.MAX_VALUE; // a frame neither walk reached: its size is unknown
                }
            }
            if (estimate > limit) {
                throw new BrowserFailure(BrowserFailure.Kind.RESULT_TOO_LARGE, "The page's accessibility snapshot may be larger than the "
                        + PageCapture.megabytes(target.limits().text()) + " limit (BROWSER_MAX_TEXT)");
            }
            try (TransferBudget.Reservation reserved = target.budget().reserve(16 * estimate, Duration.ofMillis(timeoutMs))) {
                snapshot = element.ariaSnapshot(options);
            }
        } finally {
            for (PageDevtools frame : apart) {
                resume(frame);
                frame.detach();
            }
            resume(devtools);
        }
        if (snapshot.length() > BrowserAction.MAX_SNAPSHOT_CHARS) {
            int cut = snapshot.lastIndexOf('\n', BrowserAction.MAX_SNAPSHOT_CHARS);
            snapshot = snapshot.substring(0, cut > 0 ? cut : BrowserAction.MAX_SNAPSHOT_CHARS)
                    + "\n# truncated: the snapshot had " + snapshot.length() + " characters; ask for a ref, a selector or a depth";
        }
        return new ActionResult(page.url(), title, snapshot, null, null, null);
    }

    /** The measure's answer as an array, or null when it is not one (the caller then reads it as too large). */
    private static JsonArray array(JsonObject result) {
        JsonElement value = result.get("value");
        return value != null && value.isJsonArray() ? value.getAsJsonArray() : null;
    }

    /** Sum of two counts, at most {@link Long#MAX_VALUE}. */
    private static long plus(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** Element {@code index} of a measure's answer: a count, or the most there can be when it is not a number. */
    private static long number(JsonArray measured, int index) {
        if (measured == null || measured.size() <= index || !measured.get(index).isJsonPrimitive()
                || !measured.get(index).getAsJsonPrimitive().isNumber()) {
            return Long.MAX_VALUE;
        }
        double value = measured.get(index).getAsDouble();
        return value >= 0 && value < Long.MAX_VALUE ? (long) Math.ceil(value) : Long.MAX_VALUE;
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

    private static ActionResult tabs(BrowserAction.Tabs action, ActionTarget target, long timeoutMs) {
        ActionTarget.Tabs tabs = target.tabs();
        String what = action.action().toLowerCase(Locale.ROOT);
        ActionTarget now = target;
        if (what.equals("new")) {
            if (action.url() != null) {
                Optional<String> refusal = target.guard().refusal(action.url());
                if (refusal.isPresent()) {
                    throw new BrowserFailure(BrowserFailure.Kind.NAVIGATION_REFUSED, "Navigation refused: " + refusal.get());
                }
            }
            now = target.on(tabs.open());
            if (action.url() != null) {
                landed(now.page().navigate(action.url(), new Page.NavigateOptions().setTimeout(timeoutMs)), now);
            }
        } else if (what.equals("select")) {
            tabs.select(tab(tabs, action.index()));
            now = target.on(tabs.active());
        } else if (what.equals("close")) {
            tabs.close(action.index() == null ? tabs.active() : tab(tabs, action.index()));
            now = target.on(tabs.active());
        }
        List<Map<String, Object>> listed = new ArrayList<>();
        List<Page> pages = tabs.pages();
        String activeTitle = null;
        for (int i = 0; i < pages.size(); i++) {
            Page page = pages.get(i);
            String title = target.on(page).title();
            if (page == now.page()) {
                activeTitle = title;
            }
            Map<String, Object> tab = new LinkedHashMap<>();
            tab.put("index", i);
            tab.put("url", page.url());
            tab.put("title", title);
            tab.put("active", page == tabs.active());
            listed.add(tab);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tabs", listed);
        fields.put("active", pages.indexOf(tabs.active()));
        // the answer's title is the active tab's, read once for the listing
        return activeTitle != null ? ActionResult.of(now.page().url(), activeTitle, fields) : now.state(fields);
    }

    private static Page tab(ActionTarget.Tabs tabs, int index) {
        List<Page> pages = tabs.pages();
        if (index >= pages.size()) {
            throw new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, "No tab " + index + ": the agent has " + pages.size()
                    + " (0 to " + (pages.size() - 1) + "); list them with tabs list");
        }
        return pages.get(index);
    }

    private static ActionResult handleDialog(BrowserAction.HandleDialog action, ActionTarget target, long timeoutMs) {
        List<Map<String, Object>> answered = target.activity().takeDialogs();
        target.activity().arm(action.accept(), action.promptText());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("armed", action.accept() ? "accept" : "dismiss");
        fields.put("dialogs", answered);
        return target.state(fields);
    }

    private static ActionResult consoleMessages(BrowserAction.ConsoleMessages action, ActionTarget target, long timeoutMs) {
        List<Map<String, Object>> messages = target.activity().console(target.page());
        if (Boolean.TRUE.equals(action.clear())) {
            target.activity().clearConsole(target.page());
        }
        return target.state(Map.of("messages", messages));
    }

    private static ActionResult networkRequests(BrowserAction.NetworkRequests action, ActionTarget target, long timeoutMs) {
        List<Map<String, Object>> requests = target.activity().network(target.page());
        if (Boolean.TRUE.equals(action.clear())) {
            target.activity().clearNetwork(target.page());
        }
        return target.state(Map.of("requests", requests));
    }

    private static ActionResult cookies(BrowserAction.Cookies action, ActionTarget target, long timeoutMs) {
        BrowserContext context = target.tabs().context();
        String what = action.action().toLowerCase(Locale.ROOT);
        if (what.equals("add")) {
            context.addCookies(action.cookies().stream().map(ActionHandlers::cookie).toList());
            return target.state(Map.of("added", action.cookies().size()));
        }
        if (what.equals("clear")) {
            context.clearCookies();
            return target.state(Map.of("cleared", true));
        }
        List<Map<String, Object>> cookies = new ArrayList<>();
        long chars = 0;
        for (Cookie cookie : context.cookies()) {
            Map<String, Object> listed = new LinkedHashMap<>();
            listed.put("name", cookie.name);
            listed.put("value", cookie.value);
            listed.put("domain", cookie.domain);
            listed.put("path", cookie.path);
            listed.put("expires", cookie.expires);
            listed.put("http_only", cookie.httpOnly);
            listed.put("secure", cookie.secure);
            listed.put("same_site", cookie.sameSite == null ? null : cookie.sameSite.name().charAt(0) + cookie.sameSite.name().substring(1).toLowerCase(Locale.ROOT));
            chars += String.valueOf(cookie.name).length() + String.valueOf(cookie.value).length() + String.valueOf(cookie.domain).length() + 64;
            if (chars > target.limits().text().toBytes()) {
                throw PageCapture.tooLarge("cookie list", target.limits().text(), "BROWSER_MAX_TEXT");
            }
            cookies.add(listed);
        }
        return target.state(Map.of("cookies", cookies));
    }

    private static Cookie cookie(BrowserAction.CookieField field) {
        Cookie cookie = new Cookie(field.name(), field.value());
        if (field.url() != null) {
            cookie.setUrl(field.url());
        }
        if (field.domain() != null) {
            cookie.setDomain(field.domain());
        }
        if (field.path() != null) {
            cookie.setPath(field.path());
        }
        if (field.expires() != null) {
            cookie.setExpires(field.expires());
        }
        if (field.httpOnly() != null) {
            cookie.setHttpOnly(field.httpOnly());
        }
        if (field.secure() != null) {
            cookie.setSecure(field.secure());
        }
        if (field.sameSite() != null) {
            cookie.setSameSite(SameSiteAttribute.valueOf(field.sameSite().toUpperCase(Locale.ROOT)));
        }
        return cookie;
    }

    /** The context's storage state as Playwright reads it; over the text limit: {@code RESULT_TOO_LARGE}. */
    private static ActionResult storageState(BrowserAction.StorageState action, ActionTarget target, long timeoutMs) {
        String state = target.tabs().context().storageState();
        if (utf8Length(state) > target.limits().text().toBytes()) {
            throw PageCapture.tooLarge("storage state", target.limits().text(), "BROWSER_MAX_TEXT");
        }
        Object parsed = new com.google.gson.Gson().fromJson(state, Map.class);
        return target.state(Map.of("storage_state", parsed));
    }

    /** The files come in the request; nothing on the host is read. */
    private static ActionResult fileUpload(BrowserAction.FileUpload action, ActionTarget target, long timeoutMs) {
        FilePayload[] files = action.files().stream().map(file -> new FilePayload(file.name(),
                file.mimeType() == null ? "application/octet-stream" : file.mimeType(), decode(file.contentBase64()))).toArray(FilePayload[]::new);
        element(target.page(), action).setInputFiles(files, new Locator.SetInputFilesOptions().setTimeout(timeoutMs));
        return target.state(Map.of("files", files.length));
    }

    private static byte[] decode(String base64) {
        try {
            return java.util.Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException malformed) {
            throw new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, "A file's content_base64 is not valid base64");
        }
    }

    /**
     * The script runs in the page (as a function, given the element when one is named); its value stays there while
     * its JSON is measured ({@link PageScripts#JSON_OF}), then is pulled in within the text limit.
     */
    private static ActionResult evaluate(BrowserAction.Evaluate action, ActionTarget target, long timeoutMs) {
        Page page = target.page();
        JSHandle value = action.selector() == null && action.ref() == null ? page.evaluateHandle(action.script())
                : element(page, action).evaluateHandle(action.script(), null, new Locator.EvaluateHandleOptions().setTimeout(timeoutMs));
        try {
            String json = bounded(target, "evaluate result", target.limits().text(), "BROWSER_MAX_TEXT",
                    max -> value.evaluate(PageScripts.JSON_OF, max), timeoutMs);
            return target.state(Map.of("result", json));
        } finally {
            try {
                value.dispose();
            } catch (PlaywrightException gone) {
                // the page navigated away meanwhile
            }
        }
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
