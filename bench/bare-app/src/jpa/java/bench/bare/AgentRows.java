package bench.bare;

import org.springframework.data.jpa.repository.JpaRepository;

/** -Pjpa only. */
public interface AgentRows extends JpaRepository<AgentRow, String> {
}
