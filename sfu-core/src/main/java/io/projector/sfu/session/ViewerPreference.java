package io.projector.sfu.session;

/**
 * What a viewer asks for, capping the simulcast layer it is given: e.g. a small preview tile needs only the
 * lowest layer whatever its bandwidth. Without simulcast there is one layer and the preference has no effect.
 *
 * @param maxLayer highest layer index (0 = lowest resolution), or -1 for no cap
 * @param maxHeightPx highest picture height in pixels, or 0 for no cap
 */
public record ViewerPreference(int maxLayer, int maxHeightPx) {
  public static final ViewerPreference NONE = new ViewerPreference(-1, 0);

  public ViewerPreference {
    if (maxLayer < -1 || maxLayer > 7 || maxHeightPx < 0 || maxHeightPx > 16_384) {
      throw new IllegalArgumentException("layer must be 0..7 and maxHeight 0..16384");
    }
  }

  /**
   * Parses the WHEP query parameters {@code layer} ({@code low}, {@code medium}, {@code high}) and
   * {@code maxHeight} (pixels).
   *
   * @throws IllegalArgumentException with a message naming the bad parameter
   */
  public static ViewerPreference parse(String layer, String maxHeight) {
    int maxLayer = -1;
    if (layer != null && !layer.isEmpty()) {
      maxLayer = switch (layer) {
        case "low", "preview" -> 0;
        case "medium" -> 1;
        case "high" -> -1;
        default -> throw new IllegalArgumentException("layer must be low, medium or high, got '"
            + (layer.length() > 20 ? layer.substring(0, 20) + "…" : layer) + "'");
      };
    }
    int heightPx = 0;
    if (maxHeight != null && !maxHeight.isEmpty()) {
      try {
        heightPx = Integer.parseInt(maxHeight);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("maxHeight must be a number of pixels");
      }
      if (heightPx < 1 || heightPx > 16_384) {
        throw new IllegalArgumentException("maxHeight must be 1..16384 pixels");
      }
    }
    return new ViewerPreference(maxLayer, heightPx);
  }
}
