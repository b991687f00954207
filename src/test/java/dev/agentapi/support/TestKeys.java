package dev.agentapi.support;

import java.security.SecureRandom;
import java.util.Base64;

/** API keys for this test run, generated afresh each time: nothing secret is committed. */
public final class TestKeys {

    public static final String ADMIN = generate();
    public static final String ALICE = generate();
    public static final String BOB = generate();
    /** Users of their own for tests that count an owner's tasks or browsers. */
    public static final String CAROL = generate();
    public static final String DAVE = generate();
    public static final String ERIN = generate();
    /** Owners of the agents {@code AgentListTest} writes with SQL, so their lists hold exactly those rows. */
    public static final String FRANK = generate();
    public static final String GRACE = generate();
    /** The owners whose browsers {@code BrowserQuotaTest} counts. */
    public static final String HEIDI = generate();
    public static final String IVAN = generate();
    /** The caller whose agent-list bucket {@code McpServerTest} empties. */
    public static final String JUDY = generate();
    /** The owner whose agents {@code LiveViewTest} watches and takes over, and the other owner it is refused to. */
    public static final String KATE = generate();
    public static final String LEO = generate();
    /** The owner whose saved browser states {@code AgentStateTest} checks, and the other owner refused them. */
    public static final String MIA = generate();
    public static final String NICK = generate();
    /** The owner whose agents {@code HumanRequestTest} asks a person for over MCP, and the other owner refused them. */
    public static final String OLIVIA = generate();
    public static final String PETER = generate();
    /** The owner whose agents' MCP resources {@code McpResourcesTest} lists and reads, and the other owner refused them. */
    public static final String SAM = generate();
    public static final String TINA = generate();
    /** The owners whose agents {@code HibernationTest} hibernates and wakes (victor's opted out of saved state). */
    public static final String UMA = generate();
    public static final String VICTOR = generate();
    /** The owners whose agents {@code HibernationTest} wakes through MCP (walt) and through a queued task (xena). */
    public static final String WALT = generate();
    public static final String XENA = generate();
    /** The owner whose traced tasks {@code TaskTraceTest} runs (its own actions bucket), and the other owner refused them. */
    public static final String QUINN = generate();
    public static final String ROSE = generate();

    private TestKeys() {
    }

    /** The value of {@code agent-api.security.api-keys} that makes these keys valid. */
    public static String property() {
        return "admin:admin:" + ADMIN + ",alice:user:" + ALICE + ",bob:user:" + BOB + ",carol:user:" + CAROL + ",dave:user:" + DAVE
                + ",erin:user:" + ERIN + ",frank:user:" + FRANK + ",grace:user:" + GRACE + ",heidi:user:" + HEIDI
                + ",ivan:user:" + IVAN + ",judy:user:" + JUDY + ",kate:user:" + KATE + ",leo:user:" + LEO
                + ",mia:user:" + MIA + ",nick:user:" + NICK + ",olivia:user:" + OLIVIA + ",peter:user:" + PETER
                + ",sam:user:" + SAM + ",tina:user:" + TINA + ",uma:user:" + UMA + ",victor:user:" + VICTOR
                + ",quinn:user:" + QUINN + ",rose:user:" + ROSE + ",walt:user:" + WALT + ",xena:user:" + XENA;
    }

    private static String generate() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "test_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
