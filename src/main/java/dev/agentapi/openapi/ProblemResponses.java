package dev.agentapi.openapi;

import dev.agentapi.security.AccessRules;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;

/**
 * The problem answers of each operation, in one place rather than on every controller method. Controllers name
 * only what is particular to an operation ({@code @ApiResponse(responseCode = "409", description = "...")}, no
 * content): each such 4xx or 5xx answer is documented as {@code application/problem+json} here, in the Taskade
 * routes' envelope on theirs. Every operation also gets, unless it describes them itself: 400 when it takes a
 * body or parameters, 404 when it names something by a path id, and 503 (database unavailable) when it is not
 * public. 401, 403 and 429 follow from the access and rate-limit rules ({@link AccessDocumentation}).
 * A method's {@code @ApiResponse} wins over its controller's for the same status.
 */
@Component
class ProblemResponses implements OperationCustomizer {

    static final String INVALID_BODY = "Malformed JSON or invalid fields (`errors` maps field to message); nothing stored";
    static final String INVALID_PARAMETERS = "A parameter is invalid (`errors` maps parameter to message)";
    static final String NOT_FOUND = "Nothing with this id (or it is another user's)";
    static final String DATABASE_UNAVAILABLE = "Database unavailable; retry after `Retry-After` seconds";

    @Override
    public Operation customize(Operation operation, HandlerMethod handler) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        ApiResponses responses = operation.getResponses();
        String path = path(handler);
        String declaredProblem = path.startsWith(ProblemDocumentation.TASKADE_PATHS)
                ? ProblemDocumentation.TASKADE_PROBLEM : ProblemDocumentation.PROBLEM;
        declared(handler).forEach((status, declared) -> {
            io.swagger.v3.oas.models.responses.ApiResponse response = responses.computeIfAbsent(status,
                    code -> new io.swagger.v3.oas.models.responses.ApiResponse());
            if (!declared.description().isBlank()) {
                response.setDescription(declared.description());
            }
            if (isProblem(status) && declared.content().length == 0) {
                response.setContent(ProblemDocumentation.problemJson(status.equals("429") ? ProblemDocumentation.LIMIT_PROBLEM : declaredProblem));
            }
        });
        MethodParameter[] parameters = handler.getMethodParameters();
        boolean body = Arrays.stream(parameters).anyMatch(p -> p.hasParameterAnnotation(RequestBody.class));
        boolean named = Arrays.stream(parameters).anyMatch(p -> p.hasParameterAnnotation(RequestParam.class)
                || p.hasParameterAnnotation(PathVariable.class) || p.hasParameterAnnotation(RequestHeader.class));
        if (body || named) {
            responses.putIfAbsent("400", ProblemDocumentation.response(body ? INVALID_BODY : INVALID_PARAMETERS,
                    ProblemDocumentation.PROBLEM));
        }
        if (Arrays.stream(parameters).anyMatch(p -> p.hasParameterAnnotation(PathVariable.class))) {
            responses.putIfAbsent("404", ProblemDocumentation.response(NOT_FOUND, ProblemDocumentation.PROBLEM));
        }
        if (!AccessRules.isPublic(path)) {
            responses.putIfAbsent("503", ProblemDocumentation.response(DATABASE_UNAVAILABLE, ProblemDocumentation.PROBLEM));
        }
        return operation;
    }

    /** Status to the {@code @ApiResponse} that describes it: the controller's, then the method's over them. */
    private static Map<String, ApiResponse> declared(HandlerMethod handler) {
        Map<String, ApiResponse> declared = new LinkedHashMap<>();
        AnnotatedElementUtils.findMergedRepeatableAnnotations(handler.getBeanType(), ApiResponse.class)
                .forEach(response -> declared.put(response.responseCode(), response));
        AnnotatedElementUtils.findMergedRepeatableAnnotations(handler.getMethod(), ApiResponse.class)
                .forEach(response -> declared.put(response.responseCode(), response));
        return declared;
    }

    private static boolean isProblem(String status) {
        return status.length() == 3 && (status.charAt(0) == '4' || status.charAt(0) == '5');
    }

    /** The operation's path as mapped: the controller's prefix, then the method's own. */
    private static String path(HandlerMethod handler) {
        return first(AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), RequestMapping.class))
                + first(AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), RequestMapping.class));
    }

    private static String first(RequestMapping mapping) {
        return mapping == null || mapping.path().length == 0 ? "" : mapping.path()[0];
    }
}
