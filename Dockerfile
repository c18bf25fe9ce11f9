# Builds the application from source and runs it against the Kafka cluster and schema registry it is given.
# In the docker-compose stack: `docker compose up --build`.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# Dependencies change less often than the code: fetch them in a layer of their own.
COPY pom.xml ./
COPY schemas schemas
COPY streams/pom.xml streams/
RUN mvn -B -q -DskipTests package
COPY config config
COPY streams/src streams/src
RUN mvn -B -DskipTests package

FROM eclipse-temurin:17-jre
RUN groupadd --system churn \
    && useradd --system --gid churn --home-dir /app churn \
    && mkdir -p /var/lib/churn-signals \
    && chown churn:churn /var/lib/churn-signals
WORKDIR /app
# The jar's manifest names its dependencies as lib/*.jar beside it.
COPY --from=build /build/streams/target/lib/ /app/lib/
COPY --from=build /build/streams/target/churn-signals.jar /app/churn-signals.jar
COPY config/churn-signals.properties /app/churn-signals.properties
USER churn
# Inside a container the API must listen beyond loopback; state survives restarts on a volume.
ENV CHURN_HTTP_BIND=0.0.0.0 \
    CHURN_STATE_DIR=/var/lib/churn-signals
VOLUME /var/lib/churn-signals
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/churn-signals.jar"]
CMD ["run", "--config", "/app/churn-signals.properties"]
