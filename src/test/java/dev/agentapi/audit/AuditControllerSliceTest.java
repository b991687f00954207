package dev.agentapi.audit;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
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

/** {@link AuditController}: admins only, its filters checked at the door; {@link AuditSearch} is a mock. */
@ControllerSliceTest(AuditController.class)
class AuditControllerSliceTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    AuditSearch search;

    @Test
    void theTrailIsForAdminsOnly() throws Exception {
        mvc.perform(get("/api/audit"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/api/audit").header("X-API-Key", TestKeys.ALICE))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Forbidden"))
                .andExpect(jsonPath("$.detail").value("Your role does not allow this request"));
        verifyNoInteractions(search);
    }

    @Test
    void anAdminReadsAPageWithItsFiltersPassedOn() throws Exception {
        given(search.find(any())).willReturn(new AuditPage(List.of(), 0, 2, 10, 0));
        mvc.perform(get("/api/audit").header("X-API-Key", TestKeys.ADMIN).param("resource_type", "agent")
                        .param("user_id", "alice").param("from", "2026-01-01T00:00:00Z").param("page", "2").param("size", "10"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.entries").isArray())
                .andExpect(jsonPath("$.page").value(2))
                .andExpect(jsonPath("$.size").value(10));
        then(search).should().find(new AuditQuery("agent", null, null, "alice", Instant.parse("2026-01-01T00:00:00Z"), null, 2, 10));
    }

    @Test
    void filtersAreValidatedBeforeTheSearch() throws Exception {
        mvc.perform(get("/api/audit").header("X-API-Key", TestKeys.ADMIN).param("size", "101"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors.size").exists());
        mvc.perform(get("/api/audit").header("X-API-Key", TestKeys.ADMIN).param("user_id", "a\u0000b"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.user_id").value(AuditController.NUL_MESSAGE));
        mvc.perform(get("/api/audit").header("X-API-Key", TestKeys.ADMIN).param("from", "yesterday"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.from").value("must be a valid instant"));
        verifyNoInteractions(search);
    }
}
