package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.replica.ReplicaIdentity;
import dev.agentapi.replica.ReplicaPort;
import dev.agentapi.replica.ReplicaSignature;
import dev.agentapi.security.Actor;
import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import dev.agentapi.support.TestKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The replica routes have a port of their own (REPLICA_PORT): there a signed forward is served, and nothing else is;
 * on the main port (the one the Service publishes) the replica routes do not exist, however the path is spelled.
 */
@IntegrationTest
class ReplicaPortTest {

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    ReplicaPort replicaPort;
    @Autowired
    ReplicaIdentity identity;
    @Autowired
    ReplicaSignature signature;
    @Autowired
    AgentForwarding forwarding;

    @Test
    void aSignedForwardIsServedOnTheReplicaPortAndNotOnTheMainPort() {
        Api admin = new Api(port, TestKeys.ADMIN);
        String id = "replica-port-" + UUID.randomUUID();
        assertThat(admin.post("/api/agents/browser", Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);
        String path = ReplicaSignature.PATH_PREFIX + "agents/" + id;

        Api.Response onMain = delete(port, path, signed(path));
        assertThat(onMain.status()).as("a replica route on the main port: %s", onMain).isEqualTo(404);
        assertThat(onMain.header("Content-Type")).isEqualTo("application/problem+json");
        for (String spelling : new String[] {"/%69nternal/replica/agents/" + id, "//internal/replica/agents/" + id,
                "/internal/./replica/agents/" + id, "/internal/replica"}) {
            assertThat(delete(port, spelling, signed(path)).status()).as(spelling).isEqualTo(404);
        }
        assertThat(admin.get("/api/agents/browser/" + id).status()).as("the agent is still there").isEqualTo(200);

        assertThat(delete(replicaPort.localPort(), path, Map.of()).status()).as("unsigned, on the replica port").isEqualTo(401);
        Api.Response served = delete(replicaPort.localPort(), path, signed(path));
        assertThat(served.status()).as(served.toString()).isEqualTo(200);
        assertThat(admin.get("/api/agents/browser/" + id).status()).as("deleted by the forward").isEqualTo(404);
    }

    @Test
    void thePublicRoutesAreNotServedOnTheReplicaPort() {
        Api admin = new Api(replicaPort.localPort(), TestKeys.ADMIN);
        for (String path : new String[] {"/api/agents/browser", "/health/live", "/health/ready", "/api/agents/health/ready",
                "/v3/api-docs", "/actuator/health", "/mcp", "/error", "/"}) {
            Api.Response answer = admin.get(path);
            assertThat(answer.status()).as("%s on the replica port: %s", path, answer).isEqualTo(404);
        }
        assertThat(new Api(port, TestKeys.ADMIN).get("/api/agents/browser").status()).as("on the main port").isEqualTo(200);
    }

    @Test
    void theReplicaAdvertisesItsReplicaPort() {
        assertThat(replicaPort.localPort()).isPositive().isNotEqualTo(port).isNotEqualTo(managementPort);
        assertThat(identity.advertisedUrl()).endsWith(":" + replicaPort.localPort());
    }

    /** Signed as another replica would, for this one, acting for an admin (whoever owns the agent). */
    private Map<String, String> signed(String path) {
        String actor = forwarding.encodeActor(new Actor("key:admin", null, "127.0.0.1", null, true));
        return signature.sign("DELETE", path, "test/1/x", identity.id(), actor, new byte[0]);
    }

    private static Api.Response delete(int port, String rawPath, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + rawPath)).DELETE();
        headers.forEach(request::header);
        return Api.anonymous(port).send(request);
    }
}
