#!/usr/bin/env bash
# The java21 test image, laid out like AWS's: Java 21 at /var/lang (Debian trixie's
# openjdk-21-jre-headless, with trixie's C libraries it needs), AWS's Java runtime interface client
# in /var/runtime/lib, and /var/runtime/bootstrap starting it with the handler, as the java21 base
# image does. The client loads the function from /var/task (classes, and jars in lib/).
# The `21-build` flavour adds what AWS's build image (public.ecr.aws/sam/build-java21) has for
# building Java functions: the JDK (trixie's openjdk-21-jdk-headless) and Apache Maven on PATH.
#   scripts/test-images/java.sh 21|21-build [IMAGE]      default IMAGE: lambda-workbench-test/java:<first argument>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
flavour=${1:?usage: java.sh 21|21-build [IMAGE]}
case "$flavour" in 21 | 21-build) ;; *) echo "java.sh: no flavour $flavour: choose 21 or 21-build" >&2; exit 2 ;; esac
image=${2:-lambda-workbench-test/java:$flavour}
# shellcheck source=import.sh
. "$here/import.sh"
# shellcheck source=busybox.sh
. "$here/busybox.sh"
JAVA_RIC_VERSION=2.10.1 # keep in step with scripts/setup.sh
MAVEN_VERSION=3.9.11 # keep in step with scripts/setup.sh

bash "$here/../setup.sh" java21
debs="$cache/java21/debs"
ric="$cache/java21/ric-$JAVA_RIC_VERSION/lib"
jdk="$cache/java21/jdk-debs"
maven="$cache/java21/apache-maven-$MAVEN_VERSION-bin.tar.gz"

make_rootfs() {
  local root=$1
  busybox_rootfs "$root"
  # Merged /usr, as in Debian and Amazon Linux 2023: the packages put their libraries under usr/.
  mkdir -p "$root/usr/lib" "$root/usr/lib64"
  ln -s usr/lib "$root/lib"
  ln -s usr/lib64 "$root/lib64"
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$root"; done
  if [ "$flavour" = 21-build ]; then
    # The JDK and the runtime it comes with (the same version), over the runtime above.
    for deb in "$jdk"/*.deb; do dpkg-deb -x "$deb" "$root"; done
    mkdir -p "$root/usr/share/maven"
    tar -xzf "$maven" -C "$root/usr/share/maven" --strip-components=1
  fi
  rm -rf "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/lintian" "$root/usr/share/locale"
  rmdir "$root/var/lang/bin" "$root/var/lang"
  ln -s /usr/lib/jvm/java-21-openjdk-amd64 "$root/var/lang"
  mkdir -p "$root/var/runtime/lib"
  cp "$ric"/*.jar "$root/var/runtime/lib/"
  # Like the java21 image's bootstrap: the heap is most of the function's memory, and the JIT stops
  # at its first tier (AWS's default for Java 17 and later: faster cold starts).
  cat >"$root/var/runtime/bootstrap" <<'SH'
#!/bin/sh
heap=$(( ${AWS_LAMBDA_FUNCTION_MEMORY_SIZE:-128} * 85 / 100 ))
exec /var/lang/bin/java -XX:MaxHeapSize="${heap}m" -XX:+UseSerialGC -XX:+TieredCompilation -XX:TieredStopAtLevel=1 \
  -Xshare:auto -Djava.net.preferIPv4Stack=true -classpath '/var/runtime/lib/*' \
  com.amazonaws.services.lambda.runtime.api.client.AWSLambda "$_HANDLER"
SH
  chmod 755 "$root/var/runtime/bootstrap"
  lambda_entrypoint "$root"
}

want=$( { echo "$flavour"; cat "$0" "$here/import.sh" "$here/busybox.sh"; sha256sum /bin/busybox "$debs"/*.deb "$ric"/*.jar; [ "$flavour" = 21 ] || sha256sum "$jdk"/*.deb "$maven"; } | sha256sum | cut -c1-16)
env='PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin'
[ "$flavour" = 21 ] || env="$env:/usr/share/maven/bin JAVA_HOME=/var/lang"
import_image "$image" "$want" make_rootfs \
  'ENTRYPOINT ["/lambda-entrypoint.sh"]' \
  'WORKDIR /var/task' \
  "ENV $env LANG=en_US.UTF-8 TZ=:UTC LD_LIBRARY_PATH=/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib LAMBDA_TASK_ROOT=/var/task LAMBDA_RUNTIME_DIR=/var/runtime"
