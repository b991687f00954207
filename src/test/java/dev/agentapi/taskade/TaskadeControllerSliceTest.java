package dev.agentapi.taskade;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
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

/**
 * {@link TaskadeController} with its own advice ({@link TaskadeRequestProblems}, found by the slice as every
 * {@code @ControllerAdvice} is): refusals in the seed's envelope as well as problems. {@link TaskadeService} is a mock.
 */
@ControllerSliceTest(TaskadeController.class)
class TaskadeControllerSliceTest {

    private static final String TASKADE = "/api/agents/taskade";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    TaskadeService taskade;

    @Test
    void everyRouteNeedsAKey() throws Exception {
        mvc.perform(get(TASKADE)).andExpect(status().isUnauthorized());
        mvc.perform(post(TASKADE + "/projects").contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"x\"}"))
                .andExpect(status().isUnauthorized());
        verifyNoInteractions(taskade);
    }

    @Test
    void createProjectAnswers201WithLocationInTheSeedsEnvelope() throws Exception {
        given(taskade.createProject(any())).willReturn(new TaskadeViews.ProjectView("p1", "Launch", "Launch", null, "w1",
                "alice", Instant.parse("2026-01-02T03:04:05Z")));
        mvc.perform(post(TASKADE + "/projects").header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"title\": \"Launch\"}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", TASKADE + "/projects/p1/tasks"))
                .andExpect(jsonPath("$.success").value(true))
                .andExpect(jsonPath("$.project.id").value("p1"))
                .andExpect(jsonPath("$.project.workspace_id").value("w1"))
                .andExpect(jsonPath("$.project.description").doesNotExist())
                .andExpect(jsonPath("$.error").isEmpty());
    }

    @Test
    void aRefusedBodyAnswersInTheSeedsEnvelope() throws Exception {
        mvc.perform(post(TASKADE + "/projects").header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"description\": \"no title\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.success").value(false))
                .andExpect(jsonPath("$.error").value("title is required"))
                .andExpect(jsonPath("$.project").isEmpty())
                .andExpect(jsonPath("$.errors.title").value("is required"));
        mvc.perform(post(TASKADE + "/projects/p1/tasks").header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"title\": \"t\", \"priority\": \"someday\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.success").value(false))
                .andExpect(jsonPath("$.task").isEmpty())
                .andExpect(jsonPath("$.errors.priority").value("must be one of low, medium, high, urgent"));
        mvc.perform(post(TASKADE + "/projects").header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"title\": \"x\", \"colour\": \"red\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.colour").value("is not a known field"));
        mvc.perform(post(TASKADE + "/projects").header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("[1]"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value("The request body must be a JSON object"));
        verifyNoInteractions(taskade);
    }

    @Test
    void taskadeFailuresAreProblemsInTheSeedsEnvelope() throws Exception {
        given(taskade.tasks("p9")).willThrow(TaskadeProblems.notFound(TaskadeService.TASK, "Project", "p9"));
        mvc.perform(get(TASKADE + "/projects/p9/tasks").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:taskade-not-found"))
                .andExpect(jsonPath("$.success").value(false))
                .andExpect(jsonPath("$.error").value("Project not found"));
        given(taskade.workspaces()).willThrow(TaskadeProblems.of(
                TaskadeFailure.of(TaskadeFailure.Kind.NOT_CONFIGURED, "no key"), TaskadeService.WORKSPACES, null, null));
        mvc.perform(get(TASKADE).header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "60"))
                .andExpect(jsonPath("$.workspaces").isArray())
                .andExpect(jsonPath("$.error").value("Taskade is not configured"));
    }

    @Test
    void listsAnswerTheSeedsShape() throws Exception {
        given(taskade.projects(eq("w1"))).willReturn(List.of());
        mvc.perform(get(TASKADE + "/projects").param("workspace_id", "w1").header("X-API-Key", TestKeys.BOB))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.success").value(true))
                .andExpect(jsonPath("$.projects").isArray())
                .andExpect(jsonPath("$.error").isEmpty());
    }
}
