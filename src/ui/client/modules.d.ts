/** Browser scripts are bundled as text (wrangler.toml [[rules]], and a plugin in vitest.config.ts). */
declare module "*.client.js" {
  const source: string;
  export default source;
}
