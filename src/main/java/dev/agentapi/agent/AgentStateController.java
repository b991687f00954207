package dev.agentapi.agent;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** An agent's saved browser state: download, replace, forget (owner or admin). */
@RestController
@RequestMapping("/api/agents/browser/{agentId}/state")
@Tag(name = "Browser agents")
public class AgentStateController {

    private final AgentStateService states;

    AgentStateController(AgentStateService states) {
        this.states = states;
    }

    // the body holds session cookies: no cache on the way may keep it
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getAgentState", summary = "Download the agent's saved browser state",
            description = "Cookies and localStorage per origin (Playwright's storage state, in snake_case), the open tabs' "
                    + "URLs, the active tab, the viewport and each tab's sessionStorage (for its origin), as saved when its browser last stopped (idle, service "
                    + "restart) or at the last periodic save; `state` is null when none is saved. `last_skipped` reports a "
                    + "save skipped for being over the cap. The state holds the agent's logins: treat it as a secret.")
    @ApiResponse(responseCode = "200", description = "What is kept of the agent's state")
    @ApiResponse(responseCode = "404", description = "No such agent")
    public ResponseEntity<AgentStateView> get(@PathVariable String agentId) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(states.read(agentId));
    }

    @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "replaceAgentState", summary = "Replace the agent's saved browser state",
            description = "The agent's browser starts from this state at its next launch (after an idle stop, a restart, "
                    + "or on another replica); a browser running now keeps its own until then, and its periodic saves do "
                    + "not overwrite the state put here. At most `max_size_bytes` as JSON (and the 1 MiB request body limit).")
    @ApiResponse(responseCode = "200", description = "Stored")
    @ApiResponse(responseCode = "400", description = "The state breaks its schema (`errors` names each field)")
    @ApiResponse(responseCode = "404", description = "No such agent")
    @ApiResponse(responseCode = "409", description = "The agent's config says \"persist_state\": false")
    @ApiResponse(responseCode = "413", description = "The state is over the cap (`urn:agent-api:problem:state-too-large`), or the body over 1 MiB")
    @ApiResponse(responseCode = "415", description = "Body is not application/json")
    public ResponseEntity<AgentStateView> replace(@PathVariable String agentId, @Valid @RequestBody ReplaceStateRequest request) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(states.replace(agentId, request.state()));
    }

    @DeleteMapping
    @Operation(operationId = "deleteAgentState", summary = "Forget the agent's saved browser state",
            description = "Its next launch starts blank; a browser running now saves its state again at the next periodic save.")
    @ApiResponse(responseCode = "204", description = "Forgotten (or there was none)")
    @ApiResponse(responseCode = "404", description = "No such agent")
    public ResponseEntity<Void> delete(@PathVariable String agentId) {
        states.delete(agentId);
        return ResponseEntity.noContent().build();
    }
}
