package dev.agentapi.task;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * The handler beans by task type. Accepted types are theirs plus {@code generic}, so a new handler
 * bean (for instance {@code taskade.task}) is all it takes to accept a new type.
 */
@Component
class TaskHandlers {

    static final String GENERIC = "generic";

    private final Map<String, TaskHandler> byType = new TreeMap<>();

    TaskHandlers(List<TaskHandler> handlers) {
        for (TaskHandler handler : handlers) {
            if (GENERIC.equals(handler.type()) || byType.putIfAbsent(handler.type(), handler) != null) {
                throw new IllegalStateException("Two handlers for task type " + handler.type());
            }
        }
    }

    Optional<TaskHandler> forType(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The types workers of this service claim. */
    Set<String> handledTypes() {
        return Collections.unmodifiableSet(byType.keySet());
    }

    Set<String> acceptedTypes() {
        Set<String> types = new TreeSet<>(byType.keySet());
        types.add(GENERIC);
        return types;
    }

    /** The types whose handlers can record a trace of a run. */
    List<String> tracingTypes() {
        return byType.values().stream().filter(TaskHandler::traces).map(TaskHandler::type).toList();
    }

    /** Types no handler here runs: claimed by external workers. */
    boolean external(String type) {
        return GENERIC.equals(type);
    }
}
