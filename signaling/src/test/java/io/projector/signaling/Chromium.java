package io.projector.signaling;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Real headless Chromium for end-to-end tests (see shared/browser-testing.md): Debian's /usr/bin/chromium driven
 * by Playwright, never a downloaded browser. Outside CI a missing Chromium skips the test; under CI=true it fails.
 */
public final class Chromium implements AutoCloseable {
  public static final Path EXECUTABLE = Path.of(System.getenv().getOrDefault("PROJECTOR_CHROMIUM", "/usr/bin/chromium"));
  static final List<String> FLAGS = List.of(
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--window-size=1280,720", "--allow-loopback-in-peer-connection", "--use-fake-ui-for-media-stream",
      "--autoplay-policy=no-user-gesture-required", "--disable-renderer-backgrounding",
      "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows");

  private final Playwright playwright;

  private Chromium() {
    playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
  }

  /** Skips (locally) or fails (CI) when Chromium or browser tests are unavailable. */
  public static Chromium start() {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    boolean skipRequested = Boolean.getBoolean("skipBrowserTests");
    if (ci && (skipRequested || !Files.isExecutable(EXECUTABLE))) {
      throw new AssertionError("CI=true: browser tests must run, but "
          + (skipRequested ? "-DskipBrowserTests was given" : EXECUTABLE + " is missing"));
    }
    Assumptions.assumeFalse(skipRequested, "browser tests skipped by -DskipBrowserTests");
    Assumptions.assumeTrue(Files.isExecutable(EXECUTABLE), "no Chromium at " + EXECUTABLE);
    return new Chromium();
  }

  /** A separate browser process, as a separate user's machine would be. */
  public Browser launch() {
    return launch(EXECUTABLE, List.of());
  }

  /**
   * A browser started through {@code executable} (e.g. a script that runs Chromium in a network namespace)
   * with {@code extraFlags} after the usual ones.
   */
  public Browser launch(Path executable, List<String> extraFlags) {
    List<String> args = new java.util.ArrayList<>(FLAGS);
    args.addAll(extraFlags);
    return playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(asUser(executable)).setHeadless(true).setArgs(args));
  }

  /**
   * Chromium started by root raises its own threads' priority (nice -8 for its WebRTC, compositor and IO threads,
   * real-time for audio), which a user's browser cannot do: on the test machine's two cores that starved the
   * server under test (a WHEP answer written in 5 ms reached the page hundreds of ms later). As root, the browser
   * is started through {@code setpriv} without CAP_SYS_NICE, so it keeps the priority it was given, like a user's.
   */
  static Path asUser(Path executable) {
    if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(SETPRIV)) {
      return executable;
    }
    return AS_USER.computeIfAbsent(executable, Chromium::writeAsUserScript);
  }

  private static final Map<Path, Path> AS_USER = new java.util.concurrent.ConcurrentHashMap<>();

  private static Path writeAsUserScript(Path executable) {
    try {
      Path script = Files.createTempFile("chromium-as-user-", ".sh");
      Files.writeString(script, "#!/bin/sh\nexec " + SETPRIV + " --bounding-set -sys_nice --inh-caps -sys_nice "
          + executable + " \"$@\"\n");
      script.toFile().setExecutable(true);
      script.toFile().deleteOnExit();
      return script;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  /** Camera/microphone permission makes Chromium expose raw loopback candidates instead of mDNS names. */
  public static BrowserContext context(Browser browser) {
    return browser.newContext(new Browser.NewContextOptions()
        .setViewportSize(1280, 720)
        .setPermissions(List.of("camera", "microphone")));
  }

  @Override
  public void close() {
    playwright.close();
  }
}
