# Sourced by scripts/test after the suite: install the project the way a user does, with
# 'pip install .' into a fresh venv whose pip is the one Python's venv brings (never upgraded),
# then build the sample HTML and Markdown articles with it. A missing dependency declaration
# that .venv's upgraded pip would paper over shows up here.
plain="$(mktemp -d)"
trap 'rm -rf "$plain"' EXIT
echo "plain install: pip install . into a fresh venv ($("$(find_python)" -m pip --version | cut -d' ' -f1-2))"
"$(find_python)" -m venv "$plain/venv"
if ! "$plain/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$ROOT" \
  >"$plain/pip.log" 2>&1; then
  cat "$plain/pip.log" >&2
  exit 1
fi
"$plain/venv/bin/msaudio" init "$plain/show" >/dev/null
cp "$ROOT"/episodes/*.html "$ROOT"/episodes/*.md "$plain/show/episodes/"
"$plain/venv/bin/msaudio" build "$plain/show" --engine espeak --quiet
count=$(grep -c "<enclosure" "$plain/show/public/feed.xml")
expected=$(ls "$plain/show/episodes" | wc -l)
if [[ "$count" != "$expected" ]]; then
  echo "plain install: published $count of $expected episodes" >&2
  exit 1
fi
echo "plain install: published $count episodes (HTML and Markdown)"
