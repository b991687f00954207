package dev.agentapi.task;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
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
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@link TaskQueueController} behind the real security and problem handling; {@link TaskQueueService} is a mock.
 * {@link TaskHandlers} is real (no handler registered: {@code generic} is the one accepted type), since the
 * {@code task_type} constraint asks it, as the JSON size constraints ask {@link TaskProperties}.
 */
@ControllerSliceTest(TaskQueueController.class)
@Import(TaskHandlers.class)
@EnableConfigurationProperties(TaskProperties.class)
class TaskQueueControllerSliceTest {

    private static final String TASKS = "/api/agents/mcp/tasks";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    TaskQueueService tasks;

    @Test
    void everyRouteNeedsAKey() throws Exception {
        mvc.perform(get(TASKS)).andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(post(TASKS + "/claim").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isUnauthorized());
        verifyNoInteractions(tasks);
    }

    @Test
    void createAnswers201WithLocationAndAReplay200() throws Exception {
        given(tasks.create(any(), eq(null))).willReturn(new TaskQueueService.Created(task("t-1", TaskStatus.PENDING), false));
        mvc.perform(post(TASKS).header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"title\": \"Look it up\", \"priority\": \"high\"}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", TASKS + "/t-1"))
                .andExpect(jsonPath("$.success").value(true))
                .andExpect(jsonPath("$.task.id").value("t-1"))
                .andExpect(jsonPath("$.task.status").value("pending"))
                .andExpect(jsonPath("$.task.max_attempts").value(3));

        given(tasks.create(any(), eq("k-1"))).willReturn(new TaskQueueService.Created(task("t-1", TaskStatus.PENDING), true));
        mvc.perform(post(TASKS).header("X-API-Key", TestKeys.ALICE).header("Idempotency-Key", "k-1")
                        .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"Look it up\"}"))
                .andExpect(status().isOk())
                .andExpect(header().string("Location", TASKS + "/t-1"))
                .andExpect(header().string("Idempotent-Replayed", "true"));
    }

    @Test
    void aBodyBreakingItsConstraintsIs400WithEveryFieldNamed() throws Exception {
        mvc.perform(post(TASKS).header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"title\": \" \", \"priority\": \"soon\", \"task_type\": \"teleport\", \"max_attempts\": 11, "
                                + "\"metadata\": [1]}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:validation"))
                .andExpect(jsonPath("$.errors.title").value("is required"))
                .andExpect(jsonPath("$.errors.priority").value("must be one of low, medium, high, urgent"))
                .andExpect(jsonPath("$.errors.task_type").exists())
                .andExpect(jsonPath("$.errors.max_attempts").value("must be between 1 and 10"))
                .andExpect(jsonPath("$.errors.metadata").exists());
        mvc.perform(post(TASKS + "/t-1/complete").header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"result\": 1}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.lease_token").value("is required (from the claim)"));
        verifyNoInteractions(tasks);
    }

    @Test
    void queryParametersAreValidatedBeforeTheService() throws Exception {
        mvc.perform(get(TASKS).param("status", "lost").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.status").value("must be one of pending, running, completed, failed, cancelled"));
        mvc.perform(get(TASKS).param("size", "101").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.size").exists());
        mvc.perform(get(TASKS + "/t-1/result/-1").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.step").exists());
        verifyNoInteractions(tasks);
    }

    @Test
    void serviceRefusalsAreProblems() throws Exception {
        given(tasks.get("t-9")).willThrow(TaskProblems.notFound("t-9"));
        mvc.perform(get(TASKS + "/t-9").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:task-not-found"));
        given(tasks.heartbeat("t-1", "stale")).willThrow(TaskProblems.leaseNotHeld("t-1"));
        mvc.perform(post(TASKS + "/t-1/heartbeat").header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"lease_token\": \"stale\"}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("urn:agent-api:problem:lease-not-held"));
        given(tasks.create(any(), any())).willThrow(TaskProblems.quota("Too many pending tasks", 30));
        mvc.perform(post(TASKS).header("X-API-Key", TestKeys.BOB).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"title\": \"one more\"}"))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().string("Retry-After", "30"))
                .andExpect(jsonPath("$.retry_after").value(30));
    }

    @Test
    void cancelClaimAndAttachmentsAnswerTheirStatusAndMediaType() throws Exception {
        given(tasks.cancel("t-1")).willReturn(task("t-1", TaskStatus.CANCELLED));
        given(tasks.cancel("t-2")).willReturn(task("t-2", TaskStatus.RUNNING));
        mvc.perform(post(TASKS + "/t-1/cancel").header("X-API-Key", TestKeys.ALICE)).andExpect(status().isOk());
        mvc.perform(post(TASKS + "/t-2/cancel").header("X-API-Key", TestKeys.ALICE)).andExpect(status().isAccepted());

        given(tasks.claimExternal(any())).willReturn(Optional.empty());
        mvc.perform(post(TASKS + "/claim").header("X-API-Key", TestKeys.ALICE).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"task_type\": \"generic\"}"))
                .andExpect(status().isNoContent());
        then(tasks).should().claimExternal(new TaskRequests.Claim("generic", null));

        given(tasks.attachment("t-1", 0)).willReturn(new TaskQueue.Attachment("image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
        mvc.perform(get(TASKS + "/t-1/result/0").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.IMAGE_PNG))
                .andExpect(content().bytes(new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
    }

    private static TaskView task(String id, TaskStatus status) {
        Instant now = Instant.parse("2026-01-02T03:04:05Z");
        return new TaskView(id, "Look it up", null, status, TaskPriority.HIGH, "generic", "unknown", null, null, null, null,
                null, 0, 3, false, null, null, "alice", now, now, null, null, false);
    }
}
