package org.churnsignals.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DockerComposeTest {

  @Test
  void dockerComposeAcceptsTheFile() {
    var binary = PrometheusTools.onPath("docker-compose");
    assumeTrue(binary.isPresent(),
        "docker-compose is not installed (bash .ci/install-test-tools.sh installs it): the compose file was not checked");

    var result = PrometheusTools.run(StackFiles.root(), binary.get().toString(),
        "--file", StackFiles.composeFile().toString(), "config", "--quiet");

    assertThat(result.exitCode()).as("docker-compose config says:%n%s", result.output()).isZero();
  }

  @Test
  void everyChurnVariableOfTheApplicationNamesARealSetting() {
    Set<String> known = new TreeSet<>();
    ApplicationSettings.keys().forEach(key -> known.add(ApplicationSettings.environmentVariable(key)));

    Set<String> churnVariables = new TreeSet<>(StackFiles.environment(StackFiles.applicationService()).keySet());
    churnVariables.removeIf(name -> !name.startsWith("CHURN_"));

    assertThat(churnVariables).isNotEmpty();
    assertThat(known).as("variables of the settings in %s", ApplicationSettings.source()).containsAll(churnVariables);
  }

  @Test
  void applicationListensOnEveryInterfaceOfItsContainer() {
    Map<String, String> env = StackFiles.environment(StackFiles.applicationService());

    assertThat(env).containsEntry("CHURN_HTTP_BIND", "0.0.0.0");
  }

  @Test
  void applicationReachesKafkaAndTheSchemaRegistryWhereTheyListen() {
    JsonNode services = StackFiles.compose().path("services");
    Map<String, String> env = StackFiles.environment(StackFiles.applicationService());

    String bootstrap = env.get("CHURN_KAFKA_BOOTSTRAP_SERVERS");
    assertThat(StackFiles.environment(services.path("kafka")).get("KAFKA_ADVERTISED_LISTENERS"))
        .contains("://" + bootstrap);
    URI registry = URI.create(env.get("CHURN_SCHEMA_REGISTRY_URL"));
    assertThat(services.has(registry.getHost())).as("a service named %s", registry.getHost()).isTrue();
    assertThat(StackFiles.environment(services.path(registry.getHost())).get("SCHEMA_REGISTRY_LISTENERS"))
        .endsWith(":" + registry.getPort());
  }

  private static final Pattern CREATED_TOPICS = Pattern.compile("for topic in ([^;]+);|--topic (\\S+)");

  @Test
  void topicCreatorCreatesEveryTopicOfTheApplicationWithCustomerRiskCompacted() {
    String script = topicsScript();
    Set<String> created = new TreeSet<>();
    Matcher matcher = CREATED_TOPICS.matcher(script);
    while (matcher.find()) {
      if (matcher.group(1) != null) {
        created.addAll(List.of(matcher.group(1).trim().split("\\s+")));
      } else if (!matcher.group(2).startsWith("\"$")) {
        created.add(matcher.group(2));
      }
    }

    assertThat(created).containsExactlyInAnyOrderElementsOf(new TreeSet<>(ApplicationSettings.topics().values()));
    String risk = ApplicationSettings.topics().get("topics.risk");
    assertThat(script).containsPattern("--topic " + Pattern.quote(risk) + "\\s[^\\n]*cleanup.policy=compact");
  }

  @Test
  void applicationStartsOnlyOnceTheTopicsExistAndTheRegistryAnswers() {
    JsonNode dependsOn = StackFiles.applicationService().path("depends_on");

    assertThat(dependsOn.path("topics").path("condition").asText()).isEqualTo("service_completed_successfully");
    assertThat(dependsOn.path("schema-registry").path("condition").asText()).isEqualTo("service_healthy");
  }

  private static String topicsScript() {
    JsonNode command = StackFiles.compose().path("services").path("topics").path("command");
    List<String> parts = new ArrayList<>();
    if (command.isArray()) {
      command.forEach(part -> parts.add(part.asText()));
    } else {
      parts.add(command.asText());
    }
    return String.join("\n", parts);
  }
}
