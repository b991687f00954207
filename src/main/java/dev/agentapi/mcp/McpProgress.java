package dev.agentapi.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The progress of one {@code tools/call} whose client asked for it ({@code _meta.progressToken}) and takes an event
 * stream as the answer ({@code Accept: text/event-stream}). The SDK's stateless server has no way for a tool to send
 * a notification (a tool gets only the transport context, and the server answers each request with one message), so
 * {@link McpEndpoint}, the transport, puts this in that context, and {@link McpTools} sends through it while a call
 * runs. The answer turns into an event stream only with the first notification: a call that ends before one is sent
 * is answered with plain JSON, as every other request. Calls from the tool's thread and from the ticker's are
 * serialised here; a client that went away ends the notifications, not the call.
 */
final class McpProgress {

    /** Where it is in the transport context. */
    static final String KEY = "agent-api.progress";

    private final HttpServletResponse response;
    private final McpJsonMapper json;
    private final Object token;
    private boolean streaming;
    private boolean finished;

    McpProgress(HttpServletResponse response, McpJsonMapper json, Object token) {
        this.response = response;
        this.json = json;
        this.token = token;
    }

    /** The request's progress token, when it carries one (a string or a number in {@code params._meta}). */
    static Object token(McpSchema.JSONRPCRequest request) {
        if (request.params() instanceof Map<?, ?> params && params.get("_meta") instanceof Map<?, ?> meta) {
            Object token = meta.get("progressToken");
            return token instanceof String || token instanceof Number ? token : null;
        }
        return null;
    }

    /** Sends a {@code notifications/progress}; nothing once the call has been answered or the client has gone. */
    synchronized void send(double progress, Double total, String message) {
        if (finished) {
            return;
        }
        try {
            if (!streaming) {
                response.setStatus(HttpServletResponse.SC_OK);
                response.setContentType("text/event-stream");
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                response.setHeader("Cache-Control", "no-cache");
                streaming = true;
            }
            write(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, McpSchema.METHOD_NOTIFICATION_PROGRESS,
                    new McpSchema.ProgressNotification(token, progress, total, message)));
        } catch (IOException | RuntimeException gone) {
            finished = true; // the client went away: the call goes on, its answer is written nowhere
        }
    }

    /** Ends the call with its answer: true when it went out as the stream's last event, false when the caller answers JSON. */
    synchronized boolean finish(McpSchema.JSONRPCResponse answer) throws IOException {
        boolean streamed = streaming && !finished;
        finished = true;
        if (streamed) {
            write(answer);
        }
        return streamed || streaming;
    }

    private void write(Object message) throws IOException {
        response.getOutputStream().write(("event: message\ndata: " + json.writeValueAsString(message) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
    }
}
