package org.churnsignals.runtime;

public final class Launcher {
  public static void main(String[] args) {
  }
}
