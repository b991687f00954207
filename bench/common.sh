# Shared by the HTTP and memory benchmarks (sourced, not run).

java_home() { # 17 | 25 | a path
    case "$1" in
        17) echo /usr/lib/jvm/java-17-openjdk-amd64 ;;
        25) echo /usr/lib/jvm/temurin-25-jdk-amd64 ;;
        *) echo "$1" ;;
    esac
}

wait_for() { # $1 = url, $2 = log; sets ANSWERED_AT (ns) when it answers
    for _ in $(seq 1 1200); do curl -sf "$1" >/dev/null && ANSWERED_AT=$(date +%s%N) && return; sleep 0.1; done
    echo "no answer from $1; see $2" >&2; exit 1
}

# $1 = a Spring Boot fat jar; extracts it once (jarmode tools, as the image does) and prints the extracted jar, whose
# class path is plain files: no nested-jar class loading
extracted() {
    local name dir
    name=$(basename "$1" .jar)
    dir=$(dirname "$1")/extracted-$name
    if [ ! -f "$dir/$name.jar" ] || [ "$1" -nt "$dir/$name.jar" ]; then
        rm -rf "$dir" && java -Djarmode=tools -jar "$1" extract --destination "$dir" >/dev/null
    fi
    echo "$dir/$name.jar"
}

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

stop() { # $1 = pid
    kill "$1"; wait "$1" 2>/dev/null || true
}

# Both apps run on $JAVA with $JVM_OPTS; logs go to $WORK.
start_bare() { # [$1 = jar, default $BARE_JAR; more arguments go to the app]
    local jar=${1:-$BARE_JAR}; shift || true
    "$JAVA" $JVM_OPTS -jar "$jar" --server.port=$BARE_PORT --logging.level.root=WARN "$@" > "$WORK/bare.log" 2>&1 &
    BARE_PID=$!
    wait_for "localhost:$BARE_PORT/actuator/health" "$WORK/bare.log"
    LIVE_AT=$ANSWERED_AT
}

# The service against database $DB, API key $KEY, no browser (no warm pool, no launch on create), a rate-limit
# policy that never refuses.
start_service() { # $1 = redis url or empty
    AGENT_API_REPLICA_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d "\n")" AGENT_STATE_KEY="$(head -c 32 /dev/urandom | base64 | tr -d "\n")" REPLICA_PORT=0 DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DB" REDIS_URL="$1" AGENT_API_KEYS="bench:admin:$KEY" \
    SHUTDOWN_DRAIN_DELAY=0s BROWSER_WARM_POOL=0 "$JAVA" $JVM_OPTS -jar "$JAR" --server.port=$PORT --management.server.port=$MANAGEMENT_PORT \
        --agent-api.cache.key-prefix="bench-$$:agent:" --agent-api.rate-limit.key-prefix="bench-$$:rl:" \
        "--agent-api.rate-limit.policies=* /api/**: 1000000000 per minute" \
        --agent-api.browser.launch-on-create=false \
        --logging.level.root=WARN > "$WORK/service.log" 2>&1 &
    SERVICE_PID=$!
    wait_for "localhost:$PORT/health/live" "$WORK/service.log"
    LIVE_AT=$ANSWERED_AT # rss-bench.sh times the start to live
    wait_for "localhost:$PORT/health/ready" "$WORK/service.log"
}

# The production jar carries no Playwright driver (the image unpacks its own): a service started from it with
# browsers needs BROWSER_DRIVER_DIR. Unpacks this platform's, once, from the Maven repository, as the Dockerfile does;
# prints its folder.
playwright_driver_dir() {
    local version dir platform m2=${MAVEN_REPO:-$HOME/.m2/repository}/com/microsoft/playwright
    version=$(sed -n 's:.*<playwright.version>\(.*\)</playwright.version>.*:\1:p' pom.xml)
    dir=target/playwright-driver-$version
    case "$(uname -m)" in x86_64) platform=linux ;; aarch64) platform=linux-arm64 ;; *) echo "no Playwright driver for $(uname -m)" >&2; return 1 ;; esac
    if [ ! -x "$dir/node" ]; then
        rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
        (cd "$dir.tmp" && unzip -q "$m2/driver-bundle/$version/driver-bundle-$version.jar" "driver/$platform/*" \
            && unzip -q "$m2/driver/$version/driver-$version.jar" 'driver/package/*' \
            && mv driver/package package && mv "driver/$platform"/* . && rm -rf driver && chmod 755 node)
        rm -rf "$dir" && mv "$dir.tmp" "$dir"
    fi
    echo "$PWD/$dir"
}
