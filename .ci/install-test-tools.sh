#!/usr/bin/env bash
# Debian packages the tests call: promtool and prometheus (dashboard queries, Prometheus config, and a
# real Prometheus scraping the demo), docker-compose (validates docker-compose.yml; no engine needed),
# chromium and its driver (the console's browser tests drive it headless; nothing downloads a browser).
set -euo pipefail

missing=()
command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)

if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

promtool --version | head -n 1
docker-compose version --short
chromium --version
