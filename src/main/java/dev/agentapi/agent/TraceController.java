package dev.agentapi.agent;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Recordings of an agent's browser: a Playwright trace, started and stopped on demand, and the last one downloaded. */
@RestController
@RequestMapping("/api/agents/browser/{agentId}/trace")
@Tag(name = "Browser agents")
public class TraceController {

    static final String ZIP = "application/zip";

    private final AgentTraces traces;

    TraceController(AgentTraces traces) {
        this.traces = traces;
    }

    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "startAgentTrace", summary = "Start recording a Playwright trace of the agent's browser",
            description = "Records screenshots, DOM snapshots and network of every page of the agent's browser context until "
                    + "stopped (`DELETE .../trace`), or until the browser closes (then the recording is lost). Recording starts no "
                    + "browser: run an action first. Not an action (neither counted nor charged); audited (`agent.trace.started`). "
                    + "Served only by the replica running the agent's browser.")
    @ApiResponse(responseCode = "200", description = "Recording")
    @ApiResponse(responseCode = "404", description = "No such agent")
    @ApiResponse(responseCode = "409", description = "It records already (`urn:agent-api:problem:trace-already-recording`; "
            + "`trace-recorded-by-task` with `task_id` when a traced task records it), it has no running browser (`agent-not-running`), or it runs on another replica (`agent-on-another-replica`)")
    public AgentTraces.TraceStatus start(@PathVariable String agentId) {
        return traces.start(agentId);
    }

    @DeleteMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "stopAgentTrace", summary = "Stop the agent's recording and store its trace",
            description = "Stores the trace zip as the agent's last trace (replacing the one before), for `GET .../trace`, kept for "
                    + "`agent-api.traces.retention` (default 7 days) and deleted with the agent. A zip larger than "
                    + "`agent-api.traces.max-size` (default 50 MB) is not stored. Audited (`agent.trace.stopped`, with "
                    + "`size_bytes` and `seconds`; never the content).")
    @ApiResponse(responseCode = "200", description = "Stopped and stored: `size_bytes`, `started_at`, `stopped_at`, `expires_at`")
    @ApiResponse(responseCode = "404", description = "No such agent")
    @ApiResponse(responseCode = "409", description = "It records nothing (`urn:agent-api:problem:trace-not-recording`: none was "
            + "started, or its browser closed since), the recording is a traced task's (`trace-recorded-by-task`, with `task_id`: "
            + "the task stops it), it has no running browser (`agent-not-running`), or it runs on another "
            + "replica (`agent-on-another-replica`)")
    @ApiResponse(responseCode = "422", description = "The trace is larger than the cap (`urn:agent-api:problem:trace-too-large`, "
            + "`size_bytes`, `max_bytes`); it was not stored")
    public AgentTraces.TraceStatus stop(@PathVariable String agentId) {
        return traces.stop(agentId);
    }

    @GetMapping(produces = ZIP)
    @Operation(operationId = "downloadAgentTrace", summary = "Download the agent's last trace (a zip for Playwright's trace viewer)",
            description = "Open it with `npx playwright show-trace trace.zip` or at https://trace.playwright.dev. The owner's "
                    + "or an admin's only.")
    @ApiResponse(responseCode = "200", description = "The trace zip",
            content = @Content(mediaType = ZIP, schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", description = "No such agent, or it has no stored trace "
            + "(`urn:agent-api:problem:trace-not-found`: none was recorded, or it expired)")
    public ResponseEntity<byte[]> download(@PathVariable String agentId) {
        AgentTraceStore.StoredTrace trace = traces.download(agentId);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(ZIP))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename("trace-" + agentId + ".zip").build().toString())
                .body(trace.data());
    }
}
