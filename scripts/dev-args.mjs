// The arguments of `npm run dev` (scripts/dev.mjs), kept apart so that a test can check them without
// starting anything.

/** What wrangler 4.86 prints once a Quick Tunnel is up ("Sharing via Cloudflare Tunnel: https://….trycloudflare.com"). */
export const TUNNEL_URL = /https:\/\/[a-z0-9-]+\.trycloudflare\.com/;

/**
 * `--port N` (or `--port=N`) and `--tunnel` are ours: dev.mjs passes them to wrangler itself and uses the
 * port for PUBLIC_ORIGIN. `--persist-to DIR` is also given to the local migrations. Everything else goes
 * to `wrangler dev` unchanged.
 */
export function devArgs(argv) {
  let port = 8787;
  let tunnel = false;
  let persistTo = [];
  const passThrough = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--port" || arg.startsWith("--port=")) {
      const value = arg === "--port" ? argv[++i] : arg.slice("--port=".length);
      port = Number(value);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port needs a port number, not ${JSON.stringify(value)}`);
    } else if (arg === "--tunnel") {
      tunnel = true;
    } else {
      if (arg === "--persist-to") persistTo = ["--persist-to", argv[i + 1]];
      else if (arg.startsWith("--persist-to=")) persistTo = [arg];
      passThrough.push(arg);
    }
  }
  return { port, tunnel, persistTo, passThrough };
}
