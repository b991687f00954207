package dev.agentapi.browser;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;

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
        @JsonSubTypes.Type(value = BrowserAction.Hover.class, name = "hover"),
        @JsonSubTypes.Type(value = BrowserAction.FillForm.class, name = "fill_form"),
        @JsonSubTypes.Type(value = BrowserAction.SelectOption.class, name = "select_option"),
        @JsonSubTypes.Type(value = BrowserAction.TypeText.class, name = "type"),
        @JsonSubTypes.Type(value = BrowserAction.PressKey.class, name = "press_key"),
        @JsonSubTypes.Type(value = BrowserAction.Drag.class, name = "drag"),
        @JsonSubTypes.Type(value = BrowserAction.NavigateBack.class, name = "navigate_back"),
        @JsonSubTypes.Type(value = BrowserAction.NavigateForward.class, name = "navigate_forward"),
        @JsonSubTypes.Type(value = BrowserAction.Resize.class, name = "resize"),
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

    @ActionName("hover")
    @Schema(name = "HoverAction")
    @ElementTarget
    record Hover(@Schema(description = SELECTOR_DESCRIPTION)
                 @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String selector,
                 @Schema(description = REF_DESCRIPTION) @Pattern(regexp = REF, message = REF_MESSAGE) String ref,
                 @Positive Integer timeoutMs) implements BrowserAction, OnElement {
    }

    /** Fields one fill_form may set. */
    int MAX_FORM_FIELDS = 100;

    /**
     * Several fields set in one call, in order, each as its kind wants: a text field filled, a select's option chosen
     * (by value or label), a checkbox or radio button checked ({@code "true"}) or unchecked ({@code "false"}).
     */
    @ActionName("fill_form")
    @Schema(name = "FillFormAction")
    record FillForm(@Schema(description = "The fields to set, in order")
                    @NotNull @Size(min = 1, max = MAX_FORM_FIELDS) List<@NotNull @Valid FormField> fields,
                    @Positive Integer timeoutMs) implements BrowserAction {
    }

    /** One field of a fill_form, by selector or ref, and the value it gets. */
    @Schema(name = "FormField")
    @ElementTarget
    record FormField(@Schema(description = SELECTOR_DESCRIPTION)
                     @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String selector,
                     @Schema(description = REF_DESCRIPTION) @Pattern(regexp = REF, message = REF_MESSAGE) String ref,
                     @Schema(description = "The text; an option's value or label; true or false for a checkbox or radio button")
                     @NotNull @Size(max = MAX_TYPED) String value) implements OnElement {
    }

    /** Options one select_option may name: a select rarely has more, and each is a separate match in the page. */
    int MAX_OPTIONS = 100;

    @ActionName("select_option")
    @Schema(name = "SelectOptionAction")
    @ElementTarget
    record SelectOption(@Schema(description = SELECTOR_DESCRIPTION)
                        @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String selector,
                        @Schema(description = REF_DESCRIPTION) @Pattern(regexp = REF, message = REF_MESSAGE) String ref,
                        @Schema(description = "The options to select in a <select>, each by its value or its label "
                                + "(several for a multiple select; the others are deselected)")
                        @NotNull @Size(min = 1, max = MAX_OPTIONS) List<@NotNull String> values,
                        @Positive Integer timeoutMs) implements BrowserAction, OnElement {
    }

    /** Characters one type action may enter: typed slowly, each is a key press of its own. */
    int MAX_TYPED = 64 * 1024;

    /**
     * Text entered into an editable element: all at once (as {@code fill} does), or {@code slowly}, key by key, so
     * the page's key handlers see each key; {@code submit} presses Enter afterwards.
     */
    @ActionName("type")
    @Schema(name = "TypeAction")
    @ElementTarget
    record TypeText(@Schema(description = SELECTOR_DESCRIPTION)
                    @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String selector,
                    @Schema(description = REF_DESCRIPTION) @Pattern(regexp = REF, message = REF_MESSAGE) String ref,
                    @NotNull @Size(max = MAX_TYPED) String text,
                    @Schema(description = "Type one key at a time (the page's key handlers see each); else fill at once")
                    Boolean slowly,
                    @Schema(description = "Press Enter after typing") Boolean submit,
                    @Positive Integer timeoutMs) implements BrowserAction, OnElement {
    }

    /** A key pressed on the page as it is, on whatever has the focus (press names an element first). */
    @ActionName("press_key")
    @Schema(name = "PressKeyAction")
    record PressKey(@Schema(description = "A key or a combination, e.g. ArrowLeft, Enter, Control+A, a")
                    @NotBlank String key, @Positive Integer timeoutMs) implements BrowserAction {
    }

    /** One element dragged onto another; each named by a selector or a ref ({@link DragEnds}). */
    @ActionName("drag")
    @Schema(name = "DragAction")
    @DragEnds
    record Drag(@Schema(description = "The element to drag, by selector; or give start_ref instead.")
                @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String startSelector,
                @Schema(description = "The element to drag, by its ref from the latest snapshot.")
                @Pattern(regexp = REF, message = REF_MESSAGE) String startRef,
                @Schema(description = "The element to drop it on, by selector; or give end_ref instead.")
                @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String endSelector,
                @Schema(description = "The element to drop it on, by its ref from the latest snapshot.")
                @Pattern(regexp = REF, message = REF_MESSAGE) String endRef,
                @Positive Integer timeoutMs) implements BrowserAction {

        OnElement start() {
            return new Element(startSelector, startRef);
        }

        OnElement end() {
            return new Element(endSelector, endRef);
        }
    }

    /** One end of a drag as the other element actions name theirs. */
    record Element(String selector, String ref) implements OnElement {
    }

    /** Back in the page's history; where it lands passes the egress proxy as every load does. */
    @ActionName("navigate_back")
    @Schema(name = "NavigateBackAction")
    record NavigateBack(@Positive Integer timeoutMs) implements BrowserAction {
    }

    @ActionName("navigate_forward")
    @Schema(name = "NavigateForwardAction")
    record NavigateForward(@Positive Integer timeoutMs) implements BrowserAction {
    }

    /** The page's viewport, within the bounds an agent's viewport has when it is created. */
    @ActionName("resize")
    @Schema(name = "ResizeAction")
    record Resize(@NotNull @Min(LaunchSpec.MIN_VIEWPORT) @Max(LaunchSpec.MAX_VIEWPORT) Integer width,
                  @NotNull @Min(LaunchSpec.MIN_VIEWPORT) @Max(LaunchSpec.MAX_VIEWPORT) Integer height,
                  @Positive Integer timeoutMs) implements BrowserAction {
    }

    /** The longest timed wait, in seconds: the default cap of an action's timeout (BROWSER_MAX_ACTION_TIMEOUT). */
    int MAX_WAIT_SECONDS = 120;

    /**
     * Waits for one thing ({@link WaitKind}): an element (by selector or ref) to reach a {@code state}, a text to
     * appear ({@code text}) or to go ({@code text_gone}), or a number of seconds ({@code time}).
     */
    @ActionName("wait_for")
    @Schema(name = "WaitForAction")
    @ElementTarget(required = false)
    @WaitKind
    record WaitFor(@Schema(description = SELECTOR_DESCRIPTION)
                   @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String selector,
                   @Schema(description = REF_DESCRIPTION) @Pattern(regexp = REF, message = REF_MESSAGE) String ref,
                   @Schema(description = "For an element: the state to wait for (visible unless given)")
                   @Pattern(regexp = STATE, message = STATE_MESSAGE) String state,
                   @Schema(description = "Wait until this text is visible on the page")
                   @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String text,
                   @Schema(description = "Wait until this text is no longer visible on the page")
                   @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String textGone,
                   @Schema(description = "Wait this many seconds (at most " + MAX_WAIT_SECONDS + ")")
                   @Positive @DecimalMax("" + MAX_WAIT_SECONDS) Double time,
                   @Positive Integer timeoutMs)
            implements BrowserAction, OnElement {

        /** A wait for an element. */
        public WaitFor(String selector, String ref, String state, Integer timeoutMs) {
            this(selector, ref, state, null, null, null, timeoutMs);
        }
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

    /** The viewport, the full page, or one element (by selector or ref; not with {@code full_page}). */
    @ActionName("screenshot")
    @Schema(name = "ScreenshotAction")
    @ElementTarget(required = false, notWith = "fullPage")
    record Screenshot(@Schema(description = "The whole page rather than the viewport (not with an element)") Boolean fullPage,
                      @Schema(description = "Only this element, by selector; or give ref instead.")
                      @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String selector,
                      @Schema(description = "Only this element, by its ref from the latest snapshot.")
                      @Pattern(regexp = REF, message = REF_MESSAGE) String ref,
                      @Positive Integer timeoutMs) implements BrowserAction, OnElement {

        /** The viewport, or the full page. */
        public Screenshot(Boolean fullPage, Integer timeoutMs) {
            this(fullPage, null, null, timeoutMs);
        }
    }

    @ActionName("pdf")
    @Schema(name = "PdfAction")
    record Pdf(@Positive Integer timeoutMs) implements BrowserAction {
    }
}
