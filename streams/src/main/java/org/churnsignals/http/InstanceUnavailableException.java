package org.churnsignals.http;

import java.util.List;

/** Another instance of the application holds what was asked and did not answer in time. */
public final class InstanceUnavailableException extends RuntimeException {

  private final List<String> instances;

  public InstanceUnavailableException(List<String> instances, String what) {
    super("Instance " + String.join(", ", instances) + " " + what);
    this.instances = List.copyOf(instances);
  }

  /** host:port of each instance that did not answer. */
  public List<String> instances() {
    return instances;
  }
}
