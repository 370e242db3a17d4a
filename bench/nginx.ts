// The native anchor: Debian's nginx as a reverse proxy (1 worker, upstream keep-alive), run unprivileged from a temp dir.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** nginx lives in /usr/sbin, which is not on every user's PATH. */
const CANDIDATES = ['nginx', '/usr/sbin/nginx', '/usr/local/sbin/nginx']

export function findNginx(): { path: string; version: string } {
  for (const path of CANDIDATES) {
    // `nginx -v` prints to stderr.
    const { error, stdout, stderr } = spawnSync(path, ['-v'], { encoding: 'utf8' })
    if (!error) return { path, version: versionOf(`${stdout}${stderr}`) }
  }
  throw new Error('nginx is not installed: run `bash scripts/ensure-system-deps.sh nginx` (npm run bench does it)')
}

function versionOf(text: string): string {
  return /nginx\/(\S+)/.exec(text)?.[1] ?? 'unknown'
}

/** Writes nginx.conf into `dir`; `nginx -p dir -c dir/nginx.conf` then needs no root and no system paths. */
export function writeNginxConfig(dir: string, port: number, upstreamPort: number): string[] {
  for (const sub of ['temp', 'logs']) mkdirSync(join(dir, sub), { recursive: true })
  const conf = `
daemon off;
# One process that does the work: the same event loop as one worker, and one PID to measure and stop.
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 8192; }
http {
  access_log ${dir}/logs/access.log;
  client_body_temp_path ${dir}/temp/body;
  proxy_temp_path ${dir}/temp/proxy;
  fastcgi_temp_path ${dir}/temp/fastcgi;
  uwsgi_temp_path ${dir}/temp/uwsgi;
  scgi_temp_path ${dir}/temp/scgi;
  client_max_body_size 64m;
  keepalive_requests 1000000;
  upstream kafka_rest {
    server 127.0.0.1:${upstreamPort};
    keepalive 256;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://kafka_rest;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # Stream request bodies like the Node proxies do instead of spooling them to disk first.
      proxy_request_buffering off;
      proxy_read_timeout 60s;
    }
  }
}
`
  const file = join(dir, 'nginx.conf')
  writeFileSync(file, conf)
  return ['-p', dir, '-c', file, '-e', join(dir, 'logs', 'error.log')]
}
