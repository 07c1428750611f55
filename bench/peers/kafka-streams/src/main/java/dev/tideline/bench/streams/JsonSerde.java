package dev.tideline.bench.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** A JSON serde with Jackson for one class; one shared ObjectMapper (thread-safe once configured). */
final class JsonSerde {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonSerde() {}

  static <T> Serde<T> of(Class<T> type) {
    Serializer<T> serializer =
        (topic, value) -> {
          if (value == null) return null;
          try {
            return MAPPER.writeValueAsBytes(value);
          } catch (IOException e) {
            throw new SerializationException("cannot write " + type.getSimpleName(), e);
          }
        };
    Deserializer<T> deserializer =
        (topic, bytes) -> {
          if (bytes == null) return null;
          try {
            return MAPPER.readValue(bytes, type);
          } catch (IOException e) {
            throw new SerializationException("cannot read " + type.getSimpleName(), e);
          }
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
