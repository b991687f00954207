package bench.bare;

import java.util.Map;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * -Pstack only: the brief's stack used the plain way. An agent row is read through Spring Data JPA on the first
 * request and from Spring's Redis cache (RedisCacheManager, Spring Data Redis on Lettuce) after that.
 */
@RestController
@EnableCaching
class CachedAgents {

    private final AgentReader reader;

    CachedAgents(AgentReader reader) {
        this.reader = reader;
    }

    @GetMapping("/api/cached-agents/{id}")
    ResponseEntity<BareApp.Agent> agent(@PathVariable String id) {
        BareApp.Agent agent = reader.read(id);
        return agent == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(agent);
    }

    @org.springframework.stereotype.Service
    static class AgentReader {

        private final AgentRows rows;

        AgentReader(AgentRows rows) {
            this.rows = rows;
        }

        @Cacheable(cacheNames = "agents", unless = "#result == null")
        @Transactional(readOnly = true)
        public BareApp.Agent read(String id) {
            return rows.findById(id).map(row -> new BareApp.Agent(row.id, row.status, null, row.channel, null, row.headless,
                    Map.of(), new BareApp.Viewport(1280, 720), null, row.createdBy, row.createdAt, row.updatedAt, 0, 0,
                    null, row.version)).orElse(null);
        }
    }
}
