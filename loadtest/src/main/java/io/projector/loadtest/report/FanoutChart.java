package io.projector.loadtest.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** Draws the fan-out plot: server CPU and p99 forwarding delay against viewers, one line per server. */
final class FanoutChart {
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 420;
  private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728)};

  private FanoutChart() {}

  static void write(List<FanoutResult> results, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    int maxViewers = results.stream().flatMap(r -> r.steps().stream()).mapToInt(FanoutResult.Step::viewers).max()
        .orElse(1);
    panel(g, results, 60, "server CPU (% of one core)", FanoutResult.Step::serverCpuPercent, maxViewers);
    panel(g, results, 560, "p99 forwarding delay (ms)", FanoutResult.Step::delayP99Ms, maxViewers);
    int y = 20;
    for (int i = 0; i < results.size(); i++) {
      g.setColor(COLORS[i % COLORS.length]);
      g.fillRect(60 + i * 160, y - 10, 14, 10);
      g.setColor(Color.BLACK);
      g.drawString(results.get(i).server(), 80 + i * 160, y);
    }
    g.dispose();
    png.toFile().getParentFile().mkdirs();
    ImageIO.write(img, "png", png.toFile());
  }

  private static void panel(Graphics2D g, List<FanoutResult> results, int x0, String title,
      ToDoubleFunction<FanoutResult.Step> value, int maxViewers) {
    int w = 400;
    int h = 300;
    int y0 = 60;
    double maxY = results.stream().flatMap(r -> r.steps().stream()).mapToDouble(value).max().orElse(1);
    maxY = maxY <= 0 ? 1 : maxY * 1.1;
    g.setColor(Color.BLACK);
    g.drawString(title, x0, y0 - 8);
    g.drawRect(x0, y0, w, h);
    for (int t = 0; t <= 4; t++) {
      int y = y0 + h - t * h / 4;
      g.setColor(new Color(0xdddddd));
      g.drawLine(x0 + 1, y, x0 + w - 1, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format("%.0f", maxY * t / 4), x0 - 45, y + 4);
      int x = x0 + t * w / 4;
      g.drawString(String.valueOf(maxViewers * t / 4), x - 8, y0 + h + 16);
    }
    g.drawString("viewers", x0 + w / 2 - 20, y0 + h + 34);
    g.setStroke(new BasicStroke(2.5f));
    for (int i = 0; i < results.size(); i++) {
      g.setColor(COLORS[i % COLORS.length]);
      int px = -1;
      int py = -1;
      for (FanoutResult.Step s : results.get(i).steps()) {
        double v = value.applyAsDouble(s);
        if (v < 0) {
          continue;
        }
        int x = x0 + (int) (w * (double) s.viewers() / maxViewers);
        int y = y0 + h - (int) (h * Math.min(v, maxY) / maxY);
        g.fillOval(x - 4, y - 4, 8, 8);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
    }
    g.setStroke(new BasicStroke(1f));
  }
}
