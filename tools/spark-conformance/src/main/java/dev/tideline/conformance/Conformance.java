package dev.tideline.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Writes the golden files of the engine's Spark mode: for each data set, its input batches, the rows real
 * Spark emitted in each micro-batch, and (for the seed sample) what a batch query over the same data gives.
 *
 * <p>Usage: Conformance GOLDEN_DIR SEED_SAMPLE_CSV
 */
public final class Conformance {
  private Conformance() {}

  record Job(String size, String slide, String delay, long sizeMs, long slideMs, long delayMs) {
    String json() {
      return "{\"sizeMs\":" + sizeMs + ",\"slideMs\":" + slideMs + ",\"delayMs\":" + delayMs
          + ",\"spark\":\"window(eventTime, '" + size + "', '" + slide + "'), withWatermark('" + delay + "')\"}";
    }
  }

  static final Job MARKET = new Job("3 seconds", "1 second", "5 seconds", 3_000, 1_000, 5_000);
  static final Job TUMBLING = new Job("2 seconds", "2 seconds", "5 seconds", 2_000, 2_000, 5_000);
  static final Job SEED = new Job("10 seconds", "5 seconds", "5 seconds", 10_000, 5_000, 5_000);

  public static void main(String[] args) throws Exception {
    Path golden = Path.of(args[0]);
    Path sample = Path.of(args[1]);
    Files.createDirectories(golden);
    Path work = Files.createTempDirectory("tideline-spark-conformance");
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("tideline-spark-conformance")
            .config("spark.sql.shuffle.partitions", "1")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.adaptive.enabled", "false")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      MarketJob job = new MarketJob(spark);
      long seed1 = 20_261_201L;
      List<Trade> one = Datasets.trades(seed1, 160);
      run(job, work, golden, "one-per-batch", seed1, MARKET, Datasets.batches(one, seed1, 1, 1), false);
      long seed2 = 20_261_202L;
      List<Trade> many = Datasets.trades(seed2, 600);
      run(job, work, golden, "batches-1-to-20", seed2, MARKET, Datasets.batches(many, seed2, 1, 20), false);
      long seed3 = 20_261_203L;
      List<Trade> tumbling = Datasets.trades(seed3, 400);
      run(job, work, golden, "tumbling-batches-1-to-20", seed3, TUMBLING, Datasets.batches(tumbling, seed3, 1, 20), true);
      List<Trade> seedTrades = Datasets.sample(sample);
      run(job, work, golden, "seed-sample-10s-5s", 0, SEED, List.of(seedTrades), true);
      run(job, work, golden, "seed-sample-one-per-batch", 0, MARKET, Datasets.batches(seedTrades, 0, 1, 1), true);
    } finally {
      spark.stop();
      try (Stream<Path> walk = Files.walk(work)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(
      MarketJob job, Path work, Path golden, String name, long seed, Job spec, List<List<Trade>> batches,
      boolean withBatchQuery) throws Exception {
    Path input = work.resolve(name).resolve("input");
    MarketJob.writeBatches(input, batches);
    MarketJob.StreamResult stream =
        job.stream(input, work.resolve(name).resolve("checkpoint"), spec.size(), spec.slide(), spec.delay());
    StringBuilder json = new StringBuilder();
    json.append("{\n  \"dataset\": \"").append(name).append("\",\n");
    json.append("  \"generator\": {\"seed\": ").append(seed).append(", \"class\": \"")
        .append(Datasets.class.getName()).append("\"},\n");
    json.append("  \"spark\": \"").append(SparkContext.getOrCreate().version()).append("\",\n");
    json.append("  \"job\": ").append(spec.json()).append(",\n");
    json.append("  \"batches\": [\n");
    for (int i = 0; i < batches.size(); i++) {
      json.append("    [")
          .append(batches.get(i).stream().map(Trade::json).collect(Collectors.joining(",")))
          .append(i + 1 < batches.size() ? "],\n" : "]\n");
    }
    json.append("  ],\n");
    json.append("  \"sparkBatchIds\": ").append(stream.batchIds()).append(",\n");
    json.append("  \"rows\": ").append(rows(stream.rows()));
    if (withBatchQuery) {
      // One file in arrival order: a batch read packs many files into partitions by size, which would
      // change the order of the sums.
      Path all = work.resolve(name).resolve("all");
      MarketJob.writeBatches(all, List.of(batches.stream().flatMap(List::stream).toList()));
      json.append(",\n  \"batchQueryRows\": ")
          .append(rows(job.batch(all, spec.size(), spec.slide(), spec.delay())));
    }
    json.append("\n}\n");
    Files.writeString(golden.resolve(name + ".json"), json);
    System.out.printf(
        "%s: %d batches in, %d micro-batches run, %d rows out%n",
        name, batches.size(), stream.batchIds().size(), stream.rows().size());
  }

  private static String rows(List<MarketJob.Out> rows) {
    return rows.stream()
        .sorted(
            Comparator.comparingLong(MarketJob.Out::batch)
                .thenComparingLong(MarketJob.Out::startMs)
                .thenComparing(MarketJob.Out::symbol))
        .map(o -> "    " + o.json())
        .collect(Collectors.joining(",\n", "[\n", "\n  ]"));
  }
}
