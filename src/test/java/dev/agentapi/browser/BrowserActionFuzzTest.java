package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** Action bodies read the way the service reads them (Jackson 3, snake_case): an action, or a Jackson refusal (a 400). */
class BrowserActionFuzzTest {

    private static final JsonMapper JSON = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    @FuzzTest(maxDuration = "30s")
    void actionBodies(byte[] input) {
        BrowserAction action;
        try {
            action = JSON.readValue(input, BrowserAction.class);
        } catch (JacksonException refused) {
            return; // the exception handler answers 400 for these
        }
        if (action != null) {
            assertThat(action.type()).isIn(java.util.Arrays.stream(BrowserAction.class.getPermittedSubclasses())
                    .map(type -> type.getAnnotation(BrowserAction.ActionName.class).value()).toArray());
        }
    }
}
