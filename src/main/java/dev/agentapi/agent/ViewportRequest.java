package dev.agentapi.agent;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

public record ViewportRequest(@Min(100) @Max(10000) Integer width, @Min(100) @Max(10000) Integer height) {
}
