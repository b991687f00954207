package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import dev.agentapi.support.StatementRecorder;
import dev.agentapi.support.TestKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Keyset lists over agents written with SQL for two owners of their own (frank and grace, whose lists hold exactly
 * these rows) in the shared database: cursor pages, numbered pages and filters give the same agents in the same order
 * as a plain ORDER BY, an owner's and an admin's (whose lists take in every other class's agents too, read from the
 * same table just before: classes sharing the context run one at a time); totals are exact while small and estimated
 * beyond; every list query is answered from its index without sorting.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentListTest {

    private static final String BROWSER = "/api/agents/browser";
    private static final String OURS = " AND created_by IN ('key:frank', 'key:grace')";
    private static final String FRANKS = " AND created_by = 'key:frank'";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AgentListing listing;
    @Autowired
    PlatformTransactionManager transactions;
    Api admin;
    Api frank;

    @BeforeAll
    void agents() {
        admin = new Api(port, TestKeys.ADMIN);
        frank = new Api(port, TestKeys.FRANK);
        // 301 agents, 3 of every 7 sharing a created_at with a neighbour (the id breaks the tie), every
        // 10th deleted, statuses and owners (frank and grace, who have no other agents) mixed
        jdbc.update("""
                INSERT INTO browser_agents (id, status, created_by, created_at, updated_at, deleted_at)
                SELECT 'list-' || lpad(n::text, 4, '0'),
                       (ARRAY['created', 'stopped', 'error'])[1 + n % 3],
                       CASE WHEN n % 2 = 0 THEN 'key:frank' ELSE 'key:grace' END,
                       timestamptz '2026-01-01' + ((n / 7 * 7 + least(n % 7, 4)) * interval '1 second'),
                       now(), CASE WHEN n % 10 = 0 THEN now() END
                FROM generate_series(1, 301) AS n""");
    }

    private List<String> expected(String where) {
        return jdbc.queryForList("SELECT id FROM browser_agents WHERE deleted_at IS NULL" + where
                + " ORDER BY created_at DESC, id", String.class);
    }

    private List<String> walkByCursor(Api caller, String query, int size) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = caller.get(BROWSER + "?size=" + size + query + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("agents").forEach(agent -> seen.add(agent.get("agent_id").asString()));
            assertThat(page.get("count").asInt()).isEqualTo(page.get("agents").size());
            cursor = page.get("next").isNull() ? null : page.get("next").asString();
        } while (cursor != null);
        return seen;
    }

    private List<String> walkByPage(Api caller, String query, int size) {
        List<String> seen = new ArrayList<>();
        for (int page = 0; ; page++) {
            JsonNode body = caller.get(BROWSER + "?size=" + size + "&page=" + page + query).json();
            assertThat(body.get("page").asInt()).isEqualTo(page);
            body.get("agents").forEach(agent -> seen.add(agent.get("agent_id").asString()));
            if (body.get("next").isNull()) {
                return seen;
            }
        }
    }

    @Test
    void cursorAndNumberedPagesGiveEveryLiveAgentOnceInOrder() {
        assertThat(expected(OURS)).hasSize(271);
        List<String> all = expected("");
        assertThat(all).containsAll(expected(OURS));
        assertThat(walkByCursor(admin, "", 20)).containsExactlyElementsOf(all);
        assertThat(walkByPage(admin, "", 20)).containsExactlyElementsOf(all);
        assertThat(walkByCursor(admin, "", 7)).containsExactlyElementsOf(all);
    }

    @Test
    void filtersByStatusAndOwnerPageTheSameWay() {
        assertThat(walkByCursor(admin, "&status=stopped", 9)).containsExactlyElementsOf(expected(" AND status = 'stopped'"));
        assertThat(walkByPage(admin, "&status=error", 9)).containsExactlyElementsOf(expected(" AND status = 'error'"));
        assertThat(walkByCursor(frank, "", 11)).containsExactlyElementsOf(expected(FRANKS)).hasSize(120);
        assertThat(walkByPage(frank, "&status=created", 4))
                .containsExactlyElementsOf(expected(FRANKS + " AND status = 'created'"));
    }

    @Test
    void aDeepPageIsTheSamePageTheCursorReaches() {
        JsonNode deep = admin.get(BROWSER + "?size=10&page=13").json();
        List<String> all = expected("");
        assertThat(deep.get("agents").valueStream().map(a -> a.get("agent_id").asString()))
                .containsExactlyElementsOf(all.subList(130, 140));
        JsonNode following = admin.get(BROWSER + "?size=10&cursor=" + deep.get("next").asString()).json();
        assertThat(following.get("page").isNull()).isTrue();
        assertThat(following.get("agents").get(0).get("agent_id").asString()).isEqualTo(all.get(140));
        JsonNode beyond = frank.get(BROWSER + "?size=10&page=500").json();
        assertThat(beyond.get("agents").size()).isZero();
        assertThat(beyond.get("next").isNull()).isTrue();
        assertThat(beyond.get("total").asLong()).isEqualTo(120);
    }

    @Test
    void smallTotalsAreExact() {
        JsonNode first = frank.get(BROWSER + "?size=5").json();
        assertThat(first.get("total").asLong()).isEqualTo(120);
        assertThat(first.get("total_exact").asBoolean()).isTrue();
        JsonNode filtered = frank.get(BROWSER + "?size=5&status=stopped").json();
        assertThat(filtered.get("total").asLong()).isEqualTo(expected(FRANKS + " AND status = 'stopped'").size());
        assertThat(filtered.get("total_exact").asBoolean()).isTrue();
    }

    @Test
    void largeTotalsAreEstimatedUnlessAnExactCountIsAskedFor() {
        // more than EXACT_TOTAL_UP_TO stopped agents (of an owner without a key), gone again after the test
        jdbc.update("""
                INSERT INTO browser_agents (id, status, created_by, created_at, updated_at)
                SELECT 'listmany-' || n, 'stopped', 'carol', timestamptz '2025-01-01' + n * interval '1 second', now()
                FROM generate_series(1, 3000) AS n""");
        try {
            estimatesBeyondTheExactCount();
        } finally {
            jdbc.update("DELETE FROM browser_agents WHERE id LIKE 'listmany-%'");
        }
    }

    private void estimatesBeyondTheExactCount() {
        jdbc.execute("ANALYZE browser_agents");
        JsonNode estimated = admin.get(BROWSER + "?size=5&status=stopped").json();
        long exact = expected(" AND status = 'stopped'").size();
        assertThat(estimated.get("total_exact").asBoolean()).isFalse();
        assertThat(estimated.get("total").asLong()).isGreaterThan(AgentListing.EXACT_TOTAL_UP_TO).isBetween(exact / 2, exact * 2);
        JsonNode counted = admin.get(BROWSER + "?size=5&status=stopped&total=exact").json();
        assertThat(counted.get("total_exact").asBoolean()).isTrue();
        assertThat(counted.get("total").asLong()).isEqualTo(exact);
        JsonNode last = admin.get(BROWSER + "?size=100&status=stopped&page=" + (exact - 1) / 100).json();
        assertThat(last.get("total").asLong()).as("the last page knows the total").isEqualTo(exact);
        assertThat(last.get("total_exact").asBoolean()).isTrue();
    }

    @Test
    void badCursorsAndMixedPagingAreRefusedWith400() {
        for (String cursor : List.of("garbage!", "bm90LWEtY3Vyc29y", "MS5ub3RhbnVtYmVyLng", "MS4xMjMuJCQk", "x".repeat(500))) {
            Api.Response refused = admin.get(BROWSER + "?cursor=" + cursor);
            assertThat(refused.status()).as(cursor).isEqualTo(400);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("errors").has("cursor")).isTrue();
        }
        String next = admin.get(BROWSER + "?size=5").json().get("next").asString();
        Api.Response both = admin.get(BROWSER + "?page=1&cursor=" + next);
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().get("errors").has("cursor")).isTrue();
        Api.Response total = admin.get(BROWSER + "?total=maybe");
        assertThat(total.status()).isEqualTo(400);
        assertThat(total.json().get("errors").has("total")).isTrue();
    }

    @Test
    void everyListQueryReadsItsIndexInOrderWithoutSorting() {
        // on 301 rows a scan and a sort would be cheapest; priced out, only an index in the list's order avoids the Sort
        new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            jdbc.execute("SET LOCAL enable_sort = off");
            jdbc.execute("SET LOCAL enable_seqscan = off");
            explainEveryListQuery();
        });
    }

    private void explainEveryListQuery() {
        ListCursor cursor = new ListCursor(java.time.Instant.parse("2026-01-01T00:02:00Z"), "list-0100");
        for (AgentListing.Filter filter : List.of(new AgentListing.Filter(null, null), new AgentListing.Filter(null, AgentStatus.STOPPED),
                new AgentListing.Filter("key:frank", null), new AgentListing.Filter("key:frank", AgentStatus.ERROR))) {
            List<StatementRecorder.Recorded> queries = StatementRecorder.record(() -> {
                listing.after(filter, null, 20);
                listing.after(filter, cursor, 20);
                listing.numbered(filter, 1, 20);
            });
            assertThat(queries).as("first page, cursor page, numbered page (its start, then its page)").hasSize(4);
            for (StatementRecorder.Recorded query : queries) {
                String plan = String.join("\n", jdbc.query(connection -> {
                    var explain = connection.prepareStatement("EXPLAIN " + query.sql());
                    query.bindTo(explain);
                    return explain;
                }, (row, n) -> row.getString(1)));
                assertThat(plan).as(query.sql()).contains("ix_browser_agents_list").doesNotContain("Sort");
                var keyset = java.util.regex.Pattern.compile("Filter: \\(\\(created_at < ('[^']+')").matcher(plan);
                boolean afterKey = query.sql().contains("id>?");
                assertThat(keyset.find()).as(plan).isEqualTo(afterKey);
                if (afterKey) { // a keyset page seeks to its start instead of filtering its way there
                    assertThat(plan).as(query.sql()).contains("Index Cond: ").contains("created_at <= " + keyset.group(1));
                }
            }
        }
    }

    @Test
    void aPageOfAHundredAgentsIsOneQueryAndACount() {
        // no N+1: an agent on a page has no association to load, and nothing else is read per agent
        List<StatementRecorder.Recorded> listed = StatementRecorder.record(() -> new TransactionTemplate(transactions)
                .executeWithoutResult(tx -> {
                    AgentListing.Page page = listing.after(new AgentListing.Filter(null, null), null, 100);
                    assertThat(page.agents()).hasSize(100);
                    page.agents().forEach(agent -> assertThat(agent.getCreatedBy()).isNotNull());
                    listing.total(new AgentListing.Filter(null, null), false);
                }));
        assertThat(listed).as("the page's query and its count, whatever the page's size").hasSize(2);
    }
}
