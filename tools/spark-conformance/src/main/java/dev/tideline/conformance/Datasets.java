package dev.tideline.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The input data sets, generated from fixed seeds (SplittableRandom's sequence is specified, so a seed
 * always gives the same trades). Trades arrive about every 0.6 s; most are in order, a quarter are up to
 * 4 s behind (within the 5 s watermark delay) and one in twenty is 8 to 28 s behind: very late, dropped for
 * some or all of its windows depending on the watermarks of the batches around it.
 */
final class Datasets {
  static final long BASE_MS = 1_700_000_000_000L;
  private static final String[] SYMBOLS = {"AGL", "AMC", "ANZ", "BHP"};

  private Datasets() {}

  static List<Trade> trades(long seed, int count) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Trade> trades = new ArrayList<>(count);
    long clock = BASE_MS;
    for (int i = 0; i < count; i++) {
      clock += 100 + random.nextInt(1_000);
      int roll = random.nextInt(100);
      long behind = roll < 70 ? 0 : roll < 95 ? random.nextInt(4_000) : 8_000 + random.nextInt(20_000);
      int cents = random.nextInt(100_000);
      String price = (cents / 100) + "." + String.format("%02d", cents % 100);
      trades.add(new Trade(SYMBOLS[random.nextInt(SYMBOLS.length)], price, clock - behind));
    }
    return trades;
  }

  /** Cuts trades into batches of `min` to `max` trades (the last one may be shorter). */
  static List<List<Trade>> batches(List<Trade> trades, long seed, int min, int max) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    List<List<Trade>> batches = new ArrayList<>();
    int i = 0;
    while (i < trades.size()) {
      int size = min + random.nextInt(max - min + 1);
      batches.add(new ArrayList<>(trades.subList(i, Math.min(trades.size(), i + size))));
      i += size;
    }
    return batches;
  }

  /** The seed's sample: stockName,tradeType,price,quantity,epochMillis,readable. */
  static List<Trade> sample(Path csv) throws IOException {
    List<Trade> trades = new ArrayList<>();
    for (String line : Files.readAllLines(csv)) {
      if (line.isBlank()) continue;
      String[] f = line.split(",");
      trades.add(new Trade(f[0], f[2], Long.parseLong(f[4])));
    }
    return trades;
  }
}
