package dev.agentapi.agent;

import dev.agentapi.browser.HumanInput;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One input of a person holding an agent. Points are in the page's viewport, CSS pixels: a point of a live-view frame
 * times the frame's {@code viewport_width} over the frame's own width (and likewise down).
 */
@Schema(name = "TakeoverInput", description = "click {x, y, button?, click_count?} | move {x, y} | wheel {x, y, delta_x?, delta_y?} "
        + "| key {key: a key as Playwright names it, e.g. Enter, a, Control+A} | type {text}")
record TakeoverInput(
        @NotNull @Pattern(regexp = "click|move|wheel|key|type", message = "must be one of click, move, wheel, key, type") String type,
        @DecimalMin("0") @DecimalMax("10000") Double x,
        @DecimalMin("0") @DecimalMax("10000") Double y,
        @Pattern(regexp = "left|middle|right", message = "must be left, middle or right") String button,
        @Min(1) @Max(3) Integer clickCount,
        @DecimalMin("-10000") @DecimalMax("10000") Double deltaX,
        @DecimalMin("-10000") @DecimalMax("10000") Double deltaY,
        @Size(min = 1, max = 64) String key,
        @Size(min = 1, max = 1000) String text) {

    /** The input it asks for; 400 when a field its type needs is missing. */
    HumanInput toInput() {
        Map<String, String> missing = new LinkedHashMap<>();
        boolean pointed = type.equals("click") || type.equals("move") || type.equals("wheel");
        if (pointed && x == null) {
            missing.put("x", "is required for " + type);
        }
        if (pointed && y == null) {
            missing.put("y", "is required for " + type);
        }
        if (type.equals("key") && key == null) {
            missing.put("key", "is required for key");
        }
        if (type.equals("type") && text == null) {
            missing.put("text", "is required for type");
        }
        if (!missing.isEmpty()) {
            throw AgentProblems.invalid(missing);
        }
        return switch (type) {
            case "click" -> new HumanInput.Click(x, y, button == null ? "left" : button,
                    clickCount == null ? 1 : clickCount);
            case "move" -> new HumanInput.Move(x, y);
            case "wheel" -> new HumanInput.Wheel(x, y, deltaX == null ? 0 : deltaX, deltaY == null ? 0 : deltaY);
            case "key" -> new HumanInput.Key(key);
            default -> new HumanInput.Type(text);
        };
    }
}
