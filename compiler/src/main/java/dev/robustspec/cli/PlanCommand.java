package dev.robustspec.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.engine.plan.PassInvocation;
import dev.robustspec.engine.spec.UnsafeCase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code robustspec plan FILE}: what verify would run, like a database's EXPLAIN. */
@Command(
    name = "plan",
    header = "Show each property's unsafe cases and plan, like a database's EXPLAIN.",
    mixinStandardHelpOptions = true,
    description = {
        "Prints, for each property, the network and region it is about, how many unsafe cases",
        "its negation has, and the passes its plan runs in order with every parameter.", ""},
    footer = {"", "Example:", "  robustspec plan examples/tutorial.rspec", "",
        "Exit codes: 0 printed, 2 the file has errors (they are printed instead)."})
final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "a .rspec file")
  Path file;

  @Option(names = "--json", description = "print the plans as JSON")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Compilation c = SpecFiles.load(file, err);
    if (c == null) {
      return ExitCodes.INPUT_ERROR;
    }
    SpecFiles.printDiagnostics(c, err);
    if (c.hasErrors()) {
      return ExitCodes.INPUT_ERROR;
    }
    JsonArray all = new JsonArray();
    for (CompiledProperty p : c.properties()) {
      int constraints = p.specification().cases().stream()
          .mapToInt(u -> u.constraints().size()).sum();
      int regions = p.specification().regions().size();
      if (json) {
        JsonObject j = new JsonObject();
        j.addProperty("property", p.name());
        j.addProperty("network", p.networkName());
        j.addProperty("regions", regions);
        j.addProperty("unsafe_cases", p.specification().cases().size());
        j.addProperty("constraints", constraints);
        j.addProperty("default_plan", p.plan().isDefault());
        JsonArray steps = new JsonArray();
        for (PassInvocation s : p.plan().passes()) {
          steps.add(s.display());
        }
        j.add("passes", steps);
        all.add(j);
        continue;
      }
      out.printf("property %s%n", p.name());
      int in = p.network().inputSize();
      int outs = p.network().outputSize();
      out.printf("  network  %s (%d input%s, %d output%s)%n", p.networkName(), in,
          in == 1 ? "" : "s", outs, outs == 1 ? "" : "s");
      out.printf("  region   %d box%s%n", regions, regions == 1 ? "" : "es");
      out.printf("  unsafe   %d case%s, %d constraint%s%n", p.specification().cases().size(),
          p.specification().cases().size() == 1 ? "" : "s", constraints,
          constraints == 1 ? "" : "s");
      for (UnsafeCase u : p.specification().cases().subList(0,
          Math.min(3, p.specification().cases().size()))) {
        out.printf("           %s%n", String.join(" and ",
            u.constraints().stream().map(Object::toString).toList()));
      }
      if (p.specification().cases().size() > 3) {
        out.printf("           ... (%d more)%n", p.specification().cases().size() - 3);
      }
      out.printf("  plan%s%n", p.plan().isDefault() ? " (default)" : "");
      int i = 1;
      for (PassInvocation s : p.plan().passes()) {
        out.printf("    %d. %s%n", i++, s.display());
      }
    }
    if (json) {
      JsonObject root = new JsonObject();
      root.add("properties", all);
      out.println(Reports.toJson(root));
    }
    out.flush();
    return ExitCodes.OK;
  }
}
