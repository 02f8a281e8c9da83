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
}
