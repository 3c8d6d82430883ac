package dev.robustspec.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's packages form layers: the graph "package A names a class of package B" over the
 * main sources has no cycle (ARCHITECTURE.md, engine section). References are read from the
 * source text (imports and fully qualified names), so a new cycle fails here before review.
 */
class PackageLayeringTest {

  private static final Path SOURCES = Path.of("src/main/java/dev/robustspec/engine");
  private static final Pattern REFERENCE =
      Pattern.compile("dev\\.robustspec\\.engine\\.([a-z]+)\\.([A-Z]\\w*)");

  @Test
  void engineHasNoPackageCycle() {
    Map<String, Set<String>> graph = packageGraph();
    List<String> cycle = findCycle(graph);
    assertTrue(cycle.isEmpty(), "engine package cycle: " + String.join(" -> ", cycle)
        + " (move the shared type to the lower package or to a base package; graph " + graph
        + ")");
  }

  /** The graph is really read: the known layering edges are there (guards a wrong path). */
  @Test
  void graphHasTheKnownLayers() {
    Map<String, Set<String>> graph = packageGraph();
    assertTrue(graph.getOrDefault("relax", Set.of()).contains("network"), graph.toString());
    assertTrue(graph.getOrDefault("network", Set.of()).contains("linear"), graph.toString());
    assertTrue(graph.getOrDefault("lp", Set.of()).contains("hull"), graph.toString());
    assertTrue(graph.getOrDefault("query", Set.of()).contains("io"), graph.toString());
    assertTrue(graph.getOrDefault("verify", Set.of()).contains("search"), graph.toString());
    assertTrue(graph.getOrDefault("relax", Set.of()).contains("base"), graph.toString());
  }

  /** The cycle finder itself, on a hand-made graph with and without a cycle. */
  @Test
  void findsACycleAndOnlyACycle() {
    Map<String, Set<String>> acyclic = new TreeMap<>(Map.of("a", Set.of("b", "c"),
        "b", Set.of("c"), "c", Set.of()));
    assertEquals(List.of(), findCycle(acyclic));
    Map<String, Set<String>> cyclic = new TreeMap<>(Map.of("a", Set.of("b"),
        "b", Set.of("c"), "c", Set.of("a")));
    assertEquals(List.of("a", "b", "c", "a"), findCycle(cyclic));
  }

  private static Map<String, Set<String>> packageGraph() {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String from = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
        Set<String> targets = graph.computeIfAbsent(from, k -> new TreeSet<>());
        Matcher m = REFERENCE.matcher(Files.readString(file));
        while (m.find()) {
          String to = m.group(1);
          if (!to.equals(from)) {
            targets.add(to);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return graph;
  }

  /** A cycle as the list of packages along it (first repeated at the end), or empty. */
  static List<String> findCycle(Map<String, Set<String>> graph) {
    Map<String, Integer> state = new TreeMap<>(); // 1 on the current path, 2 finished
    List<String> path = new ArrayList<>();
    for (String start : graph.keySet()) {
      List<String> cycle = visit(start, graph, state, path);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    return List.of();
  }

  private static List<String> visit(String node, Map<String, Set<String>> graph,
      Map<String, Integer> state, List<String> path) {
    Integer s = state.get(node);
    if (s != null && s == 2) {
      return List.of();
    }
    if (s != null) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
      cycle.add(node);
      return cycle;
    }
    state.put(node, 1);
    path.add(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      List<String> cycle = visit(next, graph, state, path);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    path.remove(path.size() - 1);
    state.put(node, 2);
    return List.of();
  }
}
