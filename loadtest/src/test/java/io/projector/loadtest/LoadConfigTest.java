package io.projector.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoadConfigTest {

  @Test
  void defaultsAreTheIssuesWorkload() {
    LoadConfig c = LoadConfig.parse(new String[0]);
    assertEquals(2500, c.bitrateKbps());
    assertEquals(0.1, c.maxLossPercent());
    assertEquals(20, c.maxP99Ms());
    assertEquals(100, c.effectiveRampStep(), "no ramp: every viewer in one step");
  }

  @Test
  void parsesEveryOption() {
    LoadConfig c = LoadConfig.parse(new String[] {"--server", "http://10.77.0.1:8088/janus", "--target", "Janus",
        "--viewers", "500", "--ramp-step", "50", "--step-seconds", "5", "--settle-seconds", "0", "--joins-per-second", "20",
        "--bitrate-kbps", "1000", "--sample-viewers", "10", "--max-loss-percent", "0.5", "--max-p99-ms", "30",
        "--until-threshold", "--server-pid", "1234", "--json", "out.json"});
    assertEquals("janus", c.target());
    assertEquals(500, c.viewers());
    assertEquals(50, c.effectiveRampStep());
    assertEquals(5, c.stepSeconds());
    assertEquals(0, c.settleSeconds());
    assertEquals(20, c.joinsPerSecond());
    assertEquals(1000, c.bitrateKbps());
    assertEquals(10, c.sampleViewers());
    assertEquals(0.5, c.maxLossPercent());
    assertEquals(30, c.maxP99Ms());
    assertTrue(c.untilThreshold());
    assertEquals(1234, c.serverPid());
    assertEquals("out.json", c.json());
  }

  @Test
  void holdWindowsRepeatTheMeasurementAtTheFinalLoad() {
    assertEquals(0, LoadConfig.parse(new String[0]).holdWindows());
    assertEquals(5, LoadConfig.parse(new String[] {"--viewers", "100", "--hold-windows", "5"}).holdWindows());
    assertThrows(IllegalArgumentException.class, () -> LoadConfig.parse(new String[] {"--hold-windows", "-1"}));
  }

  @Test
  void durationIsTheStepTimeOfASingleStepRun() {
    LoadConfig c = LoadConfig.parse(new String[] {"--viewers", "20", "--duration-seconds", "30"});
    assertEquals(30, c.stepSeconds());
    assertEquals(20, c.effectiveRampStep());
    assertThrows(IllegalArgumentException.class,
        () -> LoadConfig.parse(new String[] {"--duration-seconds", "30", "--step-seconds", "5"}));
  }

  @Test
  void badInputIsAClearError() {
    assertEquals("--viewers needs a positive whole number, not \"many\"",
        assertThrows(IllegalArgumentException.class, () -> LoadConfig.parse(new String[] {"--viewers", "many"}))
            .getMessage());
    assertEquals("unknown option --viewer",
        assertThrows(IllegalArgumentException.class, () -> LoadConfig.parse(new String[] {"--viewer", "1"}))
            .getMessage());
    assertEquals("missing value for --server",
        assertThrows(IllegalArgumentException.class, () -> LoadConfig.parse(new String[] {"--server"})).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> LoadConfig.parse(new String[] {"--target", "mediasoup"})).getMessage().contains("projector or janus"));
  }
}
