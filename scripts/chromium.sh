#!/usr/bin/env bash
# Debian's Chromium for the browser test (Swagger UI through the gateway). Playwright's own browser download
# needs the internet; Debian's package does not. Installs it when missing; a non-root user needs sudo.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
sudo=""; if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
echo "chromium: installing Debian's chromium package"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null \
  || { $sudo apt-get update >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null; }
