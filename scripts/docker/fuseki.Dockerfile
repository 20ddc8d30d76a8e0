# Apache Jena Fuseki 5.6.0 built the same way scripts/stores.sh gets it: the
# jena-fuseki-server jar from Maven Central (Apache publishes no image; the community
# image lags behind). Java 17, as on the development machines.
FROM maven:3.9-eclipse-temurin-17 AS fetch
RUN mvn -q dependency:copy -Dartifact=org.apache.jena:jena-fuseki-server:5.6.0 -DoutputDirectory=/opt/fuseki

FROM eclipse-temurin:17-jre
RUN groupadd --system fuseki && useradd --system --gid fuseki --home /fuseki fuseki \
 && mkdir -p /fuseki/run /fuseki/databases && chown -R fuseki:fuseki /fuseki
COPY --from=fetch /opt/fuseki/jena-fuseki-server-5.6.0.jar /opt/fuseki/fuseki-server.jar
COPY scripts/docker/fuseki-config.ttl /fuseki/config.ttl
USER fuseki
WORKDIR /fuseki
ENV FUSEKI_BASE=/fuseki/run JAVA_OPTIONS="-Xmx2g"
EXPOSE 3030
# The config declares the TDB2 dataset /openemploi under /fuseki/databases (a volume).
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTIONS -jar /opt/fuseki/fuseki-server.jar --port 3030 --config /fuseki/config.ttl"]
