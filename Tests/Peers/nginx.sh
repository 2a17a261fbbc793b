#!/usr/bin/env bash
# Real HTTP peer for integration tests: nginx on 127.0.0.1:PORT, everything under DIR.
#   nginx.sh start DIR PORT   write DIR/nginx.conf + DIR/www, start nginx, wait (<= 10 s) until
#                             the port accepts, print nginx's pid on stdout
#   nginx.sh stop DIR         stop it (TERM, then KILL after 5 s); no-op if not running
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
die() { echo "nginx.sh: $*" >&2; exit 1; }
# Is PID our nginx master for DIR? (A zombie counts as gone: once nginx.sh has exited,
# the master's parent is init, which may reap it only a second or so later.)
alive() {
  local stat args
  read -r stat args < <(ps -o stat=,args= -p "$1" 2>/dev/null) || return 1
  [[ $stat != Z* && $args == *"$2/nginx.conf"* ]]
}

start() {
  local dir port pid i
  mkdir -p "$1"; dir=$(cd "$1" && pwd); port=$2
  [[ $port =~ ^[0-9]+$ ]] && (( port > 0 && port < 65536 )) || die "bad port: $port"
  [[ -x $NGINX ]] || die "nginx not found (apt-get install -y nginx-light)"
  if [[ -s $dir/launcher.pid ]] && alive "$(cat "$dir/launcher.pid")" "$dir"; then
    die "already running in $dir (pid $(cat "$dir/launcher.pid"))"
  fi
  mkdir -p "$dir/tmp" "$dir/www"
  /usr/bin/python3 "$HERE/make-media.py" "$dir/www"
  # As root, nginx would run its workers as nobody, who may not be able to read DIR.
  local user=""; (( EUID == 0 )) && user="user root;"
  cat > "$dir/nginx.conf" <<CONF
$user
worker_processes 1;
daemon off;
pid "$dir/nginx.pid";
error_log "$dir/error.log" warn;
events { worker_connections 256; }
http {
  types {
    text/html html; image/jpeg jpg; application/vnd.apple.mpegurl m3u8; video/mp2t ts;
  }
  default_type application/octet-stream;
  access_log "$dir/access.log";
  client_body_temp_path "$dir/tmp/body"; proxy_temp_path "$dir/tmp/proxy";
  fastcgi_temp_path "$dir/tmp/fastcgi"; uwsgi_temp_path "$dir/tmp/uwsgi"; scgi_temp_path "$dir/tmp/scgi";
  server {
    listen 127.0.0.1:$port;
    server_name localhost;
    root "$dir/www";
    location /live/ { add_header Cache-Control no-cache; }
  }
}
CONF
  "$NGINX" -t -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" 2>"$dir/nginx.out" \
    || die "bad config: $(cat "$dir/nginx.out")"
  rm -f "$dir/nginx.pid"
  "$NGINX" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" </dev/null >>"$dir/nginx.out" 2>&1 &
  pid=$!
  echo "$pid" > "$dir/launcher.pid"
  # nginx writes its pid file only after binding the port: until then a connect could
  # reach whoever else holds the port (nginx retries a busy port for 2.5 s before giving up).
  for (( i = 0; i < 200; i++ )); do       # 200 x 50 ms = 10 s
    alive "$pid" "$dir" || die "nginx exited: $(tail -n 5 "$dir/error.log" "$dir/nginx.out" 2>/dev/null)"
    if [[ $(cat "$dir/nginx.pid" 2>/dev/null) == "$pid" ]] &&
       (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$pid"; return 0
    fi
    sleep 0.05
  done
  kill "$pid" 2>/dev/null || true
  die "nginx did not accept on 127.0.0.1:$port within 10 s"
}

stop() {
  local dir pid i
  dir=$(cd "$1" 2>/dev/null && pwd) || return 0
  [[ -s $dir/launcher.pid ]] || return 0
  pid=$(cat "$dir/launcher.pid")
  if alive "$pid" "$dir" && kill -TERM "$pid" 2>/dev/null; then
    for (( i = 0; i < 100; i++ )); do alive "$pid" "$dir" || break; sleep 0.05; done
    if alive "$pid" "$dir"; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$dir/launcher.pid"
}

case "${1:-}" in
  start) (( $# == 3 )) || die "usage: nginx.sh start DIR PORT"; start "$2" "$3" ;;
  stop)  (( $# == 2 )) || die "usage: nginx.sh stop DIR"; stop "$2" ;;
  *) die "usage: nginx.sh start DIR PORT | nginx.sh stop DIR" ;;
esac
