package dev.agentapi.agent;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The state an agent's browser starts from at its next launch (a client's, e.g. downloaded from another agent). */
record ReplaceStateRequest(@NotNull @Valid SavedBrowserState state) {
}
