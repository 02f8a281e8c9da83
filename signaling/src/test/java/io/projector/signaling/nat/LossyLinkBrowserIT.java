package io.projector.signaling.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.projector.signaling.Chromium;
import io.projector.signaling.nat.NatLab.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The faults of issue 3 ("Faults the tests must survive"), in real Chromium over links the test impairs itself:
 * random UDP loss and a token-bucket rate limit on simulated home routers of a {@link NatLab} (no {@code tc
 * netem} on these machines). One presenter (client c2 behind router r2) shares its tab for the whole class; each
 * case starts two fresh viewers, one behind router r1 (client c1, the one a fault may hit) and one on the public
 * network (d1, never impaired), warms up, then measures a {@value #WINDOW_MS} ms window from getStats deltas
 * and from the viewer's rendered frames ({@code requestVideoFrameCallback}): frame rate, the longest time without
 * a new frame, Chrome's freeze counters, NACKs, residual loss, retransmissions, the decoded resolution (which
 * simulcast layer) each second, and the SFU's counters from {@code /metrics}. The numbers go into
 * docs/benchmarks.md between the lossy-links markers.
 *
 * <p>Thresholds are deliberately generous for a shared 2-core machine running three browsers and the SFU: 20 fps
 * (the presenter captures 30; 15 in case 2) and no gap over 1 s between rendered frames. The layer assertions
 * are strict: the limited viewer below the presenter's height at the end and for >= 75 % of the per-second
 * samples; the unimpaired viewer at the presenter's full height at the end and for >= 90 % of them. The SFU's
 * log is kept in target/lossy-links-sfu.log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LossyLinkBrowserIT {
  static final String BASE = "http://" + NatLab.SFU_PUBLIC + ":" + LabServices.HTTP_PORT;
  static final double LOSS = 0.05;
  static final String RATE = "1mbit";
  static final long WINDOW_MS = 20_000;
  static final double MIN_FPS = 20;
  /**
   * Case 2 asks only that viewers keep decoding (the issue: "recover through retransmission"): half the capture
   * rate. Every packet of every viewer waits for the presenter's retransmission there, and on a loaded 2-core box
   * the presenter itself falls to ~26 fps; 20 fps would measure the machine, not the repair.
   */
  static final double MIN_FPS_UPSTREAM_LOSS = 15;
  static final double MAX_FREEZE_MS = 1_000;
  private static final List<String> LAB_FLAGS =
      List.of("--unsafely-treat-insecure-origin-as-secure=" + BASE); // getDisplayMedia needs a secure context

  static Chromium chromium;
  static NatLab lab;
  static LinkFaults faults;
  static Daemon sfu;
  static Browser presenterBrowser;
  static Page presenter;
  static int fullWidth;
  static int fullHeight;
  static String chromiumVersion = "?";
  static String loadAtStart = "?";
  static final Map<Integer, CaseResult> RESULTS = new LinkedHashMap<>();

  @BeforeAll
  static void setUp() throws Exception {
    chromium = Chromium.start();
    LabPreconditions.require("the lossy-link tests", List.of("ip", "iptables", "tc", "curl"));
    loadAtStart = load();
    lab = NatLab.create(LabServices.HTTP_PORT, Coturn.TLS_PORT);
    faults = new LinkFaults(lab);
    lab.routerMode("r1", Mode.CONE);
    lab.routerMode("r2", Mode.CONE);
    sfu = LabServices.startSfu(lab, Map.of()); // no TURN: every client reaches the SFU directly
    presenterBrowser = chromium.launch(lab.chromiumIn("c2", Chromium.EXECUTABLE), LAB_FLAGS);
    chromiumVersion = presenterBrowser.version();
    presenter = Chromium.context(presenterBrowser).newPage();
    presenter.navigate(BASE + "/?surface=browser&marker=1");
    presenter.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start sharing")).click();
    NatMatrixBrowserIT.sfu = sfu; // its await() appends the SFU's log to a timeout
    NatMatrixBrowserIT.await(presenter, "window.projector.state === 'live'", 30_000, "presenter live");
    @SuppressWarnings("unchecked")
    Map<String, Object> track = (Map<String, Object>) presenter.evaluate("() => window.projector.trackSettings");
    fullWidth = ((Number) track.get("width")).intValue();
    fullHeight = ((Number) track.get("height")).intValue();
  }

  @AfterAll
  static void tearDown() {
    try {
      if (RESULTS.size() == 3) {
        String section = markdown();
        System.out.println(section);
        Path doc = Path.of(System.getProperty("basedir", "."), "..", "docs", "benchmarks.md").normalize();
        writeInto(doc, section);
      }
    } catch (IOException e) {
      System.err.println("lossy links: could not write docs/benchmarks.md: " + e);
    } finally {
      NatMatrixBrowserIT.sfu = null;
      if (sfu != null) {
        sfu.keepLog("lossy-links-sfu.log");
      }
      for (AutoCloseable c : new AutoCloseable[] {presenterBrowser, chromium, sfu, lab}) {
        if (c != null) {
          try {
            c.close();
          } catch (Exception e) {
            System.err.println("lossy-link lab clean-up: " + e);
          }
        }
      }
    }
  }

  @Test
  @Order(1)
  @Timeout(150)
  void case1FivePercentLossToOneViewer() throws Exception {
    faults.randomLoss("r1", LOSS);
    try (Viewers v = Viewers.join()) {
      Thread.sleep(6_000); // warm-up: join, first keyframe, bandwidth estimate settles
      long drops0 = faults.lossDrops("r1");
      Window w = measure(v);
      long drops = faults.lossDrops("r1") - drops0;
      CaseResult r = record(1, "5 % random UDP loss between the SFU and viewer A (both directions)", w,
          "iptables dropped " + drops + " packets on A's link in the window");
      ViewerResult a = w.impaired;
      ViewerResult b = w.clean;
      assertTrue(drops > 0, "the loss rule dropped nothing: " + r);
      assertTrue(a.nacks > 0, "the lossy viewer never NACKed (no loss reached it?): " + r);
      assertTrue(w.sfu("retransmissions.sent") > 0, "the SFU resent nothing: " + r);
      assertFluent(a, r);
      assertFluent(b, r);
      assertTopLayer(b, r);
      PASSED.put(r.number(), true);
    } finally {
      faults.clear("r1");
    }
  }

  @Test
  @Order(2)
  @Timeout(150)
  void case3ViewerLimitedToOneMbitGetsALowerLayerTheOtherKeepsTheTop() throws Exception {
    faults.rateLimit("r1", RATE);
    try (Viewers v = Viewers.join()) {
      Thread.sleep(10_000); // warm-up: the limited viewer's estimate falls, the SFU steps down (>= 1 s over budget)
      long drops0 = faults.rateLimitDrops("r1");
      Window w = measure(v);
      long drops = faults.rateLimitDrops("r1") - drops0;
      CaseResult r = record(3, "viewer A's download limited to 1 Mbit/s (tc tbf, burst 32 kbit, latency 50 ms)", w,
          "token bucket dropped " + drops + " packets in the window");
      ViewerResult a = w.impaired;
      ViewerResult b = w.clean;
      assertTrue(a.rxMbps < 1.1, "the limited viewer received more than the limit: " + r);
      assertTrue(a.finalHeight > 0 && a.finalHeight < fullHeight,
          "the limited viewer should decode a lower layer than " + fullHeight + " px: " + r);
      assertTrue(a.shareBelowTop >= 0.75,
          "the limited viewer was on a lower layer only " + pct(a.shareBelowTop) + " of the window: " + r);
      assertFluent(a, r);
      assertFluent(b, r);
      assertTopLayer(b, r);
      PASSED.put(r.number(), true);
    } finally {
      faults.clear("r1");
    }
  }

  @Test
  @Order(3)
  @Timeout(150)
  void case2FivePercentLossOnThePresentersPathIsRepairedByRetransmission() throws Exception {
    try (Viewers v = Viewers.join()) {
      Thread.sleep(3_000);
      faults.randomLoss("r2", LOSS);
      Thread.sleep(5_000); // "after the first seconds": the presenter's encoder and estimate adapt to the loss
      long drops0 = faults.lossDrops("r2");
      Window w = measure(v);
      long drops = faults.lossDrops("r2") - drops0;
      CaseResult r = record(2, "5 % random UDP loss between the presenter and the SFU (both directions)", w,
          "iptables dropped " + drops + " packets on the presenter's link in the window");
      assertTrue(drops > 0, "the loss rule dropped nothing: " + r);
      assertTrue(w.sfu("nacks.to.presenter") > 0, "the SFU sent no NACK upstream: " + r);
      assertTrue(w.sfu("retransmissions.repaired.upstream") > 0, "no packet was repaired from the presenter: " + r);
      assertTrue(w.presenterRetransmitted > 0, "the presenter retransmitted nothing: " + r);
      for (ViewerResult x : List.of(w.impaired, w.clean)) {
        assertFluent(x, r, MIN_FPS_UPSTREAM_LOSS);
        // 5 % was dropped upstream; what the viewer still misses after all retransmissions must be far less.
        assertTrue(x.residualLoss < 0.01, x.who + " never got " + pct(x.residualLoss) + " of the packets: " + r);
      }
      PASSED.put(r.number(), true);
    } finally {
      faults.clear("r2");
    }
  }

  private static void assertFluent(ViewerResult x, CaseResult r) {
    assertFluent(x, r, MIN_FPS);
  }

  private static void assertFluent(ViewerResult x, CaseResult r, double minFps) {
    assertTrue(x.fps >= minFps, x.who + ": " + fmt(x.fps) + " fps < " + minFps + ": " + r);
    assertTrue(x.maxGapMs <= MAX_FREEZE_MS,
        x.who + ": no new frame for " + Math.round(x.maxGapMs) + " ms (> " + MAX_FREEZE_MS + "): " + r);
  }

  private static void assertTopLayer(ViewerResult x, CaseResult r) {
    assertEquals(fullHeight, x.finalHeight, x.who + " should decode the presenter's full resolution: " + r);
    assertTrue(x.shareBelowTop <= 0.1, x.who + " was below the top layer " + pct(x.shareBelowTop) + ": " + r);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Viewers and measurement

  /** Viewer A in c1 (behind r1, where faults go) and viewer B in d1 (public, never impaired), fresh browsers. */
  static final class Viewers implements AutoCloseable {
    final Browser ab;
    final Browser bb;
    final Page a;
    final Page b;

    private Viewers(Browser ab, Browser bb, Page a, Page b) {
      this.ab = ab;
      this.bb = bb;
      this.a = a;
      this.b = b;
    }

    static Viewers join() throws IOException {
      String url = (String) presenter.evaluate("() => window.projector.viewerUrl") + "?marker=1";
      Browser ab = chromium.launch(lab.chromiumIn("c1", Chromium.EXECUTABLE), LAB_FLAGS);
      Browser bb = chromium.launch(lab.chromiumIn("d1", Chromium.EXECUTABLE), LAB_FLAGS);
      Viewers v = new Viewers(ab, bb, Chromium.context(ab).newPage(), Chromium.context(bb).newPage());
      v.a.navigate(url);
      v.b.navigate(url);
      for (Page p : List.of(v.a, v.b)) {
        NatMatrixBrowserIT.await(p, "window.projector.stats.markerFrames >= 10", 30_000,
            "viewer decoding the presenter's frames");
      }
      return v;
    }

    @Override
    public void close() {
      ab.close();
      bb.close();
    }
  }

  /** Starts a frame-gap monitor on the viewer's video element (replacing an earlier one). */
  private static final String MONITOR_START = """
      () => { const v = document.getElementById('video');
        const m = { start: performance.now(), last: performance.now(), maxGapMs: 0, frames: 0 };
        const gen = (window.__gapGen = (window.__gapGen || 0) + 1);
        window.__gap = m;
        const cb = (now) => { if (window.__gapGen !== gen) return;
          const g = now - m.last; if (g > m.maxGapMs) m.maxGapMs = g; m.last = now; m.frames++;
          v.requestVideoFrameCallback(cb); };
        v.requestVideoFrameCallback(cb); }""";
  private static final String MONITOR_READ = """
      () => { const m = window.__gap; const now = performance.now();
        return { maxGapMs: Math.max(m.maxGapMs, now - m.last), frames: m.frames, ms: now - m.start }; }""";
  private static final String INBOUND = """
      async () => { const r = { t: performance.now() };
        (await window.projector.pc.getStats()).forEach(s => {
          if (s.type === 'inbound-rtp' && s.kind === 'video') Object.assign(r, {
            framesDecoded: s.framesDecoded, freezeCount: s.freezeCount, totalFreezesDuration: s.totalFreezesDuration,
            nackCount: s.nackCount, pliCount: s.pliCount, packetsLost: s.packetsLost, packetsReceived: s.packetsReceived,
            retransmittedPacketsReceived: s.retransmittedPacketsReceived || 0, bytesReceived: s.bytesReceived,
            frameHeight: s.frameHeight || 0, frameWidth: s.frameWidth || 0, framesPerSecond: s.framesPerSecond || 0 }); });
        return r; }""";
  private static final String OUTBOUND = """
      async () => { const r = { t: performance.now(), layers: {} };
        (await window.projector.pc.getStats()).forEach(s => {
          if (s.type === 'outbound-rtp' && s.kind === 'video') r.layers[s.rid || '-'] = {
            bytesSent: s.bytesSent, frameHeight: s.frameHeight || 0, framesPerSecond: s.framesPerSecond || 0,
            nackCount: s.nackCount || 0, retransmittedPacketsSent: s.retransmittedPacketsSent || 0,
            targetBitrate: s.targetBitrate || 0, qualityLimitationReason: s.qualityLimitationReason }; });
        return r; }""";

  record ViewerResult(String who, double fps, double maxGapMs, long freezes, double freezeSeconds, long nacks,
      long plis, double residualLoss, long packetsLost, long retransmittedReceived, double rxMbps,
      List<Integer> heights, int finalHeight, double shareBelowTop) {

    String heightsText() {
      int min = heights.stream().mapToInt(Integer::intValue).min().orElse(0);
      int max = heights.stream().mapToInt(Integer::intValue).max().orElse(0);
      return (min == max ? "" + min : min + "–" + max) + " (end " + finalHeight + ")";
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "%s: %.1f fps, longest gap %d ms, freezes %d (%.2f s), NACKs %d, PLIs %d, packetsLost %d (not repaired %s), "
              + "RTX received %d, %.2f Mbit/s, heights %s, below top %s",
          who, fps, Math.round(maxGapMs), freezes, freezeSeconds, nacks, plis, packetsLost, pct(residualLoss),
          retransmittedReceived, rxMbps, heights, heightsText(), pct(shareBelowTop));
    }
  }

  /** One measured window: both viewers, the SFU's counter deltas, the presenter's layers. */
  record Window(ViewerResult impaired, ViewerResult clean, Map<String, Long> sfuDeltas,
      long presenterRetransmitted, long presenterNacks, String presenterLayers) {
    long sfu(String name) {
      return sfuDeltas.getOrDefault(name, 0L);
    }
  }

  record CaseResult(int number, String fault, Window window, String linkNote) {
    @Override
    public String toString() {
      return "case " + number + " (" + fault + "): " + window.impaired + "; " + window.clean + "; SFU "
          + window.sfuDeltas + "; presenter NACKs " + window.presenterNacks + ", retransmitted "
          + window.presenterRetransmitted + ", layers " + window.presenterLayers + "; " + linkNote;
    }
  }

  private static CaseResult record(int number, String fault, Window w, String note) {
    CaseResult r = new CaseResult(number, fault, w, note);
    RESULTS.put(number, r);
    System.out.println("Lossy links: " + r);
    return r;
  }

  @SuppressWarnings("unchecked")
  private static Window measure(Viewers v) throws InterruptedException {
    List<Page> pages = List.of(v.a, v.b);
    List<Map<String, Object>> before = new ArrayList<>();
    for (Page p : pages) {
      p.evaluate(MONITOR_START);
      before.add((Map<String, Object>) p.evaluate(INBOUND));
    }
    Map<String, Double> sfu0 = sfuCounters();
    Map<String, Object> out0 = (Map<String, Object>) presenter.evaluate(OUTBOUND);
    List<List<Integer>> heights = List.of(new ArrayList<>(), new ArrayList<>());
    long end = System.nanoTime() + WINDOW_MS * 1_000_000;
    while (System.nanoTime() < end) {
      Thread.sleep(Math.min(1_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      for (int i = 0; i < pages.size(); i++) {
        Map<String, Object> s = (Map<String, Object>) pages.get(i).evaluate(INBOUND);
        heights.get(i).add((int) num(s.get("frameHeight")));
      }
    }
    List<ViewerResult> results = new ArrayList<>();
    for (int i = 0; i < pages.size(); i++) {
      Map<String, Object> gap = (Map<String, Object>) pages.get(i).evaluate(MONITOR_READ);
      Map<String, Object> after = (Map<String, Object>) pages.get(i).evaluate(INBOUND);
      results.add(viewerResult(i == 0 ? "viewer A (c1, behind r1)" : "viewer B (d1, never impaired)",
          before.get(i), after, gap, heights.get(i)));
    }
    Map<String, Object> out1 = (Map<String, Object>) presenter.evaluate(OUTBOUND);
    Map<String, Double> sfu1 = sfuCounters();
    Map<String, Long> deltas = new LinkedHashMap<>();
    for (var e : sfu1.entrySet()) {
      deltas.put(e.getKey(), Math.round(e.getValue() - sfu0.getOrDefault(e.getKey(), 0.0)));
    }
    long rtx = 0;
    long nacks = 0;
    StringBuilder layers = new StringBuilder();
    double secs = (num(out1.get("t")) - num(out0.get("t"))) / 1000;
    Map<String, Object> l0 = (Map<String, Object>) out0.get("layers");
    Map<String, Object> l1 = (Map<String, Object>) out1.get("layers");
    for (String rid : List.of("q", "h", "f")) {
      Map<String, Object> a = (Map<String, Object>) l0.get(rid);
      Map<String, Object> b = (Map<String, Object>) l1.get(rid);
      if (a == null || b == null) {
        continue;
      }
      rtx += (long) (num(b.get("retransmittedPacketsSent")) - num(a.get("retransmittedPacketsSent")));
      nacks += (long) (num(b.get("nackCount")) - num(a.get("nackCount")));
      layers.append(layers.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %dp %.0f fps %.2f Mbit/s",
          rid, (int) num(b.get("frameHeight")), num(b.get("framesPerSecond")),
          (num(b.get("bytesSent")) - num(a.get("bytesSent"))) * 8 / secs / 1e6));
    }
    return new Window(results.get(0), results.get(1), deltas, rtx, nacks, layers.toString());
  }

  private static ViewerResult viewerResult(String who, Map<String, Object> a, Map<String, Object> b,
      Map<String, Object> gap, List<Integer> heights) {
    double secs = (num(b.get("t")) - num(a.get("t"))) / 1000;
    assertTrue(num(b.get("framesDecoded")) >= num(a.get("framesDecoded")),
        who + ": the viewer's stats went backwards (it reconnected?)");
    long lost = (long) (num(b.get("packetsLost")) - num(a.get("packetsLost")));
    long received = (long) (num(b.get("packetsReceived")) - num(a.get("packetsReceived")));
    // Chrome counts a packet recovered over RTX as received on the RTX stream only: the media stream's
    // packetsLost keeps it. What stayed missing is about packetsLost minus the RTX packets received.
    long rtx = (long) (num(b.get("retransmittedPacketsReceived")) - num(a.get("retransmittedPacketsReceived")));
    int finalHeight = (int) num(b.get("frameHeight"));
    long below = heights.stream().filter(h -> h != fullHeight).count();
    return new ViewerResult(who,
        (num(b.get("framesDecoded")) - num(a.get("framesDecoded"))) / secs,
        num(gap.get("maxGapMs")),
        (long) (num(b.get("freezeCount")) - num(a.get("freezeCount"))),
        num(b.get("totalFreezesDuration")) - num(a.get("totalFreezesDuration")),
        (long) (num(b.get("nackCount")) - num(a.get("nackCount"))),
        (long) (num(b.get("pliCount")) - num(a.get("pliCount"))),
        received + lost <= 0 ? 0 : Math.max(0, lost - rtx) / (double) (received + lost),
        lost,
        rtx,
        (num(b.get("bytesReceived")) - num(a.get("bytesReceived"))) * 8 / secs / 1e6,
        heights, finalHeight, heights.isEmpty() ? 0 : below / (double) heights.size());
  }

  /** The SFU's media counters, read from its /metrics inside the lab (from d1, a public host). */
  static Map<String, Double> sfuCounters() {
    String text = Sh.in(lab.ns("d1"), "curl", "-s", "--max-time", "5", BASE + "/metrics");
    Map<String, Double> m = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      String key = null;
      if (line.startsWith("projector_nacks_total")) {
        key = line.contains("from_viewers") ? "nacks.from.viewers" : "nacks.to.presenter";
      } else if (line.startsWith("projector_retransmissions_total")) {
        key = line.contains("\"sent\"") ? "retransmissions.sent"
            : line.contains("\"miss\"") ? "retransmissions.miss" : "retransmissions.repaired.upstream";
      } else if (line.startsWith("projector_keyframe_requests_total")) {
        key = line.contains("viewers") ? "keyframe.requests.from.viewers" : "keyframe.requests.to.presenter";
      }
      if (key != null) {
        m.put(key, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    assertTrue(m.containsKey("retransmissions.sent"), "no retransmission counters in /metrics:\n" + text);
    return m;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Report

  static String markdown() {
    String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    StringBuilder md = new StringBuilder();
    md.append("## Lossy links (real Chromium, impaired links)\n\n");
    md.append("Measured by `mvn -o -B verify -pl signaling -Dit.test=LossyLinkBrowserIT -Dtest=none "
        + "-Dsurefire.failIfNoSpecifiedTests=false` (`signaling/src/test/java/io/projector/signaling/nat/"
        + "LossyLinkBrowserIT.java`) on ").append(date).append(", repository at commit ").append(commit())
        .append(".\n\n");
    md.append("Machine: ").append(machine()).append(".\n\n");
    md.append("Set-up: network namespaces built by the test (the NAT lab of `docs/nat.md`): the SFU behind a 1:1 "
        + "NAT, the presenter behind home router r2, viewer A behind home router r1 (where faults go), viewer B on "
        + "the public side (never impaired); each a separate headless Chromium. Loss is `iptables -I FORWARD -p udp "
        + "-m statistic --mode random --probability 0.05 -j DROP` in the router (both directions: media, RTCP and "
        + "STUN); the rate limit is `tc qdisc ... tbf rate 1mbit burst 32kbit latency 50ms` on the router's LAN "
        + "interface (what flows to the viewer). The presenter page (marker strip, three VP8 simulcast layers) "
        + "captures its ").append(fullWidth).append("×").append(fullHeight).append(" tab at up to 30 fps. Each "
        + "case: two fresh viewers join, warm up, then a ").append(WINDOW_MS / 1000).append(" s window is measured "
        + "from getStats deltas (`inbound-rtp`) and the viewer's rendered frames (`requestVideoFrameCallback`). "
        + "\"Longest gap\" is the longest time without a new rendered frame (the test fails above ")
        .append(Math.round(MAX_FREEZE_MS)).append(" ms); fps must be ≥ ").append(Math.round(MIN_FPS)).append(" (≥ ")
        .append(Math.round(MIN_FPS_UPSTREAM_LOSS)).append(" in case 2, where the viewers need only keep decoding)")
        .append("; \"Chrome freezes\" are `freezeCount` / `totalFreezesDuration` (Chrome's own, stricter "
        + "definition: a frame 3× late); `packetsLost` is Chrome's counter for the video stream, which keeps "
        + "packets later recovered over RTX (they count on the RTX stream); \"not repaired\" is packetsLost − "
        + "RTX packets received, over packets expected (an estimate: a packet resent twice counts twice).\n\n");
    md.append("| case | fault | viewer | fps | longest gap | Chrome freezes | NACKs sent | packetsLost (not repaired) | "
        + "RTX received | received | decoded height each second (end) | passed |\n");
    md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
    for (CaseResult r : RESULTS.values()) {
      for (ViewerResult x : List.of(r.window.impaired, r.window.clean)) {
        md.append(String.format(Locale.ROOT, "| %d | %s | %s | %.1f | %d ms | %d (%.2f s) | %d | %d (%s) | %d | "
                + "%.2f Mbit/s | %s | %s |\n",
            r.number, r.fault, x.who, x.fps, Math.round(x.maxGapMs), x.freezes, x.freezeSeconds, x.nacks,
            x.packetsLost, pct(x.residualLoss), x.retransmittedReceived, x.rxMbps, x.heightsText(),
            passed(r.number) ? "yes" : "**no**"));
      }
    }
    md.append("\nThe SFU's counters (`/metrics`, deltas over each window) and the link:\n\n");
    md.append("| case | NACKs from viewers | packets resent to viewers | cache misses | NACKs to the presenter | "
        + "repaired from the presenter | keyframe requests from viewers / to the presenter | presenter: NACKs "
        + "received, packets retransmitted | presenter's layers at the end | link |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
    for (CaseResult r : RESULTS.values()) {
      Window w = r.window;
      md.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %d | %d / %d | %d, %d | %s | %s |\n",
          r.number, w.sfu("nacks.from.viewers"), w.sfu("retransmissions.sent"), w.sfu("retransmissions.miss"),
          w.sfu("nacks.to.presenter"), w.sfu("retransmissions.repaired.upstream"),
          w.sfu("keyframe.requests.from.viewers"), w.sfu("keyframe.requests.to.presenter"), w.presenterNacks,
          w.presenterRetransmitted, w.presenterLayers, r.linkNote));
    }
    md.append("\nLoad average (1 / 5 / 15 min): ").append(loadAtStart).append(" at the start, ").append(load())
        .append(" at the end.\n");
    return md.toString();
  }

  static final Map<Integer, Boolean> PASSED = new LinkedHashMap<>();

  private static boolean passed(int number) {
    return PASSED.getOrDefault(number, false);
  }

  static void writeInto(Path doc, String section) throws IOException {
    String begin = "<!-- lossy-links:begin -->";
    String end = "<!-- lossy-links:end -->";
    String block = begin + "\n" + section + end;
    String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n";
    int b = text.indexOf(begin);
    int e = text.indexOf(end);
    if (b >= 0 && e > b) {
      text = text.substring(0, b) + block + text.substring(e + end.length());
    } else {
      text = text + (text.endsWith("\n") ? "\n" : "\n\n") + block + "\n";
    }
    Files.writeString(doc, text);
  }

  private static String machine() {
    String cpu = "?";
    String os = "Linux";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith("PRETTY_NAME=")) {
          os = line.substring(12).replace("\"", "");
        }
      }
    } catch (IOException ignored) {
      // keep the defaults
    }
    long memGiB = 0;
    try {
      String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D+", "");
      memGiB = Math.round(Long.parseLong(mem) / 1024.0 / 1024.0);
    } catch (IOException | RuntimeException ignored) {
      // unknown
    }
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memGiB + " GiB RAM, " + os
        + ", kernel " + System.getProperty("os.version") + ", Chromium " + chromiumVersion
        + " (headless, software VP8), Java " + System.getProperty("java.version");
  }

  private static String commit() {
    Sh.Result r = Sh.exec(List.of("git", "-C", Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
        .toString(), "rev-parse", "--short", "HEAD"));
    if (r.exit() != 0) {
      return "?";
    }
    Sh.Result dirty = Sh.exec(List.of("git", "-C", Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
        .toString(), "status", "--porcelain", "--untracked-files=no"));
    return r.out().trim() + (dirty.out().isBlank() ? "" : " with uncommitted changes");
  }

  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  static String pct(double f) {
    return String.format(Locale.ROOT, "%.1f %%", f * 100);
  }

  static String fmt(double d) {
    return String.format(Locale.ROOT, "%.1f", d);
  }

  static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : 0;
  }
}
