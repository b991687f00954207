package dev.agentapi.agent;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Watching an agent's page as it changes. Server-sent events rather than a WebSocket: frames flow one way, the
 * request is an ordinary authenticated GET (the API key or bearer token in a header, checked by the same filter
 * chain, rate limiter and audit as every route; a browser reads it with {@code fetch()}, so no key goes into a
 * URL), and it needs no new dependency or handshake of its own.
 */
@RestController
@RequestMapping("/api/agents/browser")
@Tag(name = "Browser agents")
public class LiveViewController {

    private final LiveViews views;

    LiveViewController(LiveViews views) {
        this.views = views;
    }

    @GetMapping(path = "/{agentId}/live")
    @Operation(operationId = "watchAgent", summary = "Watch the agent's page live (server-sent events)",
            description = "A stream of `text/event-stream` events: `ready` first (`viewer`, `max_fps`, `max_width`, `max_height`, "
                    + "`max_duration_seconds`), then a `frame` whenever the page changes, at most `max_fps` a second (`seq`, "
                    + "`format`: `jpeg`, `data`: the JPEG in base64, scaled to fit `max_width` × `max_height`; `viewport_width`, "
                    + "`viewport_height`: the page's viewport in CSS pixels, which a point of the frame scales to; `page_scale`, "
                    + "`scroll_x`, `scroll_y`, `timestamp`), comment lines while nothing changes, and `end` (`reason`: "
                    + "`browser-closed`, `max-duration`, `shutting-down`) before the server closes it. A viewer that reads "
                    + "slowly slows the stream for every viewer of the agent (each frame is acknowledged to Chromium only after "
                    + "every viewer was sent it). Frames are not actions: neither counted nor audited; starting and ending a "
                    + "view are audited (`agent.live.started`, `agent.live.stopped`). Watching starts no browser: run an action "
                    + "first. Served only by the replica running the agent's browser. Besides the rate limiter's, a 429 answers a "
                    + "viewer cap: the agent has as many viewers as it may (`urn:agent-api:problem:live-viewers-per-agent`), or the "
                    + "caller has as many views open as it may (`urn:agent-api:problem:live-viewers-per-caller`); no `Retry-After` then.")
    @ApiResponse(responseCode = "200", description = "The stream, until the client closes it or the server ends it",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such agent")
    @ApiResponse(responseCode = "409", description = "The agent has no running browser (`urn:agent-api:problem:agent-not-running`), "
            + "or it runs on another replica (`urn:agent-api:problem:agent-on-another-replica`, `replica` names it)")
    @ApiResponse(responseCode = "503", description = "This replica streams as many agents as it may "
            + "(`urn:agent-api:problem:live-view-capacity`); retry after `Retry-After` seconds")
    public SseEmitter watch(@PathVariable String agentId) {
        return views.watch(agentId);
    }
}
