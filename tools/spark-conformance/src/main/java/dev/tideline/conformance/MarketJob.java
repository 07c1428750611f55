package dev.tideline.conformance;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.window;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The market job of issue 9 on real Spark:
 *
 * <pre>
 *   trades.withWatermark("eventTime", delay)
 *         .groupBy(window(eventTime, size, slide), symbol)
 *         .agg(avg(price), min(price), max(price), count(*))     -- append mode
 * </pre>
 *
 * fed from a file source with one file per micro-batch (maxFilesPerTrigger 1, files ordered by
 * modification time), collecting what each micro-batch emits through foreachBatch.
 */
final class MarketJob {
  static final StructType SCHEMA =
      new StructType()
          .add("symbol", DataTypes.StringType)
          .add("price", DataTypes.DoubleType)
          .add("eventTimeMs", DataTypes.LongType);

  /** One emitted row; `batch` is the micro-batch that emitted it (-1 for a batch query). */
  record Out(long batch, String symbol, long startMs, long endMs, double avg, double min, double max, long count) {
    String json() {
      return "{\"batch\":" + batch + ",\"symbol\":\"" + symbol + "\",\"startMs\":" + startMs
          + ",\"endMs\":" + endMs + ",\"avg\":" + avg + ",\"avgBits\":\"" + bits(avg)
          + "\",\"min\":" + min + ",\"max\":" + max + ",\"count\":" + count + "}";
    }
  }

  /** What a streaming run gave: the rows, and the ids of every micro-batch Spark ran (no-data ones too). */
  record StreamResult(List<Out> rows, List<Long> batchIds) {}

  private final SparkSession spark;

  MarketJob(SparkSession spark) {
    this.spark = spark;
  }

  static String bits(double value) {
    return String.format("%016x", Double.doubleToRawLongBits(value));
  }

  /** Writes one CSV file per batch, modification times one second apart in batch order. */
  static void writeBatches(Path dir, List<List<Trade>> batches) throws IOException {
    Files.createDirectories(dir);
    long mtime = System.currentTimeMillis() - batches.size() * 1_000L - 60_000L;
    for (int i = 0; i < batches.size(); i++) {
      StringBuilder text = new StringBuilder();
      for (Trade t : batches.get(i)) text.append(t.csv()).append('\n');
      Path file = dir.resolve(String.format("batch-%05d.csv", i));
      Files.writeString(file, text);
      Files.setLastModifiedTime(file, FileTime.fromMillis(mtime + i * 1_000L));
    }
  }

  private Dataset<Row> aggregate(Dataset<Row> trades, String size, String slide, String delay) {
    return trades
        .withColumn("eventTime", expr("timestamp_millis(eventTimeMs)"))
        .withWatermark("eventTime", delay)
        .groupBy(window(col("eventTime"), size, slide), col("symbol"))
        .agg(avg("price").as("avg"), min("price").as("min"), max("price").as("max"), count(lit(1)).as("count"))
        .select(
            col("symbol"),
            expr("unix_millis(window.start)").as("startMs"),
            expr("unix_millis(window.end)").as("endMs"),
            col("avg"),
            col("min"),
            col("max"),
            col("count"));
  }

  private static Out out(long batch, Row r) {
    return new Out(
        batch,
        r.getString(0),
        r.getLong(1),
        r.getLong(2),
        r.getDouble(3),
        r.getDouble(4),
        r.getDouble(5),
        r.getLong(6));
  }

  StreamResult stream(Path input, Path checkpoint, String size, String slide, String delay)
      throws TimeoutException, StreamingQueryException {
    Dataset<Row> trades =
        spark.readStream().schema(SCHEMA).option("maxFilesPerTrigger", 1).csv(input.toString());
    List<Out> rows = Collections.synchronizedList(new ArrayList<>());
    List<Long> batchIds = Collections.synchronizedList(new ArrayList<>());
    VoidFunction2<Dataset<Row>, Long> collect =
        (batch, id) -> {
          batchIds.add(id);
          for (Row r : batch.collectAsList()) rows.add(out(id, r));
        };
    StreamingQuery query =
        aggregate(trades, size, slide, delay)
            .writeStream()
            .outputMode("append")
            .option("checkpointLocation", checkpoint.toString())
            .foreachBatch(collect)
            .start();
    query.processAllAvailable();
    query.stop();
    return new StreamResult(new ArrayList<>(rows), new ArrayList<>(batchIds));
  }

  /** The same aggregation as a batch query over all files (what the streaming job gives at end of input). */
  List<Out> batch(Path input, String size, String slide, String delay) {
    Dataset<Row> trades = spark.read().schema(SCHEMA).csv(input.toString());
    List<Out> rows = new ArrayList<>();
    for (Row r : aggregate(trades, size, slide, delay).collectAsList()) rows.add(out(-1, r));
    return rows;
  }
}
