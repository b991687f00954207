package dev.agentapi.agent;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A person taking an agent over from its live view: its state (held? a person asked for?), a hold, inputs into its page, and the release. */
@RestController
@RequestMapping("/api/agents/browser/{agentId}/takeover")
@Tag(name = "Browser agents")
public class TakeoverController {

    private final Takeovers takeovers;

    TakeoverController(Takeovers takeovers) {
        this.takeovers = takeovers;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getAgentTakeover", summary = "Who holds the agent, and whether it waits for a person",
            description = "`held_by` and `held_since` name the person holding the agent (null: nobody). `human_request` is an AI "
                    + "client's request for a person (MCP tool `request_human`) while it waits: its `message`, who asked, since when, "
                    + "and when the request times out; null when none waits. A person answers it by taking the agent over and "
                    + "releasing it. Served by the replica running the agent's browser; with no browser running, nothing is held or asked.")
    @ApiResponse(responseCode = "200", description = "The agent's takeover state")
    @ApiResponse(responseCode = "404", description = "No such agent")
    @ApiResponse(responseCode = "409", description = "It runs on another replica (`urn:agent-api:problem:agent-on-another-replica`)")
    public Takeovers.TakeoverState state(@PathVariable String agentId) {
        return takeovers.state(agentId);
    }

    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "takeOverAgent", summary = "Take the agent over (hold it) to act in its page yourself",
            description = "While held, the agent's actions (REST, MCP, tasks) answer 409 `urn:agent-api:problem:agent-held-by-person` "
                    + "(or wait for the release first, with `agent-api.live.hold.actions: wait`). The hold ends on release, or after "
                    + "`idle_timeout_seconds` without input. Taking over again while holding answers the same hold. Audited "
                    + "(`agent.takeover.started`).")
    @ApiResponse(responseCode = "200", description = "Held by the caller")
    @ApiResponse(responseCode = "404", description = "No such agent")
    @ApiResponse(responseCode = "409", description = "Another person holds it (`agent-held-by-person`), it has no running browser "
            + "(`agent-not-running`), or it runs on another replica (`agent-on-another-replica`)")
    public Takeovers.HoldView take(@PathVariable String agentId) {
        return takeovers.take(agentId);
    }

    @PostMapping(path = "/input", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "sendAgentInput", summary = "Send one input (click, move, wheel, key, type) to the page of an agent you hold",
            description = "Points are viewport CSS pixels (a live-view frame's point × `viewport_width` / the frame's width). "
                    + "Not an action: neither counted nor audited one by one; the release counts them.")
    @ApiResponse(responseCode = "204", description = "Delivered to the page")
    @ApiResponse(responseCode = "400", description = "An unknown `type`, or a field the type needs is missing or out of range")
    @ApiResponse(responseCode = "404", description = "No such agent")
    @ApiResponse(responseCode = "409", description = "You do not hold the agent (`urn:agent-api:problem:agent-not-held`), or its browser stopped")
    @ApiResponse(responseCode = "422", description = "An unknown key name")
    public ResponseEntity<Void> input(@PathVariable String agentId, @Valid @RequestBody TakeoverInput input) {
        takeovers.input(agentId, input);
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "releaseAgent", summary = "Release the agent you hold (an admin may release anyone's hold)",
            description = "Audited (`agent.takeover.released`, with who held it, for how long, and how many inputs).")
    @ApiResponse(responseCode = "200", description = "Released")
    @ApiResponse(responseCode = "404", description = "No such agent")
    @ApiResponse(responseCode = "409", description = "No hold you may release (`urn:agent-api:problem:agent-not-held`)")
    public Takeovers.Released release(@PathVariable String agentId) {
        return takeovers.release(agentId);
    }
}
