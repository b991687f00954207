package dev.agentapi.agent;

import dev.agentapi.browser.LaunchSpec;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** A viewport in CSS pixels; each side at most {@link LaunchSpec#MAX_VIEWPORT}, so a screenshot of it stays bounded. */
public record ViewportRequest(@Min(LaunchSpec.MIN_VIEWPORT) @Max(LaunchSpec.MAX_VIEWPORT) Integer width,
                              @Min(LaunchSpec.MIN_VIEWPORT) @Max(LaunchSpec.MAX_VIEWPORT) Integer height) {
}
