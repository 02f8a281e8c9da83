package io.projector.signaling.nat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import io.projector.signaling.Chromium;
import io.projector.signaling.turn.TurnCredentials;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Media that cannot connect must say why, quickly, instead of spinning. The pages get their ICE servers from
 * {@code GET /api/sessions/{id}} (the viewer page's first one embedded in it); here the answer is replaced (Playwright routing,
 * inside the browser) with what a misconfigured or stale deployment would hand out, while coturn and the SFU
 * stay real:
 * <ul>
 *   <li>presenter behind a UDP-blocking firewall, server without TURN → "no TURN relay configured";</li>
 *   <li>viewer in relay-only mode with an expired credential (right secret, time passed) → coturn's 401;</li>
 *   <li>viewer in relay-only mode with a credential signed by another secret → coturn's 401.</li>
 * </ul>
 */
final class FailureCases {
  private final Chromium chromium;
  private final NatLab lab;
  private final List<String> flags;
  private final String secret;
  private final NatReport report;

  FailureCases(Chromium chromium, NatLab lab, List<String> flags, String secret, NatReport report) {
    this.chromium = chromium;
    this.lab = lab;
    this.flags = flags;
    this.secret = secret;
    this.report = report;
  }

  void run() throws Exception {
    lab.flushConntrack();
    Browser presenterBrowser = chromium.launch(lab.chromiumIn("c1", Chromium.EXECUTABLE), flags); // UDP blocked
    Browser viewerBrowser = chromium.launch(lab.chromiumIn("c2", Chromium.EXECUTABLE), flags); // cone NAT
    try {
      Page presenter = Chromium.context(presenterBrowser).newPage();
      serveIceServers(presenter, new JsonArray());
      presenter.navigate(NatMatrixBrowserIT.BASE + "/?surface=browser&marker=1");
      presenter.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start sharing")).click();
      NatMatrixBrowserIT.await(presenter, "window.projector.viewerUrl", 20_000, "a session");
      String viewerUrl = (String) presenter.evaluate("() => window.projector.viewerUrl");

      long now = System.currentTimeMillis() / 1000;
      String expired = (now - 600) + ":expired-test";
      Page stale = Chromium.context(viewerBrowser).newPage();
      serveIceServers(stale, turn(expired, TurnCredentials.password(secret, expired)));
      stale.navigate(viewerUrl + "?relay=1");
      String forged = (now + 600) + ":forged-test";
      Page wrong = Chromium.context(viewerBrowser).newPage();
      serveIceServers(wrong, turn(forged, TurnCredentials.password("not-the-coturn-secret-0123456789", forged)));
      wrong.navigate(viewerUrl + "?relay=1");

      expectError(stale, "viewer, `?relay=1`", "expired TURN credential", "rejected the credentials");
      expectError(wrong, "viewer, `?relay=1`", "TURN credential signed with another secret",
          "rejected the credentials");
      expectError(presenter, "presenter", "UDP blocked, server without TURN", "no TURN relay configured");
    } finally {
      presenterBrowser.close();
      viewerBrowser.close();
    }
  }

  private static JsonArray turn(String username, String credential) {
    JsonArray urls = new JsonArray();
    for (String u : LabServices.turnUrls().split(",")) {
      urls.add(u);
    }
    return new JsonArray().add(new JsonObject().put("urls", urls).put("username", username)
        .put("credential", credential));
  }

  /**
   * Answers the page's GET /api/sessions/{id} with these ICE servers; everything else goes to the SFU. The viewer
   * page would arrive with the lookup's answer embedded (see WebRoutes): it is served without, so it asks.
   */
  private static void serveIceServers(Page page, JsonArray iceServers) {
    page.route("**/view/*", route -> route.fulfill(new Route.FulfillOptions().setStatus(200)
        .setContentType("text/html; charset=utf-8").setBody(viewerPageWithoutSession())));
    page.route("**/api/sessions/*", route -> {
      if (!"GET".equals(route.request().method())) {
        route.resume();
        return;
      }
      String url = route.request().url();
      String id = url.substring(url.lastIndexOf('/') + 1);
      route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType("application/json")
          .setBody(new JsonObject().put("id", id).put("live", false).put("viewers", 0)
              .put("createdAt", "2026-01-01T00:00:00Z").put("iceServers", iceServers).encode()));
    });
  }

  /** view.html as packaged, its session placeholder left as null (the server would fill it in). */
  private static String viewerPageWithoutSession() {
    try (var in = FailureCases.class.getClassLoader().getResourceAsStream("web/view.html")) {
      String html = new String(java.util.Objects.requireNonNull(in, "web/view.html on the classpath").readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      if (!html.contains("/*PROJECTOR_SESSION*/null")) {
        throw new AssertionError("view.html no longer has its session placeholder");
      }
      return html;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The page reaches state 'error' with the diagnosis on screen, well before any connection timeout. */
  private void expectError(Page page, String who, String problem, String expected) {
    NatMatrixBrowserIT.await(page, "window.projector.state === 'error' && window.projector.iceError", 30_000,
        who + ": an error for " + problem);
    // When the page first showed it (ms since the page was opened), not when this check got to look.
    long shownAfter = Math.round(NatMatrixBrowserIT.num(page.evaluate("() => window.projector.iceErrorAtMs")));
    String message = (String) page.evaluate("() => window.projector.iceError");
    String onScreen = page.locator("body").innerText();
    assertTrue(message.contains(expected), who + " / " + problem + ": " + message);
    assertTrue(onScreen.contains(expected), "the message is on screen: " + onScreen);
    report.add(new NatReport.Failure(who, problem, message, shownAfter));
    System.out.printf("NAT failure case (%s, %s): '%s' after %d ms%n", who, problem, message, shownAfter);
  }
}
