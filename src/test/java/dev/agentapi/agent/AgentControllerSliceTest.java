package dev.agentapi.agent;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.agentapi.browser.BrowserChannel;
import dev.agentapi.support.ControllerSliceTest;
import dev.agentapi.support.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/** {@link AgentController} behind the real security and problem handling; {@link AgentService} is a mock. */
@ControllerSliceTest(AgentController.class)
class AgentControllerSliceTest {

    private static final String AGENTS = "/api/agents/browser";

    @Autowired
    MockMvc mvc;

    @Autowired
    JsonMapper json;

    @MockitoBean
    AgentService agents;

    @Test
    void everyRouteNeedsAKey() throws Exception {
        mvc.perform(get(AGENTS))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().stringValues("WWW-Authenticate", "Bearer", "ApiKey header=\"X-API-Key\""))
                .andExpect(jsonPath("$.title").value("Unauthorized"));
        mvc.perform(post(AGENTS).header("X-API-Key", "not-a-key").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isUnauthorized());
        mvc.perform(get(AGENTS + "/a1").header("Authorization", "Bearer not-a-key"))
                .andExpect(status().isUnauthorized());
        verifyNoInteractions(agents);
    }

    @Test
    void createAnswers201WithLocationETagAndTheSeedsShape() throws Exception {
        given(agents.create(any())).willReturn(agent("bot-1", 3));
        mvc.perform(post(AGENTS).header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"agent_id\": \"bot-1\", \"channel\": \"chromium\", \"viewport\": {\"width\": 800, \"height\": 600}}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/agents/browser/bot-1"))
                .andExpect(header().string("ETag", "\"3\""))
                .andExpect(header().string("X-Request-Id", not(emptyOrNullString())))
                .andExpect(header().string("X-RateLimit-Limit", "10"))
                .andExpect(jsonPath("$.success").value(true))
                .andExpect(jsonPath("$.agent_id").value("bot-1"))
                .andExpect(jsonPath("$.status").value("running"))
                .andExpect(jsonPath("$.persisted").value(true))
                .andExpect(jsonPath("$.agent.viewport.width").value(800))
                .andExpect(jsonPath("$.agent.created_by").value("alice"));
        then(agents).should().create(new CreateAgentRequest("bot-1", "chromium", null, null, new ViewportRequest(800, 600), null));
    }

    @Test
    void aCreatesLaunchChoiceReachesTheServiceAndMustBeABoolean() throws Exception {
        given(agents.create(any())).willReturn(agent("bot-2", 1));
        mvc.perform(post(AGENTS).header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"agent_id\": \"bot-2\", \"launch\": false}"))
                .andExpect(status().isCreated());
        then(agents).should().create(new CreateAgentRequest("bot-2", null, null, null, null, null, false));
        mvc.perform(post(AGENTS).header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"agent_id\": \"bot-3\", \"launch\": [true]}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        then(agents).should(org.mockito.Mockito.times(1)).create(any()); // the refused body never reached it
    }

    @Test
    void aBodyBreakingItsConstraintsIs400WithFieldErrors() throws Exception {
        mvc.perform(post(AGENTS).header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"agent_id\": \"no spaces allowed\", \"channel\": \"netscape\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:validation"))
                .andExpect(jsonPath("$.errors.agent_id").value(containsString("must match")))
                .andExpect(jsonPath("$.errors.channel").value("must be one of msedge, chrome, chromium"));
        mvc.perform(post(AGENTS).header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"agentId\": \"bot-1\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.agentId").value("is not a known field"));
        mvc.perform(post(AGENTS).header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"agent_id\": "))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("The request body is not valid JSON"));
        verifyNoInteractions(agents);
    }

    @Test
    void contentTypeAndAcceptAreNegotiatedAsProblems() throws Exception {
        mvc.perform(post(AGENTS).header("X-API-Key", TestKeys.ALICE).contentType(MediaType.TEXT_PLAIN).content("{}"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(post(AGENTS).header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .accept(MediaType.TEXT_HTML).content("{}"))
                .andExpect(status().isNotAcceptable());
        mvc.perform(get(AGENTS).header("X-API-Key", TestKeys.ALICE).header("Accept", "not a media type"))
                .andExpect(status().isNotAcceptable())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        verifyNoInteractions(agents);
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        byte[] body = ("{\"config\": {\"x\": \"" + "a".repeat(1024 * 1024) + "\"}}").getBytes(StandardCharsets.UTF_8);
        mvc.perform(post(AGENTS).header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isContentTooLarge())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        verifyNoInteractions(agents);
    }

    @Test
    void serviceRefusalsAreProblems() throws Exception {
        given(agents.create(any())).willThrow(AgentProblems.alreadyExists("bot-1"));
        mvc.perform(post(AGENTS).header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"agent_id\": \"bot-1\"}"))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:agent-exists"));
        given(agents.read("gone")).willThrow(AgentProblems.notFound("gone"));
        mvc.perform(get(AGENTS + "/gone").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:agent-not-found"))
                .andExpect(jsonPath("$.error").value("Agent not found"));
        given(agents.update(eq("bot-1"), any(), eq(2L))).willThrow(AgentProblems.preconditionFailed("bot-1", 3));
        mvc.perform(patch(AGENTS + "/bot-1").header("X-API-Key", TestKeys.ALICE).header("If-Match", "\"2\"")
                        .contentType(MediaType.APPLICATION_JSON).content("{\"headless\": false}"))
                .andExpect(status().isPreconditionFailed())
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:precondition-failed"));
    }

    @Test
    void getAnswersTheCachedBytesWithAnETagAndHonoursIfNoneMatch() throws Exception {
        AgentView view = agent("bot-1", 5);
        byte[] bytes = json.writeValueAsBytes(view);
        given(agents.read("bot-1")).willReturn(new AgentJson(view, new String(bytes, StandardCharsets.UTF_8), bytes));
        mvc.perform(get(AGENTS + "/bot-1").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"5\""))
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(content().bytes(bytes));
        mvc.perform(get(AGENTS + "/bot-1").header("X-API-Key", TestKeys.ALICE).header("If-None-Match", "\"5\""))
                .andExpect(status().isNotModified())
                .andExpect(content().bytes(new byte[0]));
    }

    @Test
    void patchPassesIfMatchAsTheExpectedVersionAndAnswersTheNewETag() throws Exception {
        given(agents.update(eq("bot-1"), any(), eq(4L))).willReturn(agent("bot-1", 5));
        mvc.perform(patch(AGENTS + "/bot-1").header("X-API-Key", TestKeys.ALICE).header("If-Match", "W/\"4\"")
                        .contentType("application/merge-patch+json").content("{\"config\": {\"k\": 1}}"))
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"5\""))
                .andExpect(jsonPath("$.agent_id").value("bot-1"))
                .andExpect(jsonPath("$.version").value(5));
    }

    @Test
    void listParametersAreValidatedBeforeTheService() throws Exception {
        mvc.perform(get(AGENTS).param("size", "0").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors.size").exists());
        mvc.perform(get(AGENTS).param("status", "sleeping").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.status").value("must be one of created, starting, running, stopped, error, hibernated"));
        mvc.perform(get(AGENTS).param("page", "1").param("cursor", "abc").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.cursor").value("give either cursor or page, not both"));
        mvc.perform(get(AGENTS).param("page", "two").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.page").value("must be a valid integer"));
        verifyNoInteractions(agents);
    }

    @Test
    void listAndDeleteAnswerTheSeedsShape() throws Exception {
        given(agents.list(eq(AgentStatus.RUNNING), eq(null), eq(null), anyInt(), anyBoolean()))
                .willReturn(new AgentResponses.Listing(List.of(), 0, 0, 20, 0, true, null));
        mvc.perform(get(AGENTS).param("status", "running").header("X-API-Key", TestKeys.BOB))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.agents").isArray())
                .andExpect(jsonPath("$.total_exact").value(true))
                .andExpect(jsonPath("$.size").value(20));
        mvc.perform(delete(AGENTS + "/bot-1").header("X-API-Key", TestKeys.BOB))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.success").value(true))
                .andExpect(jsonPath("$.agent_id").value("bot-1"));
        then(agents).should().delete("bot-1");
    }

    private static AgentView agent(String id, long version) {
        Instant now = Instant.parse("2026-01-02T03:04:05Z");
        return new AgentView(id, AgentStatus.RUNNING, null, BrowserChannel.CHROMIUM, BrowserChannel.CHROMIUM, true,
                Map.of(), new AgentView.Viewport(800, 600), null, "alice", now, now, 0, 0, null, version);
    }
}
