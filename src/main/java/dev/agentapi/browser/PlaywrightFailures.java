package dev.agentapi.browser;

import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.TimeoutError;
import dev.agentapi.browser.egress.EgressRules;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates what Playwright threw during an action into the {@link BrowserFailure} it means for a
 * client. Playwright reports most failures as one exception type with a message, so the message is
 * what tells them apart; this is the one place that reads those messages. What a client reads is
 * {@link #plain(Throwable)}: Playwright's own first sentence, without its wrapping ({@code Error {...}}),
 * stack frames, call log, browser log or file paths; the whole text goes to the service log.
 */
final class PlaywrightFailures {

    private static final Logger log = LoggerFactory.getLogger(PlaywrightFailures.class);
    /** How Playwright's Java client renders an error of its driver: {@code Error {\n  message='...\n  name='...}. */
    private static final Pattern SERIALIZED = Pattern.compile("(?s)Error \\{\\s*message='(.*?)\\n\\s*name='");
    /** Where Playwright's own diagnostics start: nothing from there on is for a client. */
    private static final Pattern DIAGNOSTICS = Pattern.compile("(?s)(\\n|\\s)(Call log:|Browser logs:|={5,}|<launching>|\\s+at ).*");
    /** "page.goto: ", "locator.click: ", "BrowserType.launch: " and "Error: " at the start, possibly repeated. */
    private static final Pattern API_PREFIX = Pattern.compile("^(?:(?:[A-Za-z]+\\.[A-Za-z]+|[A-Z][A-Za-z]*Error|Error): )+");
    /** An absolute file path (not a URL's path: those follow a host, not a space or the start). */
    private static final Pattern FILE_PATH = Pattern.compile("(?<=^|[\\s(\"'=])/[^\\s\"'(),;]+");
    /** The guard in the driver answers a too large result with this (see driver-message-guard.js). */
    static final String TOO_LARGE_MARKER = "AGENT_API_MESSAGE_TOO_LARGE";
    private static final int MAX_DETAIL = 200;

    private PlaywrightFailures() {
    }

    /** {@code refusal}: what the egress proxy last refused during the action ({@code host:port}), or null. */
    static BrowserFailure translate(BrowserAction action, PlaywrightException e, String refusal, long timeoutMs) {
        if (e instanceof TimeoutError) {
            return new BrowserFailure(BrowserFailure.Kind.TIMEOUT, action.type() + " did not finish within " + timeoutMs + " ms");
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains(TOO_LARGE_MARKER)) {
            return new BrowserFailure(BrowserFailure.Kind.RESULT_TOO_LARGE, "The " + action.type()
                    + " result is larger than the service takes from a browser; ask for less (a selector, a depth)");
        }
        if (message.contains("Page crashed") || message.contains("Target crashed") || message.contains("page crashed")) {
            return new BrowserFailure(BrowserFailure.Kind.PAGE_CRASHED, "The page crashed (its renderer ran out of memory or "
                    + "was killed); the agent's next action starts on a blank page");
        }
        if (refusal != null) {
            // a request of this action was refused by the guard: that is why it failed
            return new BrowserFailure(BrowserFailure.Kind.NAVIGATION_REFUSED, "Navigation refused: " + refusal + ": " + EgressRules.PUBLIC_REASON);
        }
        if (message.contains("Target page, context or browser has been closed") || message.contains("Browser has been closed")
                || message.contains("Target closed")) {
            return new BrowserFailure(BrowserFailure.Kind.NOT_RUNNING, "The agent's browser is gone");
        }
        if (message.contains("selector") && (message.contains("Unexpected token") || message.contains("not a valid")
                || message.contains("Unknown engine") || message.contains("malformed"))) {
            return new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, "Invalid selector");
        }
        log.debug("{} failed: {}", action.type(), message);
        if (action instanceof BrowserAction.Navigate || action instanceof BrowserAction.NavigateBack
                || action instanceof BrowserAction.NavigateForward) {
            return new BrowserFailure(BrowserFailure.Kind.NAVIGATION_FAILED, "Navigation failed: " + plain(e));
        }
        return new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, action.type() + " failed: " + plain(e));
    }

    /** An earlier failed load's error page arrived during a navigation: worth going again once. */
    static boolean interruptedByAnotherNavigation(PlaywrightException e) {
        return !(e instanceof TimeoutError) && e.getMessage() != null && e.getMessage().contains("interrupted by another navigation");
    }

    /** A launch that failed, in words for a client; Playwright's whole text (browser log, command line) is logged. */
    static BrowserFailure launchFailed(RuntimeException failure, BrowserProperties properties) {
        if (failure instanceof BrowserFailure known && known.kind() == BrowserFailure.Kind.TIMEOUT) {
            return new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED,
                    "The browser did not start within " + properties.launchTimeout().toSeconds() + " s");
        }
        if (failure instanceof BrowserFailure known) {
            return known;
        }
        log.warn("A browser did not start: {}", failure.getMessage());
        return new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED, "The browser could not start: " + plain(failure), failure);
    }

    /** The failure's message on one line, at most 300 characters (for logs and operators). */
    static String summary(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        String flat = message.replaceAll("\\s+", " ").trim();
        return flat.length() > 300 ? flat.substring(0, 300) : flat;
    }

    /**
     * What failed in plain words: Playwright's first sentence without the wrapping of its Java client, its
     * API prefix ({@code page.goto: }), stack frames, call log, browser log or file paths; at most 200 characters.
     * A failure with nothing left to say becomes "it failed in the browser".
     */
    static String plain(Throwable failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        Matcher serialized = SERIALIZED.matcher(message);
        if (serialized.find()) {
            message = serialized.group(1);
        }
        message = DIAGNOSTICS.matcher(message).replaceFirst("");
        message = message.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse("");
        message = API_PREFIX.matcher(message).replaceFirst("");
        message = FILE_PATH.matcher(message).replaceAll("(a file)");
        message = message.replaceAll("\\s+", " ").strip();
        if (message.isEmpty()) {
            return "it failed in the browser";
        }
        return message.length() > MAX_DETAIL ? message.substring(0, MAX_DETAIL) + "…" : message;
    }
}
