#!/usr/bin/env bash
# A screenshot of Centroid as a desktop shows it: Xvfb with a window manager (IceWM: title bar
# with the window's icon, taskbar), the installed or built `centroid` opening a run, and the
# whole screen grabbed with xwd. For the user guide and the AppStream screenshots; CI does
# not run it. Installs icewm, x11-apps (xwd) and netpbm when missing.
# Usage: scripts/desktop-screenshot.sh RUN.h5 OUT.png [centroid-binary]
set -euo pipefail
run=${1:?run file}
out=${2:?output png}
exe=${3:-$(command -v centroid || echo build/app/centroid)}
missing=()
for p in icewm x11-apps netpbm xvfb xauth; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp &
xvfb=$!
trap 'kill $app $wm $xvfb 2>/dev/null || true' EXIT
sleep 1
DISPLAY=$display icewm >/dev/null 2>&1 &
wm=$!
sleep 1
DISPLAY=$display "$exe" "$run" >/dev/null 2>&1 &
app=$!
sleep "${CENTROID_SCREENSHOT_WAIT:-10}"
DISPLAY=$display xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng >"$out"
echo "desktop-screenshot: $out"
