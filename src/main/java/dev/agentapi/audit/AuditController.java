package dev.agentapi.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/audit")
@Tag(name = "Audit", description = "The append-only audit trail")
public class AuditController {

    /** PostgreSQL text cannot hold NUL, so a filter with one could never match and must not reach the database. */
    static final String NO_NUL = "[^\\x00]*";
    static final String NUL_MESSAGE = "must not contain NUL characters";

    private final AuditSearch search;

    public AuditController(AuditSearch search) {
        this.search = search;
    }

    @GetMapping
    @Operation(operationId = "listAuditEntries", summary = "List audit entries, newest first",
            description = "Filters combine with AND. `from` is inclusive, `to` exclusive (ISO-8601 instants).")
    @ApiResponse(responseCode = "200", description = "One page of entries")
    public AuditPage list(@RequestParam(name = "resource_type", required = false) @Size(max = 50) @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String resourceType,
                          @RequestParam(name = "resource_id", required = false) @Size(max = 255) @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String resourceId,
                          @RequestParam(name = "event_type", required = false) @Size(max = 100) @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String eventType,
                          @Parameter(description = "The full owner id, with its source: `key:alice` (an API key's owner), "
                                  + "`jwt:<issuer tag>:<subject>` (a token's principal), or `system` / `anonymous`")
                          @RequestParam(name = "user_id", required = false) @Size(max = 255) @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String userId,
                          @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                          @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                          @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
                          @RequestParam(defaultValue = "50") @Min(1) @Max(100) int size) {
        return search.find(new AuditQuery(resourceType, resourceId, eventType, userId, from, to, page, size));
    }
}
