package dev.agentapi.taskade;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Locale;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The bodies of the create routes and their constraints, checked before anything reaches Taskade: a missing or
 * blank title, NUL and other control characters, a title too long for the mirror. A field that is not a JSON
 * string is refused rather than turned into one ({@link Text}). {@link TaskadeRequestProblems} answers every
 * refusal in the routes' own envelope; a queued {@code taskade.task} is held to the same records.
 */
final class TaskadeInput {

    static final int MAX_PROJECT_TITLE = 255;   // projects.name
    static final int MAX_TASK_TITLE = 500;      // tasks.title (Taskade itself takes 2000)
    static final int MAX_DESCRIPTION = 10_000;
    /** Taskade's ids: 16 alphanumerics, or 9 with '_' and '-'; a little room beyond. */
    static final String ID = "[A-Za-z0-9_-]{1,64}";
    private static final java.util.regex.Pattern ID_PATTERN = java.util.regex.Pattern.compile(ID);
    /** One line: no control character at all (Character.isISOControl's). */
    static final String ONE_LINE = "[^\\x00-\\x1F\\x7F-\\x9F]*";
    /** Text: tabs and line breaks, but no other control character. */
    static final String TEXT = "[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*";
    static final String PRIORITY = "\\s*(?i:low|medium|high|urgent)\\s*";

    /** A create-project body as read; also its documented schema. */
    @Schema(name = "TaskadeProjectRequest", requiredProperties = "title", example = "{\"title\": \"Launch\", \"description\": \"Everything for the launch\"}")
    record NewProject(
            @JsonDeserialize(using = Text.class)
            @NotBlank(message = "is required")
            @Size(min = 1, max = MAX_PROJECT_TITLE, message = "must be 1 to " + MAX_PROJECT_TITLE + " characters")
            @Pattern(regexp = ONE_LINE, message = "must be one line without control characters") String title,
            @JsonDeserialize(using = Text.class)
            @Size(max = MAX_DESCRIPTION, message = "must be at most " + MAX_DESCRIPTION + " characters")
            @Pattern(regexp = TEXT, message = "must not contain control characters") String description,
            @Schema(description = "Default: the configured workspace", pattern = ID)
            @JsonDeserialize(using = Text.class)
            @Pattern(regexp = ID, message = "is not a Taskade id") String workspaceId) {

        /** As stored and sent on: the title without surrounding blanks. */
        NewProject normalized() {
            return new NewProject(title.strip(), description, workspaceId);
        }
    }

    /** A create-task body as read; also its documented schema. */
    @Schema(name = "TaskadeTaskRequest", requiredProperties = "title",
            example = "{\"title\": \"Write the announcement\", \"description\": \"Two paragraphs\", \"priority\": \"high\"}")
    record NewTask(
            @JsonDeserialize(using = Text.class)
            @NotBlank(message = "is required")
            @Size(min = 1, max = MAX_TASK_TITLE, message = "must be 1 to " + MAX_TASK_TITLE + " characters")
            @Pattern(regexp = ONE_LINE, message = "must be one line without control characters") String title,
            @JsonDeserialize(using = Text.class)
            @Size(max = MAX_DESCRIPTION, message = "must be at most " + MAX_DESCRIPTION + " characters")
            @Pattern(regexp = TEXT, message = "must not contain control characters") String description,
            @Schema(allowableValues = {"low", "medium", "high", "urgent"}, defaultValue = "medium")
            @JsonDeserialize(using = Text.class)
            @Pattern(regexp = PRIORITY, message = "must be one of low, medium, high, urgent") String priority) {

        /** As stored and sent on: the title without surrounding blanks, the priority in lower case (medium when absent). */
        NewTask normalized() {
            return new NewTask(title.strip(), description,
                    priority == null ? "medium" : priority.trim().toLowerCase(Locale.ROOT));
        }
    }

    private TaskadeInput() {
    }

    static boolean isId(String value) {
        return value != null && ID_PATTERN.matcher(value).matches();
    }

    /** A string field: a JSON string or null, never a number or boolean made into one (Jackson's coercion). */
    static final class Text extends ValueDeserializer<String> {

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                return parser.getString();
            }
            return (String) context.handleUnexpectedToken(String.class, parser);
        }
    }
}
