package dev.agentapi.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import org.springframework.beans.factory.BeanCreationNotAllowedException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /mcp}: the MCP Streamable HTTP transport in its stateless form, as a Spring MVC route. Each
 * POST carries one JSON-RPC message and answers in JSON, so there is no session to keep or share
 * between replicas, and the request passes the same filters as any REST call (authentication, rate
 * limits, body limit, request ids, observations) and is served on its own thread, where the caller's
 * security context is. GET (a server-to-client stream) is not offered: 405, as the transport allows.
 * <p>
 * The SDK's server does the protocol (initialize, tools/list, tools/call, resources/templates/list); this class only
 * moves messages, except resources/list and resources/read, whose answers depend on the caller ({@link McpResources}). A body that is no JSON-RPC message is refused here with a 400 problem, before the SDK sees it.
 */
@RestController
@Hidden
class McpEndpoint implements McpStatelessServerTransport {

    static final String PATH = "/mcp";
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(McpEndpoint.class);

    private final McpJsonMapper json;
    /** Builds the SDK's server, which hands this transport its handler ({@link #setMcpHandler}). */
    private final Runnable server;
    /** resources/list and resources/read, which depend on the caller (the SDK's list is one for everybody). */
    private final McpResources resources;
    private volatile McpStatelessServerHandler handler;
    private volatile boolean closing;

    McpEndpoint(McpJsonMapper json, Runnable server, McpResources resources) {
        this.json = json;
        this.server = server;
        this.resources = resources;
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.handler = handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> closing = true);
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> message(@RequestBody String body, HttpServletRequest servletRequest, HttpServletResponse servletResponse)
            throws IOException {
        McpStatelessServerHandler handler = handler();
        McpSchema.JSONRPCMessage message = parse(body);
        if (message instanceof McpSchema.JSONRPCRequest request) {
            if (McpResources.answers(request.method())) {
                return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsString(resources.handle(request)));
            }
            McpProgress progress = progress(request, servletRequest, servletResponse);
            McpTransportContext context = progress == null ? McpTransportContext.EMPTY
                    : McpTransportContext.create(Map.of(McpProgress.KEY, progress));
            McpSchema.JSONRPCResponse response;
            try {
                response = handler.handleRequest(context, request)
                        .contextWrite(c -> c.put(McpTransportContext.KEY, context))
                        .block();
            } catch (RuntimeException unreadable) {
                // the SDK reads a method's params before its own error handling starts (e.g. arguments: [1])
                log.debug("MCP {} refused: {}", request.method(), unreadable.toString());
                response = error(request, McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid params for " + request.method());
            }
            McpSchema.JSONRPCResponse answer = answer(request, response);
            if (progress != null && progress.finish(answer)) {
                return null; // answered as the last event of the stream its progress opened
            }
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsString(answer));
        }
        if (message instanceof McpSchema.JSONRPCNotification notification) {
            handler.handleNotification(McpTransportContext.EMPTY, notification)
                    .contextWrite(c -> c.put(McpTransportContext.KEY, McpTransportContext.EMPTY))
                    .block();
        }
        // notifications and responses (this server asks clients nothing) are accepted without an answer
        return ResponseEntity.accepted().build();
    }

    /**
     * Where a {@code tools/call}'s progress goes, when it carries {@code _meta.progressToken} and its client takes an
     * event stream as the answer; null otherwise.
     */
    private McpProgress progress(McpSchema.JSONRPCRequest request, HttpServletRequest servletRequest, HttpServletResponse servletResponse) {
        if (!McpSchema.METHOD_TOOLS_CALL.equals(request.method())) {
            return null;
        }
        Object token = McpProgress.token(request);
        String accept = servletRequest.getHeader(org.springframework.http.HttpHeaders.ACCEPT);
        return token != null && accept != null && accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE)
                ? new McpProgress(servletResponse, json, token) : null;
    }

    /** The SDK server's handler, the server built on the first message; 503 once the server is closing. */
    private McpStatelessServerHandler handler() {
        if (handler == null && !closing) {
            try {
                server.run();
            } catch (BeanCreationNotAllowedException shuttingDown) {
                // the context is closing, so no bean may be created any more
                closing = true;
            }
        }
        McpStatelessServerHandler current = handler;
        if (closing || current == null) {
            throw problem(HttpStatus.SERVICE_UNAVAILABLE, "Unavailable", "The MCP server is shutting down");
        }
        return current;
    }

    /**
     * The SDK turns any other failure into an internal error carrying the exception's message (a
     * parser's words, class names); the client gets a fixed message instead, the log the details.
     */
    private static McpSchema.JSONRPCResponse answer(McpSchema.JSONRPCRequest request, McpSchema.JSONRPCResponse response) {
        if (response == null) {
            return error(request, McpSchema.ErrorCodes.INTERNAL_ERROR, "No answer");
        }
        if (response.error() != null && response.error().code() == McpSchema.ErrorCodes.INTERNAL_ERROR) {
            log.debug("MCP {} failed: {}", request.method(), response.error().message());
            return error(request, McpSchema.ErrorCodes.INTERNAL_ERROR,
                    "The request could not be handled; check its params against the method's schema");
        }
        return response;
    }

    private static McpSchema.JSONRPCResponse error(McpSchema.JSONRPCRequest request, int code, String message) {
        return McpSchema.JSONRPCResponse.error(request.id(), new McpSchema.JSONRPCResponse.JSONRPCError(code, message, null));
    }

    /** One JSON-RPC message, or a 400 problem saying what is wrong (never the parser's own words). */
    private McpSchema.JSONRPCMessage parse(String body) {
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, body);
        } catch (IOException | RuntimeException malformed) {
            throw invalid("The body is not a JSON-RPC 2.0 message (one object with jsonrpc, and method or result or error)");
        }
        if (!McpSchema.JSONRPC_VERSION.equals(message.jsonrpc())) {
            throw invalid("jsonrpc must be \"2.0\"");
        }
        if (message instanceof McpSchema.JSONRPCRequest request) {
            if (request.method() == null || request.method().isBlank()) {
                throw invalid("method must be a non-empty string");
            }
            if (!(request.id() instanceof String || request.id() instanceof Number)) {
                throw invalid("id must be a string or a number");
            }
        }
        if (message instanceof McpSchema.JSONRPCNotification notification
                && (notification.method() == null || notification.method().isBlank())) {
            throw invalid("method must be a non-empty string");
        }
        return message;
    }

    private static ErrorResponseException invalid(String detail) {
        ErrorResponseException e = problem(HttpStatus.BAD_REQUEST, "Malformed request", detail);
        e.getBody().setProperty("jsonrpc_error", Map.of("code", McpSchema.ErrorCodes.PARSE_ERROR));
        return e;
    }

    private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(URI.create("urn:agent-api:problem:mcp"));
        body.setTitle(title);
        return new ErrorResponseException(status, body, null);
    }
}
