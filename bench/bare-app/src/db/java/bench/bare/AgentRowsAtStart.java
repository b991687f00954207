package bench.bare;

import org.springframework.boot.CommandLineRunner;
import org.springframework.stereotype.Component;

/** -Pjpa and -Pjdbc: one query through the repository at start, as the service makes its first ones. */
@Component
class AgentRowsAtStart implements CommandLineRunner {

    private final AgentRows rows;

    AgentRowsAtStart(AgentRows rows) {
        this.rows = rows;
    }

    @Override
    public void run(String... args) {
        rows.count();
    }
}
