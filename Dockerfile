# syntax=docker/dockerfile:1
#
# Agent API image: the production jar on a Java 25 (LTS) JRE, Eclipse Temurin's, with Debian's Chromium for
# browser agents. Java 25 on purpose: the current LTS; request threads are virtual threads there, and under load
# bench/http-bench.sh measured the same jar at up to 1.8x the requests of Java 17 (see the README's Benchmarks).
#
#   docker build -t agent-api .
#   docker run -p 8080:8080 -e DATABASE_URL=postgresql://user:pass@db:5432/agent_api agent-api
#
# DATABASE_URL is required: the production jar carries no embedded database and stops at once,
# saying so, when it is unset. REDIS_URL (shared cache and rate-limit buckets) and
# APPLICATIONINSIGHTS_CONNECTION_STRING (telemetry) are optional; see the README's Configuration.
# The image runs as uid 10001 and works with a read-only root filesystem when /tmp and /home/app
# are writable (Chromium's profiles and the App Insights agent unpack there; the Playwright driver is
# unpacked at build time, in /opt/playwright-driver). Builds for linux/amd64 and linux/arm64
# (docker buildx build --platform linux/amd64,linux/arm64 .).
#
# Where no registry is reachable, JRE_IMAGE and DEBIAN_IMAGE name local images (deploy/verify-image.sh
# makes both: the Debian base with debootstrap, the JRE from a local Temurin 25 JDK with jlink).

ARG DEBIAN_IMAGE=debian:trixie-slim
ARG JRE_IMAGE=eclipse-temurin:25-jre

# ---- the runtime's JRE: Temurin 25 LTS, pinned by its image tag ----------------------------------
FROM ${JRE_IMAGE} AS jre

# ---- build: the layered jar ----------------------------------------------------------------
FROM ${DEBIAN_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        openjdk-21-jdk-headless ca-certificates curl unzip \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
# Optional: PEM certificates of a TLS-intercepting proxy the build host must trust to reach Maven
# Central (public certificates, not secrets; they stay in this build stage, not in the image).
ARG EXTRA_CA_CERTS=""
RUN if [ -n "$EXTRA_CA_CERTS" ]; then \
        printf '%s\n' "$EXTRA_CA_CERTS" | awk '/BEGIN CERTIFICATE/{n++} {print > ("/usr/local/share/ca-certificates/extra-" n ".crt")}' \
     && update-ca-certificates; \
    fi
WORKDIR /src
# Dependencies first: this layer (and the Maven cache mount) is reused until pom.xml changes.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN --mount=type=cache,id=agent-api-m2,target=/root/.m2 \
    ./mvnw -B -q dependency:go-offline -Dmaven.test.skip=true
COPY src/ src/
# The production jar leaves Playwright's driver bundle (every platform's Node, about 200 MB) out: this
# platform's Node and the driver package (from Playwright's driver jar) are unpacked here, once, and the
# runtime reads them from BROWSER_DRIVER_DIR. It leaves the Application Insights runtime attach library
# (37 MB) out too: the agent inside it is unpacked here, and the JVM starts with it when a connection
# string is set.
ARG TARGETARCH
RUN --mount=type=cache,id=agent-api-m2,target=/root/.m2 \
    ./mvnw -B -q package -Dmaven.test.skip=true \
 && cp target/agent-api-*.jar /tmp/agent-api.jar \
 && java -Djarmode=tools -jar /tmp/agent-api.jar extract --layers --destination /layers \
 && case "${TARGETARCH:-amd64}" in amd64) platform=linux ;; arm64) platform=linux-arm64 ;; \
        *) echo "no Playwright driver for $TARGETARCH" >&2; exit 1 ;; esac \
 && bundle=$(ls /root/.m2/repository/com/microsoft/playwright/driver-bundle/*/driver-bundle-*.jar | head -1) \
 && mkdir -p /tmp/bundle /driver && cd /tmp/bundle \
 && unzip -q "$bundle" "driver/$platform/*" && unzip -q /layers/dependencies/lib/driver-[0-9]*.jar 'driver/package/*' \
 && mv driver/package /driver/package && mv "driver/$platform"/* /driver/ \
 && chmod 755 /driver/node && /driver/node --version \
 && attach=$(ls /root/.m2/repository/com/microsoft/azure/applicationinsights-runtime-attach/*/applicationinsights-runtime-attach-*.jar | head -1) \
 && mkdir -p /tmp/attach /applicationinsights && cd /tmp/attach && unzip -q "$attach" 'applicationinsights-agent-*.jar' \
 && mv applicationinsights-agent-*.jar /applicationinsights/applicationinsights-agent.jar

# ---- runtime: JRE, Chromium, fonts; no build tools ---------------------------------------
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        chromium chromium-headless-shell fonts-liberation fonts-noto-core fonts-noto-cjk \
        ca-certificates tini \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --user-group --home-dir /home/app --create-home --shell /usr/sbin/nologin app
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:$PATH
WORKDIR /app
# Least-changing layers first, so a code change ships only the last, small layer.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY --from=build /driver/ /opt/playwright-driver/
COPY --from=build /applicationinsights/ /opt/applicationinsights/
USER 10001:10001
ENV HOME=/home/app \
    BROWSER_EXECUTABLE_PATH=/usr/bin/chromium \
    BROWSER_DRIVER_DIR=/opt/playwright-driver \
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    SERVER_PORT=8080 \
    SPRING_THREADS_VIRTUAL_ENABLED=true \
    APPLICATIONINSIGHTS_ROLE_NAME=agent-api \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=25 -XX:InitialRAMPercentage=10 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
EXPOSE 8080
# tini is PID 1: it hands SIGTERM to the JVM (readiness 503, drain, graceful shutdown) and reaps
# the Chromium helper processes that a JVM as PID 1 would leave as zombies. The shell only adds the
# Application Insights agent when there is somewhere to send telemetry (without a connection string it
# would cost memory and log errors), then becomes the JVM (exec); arguments given to the image go to the service.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "/bin/sh", "-c", "exec java ${APPLICATIONINSIGHTS_CONNECTION_STRING:+-javaagent:/opt/applicationinsights/applicationinsights-agent.jar} -jar /app/agent-api.jar \"$@\"", "agent-api"]
