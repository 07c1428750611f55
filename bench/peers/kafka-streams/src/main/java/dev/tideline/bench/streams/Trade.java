package dev.tideline.bench.streams;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The fields of a MarketTrade (packages/contracts) the job reads. The other fields of the record on
 * raw.market.trades (schemaVersion, eventId, feed, side, quantity, source) are skipped while parsing.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class Trade {
  public String symbol;
  public double price;
  public long eventTimeMs;
}
