#!/usr/bin/env bash
# Set procmap up on Debian: the system programs it and its tests use, then procmap with every
# optional feature and the test tools in .venv. Used by the README's first command and by .ci/run.
#   graphviz: `dot` (--layout dot, the benefit map); chromium: the web page's browser tests;
#   fonts-dejavu-core: the font pictures are measured with; librsvg2-bin: fast PNG export;
#   libreoffice-impress/-calc: the tests open the slide deck and the workbook as a person would.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(graphviz chromium fonts-dejavu-core librsvg2-bin poppler-utils libreoffice-impress libreoffice-calc)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
  as_root=""
  [ "$(id -u)" = 0 ] || as_root="sudo"
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -e '.[all,test]'
