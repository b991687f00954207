package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.security.Actor;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

/**
 * The registry of agents waiting for a person: one wait per agent (the same caller asking again replaces its wait,
 * another caller is refused), and the caps on waits a caller and a replica may have, each holding a request's thread.
 */
class HumanRequestsTest {

    private static final Actor OLIVIA = new Actor("key:olivia", null, "127.0.0.1", "test", false);
    private static final Actor PETER = new Actor("key:peter", null, "127.0.0.1", "test", false);
    private static final Instant LATER = Instant.now().plusSeconds(60);

    private static HumanRequests registry(int perCaller, int maxWaiting) {
        LiveViewProperties.HumanRequest caps = new LiveViewProperties.HumanRequest(Duration.ofMinutes(15), perCaller, maxWaiting);
        return new HumanRequests(new LiveViewProperties(10, 1280, 1280, 60, 3, 10, 64, Duration.ofMinutes(30), Duration.ofSeconds(15),
                new LiveViewProperties.Hold(Duration.ofMinutes(2), "refuse", Duration.ofSeconds(30)), caps));
    }

    @Test
    void theSameCallerAskingAgainReplacesItsWaitAndAnotherCallerIsRefused() {
        HumanRequests requests = registry(4, 32);
        HumanRequests.Waiting first = requests.open("a1", OLIVIA, "enter the code", LATER);
        HumanRequests.Waiting again = requests.open("a1", OLIVIA, "enter the code, please", LATER);

        assertThat(first.answer).isCompletedWithValue(HumanRequests.Ending.without("superseded"));
        assertThat(again.since).as("the agent has waited since the first request").isEqualTo(first.since);
        assertThat(requests.waiting("a1")).containsSame(again);
        assertThat(problemType(() -> requests.open("a1", PETER, "mine", LATER))).isEqualTo("urn:agent-api:problem:human-already-requested");

        requests.end(first, HumanRequests.Ending.without("timed-out")); // an old wait ending leaves the new one
        assertThat(requests.waiting("a1")).containsSame(again);
        requests.end(again, new HumanRequests.Ending("released", "key:olivia", 1200L, 3L));
        assertThat(again.answer).isCompletedWithValue(new HumanRequests.Ending("released", "key:olivia", 1200L, 3L));
        assertThat(requests.waiting("a1")).isEmpty();
    }

    @Test
    void aCallerWaitsOnAtMostItsCapAndTheReplicaOnAtMostItsOwn() {
        HumanRequests requests = registry(2, 3);
        requests.open("a1", OLIVIA, "m", LATER);
        HumanRequests.Waiting second = requests.open("a2", OLIVIA, "m", LATER);
        assertThat(problemType(() -> requests.open("a3", OLIVIA, "m", LATER))).isEqualTo("urn:agent-api:problem:human-requests-per-caller");
        // asking again on an agent it waits on already is no further wait
        requests.open("a2", OLIVIA, "m again", LATER);
        assertThat(second.answer).isDone();

        requests.open("b1", PETER, "m", LATER);
        ErrorResponseException full = catchProblem(() -> requests.open("b2", PETER, "m", LATER));
        assertThat(full.getStatusCode().value()).isEqualTo(503);
        assertThat(full.getBody().getType().toString()).isEqualTo("urn:agent-api:problem:human-request-capacity");
        assertThat(full.getHeaders().getFirst("Retry-After")).isNotBlank();

        requests.end(requests.waiting("a1").orElseThrow(), HumanRequests.Ending.without("timed-out"));
        requests.open("b2", PETER, "m", LATER);
        assertThat(requests.all()).hasSize(3);
    }

    private static String problemType(Runnable call) {
        return catchProblem(call).getBody().getType().toString();
    }

    private static ErrorResponseException catchProblem(Runnable call) {
        try {
            call.run();
        } catch (ErrorResponseException refused) {
            return refused;
        }
        throw new AssertionError("not refused");
    }
}
