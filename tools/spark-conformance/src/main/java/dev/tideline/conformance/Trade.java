package dev.tideline.conformance;

/** One input trade as written to a batch file: the price as its exact decimal text, event time in epoch ms. */
record Trade(String symbol, String price, long eventTimeMs) {
  String csv() {
    return symbol + "," + price + "," + eventTimeMs;
  }

  String json() {
    return "[\"" + symbol + "\",\"" + price + "\"," + eventTimeMs + "]";
  }
}
