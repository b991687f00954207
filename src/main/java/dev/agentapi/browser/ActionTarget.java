package dev.agentapi.browser;

import com.microsoft.playwright.Page;

/** What an action works on: the session's current page and the settings it runs under, used on the session's thread. */
record ActionTarget(Page page, boolean headless, NavigationGuard guard) {

    ActionResult state() {
        return ActionResult.of(page.url(), page.title());
    }
}
