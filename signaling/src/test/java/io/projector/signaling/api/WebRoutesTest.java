package io.projector.signaling.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON embedded in the viewer page's script cannot close the script element or break the line. */
class WebRoutesTest {
  @Test
  void embeddedJsonCannotEndTheScriptElement() {
    String json = "{\"turn\":\"</script><script>alert(1)</script>\",\"s\":\"a\u2028b\u2029c\"}";
    String safe = WebRoutes.scriptSafe(json);
    assertFalse(safe.contains("<"), safe);
    assertFalse(safe.contains("\u2028") || safe.contains("\u2029"), safe);
    assertEquals("{\"turn\":\"\\u003c/script>\\u003cscript>alert(1)\\u003c/script>\",\"s\":\"a\\u2028b\\u2029c\"}",
        safe, "still the same JSON value once parsed");
  }

  @Test
  void everyPageFileIsInMemoryBeforeTheFirstRequest() {
    List<String> loaded = WebRoutes.preload();
    for (String page : List.of("/index.html", "/view.html", "/css/app.css", "/js/viewer.js", "/js/whip.js",
        "/js/presenter.js")) {
      assertTrue(loaded.contains(page), page + " preloaded; got " + loaded);
    }
  }

  @Test
  void pagesCarryTheirStylesheetSoNothingWaitsForIt() throws Exception {
    String css;
    try (var in = WebRoutes.class.getClassLoader().getResourceAsStream("web/css/app.css")) {
      css = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    String page = "<head><link rel=\"stylesheet\" href=\"/css/app.css\"><script>x()</script></head>";
    String inlined = WebRoutes.inlineStylesheets(page);
    assertFalse(inlined.contains("<link rel=\"stylesheet\""), inlined);
    assertTrue(inlined.startsWith("<head><style>\n" + css), "the file's text, verbatim");
    assertTrue(inlined.endsWith("</style><script>x()</script></head>"), inlined);
  }

  @Test
  void linksToStylesheetsWeDoNotServeStayLinks() {
    for (String href : List.of("/css/missing.css", "/css/../index.html.css", "https://example.com/a.css")) {
      String page = "<link rel=\"stylesheet\" href=\"" + href + "\">";
      assertEquals(page, WebRoutes.inlineStylesheets(page));
    }
  }
}
