package dev.agentapi.agent;

import dev.agentapi.security.Actor;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Which agents a person holds on this replica (where their browsers run), and the rule that keeps actions away from
 * them meanwhile: {@link #admit} refuses an action with 409 {@code agent-held-by-person}, or first waits up to
 * {@code agent-api.live.hold.wait-at-most} for the release when {@code actions: wait} is set. Taking, using and releasing
 * a hold is {@link Takeovers}' business; this registry depends on nothing so that the action path can ask it.
 */
@Component
class AgentHolds {

    private final LiveViewProperties.Hold settings;
    /** Held agents; guarded by {@code this}, which release notifies. */
    private final Map<String, Hold> holds = new HashMap<>();

    AgentHolds(LiveViewProperties properties) {
        this.settings = properties.hold();
    }

    /** One person's hold: who, since when, their last input, and how many inputs they sent. */
    static final class Hold {
        final String agentId;
        final Actor holder;
        final Instant since = Instant.now();
        volatile Instant lastInput = Instant.now();
        final AtomicLong inputs = new AtomicLong();

        Hold(String agentId, Actor holder) {
            this.agentId = agentId;
            this.holder = holder;
        }

        boolean heldBy(Actor actor) {
            return holder.userId().equals(actor.userId());
        }
    }

    /** Lets an action run on the agent unless a person holds it (then 409, after waiting for a release if configured). */
    void admit(String agentId) {
        if (!settings.waits()) {
            if (held(agentId).isPresent()) {
                throw LiveViewProblems.heldByPerson(agentId);
            }
            return;
        }
        long deadline = System.nanoTime() + settings.waitAtMost().toNanos();
        synchronized (this) {
            while (holds.containsKey(agentId)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw LiveViewProblems.heldByPerson(agentId);
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw LiveViewProblems.heldByPerson(agentId);
                }
            }
        }
    }

    synchronized Optional<Hold> held(String agentId) {
        return Optional.ofNullable(holds.get(agentId));
    }

    /** Takes the agent for {@code actor}: the new hold, their own if they already hold it, or empty when another person does. */
    synchronized Optional<Hold> take(String agentId, Actor actor) {
        Hold current = holds.get(agentId);
        if (current != null) {
            return current.heldBy(actor) ? Optional.of(current) : Optional.empty();
        }
        Hold hold = new Hold(agentId, actor);
        holds.put(agentId, hold);
        return Optional.of(hold);
    }

    /** Ends exactly this hold (not a later one of the same agent); true when it was still held. */
    synchronized boolean release(Hold hold) {
        boolean released = holds.remove(hold.agentId, hold);
        notifyAll();
        return released;
    }

    /** Holds without input for longer than the idle timeout. */
    synchronized List<Hold> idleSince(Instant now) {
        Duration idle = settings.idleTimeout();
        return holds.values().stream().filter(h -> h.lastInput.plus(idle).isBefore(now)).toList();
    }

    synchronized List<Hold> all() {
        return List.copyOf(holds.values());
    }

    Duration idleTimeout() {
        return settings.idleTimeout();
    }
}
