package dev.agentapi.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a tool answers: its result as JSON text (the REST route's body, snake_case), or, when it is
 * refused or fails, an error result carrying the problem's title and detail (and {@code errors},
 * field to message), as the REST route's problem would, never a stack trace.
 */
final class ToolResults {

    private final JsonMapper json;

    ToolResults(JsonMapper json) {
        this.json = json;
    }

    McpSchema.CallToolResult json(Object body) {
        return json(body, false);
    }

    /** The JSON body as the result, an error result when {@code error} (a call that ran but did not get what it asked for). */
    McpSchema.CallToolResult json(Object body, boolean error) {
        return McpSchema.CallToolResult.builder().addTextContent(json.writeValueAsString(body)).isError(error).build();
    }

    McpSchema.CallToolResult image(String base64Png, Object body) {
        return McpSchema.CallToolResult.builder()
                .addContent(McpSchema.ImageContent.builder(base64Png, "image/png").build())
                .addTextContent(json.writeValueAsString(body))
                .isError(false).build();
    }

    /** A binary result (a PDF) as an embedded resource, its bytes base64 in the blob, and the JSON body beside it. */
    McpSchema.CallToolResult resource(String uri, String mediaType, String base64, Object body) {
        return McpSchema.CallToolResult.builder()
                .addContent(new McpSchema.EmbeddedResource(null, new McpSchema.BlobResourceContents(uri, mediaType, base64)))
                .addTextContent(json.writeValueAsString(body))
                .isError(false).build();
    }

    McpSchema.CallToolResult problem(ErrorResponseException refused) {
        return problem(refused.getBody());
    }

    McpSchema.CallToolResult problem(ProblemDetail problem) {
        StringBuilder text = new StringBuilder();
        text.append(problem.getTitle() == null ? "Error" : problem.getTitle());
        if (problem.getDetail() != null) {
            text.append(": ").append(problem.getDetail());
        }
        Object errors = problem.getProperties() == null ? null : problem.getProperties().get("errors");
        if (errors instanceof Map<?, ?> fields && !fields.isEmpty()) {
            fields.forEach((field, message) -> text.append("\n").append(field).append(": ").append(message));
        }
        Map<String, Object> structured = new java.util.LinkedHashMap<>();
        structured.put("status", problem.getStatus());
        structured.put("title", problem.getTitle());
        structured.put("detail", problem.getDetail());
        if (errors != null) {
            structured.put("errors", errors);
        }
        return McpSchema.CallToolResult.builder().addTextContent(text.toString()).structuredContent(structured)
                .isError(true).build();
    }
}
