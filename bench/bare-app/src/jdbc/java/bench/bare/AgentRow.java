package bench.bare;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/** -Pjdbc only: one aggregate over the same table as -Pjpa's entity. */
@Table("agent")
public record AgentRow(@Id String id, String status, Instant createdAt, @Version Long version) {
}
