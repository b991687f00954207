package dev.agentapi.telemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the service can send App Insights, read from its main sources: custom events
 * ({@code telemetry.event("name", Map.of("key", ...))}, or published as {@code AgentChange.Observed("name", Map.of(...))}) with their property keys, Micrometer meters
 * ({@code Counter.builder("name")...tag("key", ...)}) with their tag keys, and request names
 * ({@code "METHOD /route"}, from the controllers' mappings, as the App Insights agent names requests).
 * Names are taken only from string literals at those call sites: a name built at run time would not
 * be seen, and the dashboard test would then fail rather than pass wrongly.
 */
record EmittedTelemetry(Map<String, Set<String>> events, Map<String, Set<String>> meters, Set<String> routes) {

    private static final Pattern EVENT = Pattern.compile("(?:\\.event|\\bObserved)\\(\\s*\"([^\"]+)\"\\s*,\\s*Map\\.of\\(");
    private static final Pattern METER = Pattern.compile(
            "\\b(?:Counter|Gauge|Timer|DistributionSummary|LongTaskTimer|FunctionCounter|FunctionTimer)\\.builder\\(\\s*\"([^\"]+)\"");
    private static final Pattern TAG = Pattern.compile("\\.tag\\(\\s*\"([^\"]+)\"");
    private static final Pattern CLASS_MAPPING = Pattern.compile("@RequestMapping\\(\\s*\"([^\"]*)\"");
    private static final Pattern CLASS = Pattern.compile("(?m)^\\s*(?:public\\s+)?(?:final\\s+|abstract\\s+)*class\\s+\\w+");
    private static final Pattern METHOD_MAPPING = Pattern.compile("@(Get|Post|Put|Patch|Delete)Mapping\\b");
    private static final Pattern MAPPING_PATH = Pattern.compile("^\\s*(?:(?:path|value)\\s*=\\s*)?\"([^\"]*)\"");
    private static final Pattern NAMED_PATH = Pattern.compile("\\b(?:path|value)\\s*=\\s*\"([^\"]*)\"");

    static EmittedTelemetry scan(Path sources) {
        Map<String, Set<String>> events = new TreeMap<>();
        Map<String, Set<String>> meters = new TreeMap<>();
        Set<String> routes = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = Files.readString(file);
                collectEvents(code, events);
                collectMeters(code, meters);
                collectRoutes(code, routes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EmittedTelemetry(events, meters, routes);
    }

    private static void collectEvents(String code, Map<String, Set<String>> events) {
        Matcher m = EVENT.matcher(code);
        while (m.find()) {
            List<String> arguments = arguments(code, m.end());
            Set<String> keys = events.computeIfAbsent(m.group(1), name -> new TreeSet<>());
            for (int i = 0; i < arguments.size(); i += 2) { // Map.of(key, value, key, value, ...)
                literal(arguments.get(i)).ifPresent(keys::add);
            }
        }
    }

    private static void collectMeters(String code, Map<String, Set<String>> meters) {
        Matcher m = METER.matcher(code);
        while (m.find()) {
            int end = code.indexOf(".register(", m.end());
            String chain = code.substring(m.end(), end < 0 ? code.length() : end);
            Set<String> tags = meters.computeIfAbsent(m.group(1), name -> new TreeSet<>());
            Matcher tag = TAG.matcher(chain);
            while (tag.find()) {
                tags.add(tag.group(1));
            }
        }
    }

    private static void collectRoutes(String code, Set<String> routes) {
        Matcher declaration = CLASS.matcher(code);
        Matcher type = CLASS_MAPPING.matcher(code).region(0, declaration.find() ? declaration.start() : code.length());
        String prefix = type.find() ? type.group(1) : ""; // a mapping on the class, before its declaration
        Matcher m = METHOD_MAPPING.matcher(code);
        while (m.find()) {
            String path = "";
            int open = m.end();
            while (open < code.length() && Character.isWhitespace(code.charAt(open))) {
                open++;
            }
            if (open < code.length() && code.charAt(open) == '(') {
                String arguments = String.join(",", arguments(code, open + 1));
                Matcher positional = MAPPING_PATH.matcher(arguments);
                Matcher named = NAMED_PATH.matcher(arguments);
                path = positional.find() ? positional.group(1) : named.find() ? named.group(1) : "";
            }
            routes.add(m.group(1).toUpperCase() + " " + prefix + path);
        }
    }

    /** The top-level, comma-separated arguments of the call whose '(' precedes {@code start}. */
    static List<String> arguments(String code, int start) {
        List<String> arguments = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < code.length(); i++) {
            char c = code.charAt(i);
            if (inString) {
                current.append(c);
                if (c == '\\') {
                    current.append(code.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (c == '"') {
                inString = true;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                if (depth == 0) {
                    arguments.add(current.toString().trim());
                    return arguments;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                arguments.add(current.toString().trim());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        throw new IllegalStateException("Unbalanced call at " + start);
    }

    private static java.util.Optional<String> literal(String expression) {
        Matcher m = Pattern.compile("^\"([^\"]*)\"$").matcher(expression.strip());
        return m.matches() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }
}
