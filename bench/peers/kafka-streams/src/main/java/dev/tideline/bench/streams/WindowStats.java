package dev.tideline.bench.streams;

/**
 * The running aggregate of one window: count, sum, min and max. The sum is added in arrival order, as
 * Tideline's engine does, so averages agree to the last bits when both see the same order.
 */
public final class WindowStats {
  public long count;
  public double sum;
  public double min = Double.POSITIVE_INFINITY;
  public double max = Double.NEGATIVE_INFINITY;

  public WindowStats add(double price) {
    count++;
    sum += price;
    if (price < min) min = price;
    if (price > max) max = price;
    return this;
  }
}
