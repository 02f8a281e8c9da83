package io.projector.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.projector.signaling.testpeer.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole media path in real Chromium: a presenter page shares its own tab (painting a machine-readable
 * marker), publishes over WHIP to the SFU, and viewers in separate contexts watch over WHEP.
 */
class FirstLightBrowserIT {
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
  @Timeout(120)
  void threeViewersWatchThePresentersScreenThroughTheSfuAndSeeTheEnd() throws Exception {
    Browser presenterBrowser = chromium.launch();
    Browser viewerBrowser = chromium.launch();
    try {
      Page presenter = Chromium.context(presenterBrowser).newPage();
      // One encoding: this test is about the forwarding path; layer choice has its own test below.
      presenter.navigate(base + "/?surface=browser&marker=1&simulcast=0");
      presenter.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start sharing")).click();
      presenter.waitForFunction("() => window.projector && window.projector.state === 'live'", null,
          new Page.WaitForFunctionOptions().setTimeout(20_000));
      String viewerUrl = (String) presenter.evaluate("() => window.projector.viewerUrl");
      assertTrue(viewerUrl.contains("/view/"), viewerUrl);
      @SuppressWarnings("unchecked")
      Map<String, Object> track = (Map<String, Object>) presenter.evaluate("() => window.projector.trackSettings");
      int width = ((Number) track.get("width")).intValue();
      int height = ((Number) track.get("height")).intValue();

      List<Page> viewers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        BrowserContext ctx = Chromium.context(viewerBrowser);
        Page v = ctx.newPage();
        v.navigate(viewerUrl + "?marker=1");
        viewers.add(v);
      }
      for (Page v : viewers) {
        // >= 60 decoded frames within 15 s of joining
        v.waitForFunction("() => window.projector && window.projector.stats.framesRendered >= 60", null,
            new Page.WaitForFunctionOptions().setTimeout(15_000));
        assertViewerSeesThePresenter(v, width, height);
      }
      presenter.waitForFunction("() => window.projector.viewers === 3", null,
          new Page.WaitForFunctionOptions().setTimeout(10_000));
      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(metrics.contains("projector_viewers 3.0"), "metrics count the three viewers");

      // A viewer who joins late gets its first frame within 2 s (keyframe on join).
      Page late = Chromium.context(viewerBrowser).newPage();
      late.addInitScript("""
          (() => { const Orig = window.RTCPeerConnection; window.__connectedAt = null;
            window.RTCPeerConnection = function (...a) { const pc = new Orig(...a);
              pc.addEventListener('connectionstatechange', () => {
                if (pc.connectionState === 'connected' && window.__connectedAt === null) window.__connectedAt = performance.now(); });
              return pc; };
            window.RTCPeerConnection.prototype = Orig.prototype; })();""");
      late.navigate(viewerUrl + "?marker=1");
      late.waitForFunction("() => window.projector && window.projector.stats.firstFrameMs !== null", null,
          new Page.WaitForFunctionOptions().setTimeout(10_000));
      double firstFrameMs = ((Number) late.evaluate("() => window.projector.stats.firstFrameMs")).doubleValue();
      for (Page v : viewers) {
        System.out.println("viewer first frame at " + v.evaluate("() => window.projector.stats.firstFrameMs")
            + " ms; " + v.evaluate("() => performance.getEntriesByType('resource').map(e => e.name.replace(/^.*\\/\\/[^/]+/, '') + '@' + Math.round(e.startTime) + '-' + Math.round(e.responseEnd)).join(' ')"));
      }
      System.out.println("late viewer: connected at " + late.evaluate("() => window.__connectedAt") + " ms; "
          + late.evaluate("() => performance.getEntriesByType('resource').filter(e => e.name.includes('/whep/') || e.name.includes('/api/')).map(e => e.name.replace(/^.*\\/\\/[^/]+/, '').slice(0, 12) + '@' + Math.round(e.startTime) + '-' + Math.round(e.responseEnd)).join(' ')"));
      System.out.println("late viewer first frame at " + firstFrameMs + " ms; presenter sends "
          + presenter.evaluate("""
              async () => { let r = null; (await window.projector.pc.getStats()).forEach(s => {
                if (s.type === 'outbound-rtp' && s.kind === 'video') r = s.targetBitrate; }); return r; }""")
          + " bit/s");
      assertTrue(firstFrameMs <= 2000, "late viewer's first frame after " + firstFrameMs + " ms");
      // view.html's inline script sent the offer before the modules loaded; viewer.js took it over, not resent it.
      assertEquals(1, ((Number) late.evaluate(
          "() => performance.getEntriesByType('resource').filter(e => /^\\/whep\\/[^/]+$/.test(new URL(e.name).pathname)).length")).intValue(),
          "one WHEP offer per join");
      presenter.waitForFunction("() => window.projector.viewers === 4", null,
          new Page.WaitForFunctionOptions().setTimeout(10_000));
      assertViewerSeesThePresenter(late, width, height);
      viewers.add(late);

      // The presenter stops: every viewer shows "ended".
      presenter.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop sharing")).click();
      for (Page v : viewers) {
        v.waitForFunction("() => window.projector.state === 'ended'", null,
            new Page.WaitForFunctionOptions().setTimeout(10_000));
        assertTrue(v.locator("#state").textContent().toLowerCase().contains("ended"));
      }
    } finally {
      presenterBrowser.close();
      viewerBrowser.close();
    }
  }

  @Test
  @Timeout(120)
  void theMiddleLayerIsPausedUntilAViewerNeedsItAndEachViewerGetsTheLayerItAskedFor() {
    Browser presenterBrowser = chromium.launch();
    Browser viewerBrowser = chromium.launch();
    try {
      Page presenter = Chromium.context(presenterBrowser).newPage();
      presenter.navigate(base + "/?surface=browser&marker=1");
      presenter.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start sharing")).click();
      presenter.waitForFunction("() => window.projector && window.projector.state === 'live'", null,
          new Page.WaitForFunctionOptions().setTimeout(20_000));
      String viewerUrl = (String) presenter.evaluate("() => window.projector.viewerUrl");
      int height = ((Number) presenter.evaluate("() => window.projector.trackSettings.height")).intValue();
      // Nobody needs the middle layer: the SFU advises the page to pause it, and Chrome stops encoding it.
      waitForActiveLayers(presenter, "q,f");

      Page full = Chromium.context(viewerBrowser).newPage();
      full.navigate(viewerUrl + "?marker=1");
      full.waitForFunction("() => window.projector && window.projector.stats.markerFrames >= 30", null,
          new Page.WaitForFunctionOptions().setTimeout(20_000));
      full.waitForFunction("h => window.projector.stats.height === h", height,
          new Page.WaitForFunctionOptions().setTimeout(20_000));
      assertEquals("q,f", activeLayers(presenter), "a viewer on the top layer needs no middle layer");
      // The controls fade after 3 s without input and leave the focus order; a key brings them back before Tab
      // moves the focus, so keyboard users still reach them.
      full.waitForFunction("() => document.getElementById('stage').classList.contains('idle')"
          + " && getComputedStyle(document.getElementById('controls')).visibility === 'hidden'", null,
          new Page.WaitForFunctionOptions().setTimeout(10_000));
      full.keyboard().press("Tab");
      full.waitForFunction("() => !document.getElementById('stage').classList.contains('idle')"
          + " && document.getElementById('controls').contains(document.activeElement)", null,
          new Page.WaitForFunctionOptions().setTimeout(5_000));
      Map<String, Long> before = framesEncodedByRid(presenter);
      full.waitForFunction("n => window.projector.stats.markerFrames >= n",
          ((Number) full.evaluate("() => window.projector.stats.markerFrames")).intValue() + 15,
          new Page.WaitForFunctionOptions().setTimeout(10_000));
      Map<String, Long> after = framesEncodedByRid(presenter);
      System.out.println("paused middle layer: frames encoded " + before + " -> " + after);
      assertEquals(before.getOrDefault("h", 0L), after.getOrDefault("h", 0L), "h is not encoded while paused");
      assertTrue(after.get("f") > before.get("f") && after.get("q") > before.get("q"), "q and f still are");

      // A viewer capped to the middle layer: the layer resumes and that viewer gets it.
      Page medium = Chromium.context(viewerBrowser).newPage();
      medium.navigate(viewerUrl + "?marker=1&layer=medium");
      Page preview = Chromium.context(viewerBrowser).newPage();
      preview.navigate(viewerUrl + "?marker=1&layer=low");
      waitForActiveLayers(presenter, "q,h,f");
      for (Page v : List.of(medium, preview)) {
        v.waitForFunction("() => window.projector && window.projector.stats.markerFrames >= 30", null,
            new Page.WaitForFunctionOptions().setTimeout(20_000));
      }
      medium.waitForFunction("h => window.projector.stats.height === h", height / 2,
          new Page.WaitForFunctionOptions().setTimeout(30_000));
      // The full viewer is on (or climbs back to, if a busy host made its feedback look congested) the top layer.
      full.waitForFunction("h => window.projector.stats.height === h", height,
          new Page.WaitForFunctionOptions().setTimeout(20_000));
      int previewHeight = ((Number) preview.evaluate("() => window.projector.stats.height")).intValue();
      System.out.println("simulcast: presenter " + height + " px, full viewer " + height + " px, medium "
          + (height / 2) + " px, preview " + previewHeight + " px");
      assertTrue(previewHeight > 0 && previewHeight <= height / 4, "the preview gets the low layer: " + previewHeight);
    } finally {
      presenterBrowser.close();
      viewerBrowser.close();
    }
  }

  private static void waitForActiveLayers(Page presenter, String rids) {
    presenter.waitForFunction("r => (window.projector.activeLayers || []).join(',') === r", rids,
        new Page.WaitForFunctionOptions().setTimeout(10_000));
  }

  private static String activeLayers(Page presenter) {
    return (String) presenter.evaluate("() => (window.projector.activeLayers || []).join(',')");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Long> framesEncodedByRid(Page presenter) {
    Map<String, Object> raw = (Map<String, Object>) presenter.evaluate("async () => { const out = {};"
        + " (await window.projector.pc.getStats()).forEach((s) => {"
        + "   if (s.type === 'outbound-rtp' && s.kind === 'video' && s.rid) out[s.rid] = s.framesEncoded || 0; });"
        + " return out; }");
    Map<String, Long> frames = new java.util.TreeMap<>();
    raw.forEach((rid, n) -> frames.put(rid, ((Number) n).longValue()));
    return frames;
  }

  /** Decoded markers prove it is the presenter's picture; the selected pair proves it came through the SFU. */
  private static void assertViewerSeesThePresenter(Page v, int width, int height) {
    v.waitForFunction("() => window.projector.stats.markerFrames >= 10", null,
        new Page.WaitForFunctionOptions().setTimeout(10_000));
    assertEquals(width, ((Number) v.evaluate("() => window.projector.stats.width")).intValue(), "video width");
    assertEquals(height, ((Number) v.evaluate("() => window.projector.stats.height")).intValue(), "video height");
    Object remotePort = v.evaluate("""
        async () => {
          const stats = await window.projector.pc.getStats();
          let pairId = null;
          stats.forEach(s => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
          if (!pairId) stats.forEach(s => { if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pairId = s.id; });
          const pair = stats.get(pairId);
          return pair ? stats.get(pair.remoteCandidateId).port : -1;
        }""");
    assertEquals(server.mediaPort(), ((Number) remotePort).intValue(), "selected pair's remote port is the SFU's");
  }
}
