package dev.agentapi.taskade;

import dev.agentapi.taskade.TaskadeProblems.Envelope;
import dev.agentapi.web.ApiExceptionHandler;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.HandlerMethod;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * A Taskade route's refused body, answered in the seed's envelope ({@code success: false}, {@code error}, the
 * route's data field empty) as well as a problem: malformed JSON, a field of the wrong type or unknown, and the
 * constraints of {@link TaskadeInput}'s records. Ahead of {@link ApiExceptionHandler}, which answers what is not
 * the body's content (a body too large, say) and everything of the other routes.
 */
@RestControllerAdvice(assignableTypes = TaskadeController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class TaskadeRequestProblems {

    private static final Map<Class<?>, Envelope> ENVELOPES = Map.of(
            TaskadeInput.NewProject.class, TaskadeService.PROJECT,
            TaskadeInput.NewTask.class, TaskadeService.TASK);

    private final ApiExceptionHandler problems;

    TaskadeRequestProblems(ApiExceptionHandler problems) {
        this.problems = problems;
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalid(MethodArgumentNotValidException ex) {
        Class<?> body = ex.getParameter().getParameterType();
        List<String> order = componentNames(body);
        Map<String, String> errors = new LinkedHashMap<>();
        ex.getBindingResult().getFieldErrors().stream()
                .sorted(Comparator.comparingInt((FieldError e) -> order.indexOf(e.getField())))
                .forEach(e -> errors.putIfAbsent(snakeCase(e.getField()), e.getDefaultMessage()));
        return answer(TaskadeProblems.invalid(envelope(body), errors));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<?> unreadable(HttpMessageNotReadableException ex, HandlerMethod handler, WebRequest request) throws Exception {
        Envelope envelope = envelope(bodyType(handler));
        if (causeOf(ex, IOException.class) != null) {
            return problems.handleException(ex, request); // the body could not be read at all (too large, cut off)
        }
        JacksonException json = causeOf(ex, JacksonException.class);
        if (json == null) {
            return answer(TaskadeProblems.invalid(envelope, "title", "is required")); // no body
        }
        if (json instanceof UnrecognizedPropertyException unknown) {
            return answer(TaskadeProblems.invalid(envelope, unknown.getPropertyName(), "is not a known field"));
        }
        if (json instanceof MismatchedInputException mismatch) {
            return answer(mismatch.getPath().isEmpty() || mismatch.getPath().get(0).getPropertyName() == null
                    ? TaskadeProblems.malformed(envelope, "The request body must be a JSON object")
                    : TaskadeProblems.invalid(envelope, mismatch.getPath().get(0).getPropertyName(), "must be a string"));
        }
        return answer(TaskadeProblems.malformed(envelope, "The request body is not valid JSON"));
    }

    private static ResponseEntity<ProblemDetail> answer(ErrorResponseException e) {
        return ResponseEntity.status(e.getStatusCode()).headers(e.getHeaders()).body(e.getBody());
    }

    private static Class<?> bodyType(HandlerMethod handler) {
        for (MethodParameter parameter : handler.getMethodParameters()) {
            if (parameter.hasParameterAnnotation(RequestBody.class)) {
                return parameter.getParameterType();
            }
        }
        throw new IllegalStateException(handler + " takes no request body");
    }

    private static Envelope envelope(Class<?> body) {
        Envelope envelope = ENVELOPES.get(body);
        if (envelope == null) {
            throw new IllegalStateException("No seed envelope for a " + body.getName() + " body");
        }
        return envelope;
    }

    private static List<String> componentNames(Class<?> record) {
        RecordComponent[] components = record.getRecordComponents();
        return components == null ? List.of() : java.util.Arrays.stream(components).map(RecordComponent::getName).toList();
    }

    private static String snakeCase(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static <T extends Throwable> T causeOf(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
