package dev.agentapi.browser;

import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.TimeoutError;

/**
 * Translates what Playwright threw during an action into the {@link BrowserFailure} it means for a
 * client. Playwright reports most failures as one exception type with a message, so the message is
 * what tells them apart; this is the one place that reads those messages.
 */
final class PlaywrightFailures {

    private PlaywrightFailures() {
    }

    /** {@code refusal}: the guard's last refusal during the action (URL and reason), or null. */
    static BrowserFailure translate(BrowserAction action, PlaywrightException e, String refusal, long timeoutMs) {
        if (e instanceof TimeoutError) {
            return new BrowserFailure(BrowserFailure.Kind.TIMEOUT, action.type() + " did not finish within " + timeoutMs + " ms");
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (refusal != null) {
            // a request of this action was refused by the guard: that is why it failed
            return new BrowserFailure(BrowserFailure.Kind.NAVIGATION_REFUSED, "Navigation refused: " + refusal);
        }
        if (message.contains("Target page, context or browser has been closed") || message.contains("Browser has been closed")
                || message.contains("Target closed")) {
            return new BrowserFailure(BrowserFailure.Kind.NOT_RUNNING, "The agent's browser is gone");
        }
        if (message.contains("selector") && (message.contains("Unexpected token") || message.contains("not a valid")
                || message.contains("Unknown engine") || message.contains("malformed"))) {
            return new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, "Invalid selector");
        }
        if (action instanceof BrowserAction.Navigate) {
            return new BrowserFailure(BrowserFailure.Kind.NAVIGATION_FAILED, "Navigation failed: " + summary(e));
        }
        return new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, action.type() + " failed: " + summary(e));
    }

    /** An earlier failed load's error page arrived during a navigation: worth going again once. */
    static boolean interruptedByAnotherNavigation(PlaywrightException e) {
        return !(e instanceof TimeoutError) && e.getMessage() != null && e.getMessage().contains("interrupted by another navigation");
    }

    /** A launch that failed, in words for a client. */
    static BrowserFailure launchFailed(RuntimeException failure, BrowserProperties properties) {
        if (failure instanceof BrowserFailure known && known.kind() == BrowserFailure.Kind.TIMEOUT) {
            return new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED,
                    "The browser did not start within " + properties.launchTimeout().toSeconds() + " s");
        }
        return failure instanceof BrowserFailure known ? known
                : new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED, "The browser could not start: " + summary(failure), failure);
    }

    /** The failure's message on one line, at most 300 characters. */
    static String summary(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        String flat = message.replaceAll("\\s+", " ").trim();
        return flat.length() > 300 ? flat.substring(0, 300) : flat;
    }
}
