# Sourced by the other scripts. need_debian PACKAGE WHY: install a Debian package when running as
# root (CI, a fresh machine), or stop and say which package to install.
need_debian() {
  if [ "$(id -u)" = 0 ]; then
    echo "installing Debian's $1 for $2" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
  else
    echo "$2 need Debian's $1: sudo apt-get install $1" >&2
    exit 1
  fi
}
