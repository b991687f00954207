package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.agentapi.audit.AuditRefusals;
import dev.agentapi.replica.ReplicaIdentity;
import dev.agentapi.replica.ReplicaSignature;
import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import dev.agentapi.support.ControllerSliceTest;
import dev.agentapi.support.TestKeys;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@link ReplicaAgentController}: no API key asked (the access rules leave {@code /internal/replica/**} to the
 * route), a request the signature does not verify is a 401 of its own, a verified one is served as the caller it
 * names. The signature, the forwarding codec and {@link AgentService} are mocks: {@code ReplicaSignature}'s
 * secret lives in the database ({@code AgentReplicasTest} signs for real).
 */
@ControllerSliceTest(ReplicaAgentController.class)
class ReplicaAgentControllerSliceTest {

    private static final String AGENTS = ReplicaSignature.PATH_PREFIX + "agents/";

    @Autowired
    MockMvc mvc;

    @Autowired
    CurrentActor currentActor;

    @MockitoBean
    AgentService agents;

    @MockitoBean
    ReplicaSignature signature;

    @MockitoBean
    AgentForwarding forwarding;

    @MockitoBean
    AuditRefusals refusals;

    @MockitoBean
    ReplicaIdentity self;

    @BeforeEach
    void thisReplica() {
        given(self.id()).willReturn("self");
    }

    @Test
    void anUnsignedRequestIsRefusedByTheRouteNotByTheApiKeyFilter() throws Exception {
        mvc.perform(delete(AGENTS + "a1"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:replica-signature"));
        org.mockito.Mockito.verify(refusals).count(org.mockito.ArgumentMatchers.eq("replica.bad_signature"),
                org.mockito.ArgumentMatchers.eq("route"), org.mockito.ArgumentMatchers.eq("DELETE " + AGENTS + "a1"),
                org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.any(),
                org.mockito.ArgumentMatchers.any());
        // an API key is no signature: even the admin's is refused here
        mvc.perform(delete(AGENTS + "a1").header("X-API-Key", TestKeys.ADMIN))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:replica-signature"));
        verifyNoInteractions(agents);
    }

    @Test
    void aSignedRequestIsServedAsTheCallerItNames() throws Exception {
        Actor alice = new Actor("alice", null, "10.0.0.7", "client", false);
        given(signature.verifyHeaders(eq("DELETE"), eq(AGENTS + "a1"), any(), eq("self")))
                .willReturn(Optional.of(new ReplicaSignature.Signed("encoded", ReplicaSignature.contentHash(new byte[0]))));
        given(forwarding.decodeActor("encoded")).willReturn(alice);
        AtomicReference<Actor> servedAs = new AtomicReference<>();
        willAnswer(call -> {
            servedAs.set(currentActor.get());
            return null;
        }).given(agents).deleteForwarded("a1");
        mvc.perform(delete(AGENTS + "a1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.success").value(true))
                .andExpect(jsonPath("$.agent_id").value("a1"));
        assertThat(servedAs.get()).isEqualTo(alice);
    }

    @Test
    void aSignedBodyThatIsNoActionIs400() throws Exception {
        given(signature.verifyHeaders(eq("POST"), eq(AGENTS + "a1/actions"), any(), eq("self"))).willReturn(Optional.of(
                new ReplicaSignature.Signed("encoded", ReplicaSignature.contentHash("{\"type\": \"teleport\"}".getBytes(StandardCharsets.UTF_8)))));
        given(forwarding.decodeActor("encoded")).willReturn(new Actor("alice", null, null, null, false));
        mvc.perform(post(AGENTS + "a1/actions").contentType(MediaType.APPLICATION_JSON).content("{\"type\": \"teleport\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.type").value("not a browser action"));
        verifyNoInteractions(agents);
    }

    @Test
    void aBodyOtherThanTheSignedOneIsRefused() throws Exception {
        given(signature.verifyHeaders(eq("POST"), eq(AGENTS + "a1/actions"), any(), eq("self"))).willReturn(Optional.of(
                new ReplicaSignature.Signed("encoded", ReplicaSignature.contentHash("{\"type\": \"content\"}".getBytes(StandardCharsets.UTF_8)))));
        given(forwarding.decodeActor("encoded")).willReturn(new Actor("alice", null, null, null, false));
        mvc.perform(post(AGENTS + "a1/actions").contentType(MediaType.APPLICATION_JSON).content("{\"type\": \"text\"}"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:replica-signature"));
        verifyNoInteractions(agents);
    }
}
