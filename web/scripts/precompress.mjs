// Writes a .gz beside each built JavaScript, CSS and SVG file so that Flask can send the
// compressed copy to browsers that accept gzip (routes/web_app_routes.py).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { constants, gzipSync } from "node:zlib";

const assets = resolve(dirname(fileURLToPath(import.meta.url)), "../dist/assets");
let count = 0;
for (const name of readdirSync(assets)) {
  if (!/\.(js|css|svg)$/.test(name)) continue;
  const file = join(assets, name);
  writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: constants.Z_BEST_COMPRESSION }));
  count += 1;
}
console.log(`precompressed ${count} files`);
