package dev.robustspec.lsp.protocol;

import static dev.robustspec.lsp.protocol.RobustSpecLanguageServer.COMMANDS;
import static dev.robustspec.lsp.protocol.RobustSpecLanguageServer.invalid;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.robustspec.lsp.service.CodeLenses;
import dev.robustspec.lsp.service.ItemTable;
import dev.robustspec.lsp.service.LanguageService;
import dev.robustspec.lsp.service.RadiusFixes;
import dev.robustspec.lsp.service.Verdicts;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * The {@code workspace/*} handlers of {@link RobustSpecLanguageServer}: the commands of the code
 * lenses and quick fixes (their arguments checked and converted here, the work on the server's
 * request threads through {@link RobustSpecLanguageServer#async}) and the notifications.
 */
final class WorkspaceHandlers implements WorkspaceService {
  private final RobustSpecLanguageServer server;
  private final LanguageService service;

  WorkspaceHandlers(RobustSpecLanguageServer server, LanguageService service) {
    this.server = server;
    this.service = service;
  }

  @Override
  public CompletableFuture<Object> executeCommand(ExecuteCommandParams params) {
    List<Object> args = params.getArguments();
    return server.async(() -> {
      switch (params.getCommand()) {
        case CodeLenses.VERIFY_FILE:
          service.verifyFile(argument(args, 0, "document URI"));
          return null;
        case CodeLenses.VERIFY_PROPERTY:
          service.verifyProperty(argument(args, 0, "document URI"),
              argument(args, 1, "property name"));
          return null;
        case CodeLenses.COPY_COUNTEREXAMPLE: {
          Verdicts.Counterexample c = service.counterexample(argument(args, 0, "document URI"),
              argument(args, 1, "property name"));
          return c == null ? null : new ExplicitNulls(ToLsp.counterexample(c));
        }
        case CodeLenses.SET_RADIUS: {
          String u = argument(args, 0, "document URI");
          RadiusFixes.Fix fix = service.radiusFix(u, argument(args, 1, "property name"));
          if (fix == null) {
            throw invalid("no radius above 0 was certified for " + argument(args, 1,
                "property name") + " in the search's time; try a longer --timeout");
          }
          RobustSpecClient c = server.client();
          if (c != null) {
            c.applyEdit(new org.eclipse.lsp4j.ApplyWorkspaceEditParams(ToLsp.radiusEdit(u, fix),
                fix.title()));
          }
          return null;
        }
        case CodeLenses.ITEM_TABLE: {
          ItemTable t = service.itemTable(argument(args, 0, "document URI"),
              argument(args, 1, "property name"));
          String format = args.size() > 2 ? argument(args, 2, "format (markdown or csv)")
              : "markdown";
          JsonObject result = new JsonObject();
          result.addProperty("format", format.equals("csv") ? "csv" : "markdown");
          result.addProperty("text", format.equals("csv") ? t.csv() : t.markdown());
          return result;
        }
        case CodeLenses.PLOT: {
          String svg = service.plot(argument(args, 0, "document URI"),
              argument(args, 1, "property name"), plotRequest(args));
          JsonObject result = new JsonObject();
          result.addProperty("svg", svg);
          return result;
        }
        default:
          throw invalid("unknown command '" + params.getCommand() + "'; the commands: "
              + String.join(", ", COMMANDS));
      }
    });
  }

  @Override
  public void didChangeConfiguration(DidChangeConfigurationParams params) {
    // no settings yet
  }

  @Override
  public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) {
    // a network or data file may have changed: recompile (files re-read only if changed)
    service.recheckAll();
  }

  private static String argument(List<Object> args, int i, String what) {
    if (args == null || args.size() <= i || args.get(i) == null) {
      throw invalid("missing argument " + (i + 1) + " (" + what + ")");
    }
    Object a = args.get(i);
    if (a instanceof JsonPrimitive p) {
      return p.getAsString();
    }
    if (a instanceof String s) {
      return s;
    }
    throw invalid("argument " + (i + 1) + " (" + what + ") must be a string");
  }

  /**
   * The third argument of {@code robustspec.plot}: {@code {"kind":"widths"}} or
   * {@code {"kind":"neurons","layer":L,"neurons":[i,j]}} (L counts ReLU layers from 1).
   */
  static LanguageService.PlotRequest plotRequest(List<Object> args) {
    Object raw = args == null || args.size() < 3 ? null : args.get(2);
    JsonElement spec = raw instanceof JsonElement e ? e
        : new com.google.gson.Gson().toJsonTree(raw);
    String usage = "the third argument must be {\"kind\":\"widths\"} or {\"kind\":\"neurons\","
        + "\"layer\":L,\"neurons\":[i,j]} (L counts ReLU layers from 1, neurons from 0)";
    if (spec == null || !spec.isJsonObject() || !spec.getAsJsonObject().has("kind")) {
      throw invalid(usage);
    }
    JsonObject o = spec.getAsJsonObject();
    try {
      switch (o.get("kind").getAsString()) {
        case "widths":
          return new LanguageService.PlotRequest.Widths();
        case "neurons": {
          var neurons = o.getAsJsonArray("neurons");
          if (neurons == null || neurons.size() != 2) {
            throw invalid(usage);
          }
          return new LanguageService.PlotRequest.Neurons(o.get("layer").getAsInt(),
              neurons.get(0).getAsInt(), neurons.get(1).getAsInt());
        }
        default:
          throw invalid(usage);
      }
    } catch (ResponseErrorException e) {
      throw e;
    } catch (RuntimeException e) {
      throw invalid(usage);
    }
  }
}
