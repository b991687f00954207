package dev.agentapi.browser;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/**
 * One thing a client asks an agent's browser to do, named by {@code type}. There is deliberately
 * no way to evaluate arbitrary JavaScript. The fields carry Bean Validation constraints, checked at
 * the door ({@code @Valid} at the controller, {@link BrowserActionRules} for other callers), so an
 * action that could never run is refused before a browser is launched or an error counted.
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
        @JsonSubTypes.Type(value = BrowserAction.Snapshot.class, name = "snapshot"),
        @JsonSubTypes.Type(value = BrowserAction.Screenshot.class, name = "screenshot"),
        @JsonSubTypes.Type(value = BrowserAction.Pdf.class, name = "pdf")})
public sealed interface BrowserAction {

    String WAIT_UNTIL = "(?i)load|domcontentloaded|networkidle|commit";
    String WAIT_UNTIL_MESSAGE = "must be load, domcontentloaded, networkidle or commit";
    String STATE = "(?i)attached|detached|visible|hidden";
    String STATE_MESSAGE = "must be attached, detached, visible or hidden";
    /** Optional, but not blank when given. */
    String NOT_BLANK_IF_PRESENT = "[\\s\\S]*\\S[\\s\\S]*"; // ECMA 262 reads it as Java does (JSON Schema, clients)

    /**
     * A ref from the latest snapshot ({@code [ref=e12]}, or {@code f2e12} with the frame it is in): Playwright's own
     * names for the elements of its AI snapshot, valid while the element is on the page.
     */
    String REF = "^(f\\d+)?e\\d+$";
    String REF_MESSAGE = "must be a ref from the latest snapshot, like e12 or f1e12";
    String SELECTOR_DESCRIPTION = "A Playwright selector (CSS, text=..., role=...); or give ref instead.";
    String REF_DESCRIPTION = "An element's ref from the latest snapshot (e.g. e12), instead of a selector.";

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

    /** An action on one element, named by a selector or by a snapshot's ref ({@link ElementTarget} says which may be absent). */
    interface OnElement {
        String selector();

        String ref();
    }

    @ActionName("navigate")
    @Schema(name = "NavigateAction")
    record Navigate(@NotBlank String url, @Pattern(regexp = WAIT_UNTIL, message = WAIT_UNTIL_MESSAGE) String waitUntil,
                    @Positive Integer timeoutMs) implements BrowserAction {
    }

    @ActionName("click")
    @Schema(name = "ClickAction")
    @ElementTarget
    record Click(@Schema(description = SELECTOR_DESCRIPTION)
                 @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String selector,
                 @Schema(description = REF_DESCRIPTION) @Pattern(regexp = REF, message = REF_MESSAGE) String ref,
                 @Positive Integer timeoutMs) implements BrowserAction, OnElement {
    }

    @ActionName("fill")
    @Schema(name = "FillAction")
    @ElementTarget
    record Fill(@Schema(description = SELECTOR_DESCRIPTION)
                @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String selector,
                @Schema(description = REF_DESCRIPTION) @Pattern(regexp = REF, message = REF_MESSAGE) String ref,
                String value, @Positive Integer timeoutMs)
            implements BrowserAction, OnElement {
    }

    @ActionName("press")
    @Schema(name = "PressAction")
    @ElementTarget
    record Press(@Schema(description = SELECTOR_DESCRIPTION)
                 @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String selector,
                 @Schema(description = REF_DESCRIPTION) @Pattern(regexp = REF, message = REF_MESSAGE) String ref,
                 @NotBlank String key, @Positive Integer timeoutMs)
            implements BrowserAction, OnElement {
    }

    @ActionName("wait_for")
    @Schema(name = "WaitForAction")
    @ElementTarget
    record WaitFor(@Schema(description = SELECTOR_DESCRIPTION)
                   @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String selector,
                   @Schema(description = REF_DESCRIPTION) @Pattern(regexp = REF, message = REF_MESSAGE) String ref,
                   @Pattern(regexp = STATE, message = STATE_MESSAGE) String state, @Positive Integer timeoutMs)
            implements BrowserAction, OnElement {
    }

    @ActionName("text")
    @Schema(name = "TextAction")
    @ElementTarget(required = false)
    record Text(@Schema(description = SELECTOR_DESCRIPTION)
                @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String selector,
                @Schema(description = REF_DESCRIPTION) @Pattern(regexp = REF, message = REF_MESSAGE) String ref,
                @Positive Integer timeoutMs)
            implements BrowserAction, OnElement {
    }

    @ActionName("content")
    @Schema(name = "ContentAction")
    record Content(@Positive Integer timeoutMs) implements BrowserAction {
    }

    /**
     * The page's accessibility tree (or one element's) in Playwright's AI snapshot form (YAML, every element with a
     * {@code [ref=eN]} that later actions can name instead of a selector), so a model can choose elements without a
     * screenshot; {@code depth} limits how deep it goes, and the answer is cut at {@link #MAX_SNAPSHOT_CHARS}
     * characters.
     */
    @ActionName("snapshot")
    @Schema(name = "SnapshotAction")
    @ElementTarget(required = false)
    record Snapshot(@Schema(description = SELECTOR_DESCRIPTION)
                    @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String selector,
                    @Schema(description = REF_DESCRIPTION) @Pattern(regexp = REF, message = REF_MESSAGE) String ref,
                    @Positive @jakarta.validation.constraints.Max(100) Integer depth,
                    @Positive Integer timeoutMs) implements BrowserAction, OnElement {
    }

    /** Snapshots longer than this are cut, with a line saying so. */
    int MAX_SNAPSHOT_CHARS = 64 * 1024;

    @ActionName("screenshot")
    @Schema(name = "ScreenshotAction")
    record Screenshot(Boolean fullPage, @Positive Integer timeoutMs) implements BrowserAction {
    }

    @ActionName("pdf")
    @Schema(name = "PdfAction")
    record Pdf(@Positive Integer timeoutMs) implements BrowserAction {
    }
}
