package io.projector.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.projector.signaling.testpeer.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ?relay=1} on a server without TURN: both pages say at once that relay-only needs a TURN server,
 * instead of waiting for a connection that cannot happen. (With TURN, relay paths are covered by
 * NatMatrixBrowserIT.)
 */
class RelayWithoutTurnBrowserIT {
  private static ProjectorServer server;
  private static Chromium chromium;
  private static String base;

  @BeforeAll
  static void start() {
    chromium = Chromium.start();
    server = TestServer.startReady(ServerConfig.ephemeral());
    base = "http://127.0.0.1:" + server.httpPort();
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Timeout(60)
  void relayOnlyWithoutTurnIsAClearErrorOnBothPages() {
    Browser browser = chromium.launch();
    try {
      Page presenter = Chromium.context(browser).newPage();
      presenter.navigate(base + "/?surface=browser&relay=1");
      presenter.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start sharing")).click();
      presenter.waitForFunction("() => window.projector.state === 'error'", null,
          new Page.WaitForFunctionOptions().setTimeout(10_000));
      String status = presenter.locator("#status").textContent();
      assertTrue(status.contains("Relay-only mode (?relay=1) needs a TURN server"), status);
      assertEquals(Boolean.TRUE, presenter.evaluate("() => window.projector.relay"));

      String viewerUrl = (String) presenter.evaluate("() => window.projector.viewerUrl");
      Page viewer = Chromium.context(browser).newPage();
      viewer.navigate(viewerUrl + "?relay=1");
      viewer.waitForFunction("() => window.projector.state === 'error'", null,
          new Page.WaitForFunctionOptions().setTimeout(10_000));
      String detail = viewer.locator("#detail").textContent();
      assertTrue(detail.contains("needs a TURN server, but this server has none configured"), detail);
      assertTrue(viewer.locator("#state").textContent().contains("Cannot play"), viewer.locator("#state").textContent());
    } finally {
      browser.close();
    }
  }
}
