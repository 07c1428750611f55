package dev.tideline.bench.streams;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Tideline's market job in Kafka Streams: per symbol, hopping windows of 3 s advancing by 1 s with
 * 5 s of grace, avg/min/max/count of the price, final results only (suppress until the window closes).
 *
 * <p>Arguments: bootstrap servers, input topic, output topic, application id, processing guarantee
 * (exactly_once_v2 or at_least_once), state directory, and optionally the number of stream threads
 * (default 1). Prints "STATE <new state>" lines on stdout for the benchmark and stops on SIGTERM.
 */
public final class MarketHoppingJob {
  private MarketHoppingJob() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length < 6) {
      System.err.println(
          "usage: MarketHoppingJob <bootstrap> <input> <output> <application-id>"
              + " <exactly_once_v2|at_least_once> <state-dir> [threads]");
      System.exit(2);
    }
    String guarantee = args[4];
    if (!guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)
        && !guarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
      System.err.println("unknown processing guarantee " + guarantee);
      System.exit(2);
    }
    Properties props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, args[3]);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    props.put(StreamsConfig.STATE_DIR_CONFIG, args[5]);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, args.length > 6 ? Integer.parseInt(args[6]) : 1);
    // The exactly-once default (100 ms) for both guarantees: at-least-once's default of 30 s would
    // hold window results in the record cache for up to 30 s before suppress sees them.
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(
        StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueExceptionHandler.class);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

    KafkaStreams streams = new KafkaStreams(topology(args[1], args[2]), props);
    CountDownLatch stopped = new CountDownLatch(1);
    streams.setStateListener(
        (next, previous) -> {
          System.out.println("STATE " + next);
          System.out.flush();
          if (next == KafkaStreams.State.NOT_RUNNING || next == KafkaStreams.State.ERROR) {
            stopped.countDown();
          }
        });
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  streams.close(Duration.ofSeconds(30));
                  stopped.countDown();
                }));
    streams.start();
    stopped.await();
  }

  static Topology topology(String inputTopic, String outputTopic) {
    Serde<String> keys = Serdes.String();
    Serde<Trade> trades = JsonSerde.of(Trade.class);
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(
            inputTopic,
            Consumed.with(keys, trades).withTimestampExtractor(new TradeTimestampExtractor()))
        // Records are keyed by symbol already (as ingest writes them): no repartition topic.
        .groupByKey(Grouped.with(keys, trades))
        .windowedBy(
            TimeWindows.ofSizeAndGrace(Duration.ofSeconds(3), Duration.ofSeconds(5))
                .advanceBy(Duration.ofSeconds(1)))
        .aggregate(
            WindowStats::new,
            (symbol, trade, stats) -> stats.add(trade.price),
            Materialized.<String, WindowStats, WindowStore<Bytes, byte[]>>as("market-hopping")
                .withKeySerde(keys)
                .withValueSerde(JsonSerde.of(WindowStats.class)))
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream()
        .map(
            (window, stats) ->
                KeyValue.pair(
                    window.key(),
                    WindowResult.of(
                        window.key(), window.window().start(), window.window().end(), stats)))
        .to(outputTopic, Produced.with(keys, JsonSerde.of(WindowResult.class)));
    return builder.build();
  }
}
