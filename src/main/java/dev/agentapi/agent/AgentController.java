package dev.agentapi.agent;

import dev.agentapi.browser.ActionResult;
import dev.agentapi.browser.BrowserAction;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

@RestController
@RequestMapping("/api/agents/browser")
@Tag(name = "Browser agents", description = "Create, list, read, change and delete browser agents")
public class AgentController {

    private static final String JSON_MERGE_PATCH = "application/merge-patch+json";

    private final AgentService agents;

    public AgentController(AgentService agents) {
        this.agents = agents;
    }

    // produces: a client that accepts no JSON is refused (406) before the agent is stored, not after
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createAgent", summary = "Create a browser agent")
    @ApiResponse(responseCode = "201", description = "Created; `Location` names the new agent, `ETag` is its version",
            headers = {@Header(name = "Location", required = true, description = "The new agent's URL", schema = @Schema(type = "string")),
                    @Header(name = "ETag", required = true, description = "The agent's version", schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "409", description = "The agent_id is taken")
    @ApiResponse(responseCode = "413", description = "Body larger than 1 MiB")
    @ApiResponse(responseCode = "415", description = "Body is not application/json")
    public ResponseEntity<AgentResponses.Created> create(@Valid @RequestBody CreateAgentRequest request) {
        AgentView agent = agents.create(request);
        return ResponseEntity.created(URI.create("/api/agents/browser/" + agent.agentId()))
                .eTag(etag(agent))
                .body(new AgentResponses.Created(agent));
    }

    @GetMapping
    @Operation(operationId = "listAgents", summary = "List agents (deleted ones excluded), newest first",
            description = "Page through with `next`: pass it back as `cursor` for the following page (null on the last "
                    + "page); each page costs the same at any depth. `page`/`size` (offset paging) work too: a deep `page` "
                    + "walks the list's index up to its start, so its cost grows with page × size. `total` is counted "
                    + "exactly up to " + AgentListing.EXACT_TOTAL_UP_TO + " matches and on the last page; beyond that it "
                    + "is PostgreSQL's estimate (`total_exact`: false) unless `total=exact` asks for a full count.")
    @ApiResponse(responseCode = "200", description = "One page of agents")
    public ResponseEntity<AgentResponses.Listing> list(
            @Parameter(description = "Only agents in this status", schema = @Schema(allowableValues = {"created", "starting", "running", "stopped", "error", "hibernated"}))
            @RequestParam(required = false) String status,
            @Parameter(description = "Page number (offset paging), 0 when neither it nor `cursor` is given")
            @RequestParam(required = false) @Min(0) @Max(1_000_000) Integer page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size,
            @Parameter(description = "The `next` of the previous page; not together with `page`")
            @RequestParam(required = false) String cursor,
            @Parameter(description = "`estimate` (exact up to " + AgentListing.EXACT_TOTAL_UP_TO + " matches) or `exact` (counts every match)",
                    schema = @Schema(allowableValues = {"estimate", "exact"}))
            @RequestParam(name = "total", defaultValue = "estimate") String total) {
        AgentStatus filter = null;
        if (status != null) {
            filter = AgentStatus.of(status).orElseThrow(() -> AgentProblems.invalid(
                    Map.of("status", "must be one of created, starting, running, stopped, error, hibernated")));
        }
        if (cursor != null && page != null) {
            throw AgentProblems.invalid(Map.of("cursor", "give either cursor or page, not both"));
        }
        if (!total.equals("estimate") && !total.equals("exact")) {
            throw AgentProblems.invalid(Map.of("total", "must be estimate or exact"));
        }
        return ResponseEntity.ok(agents.list(filter, page, cursor, size, total.equals("exact")));
    }

    // The body is the agent's JSON as cached (bytes, not a view to encode again); the docs name its schema.
    // The ETag and the If-None-Match check go through the request (Spring's checkNotModified, as a
    // ResponseEntity's do), and the bytes go to the response as they are: the mapping's produces has already
    // refused an Accept that rules JSON out, so a message converter would only decide again what is decided
    // (negotiation, the Content-Disposition check, headers copied through HttpHeaders), about a sixth of a
    // cached GET's samples. Tomcat sends no body for HEAD and keeps the Content-Length.
    @GetMapping(path = "/{agentId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getAgent", summary = "Read one agent; the `ETag` is its version",
            description = "With `If-None-Match` naming the current ETag the answer is 304 without a body.")
    @ApiResponse(responseCode = "200", description = "The agent",
            headers = @Header(name = "ETag", required = true, description = "The agent's version", schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AgentView.class)))
    @ApiResponse(responseCode = "304", description = "Not modified: `If-None-Match` names the current ETag",
            headers = @Header(name = "ETag", required = true, description = "The agent's version", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such agent")
    @Parameter(in = ParameterIn.HEADER, name = "If-None-Match", description = "An ETag from an earlier read", schema = @Schema(type = "string"))
    public void get(@PathVariable String agentId, WebRequest request, HttpServletResponse response) throws IOException {
        AgentJson agent = agents.read(agentId);
        // sets the ETag; true when If-None-Match names it, and then the answer is 304 without a body
        if (request.checkNotModified(etag(agent.view()))) {
            return;
        }
        byte[] body = agent.bytes();
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    @PatchMapping(path = "/{agentId}", consumes = {MediaType.APPLICATION_JSON_VALUE, JSON_MERGE_PATCH},
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "updateAgent", summary = "Change config, viewport or headless",
            description = "Send `If-Match` with the ETag from a read (or `version` in the body) to refuse lost updates.")
    @ApiResponse(responseCode = "200", description = "The changed agent",
            headers = @Header(name = "ETag", required = true, description = "The agent's new version", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such agent")
    @ApiResponse(responseCode = "409", description = "Body `version` is stale, or a concurrent update won")
    @ApiResponse(responseCode = "412", description = "`If-Match` does not match the current ETag")
    public ResponseEntity<AgentView> update(@PathVariable String agentId, @Valid @RequestBody UpdateAgentRequest request,
                                     @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        Long expected = null;
        if (ifMatch != null && !ifMatch.isBlank() && !ifMatch.trim().equals("*")) {
            expected = parseEtag(ifMatch).orElse(-1L);
        }
        AgentView agent = agents.update(agentId, request, expected);
        return ResponseEntity.ok().eTag(etag(agent)).body(agent);
    }

    @DeleteMapping(path = "/{agentId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "deleteAgent", summary = "Stop and delete an agent (soft delete; its audit history remains)")
    @ApiResponse(responseCode = "200", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No such agent (or already deleted)")
    public ResponseEntity<AgentResponses.Deleted> delete(@PathVariable String agentId) {
        agents.delete(agentId);
        return ResponseEntity.status(HttpStatus.OK).body(new AgentResponses.Deleted(agentId));
    }

    @PostMapping(path = "/{agentId}/actions", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.IMAGE_PNG_VALUE, MediaType.APPLICATION_PDF_VALUE})
    @Operation(operationId = "runAgentAction", summary = "Run one action in the agent's browser",
            description = "Body: {\"type\": \"navigate\", \"url\": ...} | click {selector} | fill {selector, value} | "
                    + "press {selector, key} | wait_for {selector, state?, timeout_ms?} | text {selector?} | content | "
                    + "snapshot {selector?, depth?} (the accessibility tree in Playwright's ARIA snapshot YAML, at most 64 Ki characters) | "
                    + "screenshot {full_page?} | pdf | the other element, history and viewport actions (hover, fill_form, select_option, "
                    + "type, press_key, drag, navigate_back, navigate_forward, resize) | tabs {action, index?, url?} | "
                    + "handle_dialog {accept, prompt_text?} | console_messages | network_requests | cookies {action, cookies?} | "
                    + "storage_state | file_upload {selector, files} | evaluate {script} (only where BROWSER_ALLOW_EVALUATE is on): "
                    + "each action's schema has its fields. Every result carries the page's url and title. A stopped browser "
                    + "is relaunched first. Screenshots and PDFs come base64 in JSON, or raw when the client prefers "
                    + "`image/png` or `application/pdf` to JSON in `Accept` (by q-value, then by order). Results are bounded: "
                    + "each is measured in the page (or read in chunks) before it is pulled in, and one over its limit answers 422.")
    @ApiResponse(responseCode = "200", description = "Done: the result of the action's `type`", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AgentResponses.ActionDone.class)),
            @Content(mediaType = MediaType.IMAGE_PNG_VALUE, schema = @Schema(type = "string", format = "binary")),
            @Content(mediaType = MediaType.APPLICATION_PDF_VALUE, schema = @Schema(type = "string", format = "binary"))})
    @ApiResponse(responseCode = "400", description = "Malformed JSON, an unknown action `type`, or a field the action needs is missing or invalid")
    @ApiResponse(responseCode = "403", description = "Navigation refused (scheme, denied or private address)")
    @ApiResponse(responseCode = "404", description = "No such agent")
    @ApiResponse(responseCode = "409", description = "Agent busy with another action, or not running and not restartable")
    @ApiResponse(responseCode = "422", description = "Selector not found, an action that cannot run (e.g. pdf when headed), "
            + "or a result over its limit (`urn:agent-api:problem:browser-result-too-large`; the detail names the limit): "
            + "text and snapshot 5 MB, content 5 MB, screenshot and pdf 20 MB, a full page at most 4096 × 16384 px by default")
    @ApiResponse(responseCode = "502", description = "Navigation failed")
    @ApiResponse(responseCode = "503", description = "No browser capacity (every browser slot is in use), other large results "
            + "are being pulled in right now, or the database is unavailable; retry after `Retry-After` seconds")
    @ApiResponse(responseCode = "504", description = "The action timed out")
    public ResponseEntity<?> act(@PathVariable String agentId, @Valid @RequestBody BrowserAction action,
                                 @Parameter(hidden = true) @RequestHeader(name = "Accept", required = false) String accept) {
        ActionResult result = agents.act(agentId, action);
        if (result.data() != null && prefersRaw(accept, MediaType.parseMediaType(result.mediaType()))) {
            return ResponseEntity.ok().contentType(MediaType.parseMediaType(result.mediaType())).body(result.data());
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(AgentResponses.ActionDone.of(agentId, action, result));
    }

    /**
     * Whether the client ranks the result's own media type above JSON: by q-value, then by the order it lists
     * them ({@code image/png} alone or first gets the PNG; a generated client listing every type the operation
     * produces, JSON first, gets JSON; {@code *}{@code /*} gets JSON).
     */
    static boolean prefersRaw(String accept, MediaType raw) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        List<MediaType> accepted;
        try {
            accepted = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException unreadable) {
            return false;
        }
        Preference forRaw = Preference.of(accepted, raw);
        Preference forJson = Preference.of(accepted, MediaType.APPLICATION_JSON);
        if (forRaw.quality() != forJson.quality()) {
            return forRaw.quality() > forJson.quality();
        }
        return forRaw.quality() > 0 && forRaw.position() < forJson.position();
    }

    /** How much a client wants a media type (the best q of the ranges including it) and where it first lists it. */
    private record Preference(double quality, int position) {
        static Preference of(List<MediaType> accepted, MediaType type) {
            double quality = 0;
            int position = Integer.MAX_VALUE;
            for (int i = 0; i < accepted.size(); i++) {
                if (accepted.get(i).includes(type)) {
                    quality = Math.max(quality, accepted.get(i).getQualityValue());
                    position = Math.min(position, i);
                }
            }
            return new Preference(quality, position);
        }
    }

    private static String etag(AgentView agent) {
        return "\"" + agent.version() + "\"";
    }

    private static java.util.Optional<Long> parseEtag(String header) {
        String value = header.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        value = value.replace("\"", "");
        try {
            return java.util.Optional.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }
}
