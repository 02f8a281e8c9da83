package io.projector.signaling.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The presenter and viewer pages (module web-client, packaged under {@code web/} on the classpath):
 * {@code /} and {@code /present/{id}} serve the presenter page, {@code /view/{id}} the viewer page, other paths the
 * pages' scripts and styles.
 *
 * <p>Served from memory, on the event loop: every file is read from the classpath when the routes are mounted,
 * then answered with a buffer in well under a millisecond (read on first use instead, a long classpath made the
 * first viewer's page wait: the event loop spent hundreds of ms finding each file). A page opens several requests at
 * once, and a browser allows six connections per server over HTTP/1.1, so a slow static file holds up the viewer
 * page's WHEP offer behind it (measured: 100–500 ms under load with a file-system static handler); pages carry their
 * stylesheet inline ({@link #inlineStylesheets}), one request fewer. Responses carry an ETag
 * and {@code Cache-Control: no-cache}: browsers revalidate, and a returning viewer gets 304s.
 */
public final class WebRoutes {
  /** Paths we serve: letters, digits, dot, dash, underscore and slashes, no "..", no hidden files. */
  private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+");
  private static final Pattern STYLESHEET_LINK = Pattern.compile("<link rel=\"stylesheet\" href=\"([^\"]+\\.css)\">");
  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon", "json", "application/json");

  private record Resource(byte[] body, String contentType, String etag) {}

  private static final Map<String, Optional<Resource>> CACHE = new ConcurrentHashMap<>();

  private WebRoutes() {}

  /** In view.html's inline script: replaced by the session's join information (JSON), or left as null. */
  static final String SESSION_PLACEHOLDER = "/*PROJECTOR_SESSION*/null";

  /**
   * @param joinInfo for a viewer page: the session lookup's JSON ({@code GET /api/sessions/{id}?join=1}), embedded
   *     in the page so that it can start its connection without asking; empty when there is no such session
   */
  public static void mount(Router router, Function<String, Optional<String>> joinInfo) {
    preload();
    router.get("/").handler(ctx -> serve(ctx, "/index.html"));
    router.get("/present/:id").handler(ctx -> serve(ctx, "/index.html"));
    router.get("/view/:id").handler(ctx -> serveViewer(ctx, joinInfo));
    router.get("/*").handler(ctx -> serve(ctx, ctx.normalizedPath()));
  }

  /** The viewer page with the session's join information in it: per request, never cached (TURN credentials). */
  private static void serveViewer(RoutingContext ctx, Function<String, Optional<String>> joinInfo) {
    Resource page = load("/view.html").orElse(null);
    if (page == null) {
      ctx.next();
      return;
    }
    String json = joinInfo.apply(ctx.pathParam("id")).map(WebRoutes::scriptSafe).orElse("null");
    String html = new String(page.body(), StandardCharsets.UTF_8).replace(SESSION_PLACEHOLDER, json);
    ctx.response()
        .putHeader("Content-Type", page.contentType())
        .putHeader("Cache-Control", "no-store")
        .putHeader("Referrer-Policy", "no-referrer")
        .end(html);
  }

  /** JSON that cannot end the script element it is embedded in, nor break a JavaScript line. */
  static String scriptSafe(String json) {
    return json.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
  }

  private static void serve(RoutingContext ctx, String path) {
    Resource r = SAFE_PATH.matcher(path).matches() && !path.contains("..") ? load(path).orElse(null) : null;
    if (r == null) {
      ctx.next(); // the router's 404
      return;
    }
    var response = ctx.response()
        .putHeader("Content-Type", r.contentType())
        .putHeader("Cache-Control", "no-cache")
        .putHeader("ETag", r.etag()); // X-Content-Type-Options: set on every response by the router
    if (r.contentType().startsWith("text/html")) {
      response.putHeader("Referrer-Policy", "no-referrer");
    }
    if (r.etag().equals(ctx.request().getHeader("If-None-Match"))) {
      response.setStatusCode(304).end();
      return;
    }
    response.end(Buffer.buffer(r.body())); // a wrapper per response: the bytes are shared, never written
  }

  /**
   * Reads every file under {@code web/} into memory (from the jar or the directory that holds the pages).
   *
   * @return the paths now in memory, e.g. {@code /js/viewer.js}; empty if the pages cannot be listed, in which
   *     case files are read on first use
   */
  static List<String> preload() {
    URL anchor = WebRoutes.class.getClassLoader().getResource("web/index.html");
    if (anchor == null) {
      return List.of();
    }
    try {
      URI uri = anchor.toURI();
      if ("jar".equals(uri.getScheme())) {
        try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
          return preloadTree(jar.getPath("/web"));
        }
      }
      return preloadTree(Path.of(uri).getParent());
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return List.of(); // e.g. the jar's file system already open elsewhere: first use reads them
    }
  }

  private static List<String> preloadTree(Path web) throws IOException {
    try (Stream<Path> files = Files.walk(web)) {
      return files.filter(Files::isRegularFile)
          .map(f -> "/" + web.relativize(f).toString().replace('\\', '/'))
          .filter(p -> SAFE_PATH.matcher(p).matches() && load(p).isPresent())
          .toList();
    }
  }

  /** The resource under {@code web/} for a safe path, read from the classpath once (normally by {@link #preload}). */
  private static Optional<Resource> load(String path) {
    Optional<Resource> cached = CACHE.get(path);
    if (cached != null) {
      return cached;
    }
    Optional<Resource> loaded = read(path);
    // Only existing files are kept: caching misses would let requests for random paths grow the map.
    if (loaded.isPresent()) {
      CACHE.put(path, loaded);
    }
    return loaded;
  }

  /**
   * A page's own stylesheets, put into the page: a stylesheet link blocks the first paint, and every inline script
   * after it, until the file has arrived (the viewer page's script that attaches the stream to the video element
   * waited 100–300 ms for it under load), and it takes one of the six connections the browser opens to the server.
   * A link to a file we do not have, or one whose text could close the style element, is left as it is.
   */
  static String inlineStylesheets(String html) {
    Matcher m = STYLESHEET_LINK.matcher(html);
    StringBuilder out = new StringBuilder(html.length());
    while (m.find()) {
      String css = SAFE_PATH.matcher(m.group(1)).matches() ? load(m.group(1))
          .map(r -> new String(r.body(), StandardCharsets.UTF_8)).orElse(null) : null;
      String replacement = css == null || css.toLowerCase(Locale.ROOT).contains("</style") ? m.group()
          : "<style>\n" + css + (css.endsWith("\n") ? "" : "\n") + "</style>";
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Optional<Resource> read(String path) {
    int dot = path.lastIndexOf('.');
    String type = dot < 0 ? null : CONTENT_TYPES.get(path.substring(dot + 1));
    if (type == null) {
      return Optional.empty();
    }
    try (InputStream in = WebRoutes.class.getClassLoader().getResourceAsStream("web" + path)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      if (type.startsWith("text/html")) {
        bytes = inlineStylesheets(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
      }
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      String etag = "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 16) + "\"";
      return Optional.of(new Resource(bytes, type, etag));
    } catch (IOException | NoSuchAlgorithmException e) {
      return Optional.empty();
    }
  }
}
