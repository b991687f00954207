package dev.agentapi.web;

import java.net.URI;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import dev.agentapi.telemetry.Telemetry;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into an RFC 9457 problem. Clients see a status, a title and a plain-language
 * detail; never a stack trace, SQL text or class name.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    static final int RETRY_AFTER_SECONDS = 5;
    /** The type of a request body that breaks its constraints, as the features' own validation problems have it. */
    public static final URI VALIDATION = URI.create("urn:agent-api:problem:validation");

    private final Telemetry telemetry;

    public ApiExceptionHandler(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (FieldError error : ex.getBindingResult().getFieldErrors()) {
            errors.putIfAbsent(snakeCase(error.getField()), error.getDefaultMessage());
        }
        ex.getBindingResult().getGlobalErrors().forEach(e -> errors.putIfAbsent(e.getObjectName(), e.getDefaultMessage()));
        ResponseEntity<Object> answer = problem(HttpStatus.BAD_REQUEST, "Invalid request", "The request has invalid fields", errors);
        ((ProblemDetail) answer.getBody()).setType(VALIDATION);
        return answer;
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        Map<String, String> errors = new LinkedHashMap<>();
        ex.getParameterValidationResults().forEach(result -> {
            String name = parameterName(result.getMethodParameter());
            result.getResolvableErrors().forEach(e -> errors.putIfAbsent(name, e.getDefaultMessage()));
        });
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", "The request has invalid parameters", errors);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String name = ex.getPropertyName() == null ? "parameter" : ex.getPropertyName();
        String type = ex.getRequiredType() == null ? "value" : ex.getRequiredType().getSimpleName().toLowerCase();
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", "The request has invalid parameters",
                Map.of(name, "must be a valid " + type));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        if (hasCause(ex, PayloadTooLargeException.class)) {
            return new ResponseEntity<>(RequestBodyLimitFilter.tooLarge(limitOf(ex)), problemHeaders(), HttpStatus.CONTENT_TOO_LARGE);
        }
        InvalidTypeIdException unknownType = causeOf(ex, InvalidTypeIdException.class);
        if (unknownType != null) {
            return problem(HttpStatus.BAD_REQUEST, "Invalid request", "The request names no known type",
                    TypeIds.errors(unknownType));
        }
        UnrecognizedPropertyException unknown = causeOf(ex, UnrecognizedPropertyException.class);
        if (unknown != null) {
            return problem(HttpStatus.BAD_REQUEST, "Invalid request", "The request has a field this operation does not know",
                    Map.of(path(unknown), "is not a known field"));
        }
        MismatchedInputException mismatch = causeOf(ex, MismatchedInputException.class);
        if (mismatch != null && !mismatch.getPath().isEmpty()) {
            String field = path(mismatch);
            return problem(HttpStatus.BAD_REQUEST, "Invalid request", "The request has fields of the wrong type",
                    Map.of(field, "has the wrong type"));
        }
        String detail = causeOf(ex, JacksonException.class) != null || ex.getCause() == null
                ? "The request body is not valid JSON"
                : "The request body could not be read";
        StreamConstraintsException limit = causeOf(ex, StreamConstraintsException.class);
        if (limit != null) {
            detail = limit.getMessage() != null && limit.getMessage().contains("nesting depth")
                    ? "The request body is nested too deeply"
                    : "The request body exceeds a limit of the JSON parser (a number or string too long)";
        }
        if (ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")) {
            detail = "A JSON request body is required";
        }
        return problem(HttpStatus.BAD_REQUEST, "Malformed request", detail, null);
    }

    /**
     * The database refused a value of the request (one it cannot store or compare, or a rule only it
     * knows). The transaction rolled back, so nothing was stored; the request, not the server, has to change.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> refusedByDatabase(DataIntegrityViolationException ex) {
        SQLException sql = causeOf(ex, SQLException.class);
        log.warn("Database refused a request's data (SQLSTATE {})", sql == null ? "unknown" : sql.getSQLState());
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable Content",
                "The database cannot accept a value in this request", null);
    }

    /** {@code ?=x}, {@code ?a=%zz}: Tomcat refuses the query when the first parameter is read. */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> malformedQuery(InvalidParameterException ex) {
        return MalformedParameters.problem(ex);
    }

    /**
     * Spring Security's firewall checks header values only when they are read, so a header it refuses
     * (a control or non-ASCII byte, say) surfaces wherever the application first reads it.
     */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<Object> rejectedByFirewall(RequestRejectedException ex) {
        log.debug("Request rejected by the firewall"); // its message quotes the value, which may be a credential
        return problem(HttpStatus.BAD_REQUEST, "Malformed request", "The request has a header value that is not allowed", null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
        if (DatabaseFailures.isUnavailable(ex)) {
            log.warn("Database unavailable: {}", ex.getMessage());
            HttpHeaders headers = problemHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
            ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "The database is unavailable; retry in a few seconds");
            body.setTitle("Service Unavailable");
            return new ResponseEntity<>(body, headers, HttpStatus.SERVICE_UNAVAILABLE);
        }
        log.error("Unexpected failure", ex);
        telemetry.exception(ex, Map.of("path", request.getDescription(false)));
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "An unexpected error occurred");
        return new ResponseEntity<>(body, problemHeaders(), HttpStatus.INTERNAL_SERVER_ERROR);
    }

    private static ResponseEntity<Object> problem(HttpStatus status, String title, String detail, Map<String, String> errors) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setTitle(title);
        if (errors != null && !errors.isEmpty()) {
            body.setProperty("errors", errors);
        }
        return new ResponseEntity<>(body, problemHeaders(), status);
    }

    private static HttpHeaders problemHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return headers;
    }

    private static String path(MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) path.append('.');
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static long limitOf(Throwable ex) {
        PayloadTooLargeException e = causeOf(ex, PayloadTooLargeException.class);
        String digits = e == null ? "" : e.getMessage().replaceAll("\\D", "");
        return digits.isEmpty() ? 0 : Long.parseLong(digits);
    }

    private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
        return causeOf(ex, type) != null;
    }

    private static <T extends Throwable> T causeOf(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The name the client sent: a request parameter's own name, else the Java name in snake_case. */
    private static String parameterName(MethodParameter parameter) {
        RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
        if (param != null && !param.name().isEmpty()) {
            return param.name();
        }
        if (param != null && !param.value().isEmpty()) {
            return param.value();
        }
        return parameter.getParameterName() == null ? "parameter" : snakeCase(parameter.getParameterName());
    }

    private static String snakeCase(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
