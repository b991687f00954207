package dev.agentapi.fuzz;

import java.util.List;

/**
 * Every route the hostile-input fuzz tests aim at. A fuzz input names its route (the first line of a
 * raw request input); an unknown name picks one by hash, so the fuzzer reaches all of them. To cover a
 * new controller, add its routes here: the raw-request and body targets pick them up, and seed inputs
 * may name them. {@code {id}} in a path is replaced by the input's id segment, or by
 * {@link Route#defaultId()} when the input gives none.
 */
final class FuzzRoutes {

    /** An agent that exists for the whole run (created at start), so updates reach the database. */
    static final String TARGET = "fuzz-target";
    /** An agent that never exists: actions aimed here are parsed and validated, then answer 404, never launching a browser. */
    static final String ABSENT = "fuzz-absent";

    /** @param body whether the route reads a JSON body (the body target sends its inputs to every such route) */
    record Route(String name, String method, String path, String defaultId, boolean body) {
    }

    static final List<Route> ALL = List.of(
            new Route("agents.create", "POST", "/api/agents/browser", null, true),
            new Route("agents.list", "GET", "/api/agents/browser", null, false),
            new Route("agents.get", "GET", "/api/agents/browser/{id}", TARGET, false),
            new Route("agents.update", "PATCH", "/api/agents/browser/{id}", TARGET, true),
            new Route("agents.delete", "DELETE", "/api/agents/browser/{id}", ABSENT, false),
            new Route("agents.action", "POST", "/api/agents/browser/{id}/actions", ABSENT, true),
            new Route("audit.list", "GET", "/api/audit", null, false),
            new Route("tasks.create", "POST", "/api/agents/mcp/tasks", null, true),
            new Route("tasks.list", "GET", "/api/agents/mcp/tasks", null, false),
            new Route("tasks.get", "GET", "/api/agents/mcp/tasks/{id}", ABSENT, false),
            new Route("tasks.cancel", "POST", "/api/agents/mcp/tasks/{id}/cancel", ABSENT, false),
            new Route("tasks.claim", "POST", "/api/agents/mcp/tasks/claim", null, true),
            new Route("tasks.complete", "POST", "/api/agents/mcp/tasks/{id}/complete", ABSENT, true),
            new Route("tasks.fail", "POST", "/api/agents/mcp/tasks/{id}/fail", ABSENT, true),
            new Route("health.seed", "GET", "/api/agents/health", null, false),
            new Route("health.seed.ready", "GET", "/api/agents/health/ready", null, false),
            new Route("health.live", "GET", "/health/live", null, false),
            new Route("health.ready", "GET", "/health/ready", null, false),
            new Route("docs", "GET", "/v3/api-docs", null, false),
            new Route("mcp", "POST", "/mcp", null, true),
            new Route("mcp.metadata", "GET", "/.well-known/oauth-protected-resource", null, false),
            new Route("unknown", "GET", "/api/{id}", "nothing-here", false));

    private FuzzRoutes() {
    }

    /** The route of that name, or one picked by the name's hash. */
    static Route named(String name) {
        for (Route route : ALL) {
            if (route.name().equals(name)) {
                return route;
            }
        }
        return ALL.get(Math.floorMod(name.hashCode(), ALL.size()));
    }

    static List<Route> withBodies() {
        return ALL.stream().filter(Route::body).toList();
    }
}
