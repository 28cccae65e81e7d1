#!/bin/sh
# Makes sure the system packages lingpao needs beyond Go are present.
#   scripts/deps.sh demo   — what `lingpao demo` needs: a CJK TrueType font for the PDFs
#   scripts/deps.sh test   — what the tests need: the font, poppler-utils (pdftotext, pdffonts,
#                            pdftoppm), python3-openpyxl and LibreOffice (second spreadsheet readers),
#                            Chromium and ChromeDriver (web UI tests)
# Run as root on Debian/Ubuntu it installs what is missing; otherwise it says exactly what to install.
set -eu

want="${1:-test}"
missing=""

need_file() { # path package
	[ -e "$1" ] || missing="$missing $2"
}
need_cmd() { # command package
	command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}
need_py() { # module package: Debian's python3, which a pyenv python3 on PATH may shadow
	for py in /usr/bin/python3 python3; do
		if command -v "$py" >/dev/null 2>&1 && "$py" -c "import $1" >/dev/null 2>&1; then
			return 0
		fi
	done
	missing="$missing $2"
}

font_found() {
	[ -n "${LINGPAO_FONT:-}" ] && [ -e "${LINGPAO_FONT}" ] && return 0
	[ -e /usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf ] && return 0
	return 1
}

font_found || missing="$missing fonts-lxgw-wenkai"
if [ "$want" = test ]; then
	need_cmd pdftotext poppler-utils
	need_py openpyxl python3-openpyxl
	need_cmd soffice libreoffice-calc-nogui
	need_cmd chromium chromium
	need_cmd chromedriver chromium-driver
fi

[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "Installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >&2
	exit 0
fi

echo "lingpao needs these Debian/Ubuntu packages:$missing" >&2
echo "Install them with:  sudo apt-get install -y$missing" >&2
echo "(For PDFs any TrueType .ttf CJK font works: set LINGPAO_FONT=/path/to/font.ttf instead of fonts-lxgw-wenkai.)" >&2
exit 1
