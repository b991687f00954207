package dev.agentapi.browser;

import com.microsoft.playwright.Page;
import java.util.function.Supplier;

/**
 * What an action works on: the session's current page and the settings it runs under, used on the
 * session's thread. {@code lastRefusal} tells why the egress proxy refused a request of the running action;
 * {@code limits} and {@code budget} bound what the action may pull in; {@code devtools} is the page's
 * DevTools session, made on first use.
 */
record ActionTarget(Page page, boolean headless, NavigationGuard guard, Supplier<String> lastRefusal,
                    BrowserProperties.Limits limits, TransferBudget budget, Supplier<PageDevtools> devtools) {

    /** Titles longer than this are left out of results (a page decides its title, and could make it huge). */
    static final int MAX_TITLE = 4096;

    ActionResult state() {
        return ActionResult.of(page.url(), title());
    }

    /** The page's title, measured in the page first: empty when longer than {@link #MAX_TITLE} characters. */
    String title() {
        Object title = page.evaluate(PageScripts.TITLE, MAX_TITLE);
        return title instanceof String text ? text : "";
    }
}
