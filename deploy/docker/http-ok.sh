#!/usr/bin/env bash
# Container health check without curl or wget in the image: exits 0 when http://127.0.0.1:PORT/PATH answers 200.
#   http-ok PORT PATH
set -euo pipefail
exec 3<>"/dev/tcp/127.0.0.1/$1"
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$2" >&3
IFS= read -r status <&3
[[ "$status" == *" 200 "* ]]
