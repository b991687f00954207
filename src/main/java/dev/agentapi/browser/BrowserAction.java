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
 * One thing a client asks an agent's browser to do, named by {@code type}. Arbitrary JavaScript
 * ({@code evaluate}) runs only where the deployment turned it on ({@code BROWSER_ALLOW_EVALUATE}). The fields carry Bean Validation constraints, checked at
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
        @JsonSubTypes.Type(value = BrowserAction.Pdf.class, name = "pdf"),
        @JsonSubTypes.Type(value = BrowserAction.Tabs.class, name = "tabs"),
        @JsonSubTypes.Type(value = BrowserAction.HandleDialog.class, name = "handle_dialog"),
        @JsonSubTypes.Type(value = BrowserAction.ConsoleMessages.class, name = "console_messages"),
        @JsonSubTypes.Type(value = BrowserAction.NetworkRequests.class, name = "network_requests"),
        @JsonSubTypes.Type(value = BrowserAction.Cookies.class, name = "cookies"),
        @JsonSubTypes.Type(value = BrowserAction.StorageState.class, name = "storage_state"),
        @JsonSubTypes.Type(value = BrowserAction.FileUpload.class, name = "file_upload"),
        @JsonSubTypes.Type(value = BrowserAction.Evaluate.class, name = "evaluate")})
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

    /** Tabs an agent may have open at most, whatever BROWSER_MAX_PAGES says (an index beyond is refused at the door). */
    int MAX_TABS = 100;

    /**
     * The agent's tabs (pages: its own and those its pages opened, within BROWSER_MAX_PAGES): {@code list} them,
     * open a {@code new} one (at {@code url}, checked as a navigate is) and make it active, {@code select} the one at
     * {@code index} as the one actions act on, or {@code close} it (the active one when no index is given).
     */
    @ActionName("tabs")
    @Schema(name = "TabsAction")
    @ActionArguments
    record Tabs(@Schema(description = "list, new, select or close")
                @NotNull @Pattern(regexp = "(?i)list|new|select|close", message = "must be list, new, select or close") String action,
                @Schema(description = "select, close: the tab's index in the list (0 is the oldest); close without one closes the active tab")
                @Min(0) @Max(MAX_TABS) Integer index,
                @Schema(description = "new: open this URL (http or https) in the new tab")
                @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String url,
                @Positive Integer timeoutMs) implements BrowserAction {
    }

    /**
     * How the next dialog (alert, confirm, prompt, beforeunload) of any of the agent's pages is answered: accepted
     * (a prompt with {@code prompt_text}) or dismissed. Without one armed, dialogs are dismissed as they open. The
     * answer lists the dialogs answered since the last handle_dialog.
     */
    @ActionName("handle_dialog")
    @Schema(name = "HandleDialogAction")
    @ActionArguments
    record HandleDialog(@Schema(description = "true accepts the next dialog, false dismisses it") @NotNull Boolean accept,
                        @Schema(description = "The text a prompt answers (only with accept: true)")
                        @Size(max = MAX_TYPED) String promptText,
                        @Positive Integer timeoutMs) implements BrowserAction {
    }

    /** The active tab's console messages, newest last (a ring buffer: the oldest go first). */
    @ActionName("console_messages")
    @Schema(name = "ConsoleMessagesAction")
    record ConsoleMessages(@Schema(description = "Empty the buffer after reading it") Boolean clear,
                           @Positive Integer timeoutMs) implements BrowserAction {
    }

    /** The active tab's finished and failed requests, newest last: method, redacted URL, type, status; no headers or bodies. */
    @ActionName("network_requests")
    @Schema(name = "NetworkRequestsAction")
    record NetworkRequests(@Schema(description = "Empty the buffer after reading it") Boolean clear,
                           @Positive Integer timeoutMs) implements BrowserAction {
    }

    /** Cookies one cookies add may set. */
    int MAX_COOKIES = 100;

    /** The browser context's cookies: {@code get} them all, {@code add} some, or {@code clear} them all. */
    @ActionName("cookies")
    @Schema(name = "CookiesAction")
    @ActionArguments
    record Cookies(@Schema(description = "get, add or clear")
                   @NotNull @Pattern(regexp = "(?i)get|add|clear", message = "must be get, add or clear") String action,
                   @Schema(description = "add: the cookies to set")
                   @Size(min = 1, max = MAX_COOKIES) List<@NotNull @Valid CookieField> cookies,
                   @Positive Integer timeoutMs) implements BrowserAction {
    }

    /** One cookie to add: for a {@code url}, or a {@code domain} and a {@code path}. */
    @Schema(name = "Cookie")
    record CookieField(@NotBlank @Size(max = 4096) String name, @NotNull @Size(max = 4096) String value,
                       @Schema(description = "The URL the cookie is for (instead of domain and path)")
                       @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") @Size(max = 2048) String url,
                       @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") @Size(max = 255) String domain,
                       @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") @Size(max = 2048) String path,
                       @Schema(description = "Unix time in seconds; absent: a session cookie") Double expires,
                       Boolean httpOnly, Boolean secure,
                       @Pattern(regexp = "(?i)strict|lax|none", message = "must be Strict, Lax or None") String sameSite) {
    }

    /** The live browser context's storage state as Playwright reads it: cookies and each origin's local storage. */
    @ActionName("storage_state")
    @Schema(name = "StorageStateAction")
    record StorageState(@Positive Integer timeoutMs) implements BrowserAction {
    }

    /** Files one file_upload may set. */
    int MAX_UPLOAD_FILES = 10;
    /** Base64 characters of one uploaded file (6 MiB of content); the request body limit (WEB_MAX_REQUEST_BODY) applies first. */
    int MAX_UPLOAD_BASE64 = 8 * 1024 * 1024;

    /** Sets the files of a file input (by selector or ref) from content in the request: never a path on the host. */
    @ActionName("file_upload")
    @Schema(name = "FileUploadAction")
    @ElementTarget
    record FileUpload(@Schema(description = SELECTOR_DESCRIPTION)
                      @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String selector,
                      @Schema(description = REF_DESCRIPTION) @Pattern(regexp = REF, message = REF_MESSAGE) String ref,
                      @Schema(description = "The files, as the page will see them (several only for an input that takes several)")
                      @NotNull @Size(min = 1, max = MAX_UPLOAD_FILES) List<@NotNull @Valid UploadFile> files,
                      @Positive Integer timeoutMs) implements BrowserAction, OnElement {
    }

    /** One file of a file_upload: a plain name, a media type, the content base64-encoded. */
    @Schema(name = "UploadFile")
    record UploadFile(@Schema(description = "The file's name as the page sees it (no path)")
                      @NotBlank @Size(max = 255) @Pattern(regexp = "^[^/\\\\\\x00]+$", message = "must be a plain file name, without a path")
                      String name,
                      @Schema(description = "e.g. text/plain; absent: application/octet-stream")
                      @Pattern(regexp = "^[\\w.+-]+/[\\w.+-]+$", message = "must be a media type like text/plain") @Size(max = 255)
                      String mimeType,
                      @Schema(description = "The content, base64-encoded")
                      @NotNull @Size(max = MAX_UPLOAD_BASE64) @Pattern(regexp = "^[A-Za-z0-9+/]*={0,2}$", message = "must be base64")
                      String contentBase64) {
    }

    /** Characters of one evaluate script. */
    int MAX_SCRIPT = 64 * 1024;

    /**
     * Runs page JavaScript: an expression, or a function (given the element, when one is named). Refused unless the
     * deployment turned it on (BROWSER_ALLOW_EVALUATE); the audit keeps the script's SHA-256, never the script. The
     * answer is the value as JSON text, bounded like a text result.
     */
    @ActionName("evaluate")
    @Schema(name = "EvaluateAction")
    @ElementTarget(required = false)
    record Evaluate(@Schema(description = "A JavaScript expression, or a function such as () => document.title or el => el.value")
                    @NotBlank @Size(max = MAX_SCRIPT) String script,
                    @Schema(description = "Pass this element (by selector) to the function; or give ref instead.")
                    @Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank") String selector,
                    @Schema(description = REF_DESCRIPTION) @Pattern(regexp = REF, message = REF_MESSAGE) String ref,
                    @Positive Integer timeoutMs) implements BrowserAction, OnElement {
    }
}
