package dev.agentapi.browser;

import com.microsoft.playwright.Page;
import java.util.function.Supplier;

/**
 * What an action works on: the session's current page and the settings it runs under, used on the
 * session's thread. {@code lastRefusal} tells why the egress proxy refused a request of the running action.
 */
record ActionTarget(Page page, boolean headless, NavigationGuard guard, Supplier<String> lastRefusal) {

    ActionResult state() {
        return ActionResult.of(page.url(), page.title());
    }
}
