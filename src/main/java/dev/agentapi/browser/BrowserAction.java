package dev.agentapi.browser;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One thing a client asks an agent's browser to do, named by {@code type}. There is deliberately
 * no way to evaluate arbitrary JavaScript.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = BrowserAction.Navigate.class, name = "navigate"),
        @JsonSubTypes.Type(value = BrowserAction.Click.class, name = "click"),
        @JsonSubTypes.Type(value = BrowserAction.Fill.class, name = "fill"),
        @JsonSubTypes.Type(value = BrowserAction.Press.class, name = "press"),
        @JsonSubTypes.Type(value = BrowserAction.WaitFor.class, name = "wait_for"),
        @JsonSubTypes.Type(value = BrowserAction.Text.class, name = "text"),
        @JsonSubTypes.Type(value = BrowserAction.Content.class, name = "content"),
        @JsonSubTypes.Type(value = BrowserAction.Screenshot.class, name = "screenshot"),
        @JsonSubTypes.Type(value = BrowserAction.Pdf.class, name = "pdf")})
public sealed interface BrowserAction {

    /** Per-action timeout in milliseconds; null for the configured default. */
    Integer timeoutMs();

    /** The name clients use, as in {@code {"type": "navigate"}}. */
    default String type() {
        return getClass().getAnnotation(ActionName.class).value();
    }

    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @interface ActionName {
        String value();
    }

    @ActionName("navigate")
    record Navigate(String url, String waitUntil, Integer timeoutMs) implements BrowserAction {
    }

    @ActionName("click")
    record Click(String selector, Integer timeoutMs) implements BrowserAction {
    }

    @ActionName("fill")
    record Fill(String selector, String value, Integer timeoutMs) implements BrowserAction {
    }

    @ActionName("press")
    record Press(String selector, String key, Integer timeoutMs) implements BrowserAction {
    }

    @ActionName("wait_for")
    record WaitFor(String selector, String state, Integer timeoutMs) implements BrowserAction {
    }

    @ActionName("text")
    record Text(String selector, Integer timeoutMs) implements BrowserAction {
    }

    @ActionName("content")
    record Content(Integer timeoutMs) implements BrowserAction {
    }

    @ActionName("screenshot")
    record Screenshot(Boolean fullPage, Integer timeoutMs) implements BrowserAction {
    }

    @ActionName("pdf")
    record Pdf(Integer timeoutMs) implements BrowserAction {
    }
}
