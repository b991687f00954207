package dev.agentapi.browser;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.WebSocketRoute;
import java.net.URI;
import java.util.Optional;

/**
 * Routes every request and WebSocket of one browser context through the navigation guard, and
 * remembers the last refusal so a failed action can say why it failed.
 */
final class GuardedRoutes {

    private final NavigationGuard guard;
    private volatile String lastRefusal;

    GuardedRoutes(NavigationGuard guard) {
        this.guard = guard;
    }

    void install(BrowserContext context) {
        context.route("**/*", this::guardRequest);
        context.routeWebSocket(url -> true, this::guardWebSocket);
    }

    /** Why a request of the running action was refused (URL and reason), or null. */
    String lastRefusal() {
        return lastRefusal;
    }

    /** Called as an action starts: refusals of earlier actions are not its reason. */
    void forgetRefusal() {
        lastRefusal = null;
    }

    /** WebSockets are checked like requests (ws as http, wss as https) and connected only when allowed. */
    private void guardWebSocket(WebSocketRoute socket) {
        String url = socket.url();
        String asHttp = url.regionMatches(true, 0, "ws", 0, 2) ? "http" + url.substring(2) : url;
        Optional<String> refusal = guard.refusal(asHttp);
        if (refusal.isPresent()) {
            lastRefusal = url + ": " + refusal.get();
            socket.close(new WebSocketRoute.CloseOptions().setCode(1008).setReason("refused by the navigation guard"));
            return;
        }
        socket.connectToServer();
    }

    /**
     * Every request the page makes, first load, redirect hop or subresource, is checked. Redirects
     * are fetched without following them, so each hop's target is checked before the browser goes there.
     */
    private void guardRequest(Route route) {
        try {
            checkAndFetch(route);
        } catch (RuntimeException unexpected) {
            // e.g. a redirect whose Location is no URL: the request fails, the action reports it
            try {
                route.abort("failed");
            } catch (PlaywrightException alreadyGone) {
                // the page or browser closed meanwhile
            }
        }
    }

    private void checkAndFetch(Route route) {
        String url = route.request().url();
        Optional<String> refusal = guard.refusal(url);
        if (refusal.isPresent()) {
            lastRefusal = url + ": " + refusal.get();
            route.abort("blockedbyclient");
            return;
        }
        APIResponse response;
        try {
            response = route.fetch(new Route.FetchOptions().setMaxRedirects(0));
        } catch (PlaywrightException unreachable) {
            route.abort("failed");
            return;
        }
        String location = response.headers().get("location");
        if (response.status() >= 300 && response.status() < 400 && location != null) {
            String target = URI.create(url).resolve(location).toString();
            Optional<String> hop = guard.refusal(target);
            if (hop.isPresent()) {
                lastRefusal = target + ": " + hop.get();
                route.abort("blockedbyclient");
                return;
            }
        }
        route.fulfill(new Route.FulfillOptions().setResponse(response));
    }
}
