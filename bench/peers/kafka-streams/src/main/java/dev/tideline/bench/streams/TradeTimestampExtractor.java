package dev.tideline.bench.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time from the trade's eventTimeMs, not the Kafka timestamp: ingest sets the Kafka timestamp to
 * the event time, but the benchmark's latency topics use the broker's append time instead.
 */
public final class TradeTimestampExtractor implements TimestampExtractor {
  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.value() instanceof Trade trade) return trade.eventTimeMs;
    // Unreadable values were already skipped by the deserialization handler; keep stream time.
    return partitionTime;
  }
}
