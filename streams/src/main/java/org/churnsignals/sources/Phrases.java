package org.churnsignals.sources;

import java.text.NumberFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.churnsignals.config.ChurnConfig;

/** Words for descriptions a retention agent reads to the customer's file: amounts, dates, spans. */
public final class Phrases {

  private final ChurnConfig.Display display;
  private final DateTimeFormatter day;
  private final DateTimeFormatter dayAndTime;
  /** Not thread-safe: each detector instance, one per task, has its own Phrases. */
  private final NumberFormat money;

  public Phrases(ChurnConfig.Display display) {
    this.display = display;
    this.day = DateTimeFormatter.ofPattern("d MMMM", Locale.ENGLISH).withZone(display.zone());
    this.dayAndTime = DateTimeFormatter.ofPattern("d MMMM 'at' HH:mm", Locale.ENGLISH).withZone(display.zone());
    this.money = NumberFormat.getCurrencyInstance(Locale.US);
    money.setCurrency(display.currency());
  }

  public String money(long cents) {
    return money.format(cents / 100.0);
  }

  public String day(Instant instant) {
    return day.format(instant);
  }

  public String dayAndTime(Instant instant) {
    return dayAndTime.format(instant);
  }

  /** "4 days", "1 day 6 hours", "5 hours", "35 minutes". */
  public static String span(Duration duration) {
    long minutes = Math.max(0, duration.toMinutes());
    long days = minutes / (24 * 60);
    long hours = (minutes / 60) % 24;
    if (days >= 3 || (days > 0 && hours == 0)) {
      return plural(days, "day");
    }
    if (days > 0) {
      return plural(days, "day") + " " + plural(hours, "hour");
    }
    long restMinutes = minutes % 60;
    if (hours > 0 && hours < 3 && restMinutes > 0) {
      return plural(hours, "hour") + " " + plural(restMinutes, "minute");
    }
    if (hours > 0) {
      return plural(hours, "hour");
    }
    return plural(Math.max(1, minutes), "minute");
  }

  public static String ordinal(int n) {
    int lastTwo = n % 100;
    String suffix = (lastTwo >= 11 && lastTwo <= 13) ? "th" : switch (n % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
    return n + suffix;
  }

  public static String percent(double fraction) {
    return Math.round(fraction * 100) + "%";
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }
}
