package io.projector.signaling.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.AriaRole;
import io.projector.signaling.Chromium;
import io.projector.signaling.nat.NatLab.Mode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The NAT matrix of issue "No NAT pain", for real: Chromium presenter and viewer pages in client namespaces
 * behind simulated home routers, this build's SFU behind a 1:1 NAT announcing its public address, and Debian's
 * coturn. Each case asserts that the viewer decodes the presenter's marker frames and which candidate pair each
 * browser selected; the measured table goes into docs/nat.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NatMatrixBrowserIT {
  static final String SECRET = HexFormat.of().formatHex(SecureRandom.getSeed(24));
  static final String BASE = "http://" + NatLab.SFU_PUBLIC + ":" + LabServices.HTTP_PORT;
  static final int CASES = 6;
  private static final List<String> LAB_FLAGS = List.of(
      "--unsafely-treat-insecure-origin-as-secure=" + BASE, // getDisplayMedia needs a secure context
      "--ignore-certificate-errors"); // coturn's TLS certificate is self-signed

  static Chromium chromium;
  static NatLab lab;
  static Daemon coturn;
  static Daemon sfu;
  static String chromiumVersion = "?";
  static final NatReport REPORT = new NatReport();

  /** Where the selected pair must go. */
  enum Expect { DIRECT, RELAY, RELAY_TLS }

  @BeforeAll
  static void setUp() throws Exception {
    chromium = Chromium.start();
    LabPreconditions.require();
    lab = NatLab.create(LabServices.HTTP_PORT, Coturn.TLS_PORT);
    coturn = Coturn.start(lab, SECRET);
    sfu = LabServices.startSfu(lab, SECRET);
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      if (REPORT.rowCount() == CASES) {
        Path doc = Path.of(System.getProperty("basedir", "."), "..", "docs", "nat.md").normalize();
        System.out.println(REPORT.markdown(LabServices.machine(chromiumVersion)));
        if (!REPORT.writeInto(doc, LabServices.machine(chromiumVersion))) {
          System.out.println("NAT matrix: " + doc + " has no nat-matrix markers; table not written");
        }
      }
    } finally {
      if (sfu != null) {
        sfu.keepLog("nat-matrix-sfu.log");
      }
      closeAll();
    }
  }

  private static void closeAll() {
    for (AutoCloseable c : new AutoCloseable[] {chromium, sfu, coturn, lab}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          System.err.println("NAT lab clean-up: " + e);
        }
      }
    }
  }

  @Test
  @Order(1)
  @Timeout(120)
  void case1SameNetworkAsTheSfu() throws Exception {
    run(1, "same network as the SFU (no NAT)", "d1", "d2", false, Expect.DIRECT, Expect.DIRECT);
  }

  @Test
  @Order(2)
  @Timeout(120)
  void case2EndpointIndependentNat() throws Exception {
    routers(Mode.CONE, Mode.CONE);
    run(2, "endpoint-independent NAT (MASQUERADE)", "c1", "c2", false, Expect.DIRECT, Expect.DIRECT);
  }

  @Test
  @Order(3)
  @Timeout(120)
  void case3SymmetricNat() throws Exception {
    routers(Mode.SYMMETRIC, Mode.SYMMETRIC);
    run(3, "symmetric NAT (MASQUERADE --random-fully)", "c1", "c2", false, Expect.DIRECT, Expect.DIRECT);
  }

  @Test
  @Order(4)
  @Timeout(120)
  void case4UdpBlockedOnlyTurnOverTls() throws Exception {
    routers(Mode.UDP_BLOCKED, Mode.UDP_BLOCKED);
    run(4, "UDP blocked, only TCP to TURN/TLS :443", "c1", "c2", false, Expect.RELAY_TLS, Expect.RELAY_TLS);
  }

  @Test
  @Order(5)
  @Timeout(120)
  void case5ForcedRelay() throws Exception {
    routers(Mode.CONE, Mode.CONE);
    // Any of the TURN transports may win here (UDP, TCP and TLS all get through a cone NAT).
    run(5, "forced relay (`?relay=1`) behind NAT", "c1", "c2", true, Expect.RELAY, Expect.RELAY);
  }

  @Test
  @Order(6)
  @Timeout(120)
  void case6PresenterUdpBlockedViewerSymmetric() throws Exception {
    routers(Mode.UDP_BLOCKED, Mode.SYMMETRIC);
    run(6, "presenter as in 4, viewer as in 3", "c1", "c2", false, Expect.RELAY_TLS, Expect.DIRECT);
  }

  @Test
  @Order(7)
  @Timeout(120)
  void unusableTurnCredentialsOrNoTurnGiveAClearErrorNotAHang() throws Exception {
    routers(Mode.UDP_BLOCKED, Mode.CONE);
    new FailureCases(chromium, lab, LAB_FLAGS, SECRET, REPORT).run();
  }

  @Test
  @Order(8)
  void theSfuLoggedItsTurnSetupButNeverTheSecretAndCoturnKeptRelaysAwayFromInternalAddresses() {
    String log = sfu.output();
    assertTrue(log.contains("TURN credentials valid 600 s"), log);
    assertFalse(log.contains(SECRET), "the SFU's log contains the TURN secret");
    assertFalse(coturn.output().isEmpty(), "coturn ran");
    // The browsers also tried the SFU's private address (it is in the answer): coturn's peer rules refused it.
    assertTrue(coturn.output().contains("A peer IP " + NatLab.SFU_PRIVATE + " denied"),
        "coturn's peer rules must refuse relaying to internal addresses");
  }

  private static void routers(Mode r1, Mode r2) {
    lab.routerMode("r1", r1);
    lab.routerMode("r2", r2);
  }

  /** One case: a fresh presenter and viewer browser in their namespaces; asserts the path; records times. */
  private static void run(int number, String network, String presenterNs, String viewerNs, boolean relay,
      Expect presenterExpect, Expect viewerExpect) throws Exception {
    lab.flushConntrack();
    String relayParam = relay ? "&relay=1" : "";
    Browser pb = chromium.launch(lab.chromiumIn(presenterNs, Chromium.EXECUTABLE), LAB_FLAGS);
    Browser vb = chromium.launch(lab.chromiumIn(viewerNs, Chromium.EXECUTABLE), LAB_FLAGS);
    chromiumVersion = pb.version();
    try {
      Page presenter = Chromium.context(pb).newPage();
      presenter.navigate(BASE + "/?surface=browser&marker=1" + relayParam);
      presenter.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start sharing")).click();
      await(presenter, "window.projector.state === 'live'", 30_000, "presenter live");
      String viewerUrl = (String) presenter.evaluate("() => window.projector.viewerUrl");
      Page viewer = Chromium.context(vb).newPage();
      viewer.navigate(viewerUrl + "?marker=1" + relayParam);
      await(viewer, "window.projector.stats.markerFrames >= 10", 30_000, "viewer decoding the presenter's frames");
      Map<String, Object> pp = pair(presenter);
      Map<String, Object> vp = pair(viewer);
      assertPath("presenter", pp, presenterExpect);
      assertPath("viewer", vp, viewerExpect);
      long firstFrame = Math.round(num(viewer.evaluate("() => window.projector.stats.firstFrameMs")));
      // Where the first frame's time went, step by step (see ViewerHooks.timeline in viewer.js).
      String timeline = (String) viewer.evaluate("() => { const t = window.projector.timeline; return "
          + "['script', 'localDescription', 'whepRequestSent', 'whepAnswerStarted', 'answer', 'connected', 'firstFrame']"
          + ".filter((k) => t[k] != null).map((k) => ({ script: 'page script', localDescription: 'offer applied', "
          + "whepRequestSent: 'WHEP sent', whepAnswerStarted: 'WHEP answered', answer: 'answer applied' }[k] || k) "
          + "+ ' ' + t[k]).join(' · '); }");
      REPORT.add(new NatReport.Row(number, network, describe(pp), describe(vp),
          Math.round(num(presenter.evaluate("() => window.projector.connectMs"))),
          Math.round(num(viewer.evaluate("() => window.projector.connectMs"))), firstFrame, timeline));
      System.out.printf("NAT case %d (%s): presenter %s, viewer %s, viewer's first frame %d ms%n", number, network,
          describe(pp), describe(vp), firstFrame);
    } finally {
      pb.close();
      vb.close();
    }
  }

  /** Waits for a page condition; on timeout fails with what the page and the SFU say. */
  static void await(Page page, String condition, double timeoutMs, String what) {
    try {
      page.waitForFunction("() => window.projector && (" + condition + ")", null,
          new Page.WaitForFunctionOptions().setTimeout(timeoutMs));
    } catch (PlaywrightException e) {
      Object state = page.evaluate("() => JSON.stringify({state: window.projector && window.projector.state, "
          + "error: window.projector && (window.projector.iceError || window.projector.error), "
          + "text: document.body.innerText.slice(0, 400)})");
      throw new AssertionError("timed out waiting for " + what + ": " + state + "\nSFU log:\n"
          + (sfu == null ? "" : sfu.tail()), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> pair(Page page) {
    Object p = page.evaluate("() => window.projector.selectedPair()");
    assertTrue(p instanceof Map, "no selected candidate pair: " + p);
    return (Map<String, Object>) p;
  }

  private static void assertPath(String who, Map<String, Object> pair, Expect expect) {
    String text = who + ": " + pair;
    assertEquals(NatLab.SFU_PUBLIC + ":" + LabServices.MEDIA_PORT, pair.get("remoteAddress"),
        "the media goes to the SFU's announced public address; " + text);
    if (expect == Expect.DIRECT) {
      assertTrue(List.of("host", "srflx", "prflx").contains((String) pair.get("local")), text);
      assertEquals("udp", pair.get("protocol"), text);
    } else {
      assertEquals("relay", pair.get("local"), text);
      if (expect == Expect.RELAY_TLS) {
        assertEquals("tls", pair.get("relayProtocol"), text);
      }
    }
  }

  private static String describe(Map<String, Object> p) {
    String how = p.get("relayProtocol") != null ? "TURN/" + String.valueOf(p.get("relayProtocol")).toUpperCase()
        : "direct UDP";
    return how + ": " + p.get("local") + " " + p.get("localAddress") + " → " + p.get("remote") + " "
        + p.get("remoteAddress");
  }

  static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
