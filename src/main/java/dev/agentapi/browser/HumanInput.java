package dev.agentapi.browser;

import com.microsoft.playwright.Mouse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.MouseButton;
import java.time.Duration;

/**
 * What a person who took an agent over does in its page: a click, a move or a wheel turn at a point of the viewport
 * (CSS pixels: a frame's point scaled by the frame's viewport size over its own), a key press or typed text. Sent
 * through Playwright's mouse and keyboard, which dispatch them as DevTools input events
 * ({@code Input.dispatchMouseEvent}, {@code Input.dispatchKeyEvent}) to the page as a real device would, with no
 * waiting for elements. Runs beside actions (a hold keeps actions away), and counts as the browser's activity.
 */
public sealed interface HumanInput {

    /** {@code button}: left, middle or right. */
    record Click(double x, double y, String button, int clickCount) implements HumanInput {
    }

    record Move(double x, double y) implements HumanInput {
    }

    record Wheel(double x, double y, double deltaX, double deltaY) implements HumanInput {
    }

    /** A key as Playwright names it ({@code Enter}, {@code a}, {@code Control+A}). */
    record Key(String key) implements HumanInput {
    }

    record Type(String text) implements HumanInput {
    }

    /** Sends {@code input} to the session's current page; fails with {@link BrowserFailure} (422 for an unknown key). */
    static void dispatch(BrowserSession session, HumanInput input, Duration timeout) {
        session.onPage((context, page) -> {
            try {
                send(page, input);
            } catch (PlaywrightException e) {
                String message = PlaywrightFailures.plain(e);
                throw new BrowserFailure(message.contains("Unknown key") ? BrowserFailure.Kind.INVALID_ACTION
                        : BrowserFailure.Kind.NOT_RUNNING, "The input could not be delivered: " + message, e);
            }
            return null;
        }, timeout);
        session.touched();
    }

    private static void send(Page page, HumanInput input) {
        if (input instanceof Click click) {
            page.mouse().click(click.x(), click.y(), new Mouse.ClickOptions().setButton(MouseButton.valueOf(click.button().toUpperCase(java.util.Locale.ROOT))).setClickCount(click.clickCount()));
        } else if (input instanceof Move move) {
            page.mouse().move(move.x(), move.y());
        } else if (input instanceof Wheel wheel) {
            page.mouse().move(wheel.x(), wheel.y());
            page.mouse().wheel(wheel.deltaX(), wheel.deltaY());
        } else if (input instanceof Key key) {
            page.keyboard().press(key.key());
        } else if (input instanceof Type type) {
            page.keyboard().type(type.text());
        }
    }
}
