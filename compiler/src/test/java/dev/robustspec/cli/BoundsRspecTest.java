package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Box;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code bounds FILE.rspec --property P}: each pass's output bounds contain the network's
 * outputs on thousands of sampled inputs of the property's region (independent truth: the
 * network's own forward pass), and each later pass only tightens (lp within deeppoly within
 * interval), neuron by neuron at every shown layer.
 */
class BoundsRspecTest {
  @Test
  void everyPassContainsSampledOutputsAndLaterPassesOnlyTighten() throws Exception {
    Compilation c = Checker.compileFile(CliRun.ROOT.resolve("examples/acasxu.rspec"),
        FileLoader.direct());
    Compilation.CompiledProperty p = c.properties().stream()
        .filter(x -> x.name().equals("phi1")).findFirst().orElseThrow();
    Network net = p.network();
    Box box = p.specification().regions().get(0);
    JsonArray previous = null;
    for (String pass : new String[] {"interval", "deeppoly", "lp"}) {
      CliRun r = CliRun.of("bounds", "examples/acasxu.rspec", "--property", "phi1", "--pass",
          pass, "--json");
      assertEquals(0, r.exit(), r.err());
      JsonArray layers = JsonParser.parseString(r.out()).getAsJsonObject()
          .getAsJsonArray("layers");
      JsonObject out = layers.get(layers.size() - 1).getAsJsonObject();
      Random rnd = new Random(17);
      for (int s = 0; s < 2000; s++) {
        double[] x = new double[box.dimension()];
        for (int i = 0; i < x.length; i++) {
          x[i] = box.lower()[i] + rnd.nextDouble() * (box.upper()[i] - box.lower()[i]);
        }
        double[] y = net.evaluate(x);
        for (int i = 0; i < y.length; i++) {
          double lo = out.getAsJsonArray("lower").get(i).getAsDouble();
          double hi = out.getAsJsonArray("upper").get(i).getAsDouble();
          assertTrue(lo <= y[i] && y[i] <= hi, pass + " output " + i + ": " + y[i]
              + " outside [" + lo + ", " + hi + "]");
        }
      }
      if (previous != null) {
        for (int k = 0; k < layers.size(); k++) {
          JsonObject now = layers.get(k).getAsJsonObject();
          JsonObject before = previous.get(k).getAsJsonObject();
          for (int i = 0; i < now.getAsJsonArray("lower").size(); i++) {
            assertTrue(now.getAsJsonArray("lower").get(i).getAsDouble()
                >= before.getAsJsonArray("lower").get(i).getAsDouble(), pass + " layer " + k);
            assertTrue(now.getAsJsonArray("upper").get(i).getAsDouble()
                <= before.getAsJsonArray("upper").get(i).getAsDouble(), pass + " layer " + k);
          }
        }
      }
      previous = layers;
    }
  }

  @Test
  void anUnknownPropertyNamesTheOnesThereAre() {
    CliRun r = CliRun.of("bounds", "examples/acasxu.rspec", "--property", "phi9", "--pass",
        "interval");
    assertEquals(ExitCodes.INPUT_ERROR, r.exit());
    assertTrue(r.err().contains("no property named 'phi9'") && r.err().contains("phi1, phi2"),
        r.err());
  }
}
