package dev.agentapi.agent;

import dev.agentapi.browser.LaunchSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.annotation.Nullable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * An agent's browser state as the API shows it and as it is sealed at rest: Playwright's storage state (cookies,
 * localStorage per origin) in snake_case, the open tabs' URLs in order, the active tab's index, the viewport, and the
 * sessionStorage of the tabs that hold any (per tab, for the tab's origin: Playwright's storage state has none). The
 * bounds are the API's (a state is also bounded as a whole by {@code AGENT_STATE_MAX_SIZE}). A state saved before
 * {@code session_storage} existed, or put without it, has none.
 */
@Schema(name = "BrowserState", description = "Cookies and localStorage per origin (Playwright's storage state), open tabs, "
        + "active tab, viewport, and each tab's sessionStorage")
@SessionStorageOfTabs
record SavedBrowserState(
        @NotNull @Valid StorageState storageState,
        @NotNull @Size(max = MAX_TABS) List<@NotNull @Size(max = MAX_URL) @Pattern(regexp = HTTP_URL, message = "must be an http(s) URL") String> tabs,
        @Min(0) @Max(MAX_TABS - 1) int activeTab,
        @Nullable @Valid Viewport viewport,
        @Schema(description = "sessionStorage of the tabs that hold any, at most one entry per tab; absent or null reads as none")
        @Nullable @Size(max = MAX_TABS) List<@NotNull @Valid TabSessionStorage> sessionStorage) {

    SavedBrowserState {
        sessionStorage = sessionStorage == null ? List.of() : sessionStorage;
    }

    static final int MAX_TABS = 100;
    static final int MAX_URL = 8192;
    /** Anchored and without inline flags, so it reads the same as Bean Validation and as a JSON Schema (ECMA) pattern. */
    static final String HTTP_URL = "^[Hh][Tt][Tt][Pp][Ss]?://.+$";

    @Schema(name = "BrowserStorageState")
    record StorageState(@NotNull @Size(max = 10_000) List<@NotNull @Valid Cookie> cookies,
                        @NotNull @Size(max = 1_000) List<@NotNull @Valid OriginStorage> origins) {
    }

    @Schema(name = "BrowserCookie", description = "A cookie as Playwright stores it; `expires` in epoch seconds, -1 for a session cookie")
    record Cookie(@NotNull @Size(max = 4096) String name, @NotNull String value, @NotBlank @Size(max = 255) String domain,
                  @NotNull @Size(max = 4096) String path, @Nullable Double expires, @Nullable Boolean httpOnly,
                  @Nullable Boolean secure, @Nullable @Pattern(regexp = "^(Strict|Lax|None)$", message = "must be Strict, Lax or None") String sameSite,
                  @Nullable @Size(max = 4096) String partitionKey) {
    }

    @Schema(name = "BrowserOriginStorage")
    record OriginStorage(@NotNull @Size(max = 4096) @Pattern(regexp = HTTP_URL, message = "must be an http(s) origin") String origin,
                         @NotNull List<@NotNull @Valid StorageItem> localStorage) {
    }

    @Schema(name = "BrowserTabSessionStorage", description = "The sessionStorage of tab `tab` (an index into `tabs`) for "
            + "`origin`, the origin of that tab's URL; restored into the tab before its page's scripts run")
    record TabSessionStorage(@NotNull @Min(0) @Max(MAX_TABS - 1) Integer tab,
                             @NotNull @Size(max = 4096) @Pattern(regexp = HTTP_URL, message = "must be an http(s) origin") String origin,
                             @NotNull List<@NotNull @Valid StorageItem> items) {
    }

    @Schema(name = "BrowserStorageItem")
    record StorageItem(@NotNull String name, @NotNull String value) {
    }

    @Schema(name = "BrowserViewport")
    record Viewport(@Min(LaunchSpec.MIN_VIEWPORT) @Max(LaunchSpec.MAX_VIEWPORT) int width,
                    @Min(LaunchSpec.MIN_VIEWPORT) @Max(LaunchSpec.MAX_VIEWPORT) int height) {
    }
}
