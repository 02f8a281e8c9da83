package io.projector.sfu.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ViewerPreferenceTest {
  @Test
  void aPreviewAsksForTheLowestLayerAndAHeightCapIsKept() {
    assertEquals(new ViewerPreference(0, 0), ViewerPreference.parse("low", null));
    assertEquals(new ViewerPreference(0, 0), ViewerPreference.parse("preview", ""));
    assertEquals(new ViewerPreference(1, 0), ViewerPreference.parse("medium", null));
    assertEquals(ViewerPreference.NONE, ViewerPreference.parse("high", null));
    assertEquals(new ViewerPreference(-1, 360), ViewerPreference.parse(null, "360"));
    assertEquals(ViewerPreference.NONE, ViewerPreference.parse(null, null));
  }

  @Test
  void badValuesAreRefusedWithTheParameterNamed() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ViewerPreference.parse("tiny", null))
        .getMessage().contains("layer"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ViewerPreference.parse(null, "big"))
        .getMessage().contains("maxHeight"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ViewerPreference.parse(null, "0"))
        .getMessage().contains("maxHeight"));
  }
}
