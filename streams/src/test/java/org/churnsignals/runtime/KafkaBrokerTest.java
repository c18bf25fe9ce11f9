package org.churnsignals.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

  @Test
  void refusesAPortInUseWithOneLineNamingIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> KafkaBroker.start(port))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Cannot start the embedded Kafka broker: port " + port + " on 127.0.0.1 is in use"
              + " (another Kafka broker?)");
    }
  }
}
