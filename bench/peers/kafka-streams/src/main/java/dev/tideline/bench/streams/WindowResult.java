package dev.tideline.bench.streams;

/** What the job writes per closed window: the row the benchmark compares with Tideline's. */
public final class WindowResult {
  public String symbol;
  public long windowStartMs;
  public long windowEndMs;
  public double avg;
  public double min;
  public double max;
  public long count;

  static WindowResult of(String symbol, long windowStartMs, long windowEndMs, WindowStats stats) {
    WindowResult result = new WindowResult();
    result.symbol = symbol;
    result.windowStartMs = windowStartMs;
    result.windowEndMs = windowEndMs;
    result.avg = stats.sum / stats.count;
    result.min = stats.min;
    result.max = stats.max;
    result.count = stats.count;
    return result;
  }
}
