#!/bin/sh
# Installs the Debian/Ubuntu packages that Qt's xcb platform and Mesa's OpenGL need
# (and, for `test`, Xvfb), when any is missing. As root it runs apt-get; otherwise it
# prints the exact command and fails (`test`) or warns (`run`). Elsewhere it does nothing.
mode=${1:-test}
PACKAGES="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
libxcb-render-util0 libxcb-xinerama0 libxcb-xkb1 libxcb-shape0 libxcb-randr0 \
libxkbcommon-x11-0 libegl1 libgl1 libgl1-mesa-dri libglx-mesa0 libfontconfig1 \
libdbus-1-3 fonts-dejavu-core"
[ "$mode" = test ] && PACKAGES="xvfb xauth $PACKAGES"

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: not a Debian/Ubuntu system; make sure Xvfb, Mesa and Qt's xcb libraries are installed." >&2
    exit 0
fi

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
    echo "system-deps: missing system packages:$missing" >&2
    echo "system-deps: run as root: $cmd" >&2
    [ "$mode" = run ] && exit 0
    exit 1
fi
echo "system-deps: installing$missing"
sh -c "$cmd" >/dev/null || { echo "system-deps: apt-get failed: $cmd" >&2; exit 1; }
