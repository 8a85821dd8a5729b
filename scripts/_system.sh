# Sourced by scripts/test: install the Debian packages the end-to-end tests drive
# (gPodder's gpo client, Chromium, espeak-ng, EPUBCheck run as
# `java -jar /usr/share/java/epubcheck.jar`, and the DejaVu fonts the PDF tests set their
# leaflets in) where this machine
# can: as root with apt-get. Elsewhere it says what is missing; the tests that need a
# missing program fail, and 'scripts/test -m "not e2e"' leaves them out.
MSAUDIO_SYSTEM_PACKAGES=(gpodder chromium espeak-ng epubcheck fonts-dejavu-core)
_missing_system_packages() {
  local pkg
  for pkg in "${MSAUDIO_SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}
if command -v dpkg-query >/dev/null 2>&1; then
  mapfile -t _missing < <(_missing_system_packages)
  if (( ${#_missing[@]} )); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
      echo "installing system packages: ${_missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >/dev/null
      apt-get install -y -qq --no-install-recommends "${_missing[@]}" >/dev/null
    else
      echo "warning: end-to-end tests need these Debian packages: ${_missing[*]} (-m 'not e2e' leaves them out)" >&2
    fi
  fi
fi
