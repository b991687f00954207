package dev.agentapi.task;

import jakarta.validation.Valid;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/agents/mcp/tasks")
@Tag(name = "Task queue", description = "Queue tasks, follow them, cancel them; external workers claim and finish generic tasks")
public class TaskQueueController {

    static final String BASE = "/api/agents/mcp/tasks";

    private final TaskQueueService tasks;

    public TaskQueueController(TaskQueueService tasks) {
        this.tasks = tasks;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "queueTask", summary = "Queue a task",
            description = "Body: title, description?, task_type (generic | browser.actions), platform?, priority "
                    + "(low | medium | high | urgent), metadata?, payload?, max_attempts?, trace? (`browser.actions` only: record "
                    + "a Playwright trace of the run, `GET .../{id}/trace`). With an `Idempotency-Key` "
                    + "header, repeating the same request answers the task it created (200, `Idempotent-Replayed: true`); "
                    + "the same key with a different body answers 409. Each owner has a fair share of the queue: beyond "
                    + "`TASK_MAX_PENDING_PER_OWNER` pending tasks, or (for users) `TASK_MAX_URGENT_PER_OWNER` urgent ones "
                    + "pending or running, the answer is 429 with `Retry-After` and nothing is stored. A task runs at most "
                    + "`TASK_MAX_RUNTIME` over its attempts.")
    @ApiResponse(responseCode = "201", description = "Queued; `Location` names the task", headers = @Header(name = "Location", required = true, description = "The task's URL", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "200", description = "Replay of an earlier request with the same Idempotency-Key and body",
            headers = {@Header(name = "Location", required = true, description = "The task's URL", schema = @Schema(type = "string")),
                    @Header(name = "Idempotent-Replayed", required = true, description = "`true`: this answers an earlier request", schema = @Schema(type = "string", allowableValues = "true"))})
    @ApiResponse(responseCode = "409", description = "The Idempotency-Key was used for a different request")
    public ResponseEntity<TaskResponses.One> create(@Valid @RequestBody TaskRequests.Create request,
            @Parameter(description = "Makes a retry safe: the same key and body answer the task created first")
            @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        TaskQueueService.Created created = tasks.create(request, key);
        URI location = URI.create(BASE + "/" + created.task().id());
        if (created.replayed()) {
            return ResponseEntity.ok().location(location).header("Idempotent-Replayed", "true")
                    .body(new TaskResponses.One(created.task()));
        }
        return ResponseEntity.created(location).body(new TaskResponses.One(created.task()));
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listTasks", summary = "List the caller's tasks (every task, for an admin), newest first")
    @ApiResponse(responseCode = "200", description = "One page of tasks")
    public TaskResponses.Listing list(
            @Parameter(schema = @Schema(allowableValues = {"pending", "running", "completed", "failed", "cancelled"}))
            @RequestParam(required = false) String status,
            @Parameter(schema = @Schema(allowableValues = {"low", "medium", "high", "urgent"}))
            @RequestParam(required = false) String priority,
                                      @RequestParam(name = "task_type", required = false) String taskType,
                                      @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
                                      @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        TaskStatus statusFilter = status == null ? null : TaskStatus.of(status).orElseThrow(() -> TaskProblems.invalid(
                Map.of("status", "must be one of pending, running, completed, failed, cancelled")));
        TaskPriority priorityFilter = priority == null ? null : TaskPriority.of(priority).orElseThrow(() -> TaskProblems.invalid(
                Map.of("priority", "must be one of low, medium, high, urgent")));
        if (taskType != null && (taskType.length() > 100 || taskType.chars().anyMatch(Character::isISOControl))) {
            throw TaskProblems.invalid(Map.of("task_type", "must be a task type"));
        }
        return tasks.list(new TaskFilter(statusFilter, priorityFilter, taskType), page, size);
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getTask", summary = "Read one task")
    @ApiResponse(responseCode = "200", description = "The task")
    @ApiResponse(responseCode = "404", description = "No such task (or another user's)")
    public TaskResponses.One get(@PathVariable String id) {
        return new TaskResponses.One(tasks.get(id));
    }

    @GetMapping(path = "/{id}/result/{step}")
    @Operation(operationId = "getTaskStepResult", summary = "A step's binary result (screenshot, PDF, page HTML, long text) in its own media type",
            description = "`result.steps[n].attachment` of the task says which steps have one, `media_type` its type.")
    @ApiResponse(responseCode = "200", description = "The step's result, in the media type it was stored with", content = {
            @Content(mediaType = MediaType.IMAGE_PNG_VALUE, schema = @Schema(type = "string", format = "binary")),
            @Content(mediaType = MediaType.APPLICATION_PDF_VALUE, schema = @Schema(type = "string", format = "binary")),
            @Content(mediaType = MediaType.TEXT_HTML_VALUE, schema = @Schema(type = "string")),
            @Content(mediaType = MediaType.TEXT_PLAIN_VALUE, schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "404", description = "No such task, or the step has no attachment")
    public ResponseEntity<byte[]> result(@PathVariable String id, @PathVariable @Min(0) @Max(1_000_000) int step) {
        TaskQueue.Attachment attachment = tasks.attachment(id, step);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(attachment.mediaType())).body(attachment.data());
    }

    @GetMapping(path = "/{id}/trace", produces = "application/zip")
    @Operation(operationId = "downloadTaskTrace", summary = "Download the task's trace (a zip for Playwright's trace viewer)",
            description = "A task queued with `\"trace\": true` records a Playwright trace of its run, from before its first step "
                    + "to after its last (also when a step fails or the task is cancelled); a retry's trace replaces the last "
                    + "attempt's. `result.trace` (or `error.trace`) says whether it was kept. Open it with "
                    + "`npx playwright show-trace trace.zip` or at https://trace.playwright.dev. Kept for "
                    + "`agent-api.traces.retention` (default 7 days) and deleted with the task.")
    @ApiResponse(responseCode = "200", description = "The trace zip",
            content = @Content(mediaType = "application/zip", schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", description = "No such task (or another user's), or it has no stored trace "
            + "(`urn:agent-api:problem:task-trace-not-found`)")
    public ResponseEntity<byte[]> trace(@PathVariable String id) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/zip"))
                .header(org.springframework.http.HttpHeaders.CONTENT_DISPOSITION, org.springframework.http.ContentDisposition
                        .attachment().filename("trace-" + id + ".zip").build().toString())
                .body(tasks.trace(id));
    }

    @PostMapping(path = "/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "cancelTask", summary = "Cancel a task",
            description = "A pending task is cancelled at once (200); a running one is marked `cancel_requested` (202) "
                    + "and ends `cancelled` when its handler next yields.")
    @ApiResponse(responseCode = "200", description = "Cancelled")
    @ApiResponse(responseCode = "202", description = "Running; cancelled at its next yield")
    @ApiResponse(responseCode = "409", description = "Already completed, failed or cancelled")
    public ResponseEntity<TaskResponses.One> cancel(@PathVariable String id) {
        TaskView task = tasks.cancel(id);
        return ResponseEntity.status(task.status() == TaskStatus.CANCELLED ? HttpStatus.OK : HttpStatus.ACCEPTED)
                .body(new TaskResponses.One(task));
    }

    @PostMapping(path = "/claim", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "claimTask", summary = "External workers: claim the next generic task",
            description = "Body: task_type (generic), platform?. Answers the most urgent due task, taking turns between owners "
                    + "within a priority (the owner with the fewest tasks running first, then the oldest), never one of an "
                    + "owner who already runs `TASK_MAX_RUNNING_PER_OWNER` tasks; with a lease "
                    + "(`lease.token`, `lease.expires_at`); send the token to heartbeat, complete or fail. 204 when none is due.")
    @ApiResponse(responseCode = "200", description = "Claimed")
    @ApiResponse(responseCode = "204", description = "Nothing to do")
    public ResponseEntity<TaskResponses.Claimed> claim(@Valid @RequestBody TaskRequests.Claim request) {
        return tasks.claimExternal(request).map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.noContent().build());
    }

    @PostMapping(path = "/{id}/heartbeat", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "heartbeatTask", summary = "External workers: extend the lease; `task.cancel_requested` says whether to stop")
    @ApiResponse(responseCode = "200", description = "The lease, extended")
    @ApiResponse(responseCode = "409", description = "The lease is not held (expired and taken back, or a wrong token)")
    public TaskResponses.Claimed heartbeat(@PathVariable String id, @Valid @RequestBody TaskRequests.Heartbeat request) {
        return tasks.heartbeat(id, request.leaseToken());
    }

    @PostMapping(path = "/{id}/complete", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "completeTask", summary = "External workers: finish a claimed task with its result",
            description = "Body: lease_token, result?. A cancel asked for meanwhile wins: the task ends cancelled, result kept.")
    @ApiResponse(responseCode = "200", description = "The finished task")
    @ApiResponse(responseCode = "409", description = "The lease is not held")
    public TaskResponses.One complete(@PathVariable String id, @Valid @RequestBody TaskRequests.Complete request) {
        return new TaskResponses.One(tasks.completeExternal(id, request));
    }

    @PostMapping(path = "/{id}/fail", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "failTask", summary = "External workers: report a failed attempt",
            description = "Body: lease_token, error?, retry? (default true). Retried after a backoff while attempts remain, else failed.")
    @ApiResponse(responseCode = "200", description = "The task, pending a retry or failed")
    @ApiResponse(responseCode = "409", description = "The lease is not held")
    public TaskResponses.One fail(@PathVariable String id, @Valid @RequestBody TaskRequests.Fail request) {
        return new TaskResponses.One(tasks.failExternal(id, request));
    }
}
