package dev.agentapi.openapi;

import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.models.Operation;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

/**
 * A controller's {@code @ApiResponse} is the default for its operations, a method's the specific
 * case: springdoc lets the controller's win when both name the same status, so the method's
 * description is put back here (the actions endpoint's 503 means "no browser capacity" as well as
 * "database unavailable").
 */
@Component
class MethodResponsesFirst implements OperationCustomizer {

    @Override
    public Operation customize(Operation operation, HandlerMethod handler) {
        if (operation.getResponses() == null) {
            return operation;
        }
        for (ApiResponse declared : AnnotatedElementUtils.findMergedRepeatableAnnotations(handler.getMethod(), ApiResponse.class)) {
            io.swagger.v3.oas.models.responses.ApiResponse documented = operation.getResponses().get(declared.responseCode());
            if (documented != null && !declared.description().isBlank()) {
                documented.setDescription(declared.description());
            }
        }
        return operation;
    }
}
