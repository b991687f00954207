package dev.agentapi.browser;

import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import java.util.ArrayList;
import java.util.List;

/**
 * A DevTools session of the agent's current page, for what Playwright does not offer: measuring in a world of
 * the service's own, pausing the page's scripts meanwhile, and printing a PDF as a stream read in bounded
 * chunks. Made on first use and kept for the page (it enables no domain, so it receives no events); a session
 * whose call failed is given up and the next use makes a new one. Used on the session's driver thread only.
 */
final class PageDevtools {

    private final Page page;
    private final CDPSession session;
    private String frameId;
    private boolean broken;

    private PageDevtools(Page page, CDPSession session) {
        this.page = page;
        this.session = session;
    }

    static PageDevtools open(BrowserContext context, Page page) {
        return new PageDevtools(page, context.newCDPSession(page));
    }

    /** Whether this session still serves {@code current}. */
    boolean serves(Page current) {
        return !broken && page == current;
    }

    JsonObject send(String method, JsonObject params) {
        try {
            return session.send(method, params);
        } catch (PlaywrightException e) {
            broken = true;
            throw e;
        }
    }

    /** The page's main frame (its id is the page's target id, fixed for the page's life). */
    String mainFrame() {
        if (frameId == null) {
            frameId = send("Page.getFrameTree", new JsonObject()).getAsJsonObject("frameTree").getAsJsonObject("frame")
                    .get("id").getAsString();
        }
        return frameId;
    }

    /** Stops (true) or resumes the page's own scripts; the service's evaluations run either way. */
    void pauseScripts(boolean paused) {
        JsonObject params = new JsonObject();
        params.addProperty("value", paused);
        send("Emulation.setScriptExecutionDisabled", params);
    }

    /**
     * Sessions of the page's frames that run in processes of their own (Chromium puts a cross-site frame in one):
     * the measuring world cannot walk into them from their parent's document. Playwright tracks every frame and
     * gives a session only to those; a frame of the page's own process is skipped. Each session is for one use and
     * is detached by the caller.
     */
    List<PageDevtools> outOfProcessFrames() {
        List<PageDevtools> sessions = new ArrayList<>();
        for (Frame frame : page.frames()) {
            if (frame != page.mainFrame()) {
                try {
                    sessions.add(new PageDevtools(page, page.context().newCDPSession(frame)));
                } catch (PlaywrightException inProcess) {
                    // part of its parent's session (or gone since): walked from its parent's document if there
                }
            }
        }
        return sessions;
    }

    /**
     * Evaluates {@code expression} in a new isolated world of the session's main frame: the page's scripts cannot
     * reach it, and it may read the documents of cross-origin frames in the same process (universal access).
     */
    JsonObject evaluateIsolated(String expression) {
        JsonObject world = new JsonObject();
        world.addProperty("frameId", mainFrame());
        world.addProperty("worldName", "agent-api-measure");
        world.addProperty("grantUniveralAccess", true); // sic: the protocol's spelling
        int context = send("Page.createIsolatedWorld", world).get("executionContextId").getAsInt();
        JsonObject evaluate = new JsonObject();
        evaluate.addProperty("expression", expression);
        evaluate.addProperty("contextId", context);
        evaluate.addProperty("returnByValue", true);
        JsonObject answer = send("Runtime.evaluate", evaluate);
        if (answer.has("exceptionDetails")) {
            throw new PlaywrightException("measuring the page failed");
        }
        return answer.getAsJsonObject("result");
    }

    void detach() {
        try {
            session.detach();
        } catch (PlaywrightException gone) {
            // the page or its session is gone already
        }
    }
}
