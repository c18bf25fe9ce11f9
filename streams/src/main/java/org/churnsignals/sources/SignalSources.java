package org.churnsignals.sources;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one place signal sources are registered. A new stream of customer experience is added here. */
public final class SignalSources {

  private SignalSources() {}

  public static List<SignalSource> standard() {
    return List.of(new OrderSignals(), new ContactSignals(), new ReturnSignals(), new PriceDropSignals());
  }

  /** The standard sources plus extra ones (tests, or a deployment's own). */
  public static List<SignalSource> standardAnd(SignalSource... extra) {
    List<SignalSource> all = new ArrayList<>(standard());
    all.addAll(List.of(extra));
    return all;
  }

  /** Every signal kind the given sources raise, by name. */
  public static Map<String, SignalKind> kinds(List<SignalSource> sources) {
    Map<String, SignalKind> kinds = new LinkedHashMap<>();
    for (SignalSource source : sources) {
      for (SignalKind kind : source.kinds()) {
        if (kinds.putIfAbsent(kind.name(), kind) != null) {
          throw new IllegalArgumentException("signal " + kind.name() + " is raised by two sources");
        }
      }
    }
    return kinds;
  }
}
