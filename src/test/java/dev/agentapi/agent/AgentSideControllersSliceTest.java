package dev.agentapi.agent;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.agentapi.support.ControllerSliceTest;
import dev.agentapi.support.TestKeys;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The controllers of what an agent has besides its actions (saved state, traces, takeover, live view) behind the
 * real security and problem handling; the services behind them are mocks. Their end-to-end paths, with a browser,
 * are {@code AgentStateTest}, {@code TraceTest} and {@code LiveViewTest}.
 */
@ControllerSliceTest({AgentStateController.class, TraceController.class, TakeoverController.class, LiveViewController.class})
class AgentSideControllersSliceTest {

    private static final String AGENT = "/api/agents/browser/a1";
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final String STATE = "{\"state\": {\"storage_state\": {\"cookies\": [], \"origins\": []},"
            + " \"tabs\": [\"https://example.com/\"], \"active_tab\": 0}}";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    AgentStateService states;

    @MockitoBean
    AgentTraces traces;

    @MockitoBean
    Takeovers takeovers;

    @MockitoBean
    LiveViews views;

    @Test
    void everyRouteNeedsAKey() throws Exception {
        for (MockHttpServletRequestBuilder request : List.of(get(AGENT + "/state"),
                put(AGENT + "/state").contentType(MediaType.APPLICATION_JSON).content(STATE), delete(AGENT + "/state"),
                post(AGENT + "/trace"), delete(AGENT + "/trace"), get(AGENT + "/trace"),
                get(AGENT + "/takeover"), post(AGENT + "/takeover"), delete(AGENT + "/takeover"),
                post(AGENT + "/takeover/input").contentType(MediaType.APPLICATION_JSON).content("{\"type\": \"click\", \"x\": 1, \"y\": 1}"),
                get(AGENT + "/live").accept(MediaType.TEXT_EVENT_STREAM))) {
            mvc.perform(request)
                    .andExpect(status().isUnauthorized())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        }
        verifyNoInteractions(states, traces, takeovers, views);
    }

    @Test
    void aStateIsReadAndReplacedUncachedAndABrokenOneIs400BeforeTheService() throws Exception {
        given(states.read("a1")).willReturn(new AgentStateView("a1", true, NOW, "periodic", 120, 1_048_576, null, null));
        mvc.perform(get(AGENT + "/state").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isOk())
                .andExpect(header().string("Cache-Control", "no-store"))
                .andExpect(jsonPath("$.save_reason").value("periodic"))
                .andExpect(jsonPath("$.max_size_bytes").value(1_048_576));

        given(states.replace(eq("a1"), any())).willReturn(new AgentStateView("a1", true, NOW, "replaced", 90, 1_048_576, null, null));
        mvc.perform(put(AGENT + "/state").header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON).content(STATE))
                .andExpect(status().isOk())
                .andExpect(header().string("Cache-Control", "no-store"))
                .andExpect(jsonPath("$.save_reason").value("replaced"));
        then(states).should().replace(eq("a1"), any(SavedBrowserState.class));

        mvc.perform(put(AGENT + "/state").header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"state\": {\"storage_state\": {\"cookies\": [], \"origins\": []}, \"tabs\": [\"ftp://example.com/\"],"
                                + " \"active_tab\": 100}}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:validation"))
                .andExpect(jsonPath("$.errors['state.tabs[0]']").value("must be an http(s) URL"))
                .andExpect(jsonPath("$.errors['state.active_tab']").exists());
        mvc.perform(put(AGENT + "/state").header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.state").exists());
        mvc.perform(put(AGENT + "/state").header("X-API-Key", TestKeys.ALICE).contentType(MediaType.TEXT_PLAIN).content(STATE))
                .andExpect(status().isUnsupportedMediaType());
        then(states).should(org.mockito.Mockito.times(1)).replace(any(), any()); // the refused bodies never reached it

        mvc.perform(delete(AGENT + "/state").header("X-API-Key", TestKeys.ALICE)).andExpect(status().isNoContent());
        then(states).should().delete("a1");
        given(states.read("gone")).willThrow(AgentProblems.notFound("gone"));
        mvc.perform(get("/api/agents/browser/gone/state").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:agent-not-found"));
    }

    @Test
    void aTraceIsStartedStoppedAndDownloadedAsAZipAttachment() throws Exception {
        given(traces.start("a1")).willReturn(new AgentTraces.TraceStatus("a1", true, NOW, null, null, null));
        mvc.perform(post(AGENT + "/trace").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.recording").value(true));
        given(traces.stop("a1")).willThrow(TraceProblems.notRecording("a1"));
        mvc.perform(delete(AGENT + "/trace").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:trace-not-recording"));

        byte[] zip = {'P', 'K', 3, 4, 0, 0};
        given(traces.download("a1")).willReturn(new AgentTraceStore.StoredTrace(zip, NOW, NOW));
        mvc.perform(get(AGENT + "/trace").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isOk())
                .andExpect(content().contentType("application/zip"))
                .andExpect(header().string("Content-Disposition", "attachment; filename=\"trace-a1.zip\""))
                .andExpect(content().bytes(zip));
        given(traces.download("b2")).willThrow(TraceProblems.none("b2"));
        mvc.perform(get("/api/agents/browser/b2/trace").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:trace-not-found"));
    }

    @Test
    void takeoverInputIsCheckedAgainstItsConstraintsBeforeTheService() throws Exception {
        given(takeovers.take("a1")).willReturn(new Takeovers.HoldView("a1", "alice", NOW, 300));
        mvc.perform(post(AGENT + "/takeover").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.held_by").value("alice"))
                .andExpect(jsonPath("$.idle_timeout_seconds").value(300));

        mvc.perform(post(AGENT + "/takeover/input").header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"type\": \"click\", \"x\": 10, \"y\": 20, \"click_count\": 2}"))
                .andExpect(status().isNoContent());
        then(takeovers).should().input(eq("a1"), eq(new TakeoverInput("click", 10.0, 20.0, null, 2, null, null, null, null)));
        mvc.perform(post(AGENT + "/takeover/input").header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"type\": \"drag\", \"x\": -1, \"y\": 20, \"click_count\": 9}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:validation"))
                .andExpect(jsonPath("$.errors.type").value("must be one of click, move, wheel, key, type"))
                .andExpect(jsonPath("$.errors.x").exists())
                .andExpect(jsonPath("$.errors.click_count").exists());
        then(takeovers).should(org.mockito.Mockito.times(1)).input(any(), any());

        given(takeovers.release("a1")).willThrow(LiveViewProblems.notHolding("a1"));
        mvc.perform(delete(AGENT + "/takeover").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:agent-not-held"));
    }

    @Test
    void aLiveViewThatCannotStartIsAProblemNotAStream() throws Exception {
        given(views.watch("a1")).willThrow(LiveViewProblems.viewersPerAgent("a1", 3));
        mvc.perform(get(AGENT + "/live").header("X-API-Key", TestKeys.ALICE).accept(MediaType.TEXT_EVENT_STREAM))
                .andExpect(status().isTooManyRequests())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:live-viewers-per-agent"));
        given(views.watch("b2")).willThrow(LiveViewProblems.notRunning("b2"));
        mvc.perform(get("/api/agents/browser/b2/live").header("X-API-Key", TestKeys.ALICE).accept(MediaType.TEXT_EVENT_STREAM))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("no running browser")));
    }
}
