package dev.agentapi.browser;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What an action works on: the session's active page and the settings it runs under, used on the
 * session's thread. {@code refusal} names the request the egress proxy refused that explains the running action's
 * failure to load a URL (the refusal of that URL's host and port, else the latest);
 * {@code limits} and {@code budget} bound what the action may pull in; {@code devtools} is the page's
 * DevTools session, made on first use; {@code tabs} the agent's pages, {@code activity} what they logged.
 */
record ActionTarget(Page page, boolean headless, NavigationGuard guard, UnaryOperator<String> refusal,
                    BrowserProperties.Limits limits, TransferBudget budget, Supplier<PageDevtools> devtools,
                    Tabs tabs, PageActivity activity, BrowserProperties.Actions actions) {

    /** Titles longer than this are left out of results (a page decides its title, and could make it huge). */
    static final int MAX_TITLE = 4096;

    ActionResult state() {
        return ActionResult.of(page.url(), title());
    }

    /** The page's state with a structured answer. */
    ActionResult state(java.util.Map<String, Object> fields) {
        return ActionResult.of(page.url(), title(), fields);
    }

    /** The same target on another page (a tab just opened or selected). */
    ActionTarget on(Page other) {
        return new ActionTarget(other, headless, guard, refusal, limits, budget, devtools, tabs, activity, actions);
    }

    /** The page's title, measured in the page first: empty when longer than {@link #MAX_TITLE} characters. */
    String title() {
        if (page.isClosed()) {
            return ""; // closed by what the action did (a click on a button that closes the window)
        }
        Object title = page.evaluate(PageScripts.TITLE, MAX_TITLE);
        return title instanceof String text ? text : "";
    }

    /** The agent's pages (tabs): its own and those its pages opened, within the session's page cap. */
    interface Tabs {

        /** Open pages, in the order they opened. */
        List<Page> pages();

        /** The page actions act on. */
        Page active();

        /** A new blank page of the agent's own, now the active one; refused once the page cap is reached. */
        Page open();

        /** Actions act on {@code page} from now on. */
        void select(Page page);

        /** Closes {@code page}; if it was the active one, the newest remaining page (a new blank one if none) becomes active. */
        void close(Page page);

        BrowserContext context();
    }
}
